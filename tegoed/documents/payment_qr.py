"""The EPC payment QR code ("GiroCode", EPC069-12 v2) printed on invoices and letters.

segno's `make_epc_qr` enforces the standard's limits (level M, version ≤ 13, name ≤ 70, RF
reference ≤ 35, text ≤ 140) but checks neither the IBAN nor the reference, so both are checked
here first (formats.md §4). The name must be the account holder's exact name: Dutch banks
compare it with the IBAN (IBAN-Naam-Check / Verification of Payee) and warn the payer otherwise.
"""

from __future__ import annotations

import io
from decimal import Decimal
from functools import lru_cache

import segno
from segno import helpers

from tegoed.domain import identifiers
from tegoed.domain.errors import DomainError

_MINIMUM = Decimal("0.01")
_MAXIMUM = Decimal("999999999.99")


def epc_qr(
    *, name: str, iban: str, amount: Decimal, reference: str = "", text: str = "", bic: str = ""
) -> segno.QRCode:
    """A SEPA credit-transfer QR; an RF reference goes in the structured field, else `text`."""
    if not _MINIMUM <= amount <= _MAXIMUM:
        raise DomainError(
            f"a payment QR needs an amount between 0.01 and 999999999.99, not {amount}"
        )
    iban = identifiers.normalize_iban(iban)
    structured = reference if reference and identifiers.is_creditor_reference(reference) else ""
    remittance = "" if structured else (text or reference)
    return helpers.make_epc_qr(
        name=name[:70],
        iban=iban,
        amount=amount,
        reference=structured or None,
        text=remittance[:140] or None,
        bic=bic or None,
        encoding="utf-8",
    )


@lru_cache(maxsize=2048)
def epc_qr_svg(
    *, name: str, iban: str, amount: Decimal, reference: str = "", text: str = "", bic: str = ""
) -> str:
    """The QR as an SVG document (vector, so it stays sharp at any print size).

    Kept for the same payment: an invoice copy goes with every reminder, and segno spends
    most of its few milliseconds choosing the best QR mask.
    """
    code = epc_qr(name=name, iban=iban, amount=amount, reference=reference, text=text, bic=bic)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", xmldecl=False, svgns=True, border=0, scale=1)
    return buffer.getvalue().decode("utf-8")

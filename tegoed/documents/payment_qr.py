"""The EPC payment QR code ("GiroCode", EPC069-12 v2) printed on invoices and letters.

The payload is the standard's eleven lines (service tag BCD, version 002, UTF-8, SCT, BIC,
name ≤ 70, IBAN, amount, purpose, RF reference ≤ 35 or text ≤ 140), encoded by segno at error
level M and at most version 13. The IBAN and the reference are checked first (formats.md §4).
The mask is fixed: segno would try all eight and keep the best-scoring, which in pure Python is
most of a letter's rendering time; every mask gives a valid code (ISO/IEC 18004 §7.8), and the
tests decode the printed code with a real reader.

The name must be the account holder's exact name: Dutch banks compare it with the IBAN
(IBAN-Naam-Check / Verification of Payee) and warn the payer otherwise.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

import segno

from tegoed.domain import identifiers
from tegoed.domain.errors import DomainError

_MINIMUM = Decimal("0.01")
_MAXIMUM = Decimal("999999999.99")
MASK = 2
_DARK_RUN = re.compile(rb"[^\x00]+")


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
    written = f"{amount:.2f}".rstrip("0").rstrip(".")  # "EUR1210", "EUR12.3" as the standard
    lines = ["BCD", "002", "1", "SCT", bic, name[:70], iban, f"EUR{written}", "", structured,
             remittance[:140]]  # fmt: skip
    payload = "\n".join(lines).rstrip("\n")
    code = segno.make_qr(payload.encode("utf-8"), error="m", boost_error=False, mask=MASK)
    if code.version > 13:
        raise DomainError("the payment details are too long for a payment QR code")
    return code


@lru_cache(maxsize=2048)
def epc_qr_svg(
    *, name: str, iban: str, amount: Decimal, reference: str = "", text: str = "", bic: str = ""
) -> str:
    """The QR as an SVG document (vector, so it stays sharp at any print size).

    Kept for the same payment: an invoice copy goes with every reminder, and segno spends
    most of its few milliseconds choosing the best QR mask.
    """
    code = epc_qr(name=name, iban=iban, amount=amount, reference=reference, text=text, bic=bic)
    return _svg(code)


def _svg(code: segno.QRCode) -> str:
    """The same bytes as segno's `save(kind="svg", border=0, scale=1, xmldecl=False)`.

    One stroked path, one horizontal line per run of dark modules, each move relative to the
    end of the previous line. Written here with a regular expression over each row because
    segno's general SVG writer took a third of the QR code's time.
    """
    size = len(code.matrix)
    moves = []
    x = y = 0
    for row_number, row in enumerate(code.matrix):
        for run in _DARK_RUN.finditer(bytes(row)):
            start, end = run.span()
            if moves:
                moves.append(f"m{start - x} {row_number - y}h{end - start}")
            else:
                moves.append(f"M{start} {row_number}.5h{end - start}")
            x, y = end, row_number
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" class="segno">'
        f'<path class="qrline" stroke="#000" d="{"".join(moves)}"/></svg>\n'
    )

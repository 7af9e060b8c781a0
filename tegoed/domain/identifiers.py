"""Identifiers of companies, accounts and payments: checked and written in standard form.

Checksums come from python-stdnum and schwifty rather than hand-written code:
KvK (Dutch Chamber of Commerce, 8 digits), EU VAT numbers, IBAN/BIC, the SEPA creditor
identifier (EPC262-08) and ISO 11649 structured creditor references (RF).

>>> normalize_iban("nl91 abna 0417 1643 00")
'NL91ABNA0417164300'
>>> creditor_reference("2026-00042")
'RF89202600042'
"""

from __future__ import annotations

import re

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum import iso11649
from stdnum.eu import vat
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.iso7064 import mod_97_10

from tegoed.domain.errors import DomainError

_KVK = re.compile(r"^\d{8}$")


def normalize_kvk(value: str) -> str:
    """A KvK number: exactly eight digits (the register has no check digit since 2009)."""
    compact = re.sub(r"[\s.]", "", value)
    if not _KVK.match(compact):
        raise DomainError(f"KvK number {value!r} must be 8 digits")
    return compact


def normalize_vat(value: str) -> str:
    """An EU VAT number with its country prefix, checksum verified (NL: the 'B01' form)."""
    try:
        return str(vat.validate(value))
    except StdnumError as error:
        raise DomainError(f"VAT number {value!r} is not valid: {error.message}") from None


def normalize_iban(value: str) -> str:
    try:
        return str(IBAN(value).compact)
    except SchwiftyException as error:
        raise DomainError(f"IBAN {value!r} is not valid: {error}") from None


def normalize_bic(value: str) -> str:
    try:
        return str(BIC(value).compact)
    except SchwiftyException as error:
        raise DomainError(f"BIC {value!r} is not valid: {error}") from None


def normalize_creditor_id(value: str) -> str:
    """A SEPA creditor identifier: country, check digits, business code, national id.

    The check digits are ISO 7064 MOD 97-10 over the national id and the country, skipping the
    three-character business code (EPC262-08 §2).
    """
    compact = re.sub(r"\s", "", value).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{3}[A-Z0-9]{1,28}", compact):
        raise DomainError(f"SEPA creditor identifier {value!r} has the wrong form")
    country, check, national = compact[:2], compact[2:4], compact[7:]
    if not mod_97_10.is_valid(national + country + check):
        raise DomainError(f"SEPA creditor identifier {value!r} has wrong check digits")
    return compact


def creditor_reference(seed: str) -> str:
    """An ISO 11649 RF reference built from the letters and digits of `seed` (≤ 21)."""
    body = re.sub(r"[^0-9A-Za-z]", "", seed).upper()
    if not body or len(body) > 21:
        raise DomainError(f"cannot build an RF reference from {seed!r}")
    check = mod_97_10.calc_check_digits(body + "RF")
    return f"RF{check}{body}"


def is_creditor_reference(value: str) -> bool:
    return iso11649.is_valid(value)

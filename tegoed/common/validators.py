"""Django validators over the identifier rules in `tegoed.domain.identifiers`."""

from collections.abc import Callable

from django.core.exceptions import ValidationError

from tegoed.domain import identifiers
from tegoed.domain.errors import DomainError


def _check(normalize: Callable[[str], str], value: str) -> None:
    if not value:
        return
    try:
        normalize(value)
    except DomainError as error:
        raise ValidationError(str(error)) from None


def validate_kvk(value: str) -> None:
    _check(identifiers.normalize_kvk, value)


def validate_vat(value: str) -> None:
    _check(identifiers.normalize_vat, value)


def validate_iban(value: str) -> None:
    _check(identifiers.normalize_iban, value)


def validate_bic(value: str) -> None:
    _check(identifiers.normalize_bic, value)


def validate_creditor_id(value: str) -> None:
    _check(identifiers.normalize_creditor_id, value)

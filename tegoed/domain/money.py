"""Money: exact amounts in one currency, never float, rounded half-up once.

Amounts are `Decimal`. Intermediate arithmetic (interest, VAT on a line) keeps full
precision; `round_cents` is called where an amount becomes a fact: an invoice line, a VAT
total, a fee. Python's default context rounds half-even; an invoice recipient expects
half-up ("0.005 → 0.01"), so the rounding mode is named every time.

>>> round_cents(Decimal("2.675"))
Decimal('2.68')
>>> allocate(Decimal("100.00"), 3)
(Decimal('33.34'), Decimal('33.33'), Decimal('33.33'))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from tegoed.domain.errors import CurrencyMismatch, DomainError

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# ISO 4217 minor units of the currencies Tegoed invoices in.
MINOR_UNITS = {"EUR": 2, "GBP": 2, "USD": 2, "CHF": 2, "SEK": 2, "DKK": 2, "PLN": 2, "NOK": 2}


def round_cents(amount: Decimal) -> Decimal:
    """Round half-up to whole cents."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def parse(text: str | int | Decimal, *, decimal_comma: bool | None = False) -> Decimal:
    """Read an amount written by a person or a file: "1234.56", "1.234,56" (decimal comma).

    `decimal_comma=None` tells the decimal mark from the text, as bank and spreadsheet exports
    need: a comma that comes last is the decimal mark ("1.234,56", "12,50"), one before a point
    groups thousands ("1,234.56"). Refuses floats and text that is not a number; does not round.
    """
    if isinstance(text, float):
        raise TypeError("amounts must not be floats")
    if isinstance(text, Decimal | int):
        return Decimal(text)
    cleaned = text.strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
    if decimal_comma is None:
        decimal_comma = "," in cleaned and (
            "." not in cleaned or cleaned.rindex(",") > cleaned.rindex(".")
        )
        if not decimal_comma:
            cleaned = cleaned.replace(",", "")
    if decimal_comma:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif "," in cleaned and "." not in cleaned:
        # "12,50" is unambiguous: a lone comma followed by two digits is a decimal comma.
        head, _, tail = cleaned.rpartition(",")
        if len(tail) == 2 and "," not in head:
            cleaned = f"{head}.{tail}"
    try:
        value = Decimal(cleaned)
    except (InvalidOperation, OverflowError, ArithmeticError):
        raise DomainError(f"{text!r} is not an amount") from None
    if not value.is_finite():
        raise DomainError(f"{text!r} is not an amount")
    return value


class AmbiguousAmount(DomainError):
    """A number the reader cannot tell apart: "1.234" is 1234 in Dutch and 1.234 in English."""


def read_written(text: str, *, decimal_mark: str, places: int = 2) -> Decimal:
    """Read a number a person typed into a form whose language writes `decimal_mark`.

    Both marks in one number are unambiguous: the last is the decimal mark ("1.234,56" and
    "1,234.56" alike). One mark followed by one, two or more than three digits is a decimal
    mark ("12,5", "12.50"). A mark that recurs groups thousands ("1.234.567"). One mark followed
    by exactly three digits is read as the decimal mark only where the page writes it so and
    the number may have three decimals (a Dutch quantity "1,250"); otherwise it stays
    ambiguous ("1.234" means 1234 to a Dutch reader and 1.234 to an English one) and is refused.
    """
    cleaned = "".join(text.replace("€", "").split())
    sign = ""
    if cleaned[:1] in "-+" and cleaned:
        sign, cleaned = ("-" if cleaned[0] == "-" else ""), cleaned[1:]
    marks = [character for character in cleaned if character in ",."]
    whole, fraction = cleaned, ""
    if len(set(marks)) == 2:
        decimal = marks[-1]
        if marks.count(decimal) > 1:
            raise DomainError(f"{text!r} is not an amount")
        whole, _, fraction = cleaned.rpartition(decimal)
        whole = _ungrouped(whole, "." if decimal == "," else ",", text)
    elif len(marks) > 1:
        whole = _ungrouped(cleaned, marks[0], text)
    elif len(marks) == 1:
        whole, _, fraction = cleaned.partition(marks[0])
        if len(fraction) == 3 and (marks[0] != decimal_mark or places < 3):
            raise AmbiguousAmount(text)
    whole = whole or ("0" if fraction else "")
    if not whole.isdigit() or not (fraction.isdigit() or fraction == ""):
        raise DomainError(f"{text!r} is not an amount")
    return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")


def _ungrouped(text: str, mark: str, original: str) -> str:
    groups = text.split(mark)
    if not (1 <= len(groups[0]) <= 3) or any(len(group) != 3 for group in groups[1:]):
        raise DomainError(f"{original!r} is not an amount")
    return "".join(groups)


def to_cents(amount: Decimal) -> int:
    """Whole cents of an amount that must already be rounded to cents."""
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise DomainError(f"{amount} has more than two decimals")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    # Moving the decimal point of a whole number gives exactly two decimals, as quantizing
    # would, at a third of the cost (the matcher makes one per allocation).
    return Decimal(cents).scaleb(-2)


def allocate(total: Decimal, parts: int | Sequence[Decimal]) -> tuple[Decimal, ...]:
    """Split `total` (in cents) into `parts` equal shares, or in proportion to weights.

    The shares are whole cents and add up exactly to `total`; the remainder cents go to the
    first shares (largest remainders first for weights).
    """
    total_cents = to_cents(total)
    weights = [Decimal(1)] * parts if isinstance(parts, int) else [Decimal(w) for w in parts]
    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise DomainError("allocation needs at least one positive weight")
    weight_sum = sum(weights)
    exact = [Decimal(total_cents) * w / weight_sum for w in weights]
    floors = [int(e.to_integral_value(rounding="ROUND_FLOOR")) for e in exact]
    remainder = total_cents - sum(floors)
    by_fraction = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in by_fraction[:remainder]:
        floors[index] += 1
    return tuple(from_cents(c) for c in floors)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount with its currency; adding different currencies is an error."""

    amount: Decimal
    currency: str = "EUR"

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def rounded(self) -> Money:
        return Money(round_cents(self.amount), self.currency)

    def _check(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(self.currency, other.currency)

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:.2f}"

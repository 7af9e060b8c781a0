"""The largest and most precise numbers Tegoed accepts, and how long a text read from a file is.

SQLite stores what it is given and PostgreSQL refuses what does not fit its column, so a value
beyond a column's range or precision must be refused where it enters (a file, a form, a
service), with a message, the same way on both databases. Each limit is its column's:

- money (`MoneyField`, whole cents in a BIGINT): at most 999,999,999,999.99 and two decimals.
  A BIGINT holds 92,233,720,368,547,758.07, but sums of many amounts (a customer's balance, an
  aging bucket) must fit too; fourteen digits is also what a money form field accepts.
- an invoice line's quantity: `DecimalField(max_digits=12, decimal_places=3)`;
- its unit price: `DecimalField(max_digits=14, decimal_places=4)`;
- a VAT rate: `DecimalField(max_digits=5, decimal_places=2)`;
- a day count (`PositiveSmallIntegerField`): 0 to 32,767.

A free text read from a bank file or a spreadsheet (a description, a name) keeps its first
`MAX_TEXT` characters: a bank's description is at most 6 × 65 (MT940 `:86:`) or 140 per line
(camt `Ustrd`), so the cap only cuts what no bank writes, and stops one field from filling the
memory and the database.

>>> QUANTITY.problem(Decimal("1.2345"))
'has more than three decimals'
>>> MONEY.problem(Decimal("1E+30"))
'is 1,000,000,000,000 or more'
>>> MONEY.problem(Decimal("-12.50")) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

MAX_TEXT = 2000
_WORDS = {2: "two", 3: "three", 4: "four"}
SMALL_INTEGER_MAX = 32767


@dataclass(frozen=True, slots=True)
class Precision:
    """A decimal column: `digits` in all, `places` of them after the point."""

    digits: int
    places: int

    @property
    def largest(self) -> Decimal:
        return Decimal(10) ** (self.digits - self.places) - Decimal(1).scaleb(-self.places)

    def problem(self, value: Decimal) -> str | None:
        """What is wrong with `value` for this column, in a few words; None when it fits."""
        if not value.is_finite():
            return "is not a number"
        if value.copy_abs() > self.largest:  # abs() would round in the context: Overflow
            return f"is {10 ** (self.digits - self.places):,} or more"
        # Within the range, quantizing is exact and fits the context's 28 digits.
        if value != value.quantize(Decimal(1).scaleb(-self.places)):
            return f"has more than {_WORDS.get(self.places, self.places)} decimals"
        return None


MONEY = Precision(14, 2)
QUANTITY = Precision(12, 3)
UNIT_PRICE = Precision(14, 4)
VAT_RATE = Precision(5, 2)


def quoted(text: str) -> str:
    """A value quoted in a message, cut to a few words: messages stay short."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def cap(text: str) -> str:
    """A free text cut to `MAX_TEXT` characters."""
    return text[:MAX_TEXT]

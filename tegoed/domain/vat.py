"""Invoice totals: line amounts, the VAT breakdown per rate, and the total.

Each line's net amount is quantity × unit price rounded half-up to cents. VAT is computed per
rate over the sum of the net amounts at that rate and rounded once per rate, the method the
Dutch tax authority accepts for an invoice (Wet OB art. 35a: the VAT amount per rate) and the one
EN 16931 requires (BR-CO-17: VAT category tax amount = taxable amount × rate, rounded).

>>> totals = compute([Line(Decimal("3"), Decimal("19.99"), Decimal("21"))])
>>> totals.subtotal, totals.vat_total, totals.total
(Decimal('59.97'), Decimal('12.59'), Decimal('72.56'))
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from tegoed.domain.money import ZERO, round_cents

# The rates each country charges (2026), zero included for exempt and reverse-charged supplies.
# A rate outside its seller's and its customer's list is possible (a correction, an old rate)
# but unlikely: the issue checks warn about it.
RATES = {
    "NL": (Decimal("21"), Decimal("9"), Decimal("0")),
    "BE": (Decimal("21"), Decimal("12"), Decimal("6"), Decimal("0")),
    "DE": (Decimal("19"), Decimal("7"), Decimal("0")),
    "GB": (Decimal("20"), Decimal("5"), Decimal("0")),
    "FR": (Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1"), Decimal("0")),
}


def is_usual_rate(rate: Decimal, countries: Iterable[str]) -> bool:
    """Whether one of the countries charges this rate; True where no country's rates are known."""
    known = [RATES[country] for country in countries if country in RATES]
    return not known or any(rate in rates for rates in known)


@dataclass(frozen=True, slots=True)
class Line:
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal

    @property
    def net_amount(self) -> Decimal:
        return round_cents(self.quantity * self.unit_price)


@dataclass(frozen=True, slots=True)
class RateTotal:
    rate: Decimal
    taxable: Decimal
    vat: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal: Decimal
    breakdown: tuple[RateTotal, ...]
    vat_total: Decimal
    total: Decimal


def compute(lines: Iterable[Line]) -> Totals:
    taxable_by_rate: dict[Decimal, Decimal] = {}
    for line in lines:
        rate = Decimal(line.vat_rate).normalize()
        taxable_by_rate[rate] = taxable_by_rate.get(rate, ZERO) + line.net_amount
    breakdown = tuple(
        RateTotal(rate=rate, taxable=taxable, vat=round_cents(taxable * rate / 100))
        for rate, taxable in sorted(taxable_by_rate.items(), reverse=True)
    )
    subtotal = sum((row.taxable for row in breakdown), ZERO)
    vat_total = sum((row.vat for row in breakdown), ZERO)
    return Totals(
        subtotal=subtotal, breakdown=breakdown, vat_total=vat_total, total=subtotal + vat_total
    )

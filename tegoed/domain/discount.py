"""Early-payment discount (betalingskorting): what is offered on an invoice, and whether a
payment took it.

Seed 003: "een korting van een of twee procent op het totale factuurbedrag … als de factuur
binnen 10 dagen volledig is betaald". The percentage and the number of days are the
organization's, or the customer's where it has its own; the invoice keeps them as issued.

The discount is a price reduction over the invoice's lines, so it lowers the taxable amount
(art. 29 lid 1 Wet OB 1968, "prijsvermindering"; docs/decisions/0003). It is therefore computed
per VAT rate: the percentage of each rate's taxable amount, rounded half-up to cents, and the
VAT over that, rounded once per rate as the invoice's own VAT is (`vat.compute`). The amount
printed on the invoice is exactly the credit note booked when the discount is taken.

A transfer made on the last day reaches the creditor's statement on the next business day
(PSD2 art. 83: D+1); over a weekend that is three calendar days, over Easter (Good Friday and
Easter Monday are TARGET2 closing days) five. A payment whose value date is at most
`GRACE_DAYS` after the last day therefore still counts as made in time.

>>> offered = terms(Decimal("2"), 10, [(Decimal("21"), Decimal("100.00"))],
...                issue_date=date(2026, 3, 2), due_date=date(2026, 4, 1))
>>> offered.amount, offered.last_day
(Decimal('2.42'), datetime.date(2026, 3, 12))
>>> in_time(date(2026, 3, 16), offered.last_day)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tegoed.domain import vat
from tegoed.domain.money import ZERO, round_cents

GRACE_DAYS = 5
# The largest percentage the settings accept: a discount, not a price.
MAXIMUM_PERCENTAGE = Decimal("10")


@dataclass(frozen=True, slots=True)
class Terms:
    """A discount as offered on one invoice."""

    percentage: Decimal
    last_day: date
    # The discount in money, VAT included; the invoice total less this is the discounted total.
    amount: Decimal
    # The discount's taxable amount per VAT rate: the lines of the credit note that books it.
    per_rate: tuple[tuple[Decimal, Decimal], ...]


def per_rate(
    taxable_by_rate: Iterable[tuple[Decimal, Decimal]], percentage: Decimal
) -> tuple[tuple[Decimal, Decimal], ...]:
    """(rate, taxable amount of the discount) for each rate with something to discount."""
    rows = []
    for rate, taxable in taxable_by_rate:
        reduction = round_cents(taxable * percentage / 100)
        if reduction > 0:
            rows.append((rate, reduction))
    return tuple(rows)


def amount_of(rows: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """The discount VAT included: the total of a credit note with these taxable amounts."""
    return vat.compute(vat.Line(Decimal("1"), taxable, rate) for rate, taxable in rows).total


def terms(
    percentage: Decimal | None,
    days: int | None,
    taxable_by_rate: Iterable[tuple[Decimal, Decimal]],
    *,
    issue_date: date,
    due_date: date | None,
) -> Terms | None:
    """The discount an invoice offers, or None (no percentage, or nothing to discount).

    The period ends `days` after the issue date, and never after the due date.
    """
    if not percentage or percentage <= 0 or days is None or days < 0:
        return None
    rows = per_rate(taxable_by_rate, percentage)
    if not rows:
        return None
    last_day = issue_date + timedelta(days=days)
    if due_date is not None and due_date < last_day:
        last_day = due_date
    return Terms(percentage=percentage, last_day=last_day, amount=amount_of(rows), per_rate=rows)


def in_time(paid_on: date, last_day: date, grace_days: int = GRACE_DAYS) -> bool:
    """Whether a payment with this value date was made within the discount period."""
    return paid_on <= last_day + timedelta(days=grace_days)


def pending(open_amount: Decimal, discount: Decimal, last_day: date | None, today: date) -> bool:
    """Whether what is open is no more than the discount while the customer may still take it:
    then there is nothing to chase yet (the payment may be on its way)."""
    if last_day is None or discount <= ZERO:
        return False
    return ZERO < open_amount <= discount and in_time(today, last_day)

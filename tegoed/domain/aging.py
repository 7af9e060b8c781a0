"""Aging of receivables and days sales outstanding (DSO).

Open invoices are grouped by how far past their due date they are, in the buckets credit
controllers use (PRODUCT.md §11, seed 000/002): not yet due, 1–30, 31–60, 61–90 and more than
90 days. Invoices in the last bucket are candidates for collection (seed 003).

DSO uses the simple method (not the count-back method):
receivables at the end of the period ÷ credit sales in the period × days in the period.

>>> bucket_of(date(2026, 3, 1), today=date(2026, 3, 15)).key
'1_30'
>>> days_sales_outstanding(open_total=Decimal("1000"), sales=Decimal("3000"), days=90)
Decimal('30')
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tegoed.domain.money import ZERO


@dataclass(frozen=True, slots=True)
class Bucket:
    key: str
    # Days past due, inclusive; None means unbounded.
    from_days: int | None
    to_days: int | None

    def due_dates(self, *, today: date) -> tuple[date | None, date | None]:
        """The due-date range (earliest, latest, both inclusive) of invoices in this bucket."""
        earliest = None if self.to_days is None else today - timedelta(days=self.to_days)
        latest = None if self.from_days is None else today - timedelta(days=self.from_days)
        return earliest, latest

    def contains(self, days_overdue: int) -> bool:
        above = self.from_days is None or days_overdue >= self.from_days
        below = self.to_days is None or days_overdue <= self.to_days
        return above and below


NOT_DUE = Bucket("not_due", None, 0)
DAYS_1_30 = Bucket("1_30", 1, 30)
DAYS_31_60 = Bucket("31_60", 31, 60)
DAYS_61_90 = Bucket("61_90", 61, 90)
OVER_90 = Bucket("over_90", 91, None)

BUCKETS = (NOT_DUE, DAYS_1_30, DAYS_31_60, DAYS_61_90, OVER_90)
BY_KEY = {bucket.key: bucket for bucket in BUCKETS}


def days_overdue(due_date: date, *, today: date) -> int:
    """Days past the due date; zero or less while not yet due (paid on the due date is on time)."""
    return (today - due_date).days


def bucket_of(due_date: date, *, today: date) -> Bucket:
    days = days_overdue(due_date, today=today)
    return next(bucket for bucket in BUCKETS if bucket.contains(days))


@dataclass(frozen=True, slots=True)
class Aging:
    """Open amounts per bucket, in the order of BUCKETS."""

    amounts: tuple[tuple[Bucket, Decimal], ...]

    @property
    def total(self) -> Decimal:
        return sum((amount for _bucket, amount in self.amounts), ZERO)

    @property
    def overdue(self) -> Decimal:
        return sum((amount for bucket, amount in self.amounts if bucket is not NOT_DUE), ZERO)

    def share(self, bucket: Bucket) -> Decimal:
        total = self.total
        if total <= 0:
            return ZERO
        return dict(self.amounts)[bucket] / total


def from_amounts(amounts: dict[str, Decimal]) -> Aging:
    """An aging from open amounts per bucket key; a bucket without an amount holds zero."""
    return Aging(tuple((bucket, amounts.get(bucket.key, ZERO)) for bucket in BUCKETS))


def days_sales_outstanding(*, open_total: Decimal, sales: Decimal, days: int) -> Decimal | None:
    """Receivables ÷ credit sales × days, rounded to whole days; None without sales."""
    if sales <= 0 or days <= 0:
        return None
    return (open_total / sales * days).quantize(Decimal("1"))

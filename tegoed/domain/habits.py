"""How a customer pays: average days late, share paid on time, and the trend.

Seed 004 asks to know "late but reliable" payers (they get their usual extra days) and seed
001 to thank fast payers; both start from the customer's own history. An invoice counts from
the day it was settled in full (its last allocation) against its due date.

>>> profile = describe([Settled(date(2026, 1, 31), date(2026, 2, 10))], recent=1)
>>> profile.average_days_late, profile.on_time_share
(Decimal('10.0'), Decimal('0'))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

IMPROVING = "improving"
WORSENING = "worsening"
STEADY = "steady"

# Averages that differ by less than this many days are "steady": a day or two is noise.
TREND_THRESHOLD_DAYS = Decimal("3")


@dataclass(frozen=True, slots=True)
class Settled:
    due_date: date
    settled_on: date

    @property
    def days_late(self) -> int:
        return max(0, (self.settled_on - self.due_date).days)


@dataclass(frozen=True, slots=True)
class Profile:
    invoices: int
    average_days_late: Decimal | None
    on_time_share: Decimal | None
    trend: str | None
    recent_average_days_late: Decimal | None = None


def _average(items: Sequence[Settled]) -> Decimal | None:
    if not items:
        return None
    return (Decimal(sum(item.days_late for item in items)) / len(items)).quantize(Decimal("0.1"))


def describe(history: Sequence[Settled], *, recent: int = 5) -> Profile:
    """The profile of settled invoices; `recent` most recently due ones make up the trend.

    The trend compares the recent invoices with the earlier ones: fewer days late is
    improving. With too little history on either side there is no trend.
    """
    items = sorted(history, key=lambda item: (item.due_date, item.settled_on))
    if not items:
        return Profile(0, None, None, None)
    on_time = sum(1 for item in items if item.days_late == 0)
    latest, earlier = items[-recent:], items[:-recent]
    trend = None
    recent_average = _average(latest)
    if earlier and len(latest) >= min(recent, 2):
        difference = recent_average - _average(earlier)
        if difference <= -TREND_THRESHOLD_DAYS:
            trend = IMPROVING
        elif difference >= TREND_THRESHOLD_DAYS:
            trend = WORSENING
        else:
            trend = STEADY
    return Profile(
        invoices=len(items),
        average_days_late=_average(items),
        on_time_share=Decimal(on_time) / len(items),
        trend=trend,
        recent_average_days_late=recent_average,
    )

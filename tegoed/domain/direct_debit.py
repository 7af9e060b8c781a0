"""SEPA direct debit: when a collection may be made, and which sequence type it carries.

Sources: EPC SEPA Direct Debit Core Rulebook (EPC016-09) — the creditor notifies the debtor of
the amount and date at least 14 calendar days before the collection unless agreed otherwise
(PT-04.03, "pre-notification"); since the 2016 rulebook every collection (first, recurring,
one-off) reaches the debtor bank one inter-bank business day before the due date (D-1), and
inter-bank days are TARGET2 days (closed at weekends, 1 January, Good Friday, Easter Monday,
1 May, 25 and 26 December). A mandate lapses 36 months after its last collection
(PT-04.15). See formats.md §5.

>>> earliest_collection_date(notified_on=date(2026, 1, 4), submitted_on=date(2026, 1, 5))
datetime.date(2026, 1, 19)
>>> sequence_type(recurring=True, earlier_collections=0)
'FRST'
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

PRE_NOTIFICATION_DAYS = 14
MANDATE_LAPSES_AFTER_MONTHS = 36


@cache
def _target_closing_days(year: int) -> frozenset[date]:
    return frozenset(holidays.financial_holidays("XECB", years=year))


def is_target_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _target_closing_days(day.year)


def next_target_day(day: date) -> date:
    """The day itself if TARGET2 is open, else the next day it is."""
    while not is_target_day(day):
        day += timedelta(days=1)
    return day


def first_collection_day(submitted_on: date) -> date:
    """The first day a file sent to the bank on `submitted_on` can collect on (D-1)."""
    return next_target_day(next_target_day(submitted_on) + timedelta(days=1))


def earliest_collection_date(
    *, notified_on: date, submitted_on: date, pre_notification_days: int = PRE_NOTIFICATION_DAYS
) -> date:
    """The first date a debit may be collected on.

    `notified_on` is when the debtor was told the amount and date (the invoice date, or the
    day the invoice stating the collection was sent); `submitted_on` the day the file goes to
    the bank, which must be at least one TARGET2 day before the collection.
    """
    after_notice = notified_on + timedelta(days=pre_notification_days)
    return next_target_day(max(after_notice, first_collection_day(submitted_on)))


def sequence_type(*, recurring: bool, earlier_collections: int) -> str:
    """OOFF for a one-off mandate; FRST for the first collection of a recurring one, then RCUR."""
    if not recurring:
        return "OOFF"
    return "FRST" if earlier_collections == 0 else "RCUR"


def mandate_lapsed(*, last_collection: date | None, signed_on: date, on: date) -> bool:
    """A mandate unused for 36 months may no longer be collected on."""
    start = last_collection or signed_on
    months = (on.year - start.year) * 12 + (on.month - start.month)
    if on.day < start.day:
        months -= 1
    return months >= MANDATE_LAPSES_AFTER_MONTHS

"""Periods of years: one rule for interest years and limitation periods (docs/decisions/0107).

A period of years that starts on a day ends on the day before the same date years later, and
the next period starts on that date. A period that starts on 29 February has no such date in a
common year: it ends on the last day of February and the next period starts on 1 March, so a
year from 29 February 2024 runs through 28 February 2025 and never loses a day. Interest
capitalises on the first day of the next year (art. 6:119 lid 2 BW, "telkens na afloop van
een jaar") and limitation ends with the last day of its last year (art. 3:307 BW); both read
this function, so the two can never disagree.

>>> from datetime import date
>>> years_later(date(2024, 2, 29), 1), years_later(date(2024, 2, 29), 4)
(datetime.date(2025, 3, 1), datetime.date(2028, 2, 29))
"""

from __future__ import annotations

import calendar
from datetime import date


def years_later(start: date, years: int) -> date:
    """The first day after a period of `years` years that starts on `start`."""
    year = start.year + years
    if start.month == 2 and start.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return date(year, start.month, start.day)

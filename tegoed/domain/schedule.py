"""Send days: the days an organization's reminders go out.

Seed 004: after a holiday everyone has a backlog, so avoid Monday and the first working day
after a public holiday; Wednesday is good. The public holidays come in as data (the
`holidays` package's Dutch calendar, read at the edge), so this module stays pure.

>>> days = SendDays(holidays=frozenset({date(2026, 4, 6)}))  # Easter Monday
>>> days.first_on_or_after(date(2026, 4, 6))  # Tuesday is the backlog day after it
datetime.date(2026, 4, 8)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from tegoed.domain.errors import DomainError


@dataclass(frozen=True)
class SendDays:
    """The days an organization sends on: chosen weekdays, not on public holidays, and not on
    the first working day after a holiday (seed 004: after a holiday everyone has a backlog;
    avoid Monday, Wednesday is good)."""

    weekdays: frozenset[int] = frozenset({1, 2, 3, 4})  # Monday is 0: Tuesday to Friday
    holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.weekdays or not self.weekdays <= set(range(7)):
            raise DomainError("choose at least one weekday to send on")

    def is_send_day(self, day: date) -> bool:
        if day.weekday() not in self.weekdays or day in self.holidays:
            return False
        # The first working day after a public holiday is the backlog day.
        previous = day - timedelta(days=1)
        while previous.weekday() >= 5 and previous not in self.holidays:
            previous -= timedelta(days=1)
        return previous not in self.holidays

    def first_on_or_after(self, day: date) -> date:
        for offset in range(60):
            candidate = day + timedelta(days=offset)
            if self.is_send_day(candidate):
                return candidate
        raise DomainError("no day to send on in the next 60 days")

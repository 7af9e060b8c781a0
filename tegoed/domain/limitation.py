"""Limitation (verjaring) of a money claim, from its history: BW Boek 3 and art. 7:28 BW.

* Art. 3:307 lid 1: a claim to performance under a contract is time-barred five years after
  the start of the day following the day it became payable (opeisbaar). Art. 3:308: interest
  likewise, each amount from the day after it fell due. Art. 7:28: the price of goods sold
  to a consumer, two years.
* Art. 3:317 lid 1: a written reminder, or a written notice in which the creditor clearly
  reserves his right, interrupts the period; art. 3:318: so does the debtor's
  acknowledgement (a payment arrangement, a partial payment understood as one). A letter
  interrupts when it reaches the debtor (art. 3:37 lid 3): pass the day of receipt.
* Art. 3:316: issuing a summons (dagvaarding) interrupts as well; Tegoed starts the new
  period of art. 3:319 the next day, as after a reminder.
* Art. 3:319: after an interruption a new period starts the next day, as long as the
  original one but no longer than five years, and never ending before the original one.
* Art. 3:324 lid 1: a judgment can be enforced for twenty years from the day after it. From
  a judgment on the claim's last day is that of the twenty years; a reminder, an
  acknowledgement or a summons after it does not shorten or move it (they are listed as
  ignored), a later judgment starts twenty years anew. Interest that falls due after the
  judgment is time-barred per amount after five years (art. 3:324 lid 3-4): the claim's
  date is that of the amounts awarded.
* An interruption after the claim is already time-barred does not revive it; it is listed as
  ignored. The court does not apply limitation of its own motion (art. 3:322 lid 1): the
  result says when the debtor *may* invoke it.

A period of years ends the day before the same date years later; a period from 29 February
ends on the last day of February and the next starts on 1 March (`tegoed.domain.periods`, the
same rule as the interest year).

For an invoice Tegoed takes the due date as the day the claim became payable, so the period
starts the day after it: of the readings in practice this gives the earlier, safe date.

>>> from datetime import date
>>> result = compute(date(2020, 3, 31))
>>> result.last_day, result.time_barred_on
(datetime.date(2025, 3, 31), datetime.date(2025, 4, 1))
>>> compute(date(2020, 3, 31), events=(Event(date(2024, 6, 10), REMINDER),)).last_day
datetime.date(2029, 6, 10)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from tegoed.domain.errors import DomainError
from tegoed.domain.periods import years_later

ONE_DAY = timedelta(days=1)


class ClaimKind(StrEnum):
    CONTRACT = "contract"  # art. 3:307: five years
    INTEREST = "interest"  # art. 3:308: five years for each amount
    CONSUMER_SALE = "consumer_sale"  # art. 7:28: two years for the price of goods


class EventKind(StrEnum):
    REMINDER = "reminder"  # art. 3:317 lid 1: a written reminder or reservation of right
    ACKNOWLEDGEMENT = "acknowledgement"  # art. 3:318
    SUMMONS = "summons"  # art. 3:316: a claim brought to court
    JUDGMENT = "judgment"  # art. 3:324: twenty years to enforce it


REMINDER = EventKind.REMINDER
ACKNOWLEDGEMENT = EventKind.ACKNOWLEDGEMENT
SUMMONS = EventKind.SUMMONS
JUDGMENT = EventKind.JUDGMENT
JUDGMENT_YEARS = 20

YEARS = {ClaimKind.CONTRACT: 5, ClaimKind.INTEREST: 5, ClaimKind.CONSUMER_SALE: 2}
BASIS = {
    ClaimKind.CONTRACT: "art. 3:307 BW",
    ClaimKind.INTEREST: "art. 3:308 BW",
    ClaimKind.CONSUMER_SALE: "art. 7:28 BW",
}
EVENT_BASIS = {
    REMINDER: "art. 3:317 lid 1 BW",
    ACKNOWLEDGEMENT: "art. 3:318 BW",
    SUMMONS: "art. 3:316 BW",
    JUDGMENT: "art. 3:324 lid 1 BW",
}


@dataclass(frozen=True, slots=True)
class Event:
    """Something that interrupts limitation, on the day it took effect (received)."""

    on: date
    kind: EventKind
    description: str = ""


@dataclass(frozen=True, slots=True)
class Period:
    """One running limitation period, from `starts_on` through `ends_on`."""

    starts_on: date
    ends_on: date
    reason: str
    event: Event | None = None  # what started it; None for the original period


@dataclass(frozen=True, slots=True)
class Limitation:
    """When a claim becomes time-barred, and the periods that led there."""

    kind: ClaimKind
    payable_on: date
    last_day: date  # the last day the claim can be interrupted or brought to court
    time_barred_on: date  # from this day the debtor may invoke limitation
    periods: tuple[Period, ...]
    ignored: tuple[Event, ...]  # events after the claim was already time-barred
    basis: str

    def is_time_barred(self, on: date) -> bool:
        return on >= self.time_barred_on


def compute(
    payable_on: date,
    *,
    kind: ClaimKind = ClaimKind.CONTRACT,
    events: Sequence[Event] = (),
) -> Limitation:
    """The limitation of a claim that became payable on `payable_on`, given its history."""
    years = YEARS[kind]
    start = payable_on + ONE_DAY
    original_end = years_later(start, years)
    end = original_end  # the first day the claim is time-barred
    periods = [Period(start, end - ONE_DAY, f"{BASIS[kind]}: {years} years")]
    ignored = []
    basis = BASIS[kind]
    judged = False
    for event in sorted(events, key=lambda e: e.on):
        if event.on < payable_on:
            raise DomainError(
                f"an interruption on {event.on} comes before the claim became payable "
                f"({payable_on})"
            )
        if event.on >= end or (judged and event.kind is not JUDGMENT):
            ignored.append(event)
            continue
        new_start = event.on + ONE_DAY
        if event.kind is JUDGMENT:
            judged = True
            basis = EVENT_BASIS[JUDGMENT]
            end = years_later(new_start, JUDGMENT_YEARS)
            periods.append(
                Period(
                    new_start,
                    end - ONE_DAY,
                    f"judgment on {event.on}: {JUDGMENT_YEARS} years to enforce it "
                    f"({EVENT_BASIS[JUDGMENT]})",
                    event,
                )
            )
            continue
        # 3:319 lid 2: as long as the original period, at most five years.
        new_end = max(years_later(new_start, min(years, 5)), original_end)
        end = new_end
        periods.append(
            Period(
                new_start,
                end - ONE_DAY,
                f"interrupted by a {event.kind.value} on {event.on} ({EVENT_BASIS[event.kind]}); "
                "a new period starts the next day (art. 3:319 BW)",
                event,
            )
        )
    return Limitation(
        kind=kind,
        payable_on=payable_on,
        last_day=end - ONE_DAY,
        time_barred_on=end,
        periods=tuple(periods),
        ignored=tuple(ignored),
        basis=basis,
    )

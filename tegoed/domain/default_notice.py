"""The 14-day letter (veertiendagenbrief) to consumers, art. 6:96 lid 6 BW.

Collection costs become due from a consumer only after he has been reminded, *after default
began*, to pay within fourteen days "aanvangende de dag na aanmaning", with the consequences of
not paying stated, including the exact costs (docs/legal.md §3). The term starts the day after
the debtor *receives* the letter (HR 25 November 2016, ECLI:NL:HR:2016:2704); several claims
go in one letter with their principals added up (6:96 lid 7 BW).

Delivery is assumed as courts do (docs/legal.md §3.3): on the second day after the letter is
posted, where a Sunday, a Monday or a public holiday counts neither as the day between nor as
the day of delivery (no letter post is delivered on those days). An e-mail is received the day
it is sent. When the fourteenth day is a Saturday, Sunday or public holiday, the statutory
term runs on to the next day that is none of these (Algemene termijnenwet art. 1). Costs are
due from the day after the term. Public holidays are those of the Algemene termijnenwet
art. 3: New Year's Day, Easter Monday, Ascension Day, Whit Monday, King's Day, 5 May and
Christmas (Easter and Whit Sunday are Sundays). Good Friday is counted as well: whether it is
one under the Act is not settled here, and counting it can only move a date later, so costs
are never claimed a day too early.

>>> from datetime import date
>>> d = dates(date(2026, 3, 5))  # a Thursday
>>> d.delivered_on, d.term_ends_on, d.costs_due_from
(datetime.date(2026, 3, 7), datetime.date(2026, 3, 23), datetime.date(2026, 3, 24))
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from tegoed.domain import collection_costs
from tegoed.domain.errors import DomainError

ONE_DAY = timedelta(days=1)
TERM_DAYS = 14

# The wordings courts accept for the term (nvi.nl; bvvb.nl); "binnen veertien dagen na
# dagtekening" or "na verzending" is not valid (HR 25 November 2016).
TERM_WORDING_NL = "binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd"
TERM_WORDING_EN = "within fourteen days from the day after this letter has been delivered to you"


class Channel(StrEnum):
    POST = "post"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class NoticeDates:
    """When a 14-day letter sent on `sent_on` is received and when its term ends."""

    sent_on: date
    channel: Channel
    delivered_on: date  # assumed receipt
    term_starts_on: date  # the day after receipt
    term_ends_on: date  # the last day to pay without costs
    costs_due_from: date  # the first day the costs are owed
    explanation: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Notice:
    """What a 14-day letter must say: its dates, the exact costs and the term's wording."""

    dates: NoticeDates
    costs: collection_costs.CollectionCosts
    wording_nl: str
    wording_en: str


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    weekday_offset = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_offset) // 451
    month, day = divmod(h + weekday_offset - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int) -> frozenset[date]:
    """The "algemeen erkende feestdagen" of the Algemene termijnenwet art. 3, and Good Friday."""
    easter = easter_sunday(year)
    if year >= 2014:
        kings_day = date(year, 4, 27)
        if kings_day.weekday() == 6:
            kings_day = date(year, 4, 26)
    else:
        kings_day = date(year, 4, 30)
        if kings_day.weekday() == 6:
            kings_day = date(year, 4, 29)
    return frozenset(
        {
            date(year, 1, 1),
            easter - timedelta(days=2),  # Good Friday: see the module docstring
            easter + timedelta(days=1),
            easter + timedelta(days=39),  # Ascension Day
            easter + timedelta(days=50),  # Whit Monday
            kings_day,
            date(year, 5, 5),
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def _is_holiday(day: date, holidays: Collection[date] | None) -> bool:
    if holidays is not None:
        return day in holidays
    return day in public_holidays(day.year)


def _no_post(day: date, holidays: Collection[date] | None) -> bool:
    return day.weekday() in (6, 0) or _is_holiday(day, holidays)


def _not_a_working_day(day: date, holidays: Collection[date] | None) -> bool:
    return day.weekday() in (5, 6) or _is_holiday(day, holidays)


def dates(
    sent_on: date,
    *,
    channel: Channel = Channel.POST,
    holidays: Collection[date] | None = None,
) -> NoticeDates:
    """The assumed delivery, the term and the day costs become due for a letter sent on a day.

    `holidays` replaces the built-in Dutch public holidays (for tests or another calendar).
    """
    explanation = []
    if channel is Channel.EMAIL:
        delivered = sent_on
        explanation.append("an e-mail is received on the day it is sent")
    else:
        delivered = sent_on
        counted = 0
        while counted < 2:
            delivered += ONE_DAY
            if not _no_post(delivered, holidays):
                counted += 1
        explanation.append(
            "a letter is assumed delivered on the second day after posting; a Sunday, a Monday "
            "or a public holiday does not count"
        )
    term_starts = delivered + ONE_DAY
    term_ends = delivered + timedelta(days=TERM_DAYS)
    if _not_a_working_day(term_ends, holidays):
        while _not_a_working_day(term_ends, holidays):
            term_ends += ONE_DAY
        explanation.append(
            "the fourteenth day is a Saturday, Sunday or public holiday: the term runs on to the "
            "next working day (Algemene termijnenwet art. 1)"
        )
    explanation.append("fourteen days from the day after delivery (art. 6:96 lid 6 BW)")
    return NoticeDates(
        sent_on=sent_on,
        channel=channel,
        delivered_on=delivered,
        term_starts_on=term_starts,
        term_ends_on=term_ends,
        costs_due_from=term_ends + ONE_DAY,
        explanation=tuple(explanation),
    )


def earliest_sending_date(in_default_from: date) -> date:
    """A 14-day letter may be sent once default has begun, not with or before the invoice."""
    return in_default_from


def prepare(
    principals: Decimal | Sequence[Decimal],
    *,
    sent_on: date,
    in_default_from: date,
    rule: collection_costs.CostsRule,
    vat: collection_costs.VatClaim | None = None,
    channel: Channel = Channel.POST,
    holidays: Collection[date] | None = None,
) -> Notice:
    """Everything a 14-day letter must state, for the claims it reminds together.

    `in_default_from` is the first day of default (the day after an agreed due date, or
    after the term of an earlier default notice); a letter sent before it is refused.
    """
    if sent_on < in_default_from:
        raise DomainError(
            f"a 14-day letter may be sent only after default has begun ({in_default_from}), "
            f"not on {sent_on} (art. 6:96 lid 6 BW)"
        )
    return Notice(
        dates=dates(sent_on, channel=channel, holidays=holidays),
        costs=collection_costs.compute(principals, rule=rule, vat=vat),
        wording_nl=TERM_WORDING_NL,
        wording_en=TERM_WORDING_EN,
    )

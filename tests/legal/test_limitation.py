"""Limitation (verjaring): art. 3:307-3:319 and 7:28 BW (docs/legal.md §5)."""

from datetime import date

import pytest

from tegoed.domain import limitation
from tegoed.domain.errors import DomainError
from tegoed.domain.limitation import ACKNOWLEDGEMENT, JUDGMENT, REMINDER, SUMMONS, ClaimKind, Event


def test_five_years_from_the_day_after_the_claim_became_payable():
    result = limitation.compute(date(2020, 3, 31))
    assert result.periods[0].starts_on == date(2020, 4, 1)
    assert result.last_day == date(2025, 3, 31)
    assert result.time_barred_on == date(2025, 4, 1)
    assert result.is_time_barred(date(2025, 4, 1))
    assert not result.is_time_barred(date(2025, 3, 31))


def test_a_reminder_starts_a_new_period_the_next_day():
    result = limitation.compute(date(2020, 3, 31), events=[Event(date(2024, 6, 10), REMINDER)])
    assert result.periods[-1].starts_on == date(2024, 6, 11)
    assert result.last_day == date(2029, 6, 10)
    assert "3:317" in result.periods[-1].reason


def test_a_consumer_sale_is_barred_after_two_years_also_after_an_acknowledgement():
    result = limitation.compute(
        date(2024, 1, 15),
        kind=ClaimKind.CONSUMER_SALE,
        events=[Event(date(2025, 6, 1), ACKNOWLEDGEMENT)],
    )
    assert result.periods[0].ends_on == date(2026, 1, 15)
    assert result.last_day == date(2027, 6, 1)
    assert result.basis == "art. 7:28 BW"


def test_a_reminder_after_the_claim_is_barred_does_not_revive_it():
    result = limitation.compute(
        date(2018, 1, 1),
        events=[Event(date(2023, 1, 2), REMINDER), Event(date(2024, 1, 1), ACKNOWLEDGEMENT)],
    )
    assert result.time_barred_on == date(2023, 1, 2)
    assert len(result.ignored) == 2


def test_every_reminder_in_time_extends():
    events = [Event(date(2022 + n, 1, 1), REMINDER) for n in range(4)]
    result = limitation.compute(date(2020, 1, 1), events=events)
    assert result.last_day == date(2030, 1, 1)
    assert len(result.periods) == 5


def test_a_period_from_29_february_ends_on_28_february():
    result = limitation.compute(date(2024, 2, 28))
    assert result.last_day == date(2029, 2, 28)


def test_an_event_before_the_claim_was_payable_is_refused():
    with pytest.raises(DomainError):
        limitation.compute(date(2024, 2, 28), events=[Event(date(2024, 1, 1), REMINDER)])


def test_a_summons_interrupts_like_a_reminder():
    """Art. 3:316 BW, with the new period of art. 3:319 BW."""
    result = limitation.compute(date(2021, 3, 31), events=(Event(date(2025, 6, 10), SUMMONS),))
    assert result.last_day == date(2030, 6, 10)
    assert "art. 3:316 BW" in result.periods[-1].reason


def test_a_judgment_gives_twenty_years_that_later_reminders_do_not_move():
    """Art. 3:324 lid 1 BW: twenty years from the day after the judgment."""
    reminder = Event(date(2026, 1, 5), REMINDER)
    result = limitation.compute(
        date(2021, 3, 31),
        events=(Event(date(2025, 6, 10), SUMMONS), Event(date(2025, 11, 20), JUDGMENT), reminder),
    )
    assert (result.last_day, result.time_barred_on) == (date(2045, 11, 20), date(2045, 11, 21))
    assert result.basis == "art. 3:324 lid 1 BW"
    assert result.ignored == (reminder,)
    assert result.periods[-1].starts_on == date(2025, 11, 21)


def test_a_judgment_after_the_claim_was_time_barred_does_not_revive_it():
    late = Event(date(2026, 5, 1), JUDGMENT)
    result = limitation.compute(date(2021, 3, 31), events=(late,))
    assert result.last_day == date(2026, 3, 31) and result.ignored == (late,)

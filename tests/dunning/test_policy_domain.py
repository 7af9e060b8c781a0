"""The reminder ladder as a pure function: catching up, holds, habits, thresholds, send days."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tegoed.domain import dunning, habits
from tegoed.domain.errors import DomainError
from tegoed.domain.schedule import SendDays

D = dunning
LADDER = D.Policy(
    steps=(
        D.Step("pre_due", D.PRE_DUE, 0, offset_days=-3),
        D.Step("reminder_1", D.REMINDER, 1, offset_days=3),
        D.Step("reminder_2", D.REMINDER, 2, offset_days=14, min_gap_days=7),
        D.Step("reminder_3", D.REMINDER, 3, offset_days=24, min_gap_days=7),
        D.Step("formal_demand", D.FORMAL_DEMAND, 4, offset_days=35, min_gap_days=10),
    ),
    minimum_open_amount=Decimal("10"),
)
DUE = date(2026, 3, 2)


def item(**changes) -> D.Item:
    values = {"due_date": DUE, "open_amount": Decimal("100")}
    values.update(changes)
    return D.Item(**values)


def test_the_nudge_comes_before_the_due_date_and_never_after_it():
    assert D.outlook(item(), LADDER, DUE - timedelta(days=3)).step.code == "pre_due"
    late = D.outlook(item(), LADDER, DUE + timedelta(days=3))
    assert (late.step.code, late.reason) == ("reminder_1", D.DUE)


def test_a_run_after_missed_days_sends_the_next_level_not_a_later_one():
    # Nothing was sent for 60 days: the first reminder goes, not the formal demand.
    found = D.outlook(item(), LADDER, DUE + timedelta(days=60))
    assert found.step.level == 1 and found.is_due


def test_later_levels_follow_at_their_minimum_gap_after_catching_up():
    caught_up = DUE + timedelta(days=60)
    after = item(reached_level=1, last_step_on=caught_up)
    assert D.outlook(after, LADDER, caught_up + timedelta(days=6)).reason == D.WAITING
    found = D.outlook(after, LADDER, caught_up + timedelta(days=7))
    assert (found.step.level, found.due_on) == (2, caught_up + timedelta(days=7))


def test_a_hold_stops_chasing_and_its_days_push_the_next_step_back():
    assert D.outlook(item(on_hold=True), LADDER, DUE + timedelta(days=10)).reason == D.ON_HOLD
    held = item(reached_level=1, last_step_on=DUE + timedelta(days=3), held_days=5)
    found = D.outlook(held, LADDER, DUE + timedelta(days=14))
    assert found.reason == D.WAITING and found.due_on == DUE + timedelta(days=19)


def test_held_days_count_each_day_once_within_the_period():
    since = date(2026, 3, 1)
    holds = [(date(2026, 3, 3), date(2026, 3, 6)), (date(2026, 3, 5), None)]
    assert D.held_days(holds, since, date(2026, 3, 8)) == 6  # 3 March to 8 March
    assert D.held_days([(date(2026, 2, 1), date(2026, 3, 2))], since, date(2026, 3, 8)) == 1


def test_a_late_but_reliable_payer_gets_the_usual_days_before_each_reminder():
    profile = habits.describe(
        [
            habits.Settled(date(2026, 1, day), date(2026, 1, day) + timedelta(days=9))
            for day in (5, 12, 19, 26)
        ]
    )
    assert D.habit_days(profile) == 9
    found = D.outlook(item(extra_days=9), LADDER, DUE + timedelta(days=3))
    assert found.reason == D.WAITING and found.due_on == DUE + timedelta(days=12)


def test_a_payer_who_sometimes_pays_on_time_gets_no_extra_days():
    profile = habits.describe(
        [
            habits.Settled(date(2026, 1, 5), date(2026, 1, 20)),
            habits.Settled(date(2026, 2, 5), date(2026, 2, 5)),
            habits.Settled(date(2026, 3, 5), date(2026, 3, 20)),
        ]
    )
    assert D.habit_days(profile) == 0


def test_small_amounts_are_not_chased_and_a_step_minimum_ends_the_ladder():
    assert D.outlook(item(open_amount=Decimal("9.99")), LADDER, DUE + timedelta(days=5)).reason == (
        D.BELOW_THRESHOLD
    )
    policy = D.Policy(
        steps=(
            D.Step("reminder_1", D.REMINDER, 1, offset_days=3),
            D.Step("formal", D.FORMAL_DEMAND, 2, offset_days=30, minimum_amount=Decimal("250")),
        )
    )
    found = D.outlook(item(reached_level=1, last_step_on=DUE), policy, DUE + timedelta(days=40))
    assert found.reason == D.BELOW_STEP_MINIMUM


def test_a_broken_promise_has_its_own_step_at_the_level_reached():
    policy = D.Policy(
        steps=LADDER.steps,
        broken_promise=D.Step("broken_promise", D.BROKEN_PROMISE, -1, channels=(D.EMAIL, D.CALL)),
    )
    found = D.outlook(item(reached_level=2, broken_promise=True), policy, DUE + timedelta(days=30))
    assert found.step.code == "broken_promise" and found.is_due


def test_a_schedule_refuses_gaps_in_its_levels():
    with pytest.raises(DomainError, match="without gaps"):
        D.Policy(steps=(D.Step("a", D.REMINDER, 1), D.Step("b", D.REMINDER, 3)))
    with pytest.raises(DomainError, match="level 0"):
        D.Step("nudge", D.PRE_DUE, 1)


@given(
    missed=st.integers(min_value=0, max_value=120),
    reached=st.sampled_from([None, 0, 1, 2, 3]),
)
def test_no_run_ever_skips_a_level(missed, reached):
    today = DUE + timedelta(days=missed)
    last = DUE if reached else None
    found = D.outlook(item(reached_level=reached, last_step_on=last), LADDER, today)
    if found.step is not None and found.step.level > 0:
        assert found.step.level == (reached or 0) + 1


def test_send_days_skip_monday_weekends_holidays_and_the_day_after_a_holiday():
    kings_day = date(2026, 4, 27)  # a Monday
    days = SendDays(holidays=frozenset({kings_day}))
    assert not days.is_send_day(date(2026, 4, 27))
    assert not days.is_send_day(date(2026, 4, 28))  # the backlog day after the holiday
    assert days.first_on_or_after(date(2026, 4, 25)) == date(2026, 4, 29)
    assert not days.is_send_day(date(2026, 3, 2))  # an ordinary Monday
    assert days.is_send_day(date(2026, 3, 4))


def test_the_timeline_preview_lists_each_step_on_a_send_day():
    entries = D.timeline(
        LADDER,
        issue_date=date(2026, 2, 1),
        due_date=DUE,
        open_amount=Decimal("500"),
        send_days=SendDays(),
    )
    assert [entry.step.code for entry in entries] == [
        "pre_due",
        "reminder_1",
        "reminder_2",
        "reminder_3",
        "formal_demand",
    ]
    assert all(SendDays().is_send_day(entry.on) for entry in entries)
    assert all(a.on < b.on for a, b in itertools.pairwise(entries))

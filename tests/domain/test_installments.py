"""Payment arrangements as pure rules: plans add up, limits hold, payments meet instalments."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tegoed.domain import installments
from tegoed.domain.errors import DomainError

AGREED = date(2026, 2, 11)
LIMITS = installments.Limits(minimum_amount=Decimal("25.00"), maximum_months=6)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)


@given(total=amounts, count=st.integers(min_value=1, max_value=24))
def test_a_plan_adds_up_to_the_cent_and_its_parts_differ_by_a_cent_at_most(total, count):
    plan = installments.plan(total, count=count, first_due_on=date(2026, 1, 31))
    assert sum(item.amount for item in plan) == total
    assert max(item.amount for item in plan) - min(item.amount for item in plan) <= Decimal("0.01")
    assert [item.number for item in plan] == list(range(1, count + 1))


def test_monthly_days_keep_the_day_or_take_the_month_end():
    plan = installments.plan(Decimal("400.00"), count=4, first_due_on=date(2026, 1, 31))
    assert [item.due_on for item in plan] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]


@pytest.mark.parametrize(
    ("amounts_and_days", "message"),
    [
        ([("100.00", 25), ("99.00", 50)], "add up to 199.00, not to the 200.00 owed: 1.00 short"),
        ([("150.00", 25), ("60.00", 50)], "210.00, not to the 200.00 owed: 10.00 too much"),
        ([("10.00", 25), ("190.00", 50)], "instalment 1 of 10.00 is below the minimum of 25.00"),
        ([("100.00", 25), ("100.00", 200)], "falls after the 6 months allowed (by 2026-08-11)"),
        ([("100.00", 50), ("100.00", 25)], "different days, in order"),
        ([("100.00", -1), ("100.00", 25)], "before the agreement"),
    ],
)
def test_a_plan_that_breaks_a_rule_is_refused_saying_which(amounts_and_days, message):
    plan = [
        installments.Instalment(number, date.fromordinal(AGREED.toordinal() + days), Decimal(a))
        for number, (a, days) in enumerate(amounts_and_days, start=1)
    ]
    with pytest.raises(DomainError, match=message.replace("(", r"\(").replace(")", r"\)")):
        installments.check(plan, owed=Decimal("200.00"), agreed_on=AGREED, limits=LIMITS)


def test_the_last_instalment_may_be_below_the_minimum():
    plan = [
        installments.Instalment(1, date(2026, 3, 1), Decimal("190.00")),
        installments.Instalment(2, date(2026, 4, 1), Decimal("10.00")),
    ]
    installments.check(plan, owed=Decimal("200.00"), agreed_on=AGREED, limits=LIMITS)


PLAN = installments.plan(Decimal("300.00"), count=3, first_due_on=date(2026, 3, 1))


@pytest.mark.parametrize(
    ("paid", "today", "missed", "broken", "completed"),
    [
        ("0.00", date(2026, 3, 1), None, False, False),  # due today: not yet missed
        ("0.00", date(2026, 3, 2), 1, False, False),
        ("0.00", date(2026, 3, 8), 1, False, False),  # the seventh day of grace
        ("0.00", date(2026, 3, 9), 1, True, False),
        ("150.00", date(2026, 4, 2), 2, False, False),  # half of the second one
        ("200.00", date(2026, 4, 2), None, False, False),
        ("300.00", date(2026, 9, 1), None, False, True),
    ],
)
def test_payments_meet_the_instalments_in_order(paid, today, missed, broken, completed):
    found = installments.standing(PLAN, paid=Decimal(paid), today=today, grace_days=7)
    assert (found.missed.number if found.missed else None, found.broken, found.completed) == (
        missed,
        broken,
        completed,
    )


@given(paid=st.decimals(min_value=0, max_value=1000, places=2))
def test_standing_never_applies_more_than_was_paid_nor_more_than_an_instalment(paid):
    found = installments.standing(PLAN, paid=paid, today=date(2026, 6, 1), grace_days=7)
    assert sum(found.paid) == min(paid, Decimal("300.00"))
    assert all(0 <= share <= item.amount for share, item in zip(found.paid, PLAN, strict=True))

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tegoed.domain import account_statement, aging, habits

TODAY = date(2026, 3, 15)


@pytest.mark.parametrize(
    ("days_late", "bucket"),
    [
        (-10, "not_due"),
        (0, "not_due"),
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "over_90"),
        (4000, "over_90"),
    ],
)
def test_bucket_by_days_past_due(days_late, bucket):
    assert aging.bucket_of(TODAY - timedelta(days=days_late), today=TODAY).key == bucket


@given(st.integers(min_value=-400, max_value=4000))
def test_every_due_date_falls_in_exactly_one_bucket_whose_range_holds_it(days_late):
    due = TODAY - timedelta(days=days_late)
    holding = [b for b in aging.BUCKETS if b.contains(days_late)]
    assert len(holding) == 1
    earliest, latest = holding[0].due_dates(today=TODAY)
    assert earliest is None or earliest <= due
    assert latest is None or due <= latest


def test_aging_has_every_bucket_in_order_with_totals_and_shares():
    result = aging.from_amounts(
        {"not_due": Decimal("100.00"), "1_30": Decimal("250.00"), "over_90": Decimal("650.00")}
    )
    assert [amount for _b, amount in result.amounts] == [
        Decimal("100.00"),
        Decimal("250.00"),
        Decimal("0"),
        Decimal("0"),
        Decimal("650.00"),
    ]
    assert result.total == Decimal("1000.00")
    assert result.overdue == Decimal("900.00")
    assert result.share(aging.OVER_90) == Decimal("0.65")


def test_share_of_an_empty_aging_is_zero():
    assert aging.from_amounts({}).share(aging.NOT_DUE) == 0


@pytest.mark.parametrize(
    ("open_total", "sales", "days", "expected"),
    [
        ("1000", "3000", 90, Decimal("30")),
        ("45000", "90000", 90, Decimal("45")),
        ("1", "0", 90, None),
    ],
)
def test_days_sales_outstanding(open_total, sales, days, expected):
    result = aging.days_sales_outstanding(
        open_total=Decimal(open_total), sales=Decimal(sales), days=days
    )
    assert result == expected


def settled(due_day: int, days_late: int) -> habits.Settled:
    due = date(2025, 1, 1) + timedelta(days=due_day)
    return habits.Settled(due, due + timedelta(days=days_late))


def test_habits_of_a_punctual_payer():
    profile = habits.describe([settled(i * 30, 0) for i in range(8)])
    assert profile.average_days_late == Decimal("0.0")
    assert profile.on_time_share == 1
    assert profile.trend == habits.STEADY


def test_early_payment_counts_as_zero_days_late():
    assert settled(0, -5).days_late == 0


def test_habits_trend_worsening_and_improving():
    worse = [settled(i * 30, 2) for i in range(6)] + [settled(200 + i, 20) for i in range(5)]
    assert habits.describe(worse).trend == habits.WORSENING
    better = [settled(i * 30, 25) for i in range(6)] + [settled(200 + i, 1) for i in range(5)]
    profile = habits.describe(better)
    assert profile.trend == habits.IMPROVING
    assert profile.recent_average_days_late == Decimal("1.0")
    assert profile.on_time_share == 0


def test_no_history_no_profile_and_short_history_no_trend():
    assert habits.describe([]).average_days_late is None
    assert habits.describe([settled(0, 3), settled(30, 5)]).trend is None


def test_statement_running_balance_orders_invoice_before_payment_on_one_day():
    day = date(2026, 1, 5)
    lines = account_statement.compose(
        Decimal("50.00"),
        [
            account_statement.Entry(day, account_statement.PAYMENT, "B", Decimal("30.00")),
            account_statement.Entry(day, account_statement.INVOICE, "F1", Decimal("100.00")),
            account_statement.Entry(
                day + timedelta(days=1), account_statement.CREDIT_NOTE, "C1", Decimal("20.00")
            ),
        ],
    )
    assert [line.entry.reference for line in lines] == ["F1", "B", "C1"]
    assert [line.balance for line in lines] == [
        Decimal("150.00"),
        Decimal("120.00"),
        Decimal("100.00"),
    ]
    assert lines[0].debit == Decimal("100.00")
    assert lines[1].credit == Decimal("30.00")


@given(st.lists(st.integers(min_value=1, max_value=10**6), max_size=20))
def test_statement_closing_balance_is_opening_plus_debits_minus_credits(cents):
    kinds = [account_statement.INVOICE, account_statement.PAYMENT]
    entries = [
        account_statement.Entry(
            date(2026, 1, 1) + timedelta(days=i), kinds[i % 2], str(i), Decimal(c) / 100
        )
        for i, c in enumerate(cents)
    ]
    lines = account_statement.compose(Decimal("0"), entries)
    expected = sum(
        (e.amount if e.kind == account_statement.INVOICE else -e.amount for e in entries),
        Decimal("0"),
    )
    assert (lines[-1].balance if lines else Decimal("0")) == expected


def test_statement_refuses_unknown_kind():
    with pytest.raises(ValueError, match="unknown"):
        account_statement.compose(
            Decimal("0"), [account_statement.Entry(date(2026, 1, 1), "gift", "X", Decimal("1"))]
        )

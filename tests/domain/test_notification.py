"""Which notified payment a booked entry takes the place of, and when a notification is late."""

from datetime import date
from decimal import Decimal

import pytest

from tegoed.domain import notification
from tegoed.domain.notification import Facts

ON = date(2026, 3, 2)
NOTIFIED = Facts(
    Decimal("121.00"), True, "EUR", ON, reference="N-1", counterparty_iban="NL91ABNA0417164300",
    text="Factuur F2026-0042",
)  # fmt: skip


@pytest.mark.parametrize(
    ("booked", "same"),
    [
        (NOTIFIED._replace(reference="B-9"), True),  # the payer's IBAN and text
        (NOTIFIED._replace(reference="B-9", text="factuur  f2026-0042"), True),
        (NOTIFIED._replace(reference="B-9", text="Factuur F2026-0043"), False),
        (NOTIFIED._replace(counterparty_iban="", text=""), True),  # the bank's own reference
        (NOTIFIED._replace(reference="B-9", counterparty_iban="NL20INGB0001234567"), False),
        (NOTIFIED._replace(amount=Decimal("121.01")), False),
        (NOTIFIED._replace(credit=False), False),
        (NOTIFIED._replace(currency="USD"), False),
        (NOTIFIED._replace(account="NL69INGB0123456789"), True),  # the notification gave none
        (NOTIFIED._replace(on=date(2026, 3, 1)), True),  # booked the day before
        (NOTIFIED._replace(on=date(2026, 2, 28)), False),
        (NOTIFIED._replace(on=date(2026, 3, 16)), True),
        (NOTIFIED._replace(on=date(2026, 3, 17)), False),
    ],
)
def test_same_payment(booked, same):
    assert notification.same_payment(booked, NOTIFIED) is same


def test_a_payment_on_another_account_is_another_payment():
    notified = NOTIFIED._replace(account="NL69INGB0123456789")
    assert not notification.same_payment(notified._replace(account="NL44RABO0123456789"), notified)


def test_the_end_to_end_id_decides_when_both_carry_one():
    notified = NOTIFIED._replace(end_to_end_id="E2E-1")
    assert notification.same_payment(notified._replace(reference="B", text="x"), notified)
    assert not notification.same_payment(notified._replace(end_to_end_id="E2E-2"), notified)
    # "NOTPROVIDED" is no end-to-end id: the IBAN and text decide.
    unknown = NOTIFIED._replace(end_to_end_id="NOTPROVIDED")
    assert notification.same_payment(unknown._replace(reference="B"), NOTIFIED)


def test_the_payment_reference_decides_over_the_text():
    notified = NOTIFIED._replace(payment_reference="RF18 5390 0754 7034")
    booked = notified._replace(reference="B", payment_reference="RF18539007547034", text="")
    assert notification.same_payment(booked, notified)
    assert not notification.same_payment(booked._replace(payment_reference="RF71"), notified)


def test_the_oldest_waiting_notification_is_replaced_first():
    waiting = [
        NOTIFIED._replace(amount=Decimal("5.00")),
        NOTIFIED._replace(reference="N-2"),
        NOTIFIED._replace(reference="N-3"),
    ]
    assert notification.replaced(NOTIFIED._replace(reference="B"), waiting) == 1
    assert notification.replaced(NOTIFIED._replace(amount=Decimal("1")), waiting) is None


@pytest.mark.parametrize(
    ("today", "late"),
    [(ON, False), (date(2026, 3, 7), False), (date(2026, 3, 8), True)],
)
def test_a_notification_not_booked_within_five_days_is_overdue(today, late):
    assert notification.expected_by(ON) == date(2026, 3, 7)
    assert notification.overdue(ON, today=today) is late

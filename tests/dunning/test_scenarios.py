"""120 days of daily runs per default schedule: payments, holds and missed days included."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest

from tegoed.claims.queries import claim_of
from tegoed.dunning import run, sending, services
from tegoed.dunning.defaults import LADDERS
from tegoed.dunning.models import HoldReason, InvoiceStep, Message, MessageState
from tegoed.invoices import services as invoice_services
from tests.factories import CustomerFactory, issued_invoice

START = datetime.date(2026, 1, 5)
DAY = datetime.timedelta(days=1)


def live(organization, *, days: int, missed=(), smtp=None, member=None, on_day=None):
    """Run (and send) every day for `days` days, skipping the `missed` ones; approve each formal
    message the day it waits."""
    for offset in range(days):
        today = START + offset * DAY
        if on_day is not None:
            on_day(today)
        if offset in missed:
            continue
        run.run_dunning(organization, today=today)
        waiting = Message.objects.filter(state=MessageState.AWAITING_APPROVAL)
        while (message := waiting.first()) is not None:
            services.approve_message(message, user=member, today=today)
        noon = datetime.datetime.combine(today, datetime.time(11), tzinfo=datetime.UTC)
        sending.send_pending(organization, now=noon)


@pytest.mark.parametrize("kind", ["business", "consumer", "government"])
def test_an_unpaid_invoice_climbs_every_level_once_in_order_at_its_gaps(
    organization, member, smtp, kind
):
    customer = CustomerFactory(organization=organization, kind=kind, language="nl")
    invoice = issued_invoice(customer, "1250.00", issue_date=START, due_date=START + 14 * DAY)
    missed = set(range(20, 34))  # two weeks without a run
    live(organization, days=140, missed=missed, smtp=smtp, member=member)
    steps = list(InvoiceStep.objects.filter(invoice=invoice).order_by("decided_on"))
    ladder = LADDERS[kind]
    assert [step.code for step in steps] == [row[0] for row in ladder]
    assert [step.level for step in steps] == list(range(1, len(ladder) + 1))
    for previous, step, row in zip(steps, steps[1:], ladder[1:], strict=False):
        assert (step.decided_on - previous.decided_on).days >= row[4]
    for step, row in zip(steps, ladder, strict=True):
        assert step.decided_on >= invoice.due_date + datetime.timedelta(days=row[3])
        assert (step.decided_on - START).days not in missed
    ids = [message["Message-ID"] for _to, message in smtp.messages]
    assert len(ids) == len(set(ids)) == Message.objects.filter(channel="email").count()
    assert not Message.objects.exclude(state=MessageState.SENT).exists()


def test_a_paid_invoice_leaves_the_schedule_and_a_partly_paid_one_stays(organization, member, smtp):
    customer = CustomerFactory(organization=organization)
    paid = issued_invoice(customer, "100.00", issue_date=START, due_date=START + 14 * DAY)
    partly = issued_invoice(customer, "300.00", issue_date=START, due_date=START + 14 * DAY)

    def pay(today):
        if today == START + 25 * DAY:
            invoice_services.record_payment(
                organization=organization,
                amount=Decimal("150.00"),
                received_on=today,
                acting_user=None,
                customer=customer,
                allocate_to=[(paid, Decimal("100.00")), (partly, Decimal("50.00"))],
            )

    live(organization, days=120, smtp=smtp, member=member, on_day=pay)
    assert InvoiceStep.objects.filter(invoice=paid).count() == 1  # the first reminder only
    levels = list(InvoiceStep.objects.filter(invoice=partly).values_list("level", flat=True))
    assert levels == [1, 2, 3, 4, 5, 6]
    demand = InvoiceStep.objects.get(invoice=partly, kind="formal_demand")
    assert demand.open_amount == Decimal("250.00")
    # Interest and costs as the claim states them: the payment went to costs and interest
    # first (art. 6:44 BW).
    partly.refresh_from_db()
    [stated] = claim_of(customer, on=demand.decided_on, invoices=[partly]).invoices
    # The interest includes that on the costs (art. 6:119 BW).
    assert (demand.interest, demand.costs) == (
        stated.interest_outstanding + stated.costs_interest_outstanding,
        stated.costs_outstanding,
    )
    assert stated.costs_interest_outstanding > 0
    assert demand.interest > 0


def test_a_customer_hold_pauses_every_invoice_and_the_schedule_resumes_by_itself(
    organization, member, smtp
):
    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "500.00", issue_date=START, due_date=START + 14 * DAY)

    def hold(today):
        if today == START + 20 * DAY:
            services.place_hold(
                organization,
                customer=customer,
                reason=HoldReason.MANUAL,
                until=today + 29 * DAY,
                user=member,
                today=today,
            )

    live(organization, days=120, smtp=smtp, member=member, on_day=hold)
    steps = list(InvoiceStep.objects.filter(invoice=invoice).order_by("decided_on"))
    held = range(20, 50)
    assert all((step.decided_on - START).days not in held for step in steps)
    # Level 2 was due 28 days after the due date; the 30 held days push it past the hold.
    second = steps[1]
    assert (second.decided_on - START).days >= 14 + 14 + 30 - 3
    assert [step.level for step in steps] == list(range(1, len(steps) + 1))


def test_early_payers_are_thanked_once_when_the_organization_wants_it(organization, member, smtp):
    config = services.ensure_defaults(organization)
    config.thank_early_payers = True
    config.save()
    customer = CustomerFactory(organization=organization, language="en")
    invoice = issued_invoice(customer, "80.00", issue_date=START, due_date=START + 30 * DAY)

    def pay(today):
        if today == START + 3 * DAY:
            invoice_services.record_payment(
                organization=organization,
                amount=Decimal("80.00"),
                received_on=today,
                acting_user=None,
                customer=customer,
                allocate_to=[(invoice, Decimal("80.00"))],
            )

    live(organization, days=20, smtp=smtp, member=member, on_day=pay)
    subjects = Counter(message["Subject"] for _to, message in smtp.messages)
    assert subjects == {"Thank you for paying early": 1}

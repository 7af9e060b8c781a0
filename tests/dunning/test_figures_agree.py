"""The run's message, the letter that goes out and the claim page: one set of figures.

A business customer pays part of an invoice after its due date; by art. 6:44 BW the payment
goes to the costs and interest first, so interest counted on the open amount would be wrong.
On the day the formal demand is decided, the steps the run recorded, the letter the sender
makes and the claim on the customer show the same principal, interest and costs per invoice.
"""

import datetime
from decimal import Decimal

import pytest

from tegoed.claims.queries import claim_of
from tegoed.dunning import run, sending, services
from tegoed.dunning.models import InvoiceStep, Message, MessageState
from tegoed.invoices import services as invoice_services
from tests.factories import CustomerFactory, issued_invoice

START = datetime.date(2026, 1, 5)
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize("kind", ["business", "government"])
def test_the_message_the_letter_and_the_claim_show_the_same_interest_and_costs(
    organization, member, kind
):
    customer = CustomerFactory(organization=organization, kind=kind, language="nl")
    first = issued_invoice(customer, "1250.00", issue_date=START, due_date=START + 14 * DAY)
    second = issued_invoice(customer, "480.00", issue_date=START, due_date=START + 14 * DAY)
    for offset in range(120):
        today = START + offset * DAY
        if today == START + 40 * DAY:
            invoice_services.record_payment(
                organization=organization,
                amount=Decimal("200.00"),
                received_on=today,
                acting_user=None,
                customer=customer,
                allocate_to=[(first, Decimal("200.00"))],
            )
        run.run_dunning(organization, today=today)
        waiting = Message.objects.filter(state=MessageState.AWAITING_APPROVAL)
        while (message := waiting.first()) is not None:
            services.approve_message(message, user=member, today=today)
        if InvoiceStep.objects.filter(kind="formal_demand").exists():
            break
    demand = Message.objects.get(kind="formal_demand", channel="email")
    day = demand.send_on
    steps = {
        step.invoice.number: step
        for step in InvoiceStep.objects.filter(message__decision=demand.decision)
    }
    assert set(steps) == {first.number, second.number}
    stated = {line.number: line for line in claim_of(customer, on=day).invoices}
    letter = sending.letter_of(demand)
    shown = {claim.number: claim for claim in letter.claims}

    for number, step in steps.items():
        line = stated[number]
        # The interest includes that on the costs (art. 6:119 BW).
        owed_interest = line.interest_outstanding + line.costs_interest_outstanding
        assert step.interest == shown[number].interest == owed_interest
        assert step.costs == line.costs_outstanding
        assert shown[number].open_amount == line.principal_outstanding
    costs = sum((step.costs for step in steps.values()), Decimal("0.00"))
    assert letter.collection_costs == costs == claim_of(customer, on=day).costs > 0
    # The payment went to the first invoice's costs and interest before its principal.
    first.refresh_from_db()
    assert stated[first.number].principal_outstanding > first.open_amount
    assert letter.interest > 0

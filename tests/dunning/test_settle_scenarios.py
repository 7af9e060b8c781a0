"""Whole life cycles through the daily run: a small amount written off rather than chased, and
settling for less — proposed above the controller's limit, approved, paid, written off — or
left unpaid until it lapses and the schedule resumes."""

from decimal import Decimal

import pytest

from tegoed.audit.models import AuditEvent
from tegoed.collections import settlements
from tegoed.collections.models import Settlement, SettlementState
from tegoed.dunning import run, services, small_amounts
from tegoed.dunning.models import InvoiceStep, StepKind
from tegoed.dunning.queries import write_off_proposals
from tegoed.invoices import services as ledger
from tegoed.invoices.models import Allocation, AllocationKind
from tegoed.invoices.services import OverApprovalLimit
from tests.dunning.test_scenarios import DAY, START, live
from tests.factories import CustomerFactory, MembershipFactory, issued_invoice

D = Decimal
REMINDERS = [StepKind.THANK_YOU, StepKind.WRITE_OFF]


def reminders_of(invoice):
    return InvoiceStep.objects.filter(invoice=invoice).exclude(kind__in=REMINDERS)


def pay(organization, customer, invoice, amount, today):
    ledger.record_payment(
        organization=organization, amount=D(amount), received_on=today, acting_user=None,
        customer=customer, allocate_to=[(invoice, D(amount))],
    )  # fmt: skip


def test_a_small_rest_is_proposed_not_chased_and_written_off_in_one_go(organization, member, smtp):
    config = services.ensure_defaults(organization)
    config.minimum_open_amount = D("25.00")
    config.save()
    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "1000.00", issue_date=START, due_date=START + 14 * DAY)
    other = issued_invoice(customer, "18.50", issue_date=START, due_date=START + 14 * DAY)
    membership = member.memberships.get()

    def on_day(today):
        if today == START + 10 * DAY:
            pay(organization, customer, invoice, "992.00", today)  # 8.00 left: bank costs
        if today == START + 40 * DAY:
            proposed = list(write_off_proposals(organization, membership, member))
            assert {step.invoice_id for step in proposed} == {invoice.pk, other.pk}
            count, total = small_amounts.write_off_small_amounts(
                organization, steps=proposed, acting_user=member, today=today,
                reason=small_amounts.default_reason(organization),
            )  # fmt: skip
            assert (count, total) == (2, D("26.50"))

    live(organization, days=90, smtp=smtp, member=member, on_day=on_day)
    for each in (invoice, other):
        each.refresh_from_db()
        assert each.state == "written_off" and each.open_amount == 0
        # Proposed once, never reminded.
        assert InvoiceStep.objects.filter(invoice=each, kind=StepKind.WRITE_OFF).count() == 1
        assert not reminders_of(each).exists()
    write_off = Allocation.objects.get(invoice=invoice, kind=AllocationKind.WRITE_OFF)
    assert write_off.amount == D("8.00") and write_off.created_by == member
    assert "below the threshold of" in write_off.reason
    assert AuditEvent.objects.filter(action="dunning.small_amounts_written_off").count() == 1
    assert not write_off_proposals(organization, membership, member).exists()


def test_small_write_offs_are_all_or_none_within_the_approval_limit(organization, member):
    config = services.ensure_defaults(organization)
    config.minimum_open_amount = D("50.00")
    config.save()
    customer = CustomerFactory(organization=organization)
    small = issued_invoice(customer, "40.00", issue_date=START, due_date=START + 14 * DAY)
    other = issued_invoice(customer, "30.00", issue_date=START, due_date=START + 14 * DAY)
    run.run_dunning(organization, today=START + 22 * DAY)  # a Tuesday: a send day
    membership = member.memberships.get()
    membership.approval_limit = D("35.00")
    membership.save()
    proposed = list(write_off_proposals(organization, membership, member))
    with pytest.raises(OverApprovalLimit):
        small_amounts.write_off_small_amounts(
            organization, steps=proposed, acting_user=member, today=START + 23 * DAY,
            reason="Small",
        )  # fmt: skip
    for each in (small, other):
        each.refresh_from_db()
        assert each.open_amount > 0  # nothing half-way


def test_settling_for_less_above_the_limit_waits_for_approval_then_the_run_writes_off(
    organization, member, smtp
):
    owner = MembershipFactory(organization=organization, role="owner").user
    customer = CustomerFactory(organization=organization)
    first = issued_invoice(customer, "2000.00", issue_date=START, due_date=START + 14 * DAY)
    second = issued_invoice(customer, "1000.00", issue_date=START, due_date=START + 14 * DAY)
    found = {}

    def on_day(today):
        if today == START + 40 * DAY:
            # 1,200.00 given up is above the controller's 1,000.00.
            found["settlement"] = settlements.propose_settlement(
                organization, customer=customer, user=member, today=today,
                invoices=[first, second], amount=D("1800.00"),
                reason="Customer in difficulty; a lawsuit would cost more",
                pay_by=today + 14 * DAY,
            )  # fmt: skip
            assert found["settlement"].state == SettlementState.AWAITING_APPROVAL
            with pytest.raises(OverApprovalLimit):
                settlements.approve_settlement(found["settlement"], user=member, today=today)
        if today == START + 41 * DAY:
            settlements.approve_settlement(found["settlement"], user=owner, today=today)
        if today == START + 50 * DAY:
            pay(organization, customer, first, "1800.00", today)

    live(organization, days=100, smtp=smtp, member=member, on_day=on_day)
    settlement = Settlement.objects.get()
    assert settlement.state == SettlementState.SETTLED
    assert settlement.settled_on == START + 50 * DAY  # the run of the day the money came
    assert settlement.written_off == D("1200.00")
    assert settlement.proposed_by == member and settlement.approved_by == owner
    for invoice, rest in ((first, D("200.00")), (second, D("1000.00"))):
        invoice.refresh_from_db()
        assert invoice.state == "written_off" and invoice.open_amount == 0
        write_off = Allocation.objects.get(invoice=invoice, kind=AllocationKind.WRITE_OFF)
        assert write_off.amount == rest
        assert f"approved by {owner.username}" in write_off.reason
        assert "Customer in difficulty" in write_off.reason
        # Reminders climbed before the proposal and stopped with it.
        steps = reminders_of(invoice)
        assert steps.exists()
        assert not steps.filter(decided_on__gte=START + 40 * DAY).exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="settlement.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "settlement.proposed",
        "settlement.agreed",
        "settlement.settled",
        "settlement.written_off",
    ]


def test_a_settlement_not_paid_in_time_lapses_and_the_schedule_resumes(organization, member, smtp):
    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "900.00", issue_date=START, due_date=START + 14 * DAY)
    proposed_on = START + 30 * DAY

    def on_day(today):
        if today == proposed_on:
            settlement = settlements.propose_settlement(
                organization, customer=customer, user=member, today=today, invoices=[invoice],
                amount=D("600.00"), reason="Quick money", pay_by=today + 7 * DAY,
            )  # fmt: skip
            assert settlement.state == SettlementState.AGREED  # 300.00 is within the limit

    live(organization, days=90, smtp=smtp, member=member, on_day=on_day)
    settlement = Settlement.objects.get()
    assert settlement.state == SettlementState.LAPSED
    invoice.refresh_from_db()
    assert invoice.open_amount == D("900.00")
    held = reminders_of(invoice).filter(
        decided_on__gte=proposed_on, decided_on__lte=proposed_on + 7 * DAY
    )
    assert not held.exists()
    assert reminders_of(invoice).filter(decided_on__gt=proposed_on + 12 * DAY).exists()


@pytest.mark.django_db
def test_a_settlement_must_be_for_less_than_is_open(organization, member):
    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "500.00", issue_date=START, due_date=START + 14 * DAY)
    with pytest.raises(settlements.SettlementError, match="less than the"):
        settlements.propose_settlement(
            organization, customer=customer, user=member, today=START, invoices=[invoice],
            amount=D("500.00"), reason="x",
        )  # fmt: skip
    other = CustomerFactory(organization=organization)
    with pytest.raises(settlements.SettlementError, match="not an open invoice"):
        settlements.propose_settlement(
            organization, customer=other, user=member, today=START, invoices=[invoice],
            amount=D("100.00"), reason="x",
        )  # fmt: skip

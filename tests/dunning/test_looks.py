"""The run looks only at the invoices whose next step may have come: and misses none.

Each scenario runs every day and compares what the run decided with what it would have decided
looking at every open invoice, as a first run does: the same messages, the same day, whatever
happened in between (payments, holds placed and lifted, a schedule edited, a customer given a
schedule of its own, an invoice entered late).
"""

import datetime
from decimal import Decimal

from django.db import transaction

from tegoed.customers.models import Tag
from tegoed.dunning import run, schedules, services
from tegoed.dunning.models import DunningSettings, HoldReason, InvoiceCheck, Policy, PolicyStep
from tegoed.invoices import services as invoice_services
from tests.factories import CustomerFactory, issued_invoice, line

START = datetime.date(2026, 1, 6)


def everything(organization, day: datetime.date) -> list[dict]:
    """The messages of `day` with every open invoice looked at (nothing is written)."""
    with transaction.atomic():
        DunningSettings.objects.filter(organization=organization).update(checks_basis="")
        planned = run.plan(organization, today=day)
        transaction.set_rollback(True)
    return [message.as_json() for message in planned.messages]


def decided(organization, day: datetime.date) -> list[dict]:
    return [message.as_json() for message in run.run_dunning(organization, today=day).plan.messages]


def days(first: datetime.date, count: int):
    for offset in range(count):
        yield first + datetime.timedelta(days=offset)


def pay(organization, customer, invoice, amount: str, on: datetime.date) -> None:
    invoice_services.record_payment(
        organization=organization,
        amount=Decimal(amount),
        received_on=on,
        acting_user=None,
        customer=customer,
        allocate_to=[(invoice, Decimal(amount))],
    )


def test_payments_and_holds_move_no_step_early_and_lose_none(organization, member):
    services.ensure_defaults(organization)
    config = DunningSettings.objects.get(organization=organization)
    config.minimum_open_amount = Decimal("20.00")
    config.save()
    partly = CustomerFactory(organization=organization, number="A1")
    partly_invoice = issued_invoice(partly, "300.00", issue_date=datetime.date(2025, 12, 1))
    settled = CustomerFactory(organization=organization, number="A2")
    settled_invoice = issued_invoice(settled, "80.00", issue_date=datetime.date(2025, 12, 8))
    small = CustomerFactory(organization=organization, number="A3")
    small_invoice = issued_invoice(small, "100.00", issue_date=datetime.date(2025, 12, 15))
    held = CustomerFactory(organization=organization, number="A4")
    held_invoice = issued_invoice(held, "500.00", issue_date=datetime.date(2025, 12, 1))
    stopped = CustomerFactory(organization=organization, number="A5", kind="consumer")
    issued_invoice(stopped, "250.00", issue_date=datetime.date(2025, 12, 20))
    issued_invoice(stopped, "90.00", issue_date=datetime.date(2026, 1, 20))
    late = CustomerFactory(organization=organization, number="A6", kind="government")
    stop = promise = None
    for day in days(START, 110):
        if day == datetime.date(2026, 1, 20):
            pay(organization, partly, partly_invoice, "120.00", day)
            pay(organization, settled, settled_invoice, "80.00", day)
            stop = services.place_hold(
                organization, customer=stopped, reason=HoldReason.MANUAL, user=member, today=day
            )
        if day == datetime.date(2026, 2, 3):
            # Below the threshold now: proposed for write-off at once, never chased again.
            pay(organization, small, small_invoice, "85.00", day)
            promise = services.place_hold(
                organization,
                customer=held,
                invoice=held_invoice,
                reason=HoldReason.PROMISE,
                until=datetime.date(2026, 2, 12),
                user=member,
                today=day,
            )
        if day == datetime.date(2026, 2, 9):
            # Lifted early: the clock runs again from today, not from the planned end.
            services.lift_hold(stop, user=member, today=day)
        if day == datetime.date(2026, 2, 17):
            # Entered late, with a due date long past: found by the next run.
            issued_invoice(late, "700.00", issue_date=datetime.date(2025, 11, 3))
        expected = everything(organization, day)
        assert decided(organization, day) == expected, day
    assert promise is not None
    steps = {
        (step.invoice.customer.number, step.code)
        for step in held_invoice.dunning_steps.select_related("invoice__customer")
    }
    assert ("A4", "broken_promise") in steps
    assert small_invoice.dunning_steps.filter(kind="write_off").count() == 1
    assert not settled_invoice.dunning_steps.filter(decided_on__gt=datetime.date(2026, 1, 20))
    assert not InvoiceCheck.objects.filter(invoice=settled_invoice).exists()
    assert late.invoices.get().dunning_steps.filter(level=1).exists()


def test_a_schedule_edited_or_given_to_a_customer_moves_no_step_early_and_loses_none(
    organization, member
):
    services.ensure_defaults(organization)
    business = CustomerFactory(organization=organization, number="B1")
    issued_invoice(business, "400.00", issue_date=datetime.date(2025, 12, 1))
    issued_invoice(business, "150.00", issue_date=datetime.date(2026, 1, 26))
    moved = CustomerFactory(organization=organization, number="B2", kind="government")
    issued_invoice(moved, "900.00", issue_date=datetime.date(2025, 12, 10))
    tagged = CustomerFactory(organization=organization, number="B3", kind="government")
    issued_invoice(tagged, "650.00", issue_date=datetime.date(2025, 12, 10))
    issued_invoice(tagged, "120.00", issue_date=datetime.date(2026, 3, 2))
    default = Policy.objects.get(organization=organization, default_for="business")
    quick = schedules.create_schedule(organization, name="Snel", copy_of=default, user=member)
    for day in days(START, 100):
        if day == datetime.date(2026, 1, 27):
            # A later, gentler second reminder and a friendly nudge before the due date.
            schedules.update_schedule(
                default,
                user=member,
                name=default.name,
                steps={"reminder_2": {"offset_days": 30, "min_gap_days": 20}},
                nudge_days=5,
            )
        if day == datetime.date(2026, 2, 10):
            # Sooner than any schedule so far: the stored look days no longer hold.
            schedules.update_schedule(
                quick,
                user=member,
                name=quick.name,
                steps={
                    "reminder_2": {"offset_days": 8, "min_gap_days": 2},
                    "reminder_3": {"offset_days": 12, "min_gap_days": 2},
                },
                nudge_days=None,
                customers=[moved],
            )
        if day == datetime.date(2026, 2, 24):
            tag = Tag.objects.create(organization=organization, name="Snel")
            tagged.tags.add(tag)
            schedules.update_schedule(
                quick, user=member, name=quick.name, steps={}, nudge_days=None, tags=[tag]
            )
        if day == datetime.date(2026, 3, 10):
            PolicyStep.objects.filter(policy=quick, code="formal_demand").update(offset_days=1)
        expected = everything(organization, day)
        assert decided(organization, day) == expected, day
    assert moved.invoices.get().dunning_steps.filter(code="reminder_3").exists()


def test_a_second_run_the_same_day_looks_at_nothing(organization):
    customer = CustomerFactory(organization=organization)
    issued_invoice(customer, "100.00")
    issued_invoice(customer, "60.00", issue_date=datetime.date(2026, 3, 1))
    wednesday = datetime.date(2026, 3, 4)
    first = run.run_dunning(organization, today=wednesday)
    assert first.written == 1 and first.plan.invoices_seen == 2
    again = run.run_dunning(organization, today=wednesday)
    assert again.written == 0 and again.plan.invoices_seen == 0
    # The next day too: the first reminder's successor and the new invoice are weeks away.
    assert run.run_dunning(organization, today=wednesday.replace(day=5)).plan.invoices_seen == 0


def test_an_invoice_looked_at_without_a_step_is_not_looked_at_again_the_same_day(organization):
    # Government's first reminder comes seven days after the due date, business's after three:
    # five days after its due date the invoice is looked at, and its step is two days away.
    customer = CustomerFactory(organization=organization, kind="government")
    invoice = issued_invoice(
        customer, "100.00", issue_date=datetime.date(2026, 2, 1), due_date=datetime.date(2026, 3, 2)
    )
    wednesday = datetime.date(2026, 3, 4)
    first = run.run_dunning(organization, today=wednesday)
    assert first.written == 0 and first.plan.invoices_seen == 1
    assert InvoiceCheck.objects.get(invoice=invoice).look_on == wednesday.replace(day=5)
    assert run.run_dunning(organization, today=wednesday).plan.invoices_seen == 0
    assert run.run_dunning(organization, today=wednesday.replace(day=5)).written == 0
    assert run.run_dunning(organization, today=wednesday.replace(day=10)).written == 1
    assert invoice.dunning_steps.get().code == "reminder_1"


def test_a_draft_issued_after_the_runs_with_an_old_due_date_is_chased(organization):
    customer = CustomerFactory(organization=organization)
    issued_invoice(customer, "100.00")
    draft = invoice_services.save_draft_invoice(
        organization=organization,
        customer=customer,
        lines=[line("75.00", vat_rate="0")],
        issue_date=datetime.date(2026, 1, 2),
        due_date=datetime.date(2026, 1, 16),
        acting_user=None,
    )
    for day in days(datetime.date(2026, 2, 3), 3):
        run.run_dunning(organization, today=day)
    invoice_services.issue_invoice(invoice=draft, acting_user=None, today=datetime.date(2026, 2, 6))
    wednesday = datetime.date(2026, 2, 11)
    expected = everything(organization, wednesday)
    assert expected and decided(organization, wednesday) == expected
    assert draft.dunning_steps.filter(level=1).exists()


def test_an_invoice_paid_less_its_discount_is_chased_once_the_discount_has_lapsed(organization):
    organization.early_payment_discount = Decimal("2")
    organization.early_payment_discount_days = 10
    organization.save()
    customer = CustomerFactory(organization=organization)
    issued = datetime.date(2026, 3, 2)
    invoice = issued_invoice(
        customer, "100.00", issue_date=issued, due_date=issued + datetime.timedelta(days=8)
    )
    # Paid less the discount before any run saw the invoice: nothing is chased while the
    # discount may still be taken, and the run must still find it afterwards.
    pay(organization, customer, invoice, "98.00", issued)
    for day in days(datetime.date(2026, 3, 3), 30):
        expected = everything(organization, day)
        assert decided(organization, day) == expected, day
    assert invoice.dunning_steps.filter(level=1).exists()

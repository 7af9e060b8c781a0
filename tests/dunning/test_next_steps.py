"""What the invoice and customer pages say comes next is what the run then does."""

import datetime

from tegoed.domain import dunning
from tegoed.dunning import run, services
from tegoed.dunning.models import HoldReason
from tests.factories import CustomerFactory, issued_invoice

TUESDAY = datetime.date(2026, 3, 3)


def test_the_next_step_is_the_one_the_run_decides_on_its_day(organization):
    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "300.00", issue_date=datetime.date(2026, 1, 5))
    run.run_dunning(organization, today=datetime.date(2026, 2, 10))  # reminder 1
    found = run.next_steps(organization, customer, today=datetime.date(2026, 2, 11))[invoice.pk]
    assert found.outlook.reason == dunning.WAITING
    assert found.outlook.step.code == "reminder_2"
    day = found.send_on
    assert day == datetime.date(2026, 2, 18)  # 14 days after the due date, a Wednesday
    assert run.plan(organization, today=day - datetime.timedelta(days=1)).messages == []
    [message] = run.plan(organization, today=day).messages
    assert message.step.code == "reminder_2" and message.invoices[0].invoice_id == invoice.pk
    assert run.next_steps(organization, customer, today=day)[invoice.pk].outlook.is_due


def test_a_hold_shows_as_the_reason_nothing_comes(organization):
    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "300.00", issue_date=datetime.date(2026, 1, 5))
    services.place_hold(organization, customer=customer, reason=HoldReason.MANUAL, today=TUESDAY)
    found = run.next_steps(organization, customer, today=TUESDAY)[invoice.pk]
    assert found.outlook.reason == dunning.ON_HOLD and found.send_on is None
    assert run.plan(organization, today=TUESDAY).messages == []

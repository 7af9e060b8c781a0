"""The daily run on the database: decisions once, holds, catching up, the JSON plan."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tegoed.domain import collection_costs, jurisdictions
from tegoed.dunning import run, services
from tegoed.dunning.models import (
    CallTask,
    HoldReason,
    InvoiceStep,
    Message,
    MessageState,
    Run,
    RunState,
)
from tegoed.invoices import services as invoice_services
from tests.factories import ContactFactory, CustomerFactory, issued_invoice

WEDNESDAY = datetime.date(2026, 3, 4)


def run_json(organization, day: datetime.date) -> list[dict]:
    out = io.StringIO()
    call_command(
        "run",
        organization=organization.slug,
        date=day.isoformat(),
        json=True,
        no_send=True,
        stdout=out,
    )
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_one_message_per_customer_lists_each_invoice_at_its_own_level(organization):
    customer = CustomerFactory(organization=organization, number="D100")
    older = issued_invoice(customer, "200.00", issue_date=datetime.date(2026, 1, 5))
    run.run_dunning(organization, today=datetime.date(2026, 2, 10))  # older: level 1
    newer = issued_invoice(customer, "50.00", issue_date=datetime.date(2026, 1, 26))
    lines = run_json(organization, WEDNESDAY)
    assert lines == [
        {
            "customer": "D100",
            "step": "reminder_2",
            "level": 2,
            "channels": ["email"],
            "send_on": "2026-03-04",
            "invoices": [
                {
                    "number": older.number,
                    "level": 2,
                    "open": "200.00",
                    "interest": "0.00",
                    "costs": "0.00",
                },
                {
                    "number": newer.number,
                    "level": 1,
                    "open": "50.00",
                    "interest": "0.00",
                    "costs": "0.00",
                },
            ],
        }
    ]
    assert Message.objects.filter(customer=customer).count() == 2  # one per run


def test_a_second_run_the_same_day_writes_nothing(organization, django_assert_max_num_queries):
    customer = CustomerFactory(organization=organization)
    issued_invoice(customer, "100.00")
    first = run.run_dunning(organization, today=WEDNESDAY)
    assert first.written == 1
    counts = (InvoiceStep.objects.count(), Message.objects.count())
    with CaptureQueriesContext(connection) as queries:
        again = run.run_dunning(organization, today=WEDNESDAY)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert again.written == 0 and writes == []
    assert (InvoiceStep.objects.count(), Message.objects.count()) == counts


def test_a_run_that_writes_many_rows_renews_their_statistics(organization, monkeypatch):
    customer = CustomerFactory(organization=organization)
    issued_invoice(customer, "100.00")
    monkeypatch.setattr(run, "ANALYZE_AFTER_ROWS", 2)
    with CaptureQueriesContext(connection) as queries:
        run.run_dunning(organization, today=WEDNESDAY)
    analyzed = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]
    if connection.vendor == "postgresql":
        assert len(analyzed) == 3 and '"dunning_invoicestep"' in analyzed[0]
    else:
        assert analyzed == []
    with CaptureQueriesContext(connection) as queries:
        run.run_dunning(organization, today=WEDNESDAY)
    assert not any(q["sql"].startswith("ANALYZE") for q in queries.captured_queries)


def test_a_run_that_stops_on_an_error_says_so_and_the_next_run_goes_on(organization, monkeypatch):
    customer = CustomerFactory(organization=organization)
    issued_invoice(customer, "100.00")

    def broken(*args, **kwargs):
        raise RuntimeError("the ledger could not be read")

    with monkeypatch.context() as patched:
        patched.setattr(run, "plan", broken)
        with pytest.raises(RuntimeError):
            run.run_dunning(organization, today=WEDNESDAY)
    failed = Run.objects.get(organization=organization, on=WEDNESDAY)
    assert failed.state == RunState.FAILED
    assert failed.error == "RuntimeError: the ledger could not be read"
    again = run.run_dunning(organization, today=WEDNESDAY)
    assert again.written == 1
    assert (again.run.state, again.run.error) == (RunState.DONE, "")


def test_nothing_is_decided_on_a_day_the_organization_does_not_send(organization):
    customer = CustomerFactory(organization=organization)
    issued_invoice(customer, "100.00")
    monday = datetime.date(2026, 3, 2)
    assert run_json(organization, monday) == []
    assert run_json(organization, monday + datetime.timedelta(days=1))[0]["step"] == "reminder_1"


def test_nothing_is_decided_on_a_public_holiday(organization):
    customer = CustomerFactory(organization=organization)
    issued_invoice(customer, "100.00")
    ascension_day = datetime.date(2026, 5, 14)  # a Thursday
    assert run_json(organization, ascension_day) == []
    # Nor on the day after it, when inboxes are full.
    assert run_json(organization, ascension_day + datetime.timedelta(days=1)) == []
    assert run_json(organization, ascension_day + datetime.timedelta(days=5))[0]["level"] == 1


def test_a_partial_payment_keeps_the_rest_on_the_schedule(organization):
    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "300.00")
    run.run_dunning(organization, today=datetime.date(2026, 2, 10))
    invoice_services.record_payment(
        organization=organization,
        amount=Decimal("100.00"),
        received_on=datetime.date(2026, 2, 12),
        acting_user=None,
        customer=customer,
        allocate_to=[(invoice, Decimal("100.00"))],
    )
    lines = run_json(organization, datetime.date(2026, 2, 18))
    assert lines[0]["invoices"][0] == {
        "number": invoice.number,
        "level": 2,
        "open": "200.00",
        "interest": "0.00",
        "costs": "0.00",
    }


def test_a_manual_stop_holds_the_invoice_and_resumes_after_its_end(organization, member):
    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "100.00")
    services.place_hold(
        organization,
        customer=customer,
        invoice=invoice,
        reason=HoldReason.MANUAL,
        until=datetime.date(2026, 2, 20),
        user=member,
        today=datetime.date(2026, 2, 1),
    )
    assert run_json(organization, datetime.date(2026, 2, 10)) == []
    assert run_json(organization, datetime.date(2026, 2, 20)) == []
    # The clock stood still from the due date (4 Feb) to 20 Feb: the first reminder, 3 days
    # after the due date, falls 16 held days later, on Monday 23 Feb; Tuesday is the send day.
    assert run_json(organization, datetime.date(2026, 2, 24))[0]["step"] == "reminder_1"


def test_a_broken_promise_gets_its_own_step_and_a_call(organization, member):
    customer = CustomerFactory(organization=organization)
    issued_invoice(customer, "100.00")
    run.run_dunning(organization, today=datetime.date(2026, 2, 10))
    call = CallTask.objects.create(
        organization=organization,
        customer=customer,
        step_code="reminder_3",
        level=3,
        due_on=datetime.date(2026, 2, 11),
    )
    services.record_call(
        call,
        user=member,
        reached=True,
        promise_on=datetime.date(2026, 2, 17),
        today=datetime.date(2026, 2, 11),
    )
    assert run_json(organization, datetime.date(2026, 2, 17)) == []
    lines = run_json(organization, datetime.date(2026, 2, 18))
    assert (lines[0]["step"], lines[0]["level"], lines[0]["channels"]) == (
        "broken_promise",
        1,
        ["email", "call"],
    )
    assert CallTask.objects.filter(customer=customer, step_code="broken_promise").count() == 1
    assert run_json(organization, datetime.date(2026, 2, 19)) == []


def test_a_formal_demand_claims_interest_and_costs_and_waits_for_approval(organization):
    customer = CustomerFactory(organization=organization, number="D7")
    invoice = issued_invoice(customer, "1000.00", issue_date=datetime.date(2025, 12, 1))
    ContactFactory(customer=customer, role="management", email="directie@klant.example")
    for day in ("2026-01-06", "2026-01-14", "2026-01-21", "2026-01-28"):
        run.run_dunning(organization, today=datetime.date.fromisoformat(day))
    [line] = run_json(organization, datetime.date(2026, 2, 11))
    assert line["step"] == "formal_demand" and line["channels"] == ["email", "letter"]
    claim = line["invoices"][0]
    assert claim["number"] == invoice.number and Decimal(claim["interest"]) > 0
    expected = collection_costs.compute(
        [Decimal("1000.00")], rule=jurisdictions.costs_rule("NL", "business")
    )
    assert Decimal(claim["costs"]) == expected.amount > 0
    message = Message.objects.get(customer=customer, kind="formal_demand", channel="email")
    assert message.state == MessageState.AWAITING_APPROVAL
    assert "directie@klant.example" in message.cc


def test_a_customer_without_an_email_address_gets_a_letter_and_the_reason(organization):
    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "100.00")
    customer.contacts.all().delete()
    assert invoice.open_amount == Decimal("100.00")
    [line] = run_json(organization, WEDNESDAY)
    assert line["channels"] == ["letter"]
    assert Message.objects.get(customer=customer).note == "no e-mail address: sent as a letter"


def test_a_schedule_edited_midway_keeps_each_invoice_level(organization):
    customer = CustomerFactory(organization=organization)
    issued_invoice(customer, "100.00")
    run.run_dunning(organization, today=datetime.date(2026, 2, 10))
    policy = organization.dunning_policies.get(default_for="business")
    policy.steps.filter(code="reminder_2").update(offset_days=40, min_gap_days=30)
    assert run_json(organization, datetime.date(2026, 3, 4)) == []
    assert run_json(organization, datetime.date(2026, 3, 17))[0]["level"] == 2


def test_below_the_threshold_a_write_off_is_proposed_once(organization):
    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "4.50")
    config = services.ensure_defaults(organization)
    config.minimum_open_amount = Decimal("5.00")
    config.save()
    first = run.run_dunning(organization, today=WEDNESDAY)
    assert first.plan.messages == [] and [row[1] for row in first.plan.write_offs] == [
        invoice.number
    ]
    assert run.run_dunning(organization, today=datetime.date(2026, 3, 5)).written == 0


def test_a_dry_run_prints_who_gets_what_and_why_and_writes_nothing(organization):
    customer = CustomerFactory(organization=organization, number="D55", name="Bakker & Zn")
    invoice = issued_invoice(customer, "100.00")
    out = io.StringIO()
    call_command("run", organization=organization.slug, date="2026-03-04", dry_run=True, stdout=out)
    text = out.getvalue()
    assert "D55 Bakker & Zn: reminder_1 level 1 by email to anna" in text
    assert f"{invoice.number}: reminder_1 (level 1), open 100.00, 28 days overdue" in text
    assert not InvoiceStep.objects.exists() and not Message.objects.exists()
    assert not organization.dunning_policies.exists()


def test_a_tag_or_a_customer_can_have_its_own_schedule(organization):
    from tegoed.customers.models import Tag
    from tegoed.dunning.models import Policy, PolicyStep

    patient = Policy.objects.create(organization=organization, name="Geduldig")
    PolicyStep.objects.create(
        policy=patient,
        code="gentle",
        kind="reminder",
        level=1,
        offset_days=30,
        min_gap_days=0,
        channels=["email"],
    )
    tagged = CustomerFactory(organization=organization, number="T1")
    tag = Tag.objects.create(organization=organization, name="Zorg")
    tagged.tags.add(tag)
    patient.tags.add(tag)
    own = CustomerFactory(organization=organization, number="O1")
    patient.customers.add(own)
    plain = CustomerFactory(organization=organization, number="P1")
    for customer in (tagged, own, plain):
        issued_invoice(customer, "100.00")
    assert [line["customer"] for line in run_json(organization, WEDNESDAY)] == ["P1"]
    later = run_json(organization, datetime.date(2026, 3, 11))
    steps = {line["customer"]: line["step"] for line in later}
    assert (steps["O1"], steps["T1"], steps["P1"]) == ("gentle", "gentle", "reminder_2")


def test_the_sales_owner_is_told_when_their_customer_reaches_a_formal_step(organization, member):
    customer = CustomerFactory(organization=organization, sales_owner=member)
    issued_invoice(customer, "1000.00", issue_date=datetime.date(2025, 12, 1))
    for day in ("2026-01-06", "2026-01-14", "2026-01-21", "2026-01-28"):
        run.run_dunning(organization, today=datetime.date.fromisoformat(day))
    assert not Message.objects.filter(internal=True).exists()
    run.run_dunning(organization, today=datetime.date(2026, 2, 11))
    note = Message.objects.get(internal=True)
    assert note.recipients == [member.email] and note.kind == "formal_demand"


def test_queue_puts_one_task_per_organization_on_the_database_queue(organization):
    from django_tasks_db.models import DBTaskResult

    out = io.StringIO()
    call_command("run", organization=organization.slug, date="2026-03-04", queue=True, stdout=out)
    task = DBTaskResult.objects.get()
    assert task.task_path == "tegoed.dunning.tasks.run_organization"
    assert task.args_kwargs["args"] == [organization.pk, "2026-03-04"]

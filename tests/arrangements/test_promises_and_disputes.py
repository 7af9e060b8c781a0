"""Promises to pay and disputes, lived day by day through the daily run."""

import datetime
from decimal import Decimal

import pytest

from tegoed.arrangements import services
from tegoed.arrangements.models import DisputeOutcome, DisputeReason, PromiseState
from tegoed.dunning import sending
from tegoed.dunning import services as dunning_services
from tegoed.dunning.models import CallTask, Hold, InvoiceStep, Message
from tegoed.invoices import services as invoice_services
from tests.arrangements.conftest import live
from tests.factories import CustomerFactory, issued_invoice

D = datetime.date
# Issued 5 Jan, due 4 Feb; the first reminder goes out on Tuesday 10 Feb.
ISSUED = D(2026, 1, 5)


def steps_of(invoice) -> list[tuple[datetime.date, str]]:
    return list(
        InvoiceStep.objects.filter(invoice=invoice)
        .order_by("decided_on", "id")
        .values_list("decided_on", "code")
    )


def pay(invoice, amount: str, on: datetime.date) -> None:
    invoice_services.record_payment(
        organization=invoice.organization,
        amount=Decimal(amount),
        received_on=on,
        acting_user=None,
        customer=invoice.customer,
        allocate_to=[(invoice, Decimal(amount))],
    )


@pytest.fixture
def invoice(organization):
    customer = CustomerFactory(organization=organization)
    return issued_invoice(customer, "100.00", issue_date=ISSUED)


def test_a_promise_kept_by_the_bank_lifts_its_hold_and_the_rest_goes_on(organization, invoice):
    live(organization, D(2026, 2, 9), D(2026, 2, 11))
    promise = services.promise_to_pay(
        organization,
        customer=invoice.customer,
        invoice=invoice,
        amount=Decimal("40.00"),
        pay_by=D(2026, 2, 17),
        channel="email",
        today=D(2026, 2, 11),
    )
    pay(invoice, "40.00", D(2026, 2, 16))
    live(organization, D(2026, 2, 12), D(2026, 3, 2))
    promise.refresh_from_db()
    assert (promise.state, promise.paid, promise.settled_on) == (
        PromiseState.KEPT,
        Decimal("40.00"),
        D(2026, 2, 16),
    )
    assert Hold.objects.get(source=f"arrangements.promise:{promise.pk}").lifted_on == D(2026, 2, 16)
    # No broken-promise step; the ladder goes on for the 60 still open, 5 held days later than
    # it would have (11–16 Feb): reminder 2 was due on 18 Feb, now Monday 23 Feb → Tuesday.
    assert steps_of(invoice) == [(D(2026, 2, 10), "reminder_1"), (D(2026, 2, 24), "reminder_2")]


def test_a_promise_the_bank_data_breaks_gets_its_own_step(organization, invoice):
    live(organization, D(2026, 2, 10), D(2026, 2, 10))
    promise = services.promise_to_pay(
        organization,
        customer=invoice.customer,
        amount=Decimal("40.00"),
        pay_by=D(2026, 2, 17),
        channel="call",
        today=D(2026, 2, 11),
    )
    pay(invoice, "20.00", D(2026, 2, 13))
    pay(invoice, "20.00", D(2026, 2, 18))  # a day late: does not count towards the promise
    live(organization, D(2026, 2, 11), D(2026, 2, 19))
    promise.refresh_from_db()
    assert (promise.state, promise.paid, promise.settled_on) == (
        PromiseState.BROKEN,
        Decimal("20.00"),
        D(2026, 2, 18),
    )
    assert steps_of(invoice) == [
        (D(2026, 2, 10), "reminder_1"),
        (D(2026, 2, 18), "broken_promise"),
    ]


def test_a_call_records_its_promise_and_dispute_through_the_arrangements(
    organization, invoice, member
):
    call = CallTask.objects.create(
        organization=organization,
        customer=invoice.customer,
        step_code="reminder_3",
        level=3,
        due_on=D(2026, 2, 11),
    )
    dunning_services.record_call(
        call,
        user=member,
        reached=True,
        promise_on=D(2026, 2, 20),
        disputed=True,
        notes="Betaalt na controle",
        today=D(2026, 2, 11),
    )
    promise = call.promises.get()
    dispute = call.disputes.get()
    assert (promise.amount, promise.channel, promise.invoice) == (Decimal("100.00"), "call", None)
    assert (dispute.reason, dispute.description, dispute.assigned_to) == (
        DisputeReason.OTHER,
        "Betaalt na controle",
        member,
    )
    assert set(Hold.objects.values_list("source", "reason")) == {
        (f"arrangements.promise:{promise.pk}", "promise"),
        (f"arrangements.dispute:{dispute.pk}", "dispute"),
    }


def test_a_promise_of_more_than_is_open_is_refused_with_both_amounts(organization, invoice):
    with pytest.raises(services.ArrangementError, match=r"150\.00 is more than the 100\.00"):
        services.promise_to_pay(
            organization,
            customer=invoice.customer,
            amount=Decimal("150.00"),
            pay_by=D(2026, 2, 17),
            channel="call",
            today=D(2026, 2, 11),
        )
    with pytest.raises(services.ArrangementError, match="future"):
        services.promise_to_pay(
            organization,
            customer=invoice.customer,
            pay_by=D(2026, 2, 10),
            channel="call",
            today=D(2026, 2, 11),
        )


def test_a_dispute_upheld_with_a_credit_note(organization, invoice, sales_owner, member, smtp):
    invoice.customer.sales_owner = sales_owner
    invoice.customer.save()
    live(organization, D(2026, 2, 9), D(2026, 2, 10))
    dispute = services.open_dispute(
        organization,
        customer=invoice.customer,
        invoice=invoice,
        reason=DisputeReason.QUALITY,
        description="De taart was ingezakt.",
        channel="email",
        user=member,
        today=D(2026, 2, 11),
    )
    assert dispute.assigned_to == sales_owner
    sending.send_pending(
        organization,
        now=datetime.datetime(2026, 2, 11, 10, tzinfo=datetime.UTC),
        ignore_window=True,
    )
    (task,) = [mail for to, mail in smtp.messages if to == [sales_owner.email]]
    # In the organization's own language.
    assert (
        task["Subject"] == f"Bezwaar van {invoice.customer.name} tegen {invoice.number}: kwaliteit"
    )
    assert "De taart was ingezakt." in task.get_body(("plain",)).get_content()
    # While the dispute is open nothing is chased, however long it takes.
    live(organization, D(2026, 2, 11), D(2026, 4, 1))
    assert steps_of(invoice) == [(D(2026, 2, 10), "reminder_1")]
    services.resolve_dispute(
        dispute,
        outcome=DisputeOutcome.CREDITED,
        credit_amount=Decimal("30.00"),
        note="Korting wegens kwaliteit",
        user=member,
        today=D(2026, 4, 1),
    )
    invoice.refresh_from_db()
    dispute.refresh_from_db()
    assert dispute.credit_note.total == Decimal("30.00")
    assert invoice.open_amount == Decimal("70.00")
    # The 70 left goes on where the schedule stood, the disputed days not counted.
    live(organization, D(2026, 4, 2), D(2026, 4, 10))
    assert steps_of(invoice)[-1][1] == "reminder_2"


def test_a_dispute_rejected_gives_a_new_deadline_then_the_schedule_resumes(
    organization, invoice, member, smtp
):
    live(organization, D(2026, 2, 9), D(2026, 2, 10))
    dispute = services.open_dispute(
        organization,
        customer=invoice.customer,
        invoice=invoice,
        reason=DisputeReason.NOT_RECEIVED,
        channel="call",
        user=member,
        today=D(2026, 2, 11),
    )
    services.resolve_dispute(
        dispute,
        outcome=DisputeOutcome.REJECTED,
        note="De factuur is op 5 januari bezorgd bij uw crediteurenadministratie.",
        user=member,
        today=D(2026, 2, 20),
    )
    dispute.refresh_from_db()
    assert dispute.pay_by == D(2026, 3, 6)
    rejection = Message.objects.get(kind="dispute_rejected")
    assert not rejection.internal
    assert "6 March 2026" in rejection.text or "6 maart 2026" in rejection.text
    assert "bezorgd bij uw crediteurenadministratie" in rejection.text
    live(organization, D(2026, 2, 11), D(2026, 3, 6))
    assert steps_of(invoice) == [(D(2026, 2, 10), "reminder_1")]
    live(organization, D(2026, 3, 7), D(2026, 3, 20))
    assert [code for _day, code in steps_of(invoice)][:2] == ["reminder_1", "reminder_2"]


def test_already_paid_lists_the_bank_entries_that_may_be_the_payment(organization, invoice, member):
    invoice_services.record_payment(
        organization=organization,
        amount=Decimal("100.00"),
        received_on=D(2026, 2, 3),
        acting_user=None,
        payer_name="Klant BV",
    )
    services.open_dispute(
        organization,
        customer=invoice.customer,
        invoice=invoice,
        reason=DisputeReason.ALREADY_PAID,
        channel="portal",
        proof=("afschrift.pdf", b"%PDF-1.7 bank statement"),
        user=member,
        today=D(2026, 2, 11),
    )
    task = Message.objects.get(kind="dispute_task")
    assert "2026-02-03 100.00 Klant BV" in task.text
    (proof,) = task.attachments.all()
    assert (proof.name, bytes(proof.content)) == ("afschrift.pdf", b"%PDF-1.7 bank statement")


def test_a_proof_that_is_not_a_pdf_is_refused_by_name(organization, invoice):
    with pytest.raises(services.ArrangementError, match=r"foto\.jpg is not one"):
        services.open_dispute(
            organization,
            customer=invoice.customer,
            invoice=invoice,
            reason=DisputeReason.ALREADY_PAID,
            channel="email",
            proof=("foto.jpg", b"\xff\xd8\xff"),
            today=D(2026, 2, 11),
        )


def test_an_invoice_is_disputed_once_at_a_time(organization, invoice):
    services.open_dispute(
        organization,
        customer=invoice.customer,
        invoice=invoice,
        reason=DisputeReason.WRONG_AMOUNT,
        channel="email",
        today=D(2026, 2, 11),
    )
    with pytest.raises(services.ArrangementError, match="already disputed"):
        services.open_dispute(
            organization,
            customer=invoice.customer,
            invoice=invoice,
            reason=DisputeReason.QUALITY,
            channel="email",
            today=D(2026, 2, 12),
        )

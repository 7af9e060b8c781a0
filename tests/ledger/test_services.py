import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tegoed.audit.models import AuditEvent
from tegoed.domain import identifiers
from tegoed.invoices import queries
from tegoed.invoices import services as ledger
from tegoed.invoices.models import Invoice
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    OrganizationFactory,
    issued_invoice,
    line,
)

D = Decimal
TODAY = datetime.date(2026, 2, 3)

pytestmark = pytest.mark.django_db


def test_issuing_numbers_the_invoice_gives_it_an_rf_reference_and_dates_it(customer, member):
    ContactFactory(customer=customer)
    draft = ledger.save_draft_invoice(
        organization=customer.organization,
        customer=customer,
        lines=[line("100.00"), line("50.00", vat_rate="9", quantity="2")],
        acting_user=member,
    )
    invoice = ledger.issue_invoice(invoice=draft, acting_user=member, today=TODAY)

    assert invoice.number == "2026-00001"
    assert identifiers.is_creditor_reference(invoice.payment_reference)
    assert invoice.issue_date == TODAY
    assert invoice.due_date == TODAY + datetime.timedelta(days=30)  # organization default
    assert (invoice.subtotal, invoice.vat_total, invoice.total) == (
        D("200.00"),
        D("30.00"),
        D("230.00"),
    )
    assert AuditEvent.objects.filter(action="invoice.issued", actor=member).count() == 1


def test_numbers_follow_each_other_per_organization_and_year(customer):
    first = issued_invoice(customer, issue_date=datetime.date(2026, 1, 2))
    second = issued_invoice(customer, issue_date=datetime.date(2026, 1, 3))
    other = issued_invoice(CustomerFactory(), issue_date=datetime.date(2026, 1, 3))
    assert (first.number, second.number, other.number) == ("2026-00001", "2026-00002", "2026-00001")


def test_issue_is_refused_with_every_missing_piece_named(customer):
    customer.street = ""
    customer.save()
    draft = ledger.save_draft_invoice(
        organization=customer.organization, customer=customer, lines=[], acting_user=None
    )
    with pytest.raises(ledger.IssueRefused) as refused:
        ledger.issue_invoice(invoice=draft, acting_user=None, today=TODAY)
    assert {problem.code for problem in refused.value.problems} == {
        "customer_address_missing",
        "customer_email_missing",
        "no_lines",
    }
    draft.refresh_from_db()
    assert draft.is_draft and draft.number == ""


def test_an_issued_invoice_cannot_be_changed(customer):
    invoice = issued_invoice(customer)
    with pytest.raises(ledger.LedgerError):
        ledger.save_draft_invoice(
            organization=customer.organization,
            customer=customer,
            invoice=invoice,
            lines=[line("1.00")],
            acting_user=None,
        )


def test_duplicate_invoice_number_in_one_organization_is_refused(customer):
    invoice = issued_invoice(customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create(
            organization=customer.organization,
            customer=customer,
            lifecycle="issued",
            number=invoice.number,
            issue_date=TODAY,
        )


def test_one_payment_over_two_invoices_and_two_payments_on_one(customer, member):
    first = issued_invoice(customer, "100.00")
    second = issued_invoice(customer, "50.00")
    payment = ledger.record_payment(
        organization=customer.organization,
        amount=D("120.00"),
        received_on=TODAY,
        acting_user=member,
        allocate_to=[(first, D("100.00")), (second, D("20.00"))],
    )
    assert payment.customer == customer
    ledger.record_payment(
        organization=customer.organization,
        customer=customer,
        amount=D("30.00"),
        received_on=TODAY,
        acting_user=member,
        allocate_to=[(second, D("30.00"))],
    )
    balances = {i.number: (i.open_amount, i.state) for i in Invoice.objects.all()}
    assert balances == {first.number: (D("0.00"), "paid"), second.number: (D("0.00"), "paid")}


def test_allocation_never_exceeds_the_open_amount_or_the_payment(customer):
    invoice = issued_invoice(customer, "100.00")
    payment = ledger.record_payment(
        organization=customer.organization, amount=D("150.00"), received_on=TODAY, acting_user=None
    )
    with pytest.raises(ledger.LedgerError, match="open"):
        ledger.allocate_payment(
            payment=payment, allocations=[(invoice, D("100.01"))], acting_user=None
        )
    ledger.allocate_payment(payment=payment, allocations=[(invoice, D("60.00"))], acting_user=None)
    other = issued_invoice(customer, "500.00")
    with pytest.raises(ledger.LedgerError, match="left to allocate"):
        ledger.allocate_payment(
            payment=payment, allocations=[(other, D("90.01"))], acting_user=None
        )
    assert queries.unallocated_amount(payment) == D("90.00")


def test_a_payment_cannot_cross_customers_or_organizations(customer):
    invoice = issued_invoice(customer, "100.00")
    stranger = CustomerFactory(organization=customer.organization)
    payment = ledger.record_payment(
        organization=customer.organization,
        customer=stranger,
        amount=D("100.00"),
        received_on=TODAY,
        acting_user=None,
    )
    with pytest.raises(ledger.LedgerError, match="another customer"):
        ledger.allocate_payment(
            payment=payment, allocations=[(invoice, D("10.00"))], acting_user=None
        )
    foreign = ledger.record_payment(
        organization=OrganizationFactory(), amount=D("100.00"), received_on=TODAY, acting_user=None
    )
    with pytest.raises(ledger.LedgerError, match="another organization"):
        ledger.allocate_payment(
            payment=foreign, allocations=[(invoice, D("10.00"))], acting_user=None
        )


def test_crediting_a_partly_paid_invoice_applies_the_credit_to_what_is_open(customer):
    invoice = issued_invoice(customer, "100.00")
    ledger.record_payment(
        organization=customer.organization,
        amount=D("70.00"),
        received_on=TODAY,
        acting_user=None,
        allocate_to=[(invoice, D("70.00"))],
    )
    credit_note = ledger.credit_invoice(
        invoice=invoice, acting_user=None, today=TODAY, reason="Retour"
    )
    assert credit_note.number == "C2026-00001"
    assert credit_note.total == D("100.00")
    assert queries.balance_of(invoice).open == D("0.00")
    assert queries.balance_of(invoice).state == "paid"
    assert queries.unapplied_credit(credit_note) == D("70.00")  # credit left for the customer


def test_a_full_credit_makes_the_invoice_credited_and_cannot_be_repeated(customer):
    invoice = issued_invoice(customer, "100.00")
    ledger.credit_invoice(invoice=invoice, acting_user=None, today=TODAY, reason="Fout bedrag")
    assert queries.balance_of(invoice).state == "credited"
    with pytest.raises(ledger.LedgerError, match="not yet credited"):
        ledger.credit_invoice(invoice=invoice, acting_user=None, today=TODAY, reason="Nog eens")


def test_write_off_the_rest_with_a_reason(customer):
    invoice = issued_invoice(customer, "100.00")
    ledger.record_payment(
        organization=customer.organization,
        amount=D("95.00"),
        received_on=TODAY,
        acting_user=None,
        allocate_to=[(invoice, D("95.00"))],
    )
    with pytest.raises(ledger.LedgerError):
        ledger.write_off(invoice=invoice, acting_user=None, today=TODAY, reason="")
    ledger.write_off(invoice=invoice, acting_user=None, today=TODAY, reason="Klein verschil")
    annotated = Invoice.objects.get(pk=invoice.pk)
    assert (annotated.open_amount, annotated.state) == (D("0.00"), "written_off")


def test_the_database_keeps_the_balance_through_insert_update_and_delete(customer):
    invoice = issued_invoice(customer, "100.00")
    payment = ledger.record_payment(
        organization=customer.organization,
        amount=D("100.00"),
        received_on=TODAY,
        acting_user=None,
        allocate_to=[(invoice, D("30.00"))],
    )
    allocation = payment.allocations.get()
    allocation.amount = D("45.00")
    allocation.save()
    row = Invoice.objects.get(pk=invoice.pk)
    assert (row.paid, row.open_amount, row.state) == (D("45.00"), D("55.00"), "partially_paid")
    allocation.kind, allocation.payment = "write_off", None
    allocation.save()
    row = Invoice.objects.get(pk=invoice.pk)
    assert (row.paid, row.written_off, row.open_amount) == (D("0.00"), D("45.00"), D("55.00"))
    allocation.delete()
    row = Invoice.objects.get(pk=invoice.pk)
    assert (row.written_off, row.open_amount, row.state) == (D("0.00"), D("100.00"), "open")


def test_the_database_refuses_allocations_beyond_the_total(customer):
    """Even a write that skips the services cannot book more than the invoice total."""
    from tegoed.invoices.models import Allocation

    invoice = issued_invoice(customer, "100.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(
            organization=customer.organization,
            invoice=invoice,
            kind="write_off",
            amount=D("100.01"),
            booked_on=TODAY,
        )
    assert Invoice.objects.get(pk=invoice.pk).open_amount == D("100.00")


def test_saving_a_stale_invoice_does_not_overwrite_its_balance(customer):
    invoice = issued_invoice(customer, "100.00")
    ledger.write_off(
        invoice=invoice, acting_user=None, today=TODAY, reason="Klein", amount=D("10.00")
    )
    invoice.description = "Gewijzigd"  # this object still says written_off = 0
    invoice.save()
    assert Invoice.objects.get(pk=invoice.pk).written_off == D("10.00")
    with pytest.raises(ValueError, match="kept by the database"):
        invoice.save(update_fields=["paid"])


def test_sql_and_python_balances_agree(customer):
    invoices = [
        issued_invoice(customer, amount) for amount in ("0.10", "0.20", "0.30", "1234567.89")
    ]
    for invoice in invoices:
        ledger.record_payment(
            organization=customer.organization,
            amount=D("0.10"),
            received_on=TODAY,
            acting_user=None,
            allocate_to=[(invoice, D("0.10"))],
        )
    for annotated in Invoice.objects.all():
        python = queries.balance_of(annotated)
        assert annotated.open_amount == python.open
        assert annotated.state == python.state
    total_open = sum(i.open_amount for i in queries.open_invoices(customer.organization))
    assert total_open == D("1234568.09")


def test_sums_of_many_cents_are_exact_in_sql(customer):
    """0.10 added 1,000 times is 100.00 exactly; float sums would drift (docs/decisions/0001)."""
    from django.db.models import Sum

    from tegoed.invoices.models import Payment

    Payment.objects.bulk_create(
        Payment(organization=customer.organization, amount=D("0.10"), received_on=TODAY)
        for _ in range(1000)
    )
    total = Payment.objects.aggregate(total=Sum("amount"))["total"]
    assert total == D("100.00")
    assert isinstance(total, Decimal)
    assert Payment.objects.filter(amount=D("0.10")).count() == 1000

"""An owner exports everything held about a customer and erases a customer the law no longer
requires the books about; each leaves an audit row."""

import datetime
import json

import pytest
from django.urls import reverse

from tegoed.accounts.models import Role
from tegoed.audit.models import AuditEvent
from tegoed.customers import personal_data
from tegoed.customers.models import BankAccount, Customer
from tegoed.domain.errors import DomainError
from tegoed.invoices import services as invoice_services
from tegoed.invoices.models import Invoice, Payment
from tests.factories import ContactFactory, CustomerFactory, MembershipFactory, issued_invoice
from tests.web.conftest import TODAY, login

pytestmark = pytest.mark.django_db

LONG_AGO = TODAY - datetime.timedelta(days=8 * 366)


@pytest.fixture
def owner(organization):
    return login(MembershipFactory(organization=organization, role=Role.OWNER).user)


def paid_long_ago(customer):
    invoice = issued_invoice(
        customer, "121.00", issue_date=LONG_AGO, due_date=LONG_AGO + datetime.timedelta(days=30)
    )
    invoice_services.record_payment(
        organization=customer.organization, amount=invoice.total, received_on=LONG_AGO,
        acting_user=None, customer=customer, payer_name="Anna Bakker",
        payer_iban="NL91ABNA0417164300", allocate_to=[(invoice, invoice.total)],
    )  # fmt: skip
    return invoice


def test_the_export_holds_every_record_about_the_customer(owner, organization):
    customer = CustomerFactory(organization=organization, name="Bakker B.V.")
    ContactFactory(customer=customer, name="Anna Bakker", email="anna@bakker.example")
    BankAccount.objects.create(customer=customer, iban="NL91ABNA0417164300")
    invoice = paid_long_ago(customer)
    other = CustomerFactory(organization=organization, name="De Vries Techniek")
    response = owner.get(reverse("customers:export", args=[customer.public_id]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    models = {record["model"] for record in document["records"]}
    assert {"customers.customer", "customers.contact", "customers.bankaccount",
            "invoices.invoice", "invoices.invoiceline", "invoices.payment",
            "invoices.allocation"} <= models  # fmt: skip
    text = response.content.decode()
    assert "anna@bakker.example" in text and invoice.number in text
    assert other.name not in text
    assert any(event["fields"]["action"] == "invoice.issued" for event in document["audit_trail"])
    assert AuditEvent.objects.filter(action="customer.exported").exists()


def test_only_an_owner_exports_or_erases(organization):
    customer = CustomerFactory(organization=organization)
    controller = login(
        MembershipFactory(organization=organization, role=Role.CREDIT_CONTROLLER).user
    )
    assert controller.get(reverse("customers:export", args=[customer.public_id])).status_code == 403
    erase = controller.post(
        reverse("customers:erase", args=[customer.public_id]), {"confirm": "yes"}
    )
    assert erase.status_code == 403
    stranger = login(MembershipFactory(role=Role.OWNER).user)  # owner elsewhere
    assert stranger.get(reverse("customers:export", args=[customer.public_id])).status_code == 404


def test_a_customer_without_books_is_erased_entirely(owner, organization):
    customer = CustomerFactory(organization=organization)
    ContactFactory(customer=customer, email="piet@example.com")
    response = owner.post(reverse("customers:erase", args=[customer.public_id]), {"confirm": "yes"})
    assert response.status_code == 302
    assert not Customer.objects.filter(pk=customer.pk).exists()
    event = AuditEvent.objects.get(action="customer.erased")
    assert customer.number in event.summary and customer.name not in event.summary


def test_books_older_than_seven_years_stay_without_the_person(owner, organization):
    customer = CustomerFactory(organization=organization, name="Bakker B.V.", city="Gouda")
    ContactFactory(customer=customer, email="anna@bakker.example")
    invoice = paid_long_ago(customer)
    owner.post(reverse("customers:erase", args=[customer.public_id]), {"confirm": "yes"})
    customer.refresh_from_db()
    assert (customer.name, customer.city, customer.contacts.count()) == ("—", "", 0)
    payment = Payment.objects.get()
    assert (payment.payer_name, payment.payer_iban) == ("", "")
    invoice = Invoice.objects.get(pk=invoice.pk)
    assert invoice.total == invoice.paid  # the books still add up
    assert not AuditEvent.objects.filter(summary__contains="Bakker").exists()


def test_no_erasure_while_money_is_owed_or_the_books_must_be_kept(organization):
    customer = CustomerFactory(organization=organization)
    issued_invoice(customer, "50.00", issue_date=TODAY - datetime.timedelta(days=40))
    refusals = personal_data.erasure_refusals(customer, today=TODAY)
    assert len(refusals) == 2
    assert "still owes" in refusals[0] and "7 years" in refusals[1]
    with pytest.raises(DomainError):
        personal_data.erase(customer, acting_user=None, today=TODAY)
    assert Customer.objects.filter(pk=customer.pk).exists()

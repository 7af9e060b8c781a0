import datetime
from decimal import Decimal

import pytest

from tegoed.invoices import services as invoice_services
from tests.factories import ContactFactory, CustomerFactory, OrganizationFactory, line


@pytest.fixture
def seller(db):
    return OrganizationFactory(
        legal_name="Bakkerij De Gouden Korst B.V.",
        street="Dorpsstraat 12",
        postal_code="1234 AB",
        city="Utrecht",
        kvk_number="12345678",
        vat_number="NL004495445B01",
        iban="NL91ABNA0417164300",
        bic="ABNANL2A",
        sepa_creditor_id="NL69ZZZ123456780000",
        sender_email="debiteuren@goudenkorst.example",
        phone="030 123 45 67",
    )


def make_customer(organization, **values):
    customer = CustomerFactory(organization=organization, **values)
    ContactFactory(customer=customer)
    return customer


@pytest.fixture
def business(seller):
    return make_customer(
        seller,
        name="Café Het Hoekje V.O.F.",
        street="Kerkplein 3",
        postal_code="3511 AA",
        city="Utrecht",
        vat_number="NL000099998B57",
        kvk_number="87654321",
    )


@pytest.fixture
def consumer(seller):
    return make_customer(
        seller,
        kind="consumer",
        name="J. de Vries",
        street="Lindelaan 8",
        postal_code="3581 KL",
        city="Utrecht",
        language="en",
    )


def issue(customer, *lines, issue_date=datetime.date(2026, 1, 4), term_days=30, reference=""):
    draft = invoice_services.save_draft_invoice(
        organization=customer.organization,
        customer=customer,
        lines=list(lines),
        issue_date=issue_date,
        due_date=issue_date + datetime.timedelta(days=term_days),
        customer_reference=reference,
        acting_user=None,
    )
    return invoice_services.issue_invoice(invoice=draft, acting_user=None, today=issue_date)


@pytest.fixture
def bakery_invoice(business):
    return issue(
        business,
        line("0.45", quantity="120", vat_rate="9", description="Broodjes wit"),
        line("24.50", quantity="3", vat_rate="9", description="Taarten op bestelling"),
        line("35.00", vat_rate="21", description="Bezorgkosten januari"),
        reference="PO-7781",
    )


@pytest.fixture
def consumer_invoice(consumer):
    return issue(consumer, line("1234.56", vat_rate="21", description="Kitchen renovation"))


EXPECTED_BAKERY_TOTAL = Decimal("181.33")

"""factory_boy factories for the ledger. Amounts are explicit Decimals, never random."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from tegoed.accounts.models import Membership, Organization, Role
from tegoed.customers.models import Contact, Customer
from tegoed.invoices import services as invoice_services


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    slug = factory.Sequence(lambda n: f"org{n}")
    legal_name = factory.Sequence(lambda n: f"Bakkerij Jansen {n} B.V.")
    street = "Dorpsstraat 1"
    postal_code = "1234 AB"
    city = "Utrecht"
    kvk_number = "12345678"
    iban = "NL91ABNA0417164300"
    sender_email = "facturen@jansen.example"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.CREDIT_CONTROLLER


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    organization = factory.SubFactory(OrganizationFactory)
    number = factory.Sequence(lambda n: f"D{n:05d}")
    kind = "business"
    name = factory.Sequence(lambda n: f"Klant {n} B.V.")
    street = "Stationsplein 2"
    postal_code = "3511 ED"
    city = "Utrecht"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = "Anna de Vries"
    role = "billing"
    email = factory.Sequence(lambda n: f"anna{n}@klant.example")


def line(amount: str, *, vat_rate: str = "21", quantity: str = "1", description: str = "Werk"):
    return invoice_services.LineInput(
        description=description,
        quantity=Decimal(quantity),
        unit_price=Decimal(amount),
        vat_rate=Decimal(vat_rate),
    )


def issued_invoice(
    customer: Customer,
    *amounts: str,
    issue_date: datetime.date = datetime.date(2026, 1, 5),
    due_date: datetime.date | None = None,
    vat_rate: str = "0",
    user=None,
):
    """An issued invoice with one line per amount (0 % VAT unless asked, so totals are plain)."""
    if not customer.contacts.exists():
        ContactFactory(customer=customer)
    draft = invoice_services.save_draft_invoice(
        organization=customer.organization,
        customer=customer,
        lines=[line(amount, vat_rate=vat_rate) for amount in amounts or ("100.00",)],
        issue_date=issue_date,
        due_date=due_date or issue_date + datetime.timedelta(days=30),
        acting_user=user,
    )
    return invoice_services.issue_invoice(invoice=draft, acting_user=user, today=issue_date)

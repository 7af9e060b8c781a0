"""Use cases that change customers: create and edit, contacts, notes, known bank accounts."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tegoed.audit import services as audit
from tegoed.customers.models import BankAccount, Contact, Customer, Note
from tegoed.domain import identifiers
from tegoed.domain.errors import DomainError

CUSTOMER_FIELDS = (
    "number",
    "kind",
    "name",
    "street",
    "postal_code",
    "city",
    "country",
    "kvk_number",
    "vat_number",
    "language",
    "payment_term_days",
    "early_payment_discount",
    "early_payment_discount_days",
    "credit_limit",
    "notes",
    "sales_owner",
)


def normalize_customer_fields(values: dict[str, Any]) -> dict[str, Any]:
    """KvK and VAT numbers in their standard form; raises DomainError with the reason."""
    values = dict(values)
    if values.get("kvk_number"):
        values["kvk_number"] = identifiers.normalize_kvk(values["kvk_number"])
    if values.get("vat_number"):
        values["vat_number"] = identifiers.normalize_vat(values["vat_number"])
    return values


@transaction.atomic
def create_customer(*, organization, acting_user, **values: Any) -> Customer:
    unknown = set(values) - set(CUSTOMER_FIELDS)
    if unknown:
        raise TypeError(f"unknown customer fields: {', '.join(sorted(unknown))}")
    customer = Customer(organization=organization, **normalize_customer_fields(values))
    customer.full_clean(validate_constraints=False)
    if Customer.objects.filter(organization=organization, number=customer.number).exists():
        raise DomainError(_("Customer number %(number)s is already taken.") % values)
    customer.save()
    audit.record(
        organization=organization,
        actor=acting_user,
        action="customer.created",
        subject=customer,
        summary=f"{customer.number} {customer.name}",
    )
    return customer


@transaction.atomic
def update_customer(*, customer: Customer, acting_user, **values: Any) -> Customer:
    values = normalize_customer_fields(values)
    changed = {}
    for field, value in values.items():
        if field not in CUSTOMER_FIELDS:
            raise TypeError(f"unknown customer field {field}")
        if getattr(customer, field) != value:
            changed[field] = [str(getattr(customer, field)), str(value)]
            setattr(customer, field, value)
    if not changed:
        return customer
    customer.full_clean()
    customer.save()
    audit.record(
        organization=customer.organization,
        actor=acting_user,
        action="customer.changed",
        subject=customer,
        summary=", ".join(changed),
        details={"changed": changed},
    )
    return customer


@transaction.atomic
def save_contact(
    *, customer: Customer, acting_user, contact: Contact | None = None, **values: Any
) -> Contact:
    contact = contact or Contact(customer=customer)
    if contact.customer_id != customer.pk:
        raise DomainError(_("The contact belongs to another customer."))
    for field, value in values.items():
        setattr(contact, field, value)
    contact.full_clean()
    contact.save()
    audit.record(
        organization=customer.organization,
        actor=acting_user,
        action="contact.saved",
        subject=customer,
        summary=f"{contact.name or contact.email} ({contact.get_role_display()})",
    )
    return contact


@transaction.atomic
def add_note(*, customer: Customer, acting_user, text: str) -> Note:
    if not text.strip():
        raise DomainError(_("A note needs some text."))
    note = Note.objects.create(customer=customer, author=acting_user, text=text.strip())
    audit.record(
        organization=customer.organization,
        actor=acting_user,
        action="customer.note_added",
        subject=customer,
        summary=text.strip()[:120],
    )
    return note


@transaction.atomic
def learn_bank_account(
    *, customer: Customer, iban: str, acting_user, holder_name: str = ""
) -> BankAccount:
    """Remember that the customer pays from this IBAN (a confirmed statement match teaches it)."""
    iban = identifiers.normalize_iban(iban)
    account, created = BankAccount.objects.get_or_create(
        customer=customer, iban=iban, defaults={"holder_name": holder_name}
    )
    if created:
        audit.record(
            organization=customer.organization,
            actor=acting_user,
            action="customer.iban_learned",
            subject=customer,
            summary=iban,
        )
    return account

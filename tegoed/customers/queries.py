"""Reads of customers and the access function views use to fetch one."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from tegoed.accounts.queries import require_membership
from tegoed.customers.models import Customer


def get_customer_for_user(user, organization, public_id) -> Customer:
    """The customer if it belongs to the organization the user works in; 404 otherwise."""
    require_membership(user, organization)
    try:
        return Customer.objects.filter(organization=organization).get(public_id=public_id)
    except (Customer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def billing_emails(customer: Customer) -> tuple[str, ...]:
    """Where invoices and reminders go: billing contacts first, then any other contact."""
    contacts = [contact for contact in customer.contacts.all() if contact.email]
    billing = [c.email for c in contacts if c.role == "billing"]
    return tuple(billing or [c.email for c in contacts])


def get_customer_for_member(user, membership, public_id) -> Customer:
    """As `get_customer_for_user`, and a salesperson sees only the customers they look after."""
    customer = get_customer_for_user(user, membership.organization, public_id)
    if membership.role == "sales" and customer.sales_owner_id != user.pk:
        raise Http404
    return customer


def get_contact_for_customer(customer: Customer, contact_id):
    try:
        return customer.contacts.get(pk=int(contact_id))
    except (ValueError, TypeError, customer.contacts.model.DoesNotExist):
        raise Http404 from None


def find_customer_by_number(organization, number: str) -> Customer | None:
    return Customer.objects.filter(organization=organization, number=number.strip()).first()


# What separates the number from the name in a chosen suggestion ("K-0012 · De Vries B.V.").
PICKED = " · "


def picked(customer: Customer) -> str:
    """The text a chosen customer leaves in the picker: number and name."""
    return f"{customer.number}{PICKED}{customer.name}"


def suggest_customers(organization, term: str, *, sales_owner=None, limit: int = 10):
    """Customers whose name or city contains the term, or whose number starts with it; exact
    number matches first, then by name. For the picker on the invoice form."""
    from django.db.models import Case, IntegerField, Q, Value, When

    term = term.split(PICKED)[0].strip() if PICKED in term else term.strip()
    if not term:
        return []
    customers = Customer.objects.filter(organization=organization)
    if sales_owner is not None:
        customers = customers.filter(sales_owner=sales_owner)
    matches = customers.filter(
        Q(number__istartswith=term) | Q(name__icontains=term) | Q(city__icontains=term)
    ).annotate(
        exact=Case(When(number=term, then=Value(0)), default=Value(1), output_field=IntegerField())
    )
    return list(matches.order_by("exact", "name", "id")[:limit])


def customer_list(
    organization,
    *,
    search: str = "",
    kind: str = "",
    tag: str = "",
    overdue_condition=None,
    sales_owner=None,
) -> QuerySet[Customer]:
    """Customers filtered for the list; search looks at name, number, KvK, e-mail and IBAN."""
    from django.db.models import Exists, OuterRef, Q

    from tegoed.customers.models import BankAccount, Contact
    from tegoed.domain import identifiers
    from tegoed.domain.errors import DomainError

    customers = Customer.objects.filter(organization=organization)
    if sales_owner is not None:
        customers = customers.filter(sales_owner=sales_owner)
    if kind:
        customers = customers.filter(kind=kind)
    if tag:
        customers = customers.filter(tags__name=tag)
    if search:
        term = search.strip()
        condition = Q(name__icontains=term) | Q(number=term)
        digits = "".join(ch for ch in term if ch.isdigit())
        if len(digits) == 8 and digits == term.replace(" ", ""):
            condition |= Q(kvk_number=digits)
        if "@" in term:
            condition |= Exists(Contact.objects.filter(customer=OuterRef("pk"), email__iexact=term))
        compact = "".join(term.split()).upper()
        if len(compact) >= 15 and compact[:2].isalpha():
            try:
                iban = identifiers.normalize_iban(compact)
            except DomainError:  # not an IBAN after all: the other conditions still apply
                iban = compact
            condition |= Exists(BankAccount.objects.filter(customer=OuterRef("pk"), iban=iban))
        customers = customers.filter(condition)
    if overdue_condition is not None:
        customers = customers.filter(overdue_condition)
    return customers


def contacts_of(customer: Customer):
    return customer.contacts.order_by("role", "name", "id")


def notes_of(customer: Customer, *, limit: int = 50):
    return customer.timeline.select_related("author").order_by("-created_at", "-id")[:limit]


def bank_accounts_of(customer: Customer):
    return customer.bank_accounts.order_by("iban")


def tags_of(organization):
    from tegoed.customers.models import Tag

    return Tag.objects.filter(organization=organization).order_by("name")

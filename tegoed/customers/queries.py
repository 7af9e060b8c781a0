"""Reads of customers and the access function views use to fetch one."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from tegoed.accounts.queries import require_membership
from tegoed.customers.models import Customer


def customers_for_organization(organization) -> QuerySet[Customer]:
    return Customer.objects.filter(organization=organization)


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

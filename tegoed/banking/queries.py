"""Reads for the review queue, and the access functions its views use."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import Http404

from tegoed.banking import explanations
from tegoed.banking.models import TO_REVIEW, BankEntry, EntryStatus, StatementImport
from tegoed.domain import notification
from tegoed.invoices.models import Invoice


def review_queue(organization):
    """Booked entries a person still has to decide on: suggested or not matched, money in
    first. Notified payments wait for their booking instead (`waiting_notifications`)."""
    return (
        BankEntry.objects.filter(organization=organization, status__in=TO_REVIEW, notified=False)
        .select_related("statement__statement_import")
        .order_by("-credit", "-booking_date", "statement_id", "position")
    )


def booked_entries(organization):
    """Every booked entry (not the bank's intraday notices), newest first."""
    return BankEntry.objects.filter(organization=organization, notified=False).order_by(
        "-booking_date", "-id"
    )


def flagged_matches(organization, *, limit: int = 50):
    """Automatic matches that carry a flag (overpayment, short payment, discount)."""
    return (
        BankEntry.objects.filter(organization=organization, status="matched", notified=False)
        .exclude(flags=[])
        .order_by("-booking_date", "-id")[:limit]
    )


def waiting_notifications(organization, *, today: datetime.date, limit: int = 100):
    """Notified payments whose booking has not come, oldest first; each with `overdue` set
    when it is later than the bank books (flagged for review, docs/decisions/0204)."""
    entries = list(
        BankEntry.objects.filter(organization=organization, notified=True, replaced_by__isnull=True)
        .exclude(status=EntryStatus.NOT_CUSTOMER_PAYMENT)
        .order_by("booking_date", "id")[:limit]
    )
    for entry in entries:
        entry.overdue = notification.overdue(entry.booking_date, today=today)
        entry.summary = explanations.of_entry(entry)
    return entries


def imports_of(organization, *, limit: int = 20):
    return StatementImport.objects.filter(organization=organization)[:limit]


def get_entry_for_user(user, organization, public_id) -> BankEntry:
    """The entry if it belongs to the organization the user works in; 404 otherwise."""
    from tegoed.accounts.queries import require_membership

    require_membership(user, organization)
    try:
        return (
            BankEntry.objects.select_related("statement__statement_import", "payment")
            .filter(organization=organization)
            .get(public_id=public_id)
        )
    except (BankEntry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def invoices_by_number(organization, numbers) -> dict[str, Invoice]:
    rows = Invoice.objects.filter(organization=organization, number__in=list(numbers))
    return {invoice.number: invoice for invoice in rows.select_related("customer")}


def resolve_allocations(organization, allocations: list[dict]) -> list[tuple[Invoice, Decimal]]:
    """A proposal's allocations as (invoice, amount), invoices of this organization only."""
    invoices = invoices_by_number(organization, [item["invoice_number"] for item in allocations])
    return [
        (invoices[item["invoice_number"]], Decimal(item["amount"]))
        for item in allocations
        if item["invoice_number"] in invoices
    ]


def candidates_of(entry: BankEntry) -> list[dict]:
    """The entry's candidates with their invoices, for the review page."""
    numbers = {
        allocation["invoice_number"]
        for proposal in entry.proposals
        for allocation in proposal.get("allocations", ())
    }
    invoices = invoices_by_number(entry.organization, numbers)
    return [
        {
            "number": position,
            "score": proposal.get("score", 0),
            "reason": proposal.get("reason", ""),
            "summary": explanations.summary(proposal),
            "flags": proposal.get("flags", []),
            "allocations": [
                {
                    "invoice": invoices.get(allocation["invoice_number"]),
                    "invoice_number": allocation["invoice_number"],
                    "amount": Decimal(allocation["amount"]),
                }
                for allocation in proposal.get("allocations", ())
            ],
        }
        for position, proposal in enumerate(entry.proposals)
    ]

"""Reads of promises, disputes and arrangements, for the agreements page and the task list."""

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from tegoed.arrangements.models import Arrangement, Dispute, DisputeOutcome, Promise
from tegoed.domain import limitation
from tegoed.invoices.models import Invoice


def open_invoices_of(customer) -> QuerySet[Invoice]:
    return Invoice.objects.filter(
        customer=customer, lifecycle="issued", kind="invoice", open_amount__gt=0
    ).order_by("due_date", "number")


def agreements_of(customer) -> dict:
    return {
        "promises": Promise.objects.filter(customer=customer).select_related("invoice")[:20],
        "disputes": Dispute.objects.filter(customer=customer).select_related(
            "invoice", "assigned_to", "credit_note"
        )[:20],
        "arrangements": Arrangement.objects.filter(customer=customer).prefetch_related(
            "instalments", "invoices"
        )[:10],
    }


def open_disputes(organization, user) -> QuerySet[Dispute]:
    """The organization's open disputes, the user's own tasks first, the oldest first."""
    return (
        Dispute.objects.filter(organization=organization, outcome=DisputeOutcome.OPEN)
        .select_related("customer", "invoice", "assigned_to")
        .annotate(
            mine=Case(
                When(assigned_to=user, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("mine", "opened_on", "id")
    )


def get_dispute_for_member(user, membership, pk) -> Dispute:
    """The dispute if it belongs to the user's organization (a salesperson: their customer's)."""
    from tegoed.accounts.queries import require_membership

    require_membership(user, membership.organization)
    try:
        dispute = Dispute.objects.select_related("customer", "invoice", "organization").get(
            organization=membership.organization, pk=pk
        )
    except (Dispute.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if membership.role == "sales" and dispute.customer.sales_owner_id != user.pk:
        raise Http404
    return dispute


def acknowledgements(invoices) -> dict[str, tuple[limitation.Event, ...]]:
    """Per invoice number, the days the customer acknowledged the debt by agreeing a payment
    arrangement over it (art. 3:318 BW), from its due date on: each interrupts limitation."""
    found: dict[str, list[limitation.Event]] = {}
    due = {invoice.number: invoice.due_date or invoice.issue_date for invoice in invoices}
    rows = Arrangement.objects.filter(invoices__in=invoices).values_list(
        "invoices__number", "agreed_on"
    )
    for number, agreed_on in rows:
        if number in due and agreed_on >= due[number]:
            found.setdefault(number, []).append(
                limitation.Event(agreed_on, limitation.ACKNOWLEDGEMENT, "payment arrangement")
            )
    return {number: tuple(events) for number, events in found.items()}

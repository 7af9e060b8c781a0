"""Reads of the ledger: balances derived from allocations, and access functions.

`with_balance` annotates each invoice with what was paid, credited and written off and the
open amount, computed in SQL from `Allocation` rows (exact integer cents on every database).
Views, the API and the portal fetch invoices only through `get_invoice_for_user`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from tegoed.common.fields import MoneyField
from tegoed.domain import balance
from tegoed.invoices.models import (
    Allocation,
    AllocationKind,
    Invoice,
    InvoiceKind,
    Lifecycle,
    Payment,
)


def _allocated(kind: str | None = None, *, by: str = "invoice") -> Coalesce:
    rows = Allocation.objects.filter(**{by: OuterRef("pk")})
    if kind is not None:
        rows = rows.filter(kind=kind)
    total = rows.order_by().values(by).annotate(total=Sum("amount")).values("total")
    return Coalesce(Subquery(total, output_field=MoneyField()), Value(0), output_field=MoneyField())


def with_balance(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Annotate `paid`, `credited`, `written_off`, `open_amount` and `state`."""
    invoices = invoices.annotate(
        paid=_allocated(AllocationKind.PAYMENT),
        credited=_allocated(AllocationKind.CREDIT_NOTE),
        written_off=_allocated(AllocationKind.WRITE_OFF),
    ).annotate(
        open_amount=_open_amount(),
    )
    return invoices.annotate(state=_state())


def _open_amount() -> ExpressionWrapper:
    return ExpressionWrapper(
        F("total") - F("paid") - F("credited") - F("written_off"), output_field=MoneyField()
    )


def _state() -> Case:
    """The SQL twin of `balance.state_of`, so lists can filter and sort by state."""
    return Case(
        When(lifecycle=Lifecycle.DRAFT, then=Value(balance.DRAFT)),
        When(Q(open_amount__gt=0) & Q(paid=0, credited=0, written_off=0), then=Value(balance.OPEN)),
        When(open_amount__gt=0, then=Value(balance.PARTIALLY_PAID)),
        When(written_off__gt=0, then=Value(balance.WRITTEN_OFF)),
        When(credited__gte=F("total"), then=Value(balance.CREDITED)),
        default=Value(balance.PAID),
    )


def balance_of(invoice: Invoice) -> balance.Balance:
    """The balance of one invoice, in one query."""
    sums = dict(
        Allocation.objects.filter(invoice=invoice)
        .order_by()
        .values_list("kind")
        .annotate(total=Sum("amount"))
    )
    zero = Decimal("0.00")
    return balance.Balance(
        total=invoice.total,
        paid=sums.get(AllocationKind.PAYMENT, zero),
        credited=sums.get(AllocationKind.CREDIT_NOTE, zero),
        written_off=sums.get(AllocationKind.WRITE_OFF, zero),
        is_draft=invoice.is_draft,
    )


def unallocated_amount(payment: Payment) -> Decimal:
    allocated = Allocation.objects.filter(payment=payment).aggregate(total=Sum("amount"))["total"]
    return payment.amount - (allocated or Decimal("0.00"))


def unapplied_credit(credit_note: Invoice) -> Decimal:
    applied = Allocation.objects.filter(credit_note=credit_note).aggregate(total=Sum("amount"))
    return credit_note.total - (applied["total"] or Decimal("0.00"))


def open_invoices(organization) -> QuerySet[Invoice]:
    """Issued invoices (not credit notes) with something still to pay."""
    return with_balance(
        Invoice.objects.filter(
            organization=organization, kind=InvoiceKind.INVOICE, lifecycle=Lifecycle.ISSUED
        )
    ).filter(open_amount__gt=0)


def overdue_invoices(organization, *, today: date) -> QuerySet[Invoice]:
    return open_invoices(organization).filter(due_date__lt=today)


def invoices_for_organization(organization) -> QuerySet[Invoice]:
    return Invoice.objects.filter(organization=organization).select_related("customer")


def get_invoice_for_user(user, organization, public_id) -> Invoice:
    """The invoice if it belongs to the organization the user works in; 404 otherwise."""
    from tegoed.accounts.queries import require_membership

    require_membership(user, organization)
    try:
        return (
            Invoice.objects.select_related("customer", "organization")
            .filter(organization=organization)
            .get(public_id=public_id)
        )
    except (Invoice.DoesNotExist, ValueError, TypeError):
        raise Http404 from None

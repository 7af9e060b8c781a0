"""Reads behind the dashboard, shaped so that they stay fast at a million invoices.

The open total is the sum of issued invoice totals minus the sum of everything booked against
them: two single-table aggregates, no join and no per-invoice subquery. Allocations only ever
go to issued invoices (never credit notes or drafts) and never exceed what is open, so the
difference is exactly the sum of the open amounts. The recent aging buckets (a few months of
due dates) are summed the same way within their due-date range; the oldest bucket is what
remains (`aging.from_totals`).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, CharField, F, Q, Sum, Value, When

from tegoed.common.fields import MoneyField
from tegoed.domain import aging
from tegoed.invoices.models import Allocation, Invoice, InvoiceKind, Lifecycle
from tegoed.invoices.queries import with_open_amount

ZERO = Decimal("0.00")
SALES_PERIOD_DAYS = 90


def _issued_invoices(organization):
    return Invoice.objects.filter(
        organization=organization, kind=InvoiceKind.INVOICE, lifecycle=Lifecycle.ISSUED
    )


def open_total(organization) -> Decimal:
    invoiced = _issued_invoices(organization).aggregate(total=Sum("total"))["total"] or ZERO
    booked = (
        Allocation.objects.filter(organization=organization).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    return invoiced - booked


def _bucket_case(prefix: str, *, today: date) -> Case:
    whens = []
    for bucket in aging.BUCKETS[:-1]:
        earliest, latest = bucket.due_dates(today=today)
        condition = Q()
        if earliest is not None:
            condition &= Q(**{f"{prefix}due_date__gte": earliest})
        if latest is not None:
            condition &= Q(**{f"{prefix}due_date__lte": latest})
        whens.append(When(condition, then=Value(bucket.key)))
    return Case(*whens, default=Value(aging.OVER_90.key), output_field=CharField())


def recent_buckets(organization, *, today: date) -> dict[str, Decimal]:
    """Open amount per aging bucket for invoices due at most 90 days ago."""
    earliest = aging.DAYS_61_90.due_dates(today=today)[0]
    invoiced = (
        _issued_invoices(organization)
        .filter(due_date__gte=earliest)
        .annotate(bucket=_bucket_case("", today=today))
        .order_by()
        .values_list("bucket")
        .annotate(total=Sum("total"))
    )
    booked = (
        Allocation.objects.filter(organization=organization, invoice__due_date__gte=earliest)
        .annotate(bucket=_bucket_case("invoice__", today=today))
        .order_by()
        .values_list("bucket")
        .annotate(total=Sum("amount"))
    )
    amounts = dict(invoiced)
    for key, total in booked:
        amounts[key] = amounts.get(key, ZERO) - total
    return amounts


def aging_of(organization, *, today: date) -> aging.Aging:
    return aging.from_totals(open_total(organization), recent_buckets(organization, today=today))


def credit_sales(organization, *, today: date, days: int = SALES_PERIOD_DAYS) -> Decimal:
    """Invoiced minus credited in the last `days` days (the DSO denominator)."""
    totals = (
        Invoice.objects.filter(
            organization=organization,
            lifecycle=Lifecycle.ISSUED,
            issue_date__gt=today - timedelta(days=days),
            issue_date__lte=today,
        )
        .order_by()
        .values_list("kind")
        .annotate(total=Sum("total"))
    )
    by_kind = dict(totals)
    return by_kind.get(InvoiceKind.INVOICE, ZERO) - by_kind.get(InvoiceKind.CREDIT_NOTE, ZERO)


def largest_overdue_debtors(organization, *, today: date, limit: int = 10, sales_owner=None):
    """The customers with the most overdue, largest first: (customer id, name, public id,
    overdue amount, number of overdue invoices)."""
    invoices = _issued_invoices(organization).filter(due_date__lt=today)
    if sales_owner is not None:
        invoices = invoices.filter(customer__sales_owner=sales_owner)
    return list(
        with_open_amount(invoices)
        .filter(open_amount__gt=0)
        .order_by()
        .values("customer_id", "customer__name", "customer__public_id")
        .annotate(overdue=Sum("open_amount"), invoices=Sum(Value(1)))
        .order_by("-overdue", "customer_id")[:limit]
    )


def collection_candidates(organization, *, today: date, limit: int = 10, sales_owner=None):
    """Open invoices more than 90 days past due, those that just crossed the line first.

    Walking back from the 90-day line along the due-date index finds the freshest candidates
    after reading a handful of rows, however long the history.
    """
    latest = aging.OVER_90.due_dates(today=today)[1]
    invoices = _issued_invoices(organization).filter(due_date__lte=latest)
    if sales_owner is not None:
        invoices = invoices.filter(customer__sales_owner=sales_owner)
    return list(
        with_open_amount(invoices)
        .filter(open_amount__gt=0)
        .select_related("customer")
        .order_by("-due_date", "-id")[:limit]
    )


def due_between(organization, *, first: date, last: date) -> tuple[int, Decimal]:
    """How many invoices with something open fall due in a (short) range, and how much."""
    row = (
        with_open_amount(_issued_invoices(organization).filter(due_date__range=(first, last)))
        .filter(open_amount__gt=0)
        .aggregate(
            count=Sum(Value(1)),
            open=Sum(F("open_amount"), output_field=MoneyField()),
        )
    )
    return row["count"] or 0, row["open"] or ZERO

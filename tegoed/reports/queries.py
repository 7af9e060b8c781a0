"""Reads behind the dashboard, shaped so that they stay fast at a million invoices.

Every figure is over open invoices only (state open or partially paid), found through the
partial index on (organization, due date) of open items, and sums the open-amount column the
database keeps; paid history, however long, is never read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from tegoed.common.fields import MoneyField
from tegoed.customers.models import Customer
from tegoed.domain import aging
from tegoed.invoices.models import Invoice, InvoiceKind, Lifecycle
from tegoed.invoices.queries import OPEN_STATES, credit_by_customer

ZERO = Decimal("0.00")
SALES_PERIOD_DAYS = 90


def _open_invoices(organization):
    return Invoice.objects.filter(
        organization=organization, kind=InvoiceKind.INVOICE, state__in=OPEN_STATES
    )


def _due_in(bucket: aging.Bucket, *, today: date) -> Q:
    """The invoices whose due date puts them in `bucket` on `today`."""
    earliest, latest = bucket.due_dates(today=today)
    condition = Q()
    if earliest is not None:
        condition &= Q(due_date__gte=earliest)
    if latest is not None:
        condition &= Q(due_date__lte=latest)
    return condition


def _bucket_case(*, today: date) -> Case:
    whens = [
        When(_due_in(bucket, today=today), then=Value(bucket.key)) for bucket in aging.BUCKETS[:-1]
    ]
    return Case(*whens, default=Value(aging.OVER_90.key), output_field=CharField())


def aging_of(organization, *, today: date) -> aging.Aging:
    """Open amount per aging bucket, in one grouped pass over the open invoices."""
    rows = (
        _open_invoices(organization)
        .annotate(bucket=_bucket_case(today=today))
        .order_by()
        .values_list("bucket")
        .annotate(total=Sum("open_amount"))
    )
    return aging.from_amounts(dict(rows))


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
    invoices = _open_invoices(organization).filter(due_date__lt=today)
    if sales_owner is not None:
        invoices = invoices.filter(customer__sales_owner=sales_owner)
    # Grouped on "customer + 0", not the column: SQLite would otherwise walk the customer index
    # through every invoice of every customer (seconds at a million) instead of reading only
    # the overdue open items from their covering index and grouping those (milliseconds).
    debtor = ExpressionWrapper(F("customer_id") + 0, output_field=IntegerField())
    rows = list(
        invoices.order_by()
        .annotate(debtor=debtor)
        .values("debtor")
        .annotate(overdue=Sum("open_amount"), invoices=Count("*"))
        .order_by("-overdue", "debtor")[:limit]
    )
    customers = Customer.objects.in_bulk([row["debtor"] for row in rows])
    return [
        {
            "customer_id": row["debtor"],
            "customer__name": customers[row["debtor"]].name,
            "customer__public_id": customers[row["debtor"]].public_id,
            "overdue": row["overdue"],
            "invoices": row["invoices"],
        }
        for row in rows
    ]


def collection_candidates(organization, *, today: date, limit: int = 10, sales_owner=None):
    """Open invoices more than 90 days past due, those that just crossed the line first.

    Walking back from the 90-day line along the due-date index finds the freshest candidates
    after reading a handful of rows, however long the history.
    """
    latest = aging.OVER_90.due_dates(today=today)[1]
    invoices = _open_invoices(organization).filter(due_date__lte=latest)
    if sales_owner is not None:
        invoices = invoices.filter(customer__sales_owner=sales_owner)
    return list(invoices.select_related("customer").order_by("-due_date", "-id")[:limit])


def due_between(organization, *, first: date, last: date) -> tuple[int, Decimal]:
    """How many invoices with something open fall due in a (short) range, and how much."""
    row = (
        _open_invoices(organization)
        .filter(due_date__range=(first, last))
        .aggregate(
            count=Sum(Value(1)),
            open=Sum(F("open_amount"), output_field=MoneyField()),
        )
    )
    return row["count"] or 0, row["open"] or ZERO


@dataclass(frozen=True, slots=True)
class CustomerAging:
    """One customer's open invoices per aging bucket, its credit, and what is owed net."""

    customer: Customer
    amounts: tuple[Decimal, ...]  # in the order of aging.BUCKETS
    credit: Decimal

    @property
    def open(self) -> Decimal:
        return sum(self.amounts, ZERO)

    @property
    def net(self) -> Decimal:
        return self.open - self.credit


def aging_by_customer(organization, *, today: date, sales_owner=None) -> list[CustomerAging]:
    """Every customer with open invoices or credit: open amount per bucket (one grouped pass
    over the open invoices), credit (unapplied payments and credit notes), and the net amount;
    the largest net first."""
    sums = {}
    for bucket in aging.BUCKETS:
        sums[f"b_{bucket.key}"] = Coalesce(
            Sum("open_amount", filter=_due_in(bucket, today=today)),
            Value(0),
            output_field=MoneyField(),
        )
    invoices = _open_invoices(organization)
    if sales_owner is not None:
        invoices = invoices.filter(customer__sales_owner=sales_owner)
    grouped = {
        row["customer_id"]: tuple(row[f"b_{bucket.key}"] for bucket in aging.BUCKETS)
        for row in invoices.order_by().values("customer_id").annotate(**sums)
    }
    credit = credit_by_customer(organization)
    customers = Customer.objects.filter(organization=organization)
    if sales_owner is not None:
        customers = customers.filter(sales_owner=sales_owner)
    found = customers.in_bulk(list(grouped.keys() | credit.keys()))
    nothing = tuple(ZERO for _bucket in aging.BUCKETS)
    rows = [
        CustomerAging(customer, grouped.get(pk, nothing), credit.get(pk, ZERO))
        for pk, customer in found.items()
    ]
    rows.sort(key=lambda row: (-row.net, row.customer.name, row.customer.pk))
    return rows

"""Reads of the ledger, and the access functions views use.

An invoice's `paid`, `credited`, `written_off`, `open_amount` and `state` are columns the
database keeps from the allocation rows (see `models`), so lists filter and sort on them with
plain indexes. Views, the API and the portal fetch invoices only through
`get_invoice_for_user`.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from tegoed.common.fields import MoneyField
from tegoed.domain import balance, discount
from tegoed.invoices.models import (
    Allocation,
    AllocationKind,
    Invoice,
    InvoiceKind,
    Lifecycle,
    Payment,
    Refund,
)


def balance_of(invoice: Invoice) -> balance.Balance:
    """The balance of one invoice as the database has it now (not as the object was read)."""
    fresh = Invoice.objects.only("total", "lifecycle", "paid", "credited", "written_off").get(
        pk=invoice.pk
    )
    return fresh.balance()


ZERO = Decimal("0.00")


def _sum(rows) -> Decimal:
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def unallocated_amount(payment: Payment) -> Decimal:
    """What is left of a payment: not allocated to invoices and not refunded."""
    return (
        payment.amount
        - _sum(Allocation.objects.filter(payment=payment))
        - _sum(Refund.objects.filter(payment=payment))
    )


def unapplied_credit(credit_note: Invoice) -> Decimal:
    """What is left of a credit note: not applied to invoices and not refunded."""
    return (
        credit_note.total
        - _sum(Allocation.objects.filter(credit_note=credit_note))
        - _sum(Refund.objects.filter(credit_note=credit_note))
    )


def _booked(model, **match) -> Coalesce:
    """The sum of `model` rows pointing at the outer row, for an annotation."""
    rows = model.objects.filter(**match).order_by().values(next(iter(match)))
    total = rows.annotate(total=Sum("amount")).values("total")
    return Coalesce(Subquery(total), Value(0), output_field=MoneyField())


def credit_of(customer) -> list[tuple[Payment | Invoice, Decimal]]:
    """The customer's credit: payments and issued credit notes with something left, oldest
    first, each with what is left of it."""
    payments = (
        Payment.objects.filter(customer=customer)
        .annotate(
            used=ExpressionWrapper(
                _booked(Allocation, payment=OuterRef("pk"))
                + _booked(Refund, payment=OuterRef("pk")),
                output_field=MoneyField(),
            )
        )
        .filter(amount__gt=F("used"))
        .order_by("received_on", "id")
    )
    notes = (
        Invoice.objects.filter(
            customer=customer, kind=InvoiceKind.CREDIT_NOTE, lifecycle=Lifecycle.ISSUED
        )
        .annotate(
            used=ExpressionWrapper(
                _booked(Allocation, credit_note=OuterRef("pk"))
                + _booked(Refund, credit_note=OuterRef("pk")),
                output_field=MoneyField(),
            )
        )
        .filter(total__gt=F("used"))
        .order_by("issue_date", "id")
    )
    return [(payment, payment.amount - payment.used) for payment in payments] + [
        (note, note.total - note.used) for note in notes
    ]


def unapplied_credit_total(organization) -> Decimal:
    """All credit of all customers of the organization: what the open invoices are netted by."""
    received = _sum(Payment.objects.filter(organization=organization))
    noted = Invoice.objects.filter(
        organization=organization, kind=InvoiceKind.CREDIT_NOTE, lifecycle=Lifecycle.ISSUED
    ).aggregate(total=Sum("total"))["total"] or Decimal("0.00")
    used = _sum(
        Allocation.objects.filter(
            organization=organization, kind__in=(AllocationKind.PAYMENT, AllocationKind.CREDIT_NOTE)
        )
    ) + _sum(Refund.objects.filter(organization=organization))
    return received + noted - used


def credit_by_customer(organization, customer_ids=None) -> dict[int, Decimal]:
    """Each customer's credit (as `credit_of` sums it), for the customers given or all of the
    organization's that have some: received + credit noted − applied − refunded, in four
    grouped sums."""

    def grouped(rows, customer_field: str, amount_field: str = "amount") -> dict[int, Decimal]:
        rows = rows.filter(organization=organization)
        if customer_ids is not None:
            rows = rows.filter(**{f"{customer_field}__in": list(customer_ids)})
        totals = (
            rows.exclude(**{f"{customer_field}__isnull": True})
            .order_by()
            .values_list(customer_field)
            .annotate(total=Sum(amount_field))
        )
        return dict(totals)

    received = grouped(Payment.objects.all(), "customer_id")
    noted = grouped(
        Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE, lifecycle=Lifecycle.ISSUED),
        "customer_id",
        "total",
    )
    paid_away = grouped(
        Allocation.objects.filter(kind=AllocationKind.PAYMENT), "payment__customer_id"
    )
    noted_away = grouped(
        Allocation.objects.filter(kind=AllocationKind.CREDIT_NOTE), "credit_note__customer_id"
    )
    refunded = grouped(Refund.objects.all(), "customer_id")
    credit = {}
    for customer in received.keys() | noted.keys():
        left = (
            received.get(customer, ZERO)
            + noted.get(customer, ZERO)
            - paid_away.get(customer, ZERO)
            - noted_away.get(customer, ZERO)
            - refunded.get(customer, ZERO)
        )
        if left:
            credit[customer] = left
    return credit


def balance_mismatches(organization) -> QuerySet[Invoice]:
    """Invoices whose kept sums differ from their allocation rows: none, unless the
    database's triggers were bypassed (a check for operators and tests)."""

    def booked(kind: str) -> Coalesce:
        rows = Allocation.objects.filter(invoice=OuterRef("pk"), kind=kind).order_by()
        total = rows.values("invoice").annotate(total=Sum("amount")).values("total")
        return Coalesce(Subquery(total), Value(0), output_field=MoneyField())

    return (
        Invoice.objects.filter(organization=organization)
        .annotate(
            booked_paid=booked(AllocationKind.PAYMENT),
            booked_credited=booked(AllocationKind.CREDIT_NOTE),
            booked_written_off=booked(AllocationKind.WRITE_OFF),
        )
        .exclude(
            paid=F("booked_paid"),
            credited=F("booked_credited"),
            written_off=F("booked_written_off"),
        )
    )


OPEN_STATES = (balance.OPEN, balance.PARTIALLY_PAID)


def open_invoices(organization) -> QuerySet[Invoice]:
    """Issued invoices (not credit notes) with something still to pay."""
    return Invoice.objects.filter(
        organization=organization, kind=InvoiceKind.INVOICE, state__in=OPEN_STATES
    )


def awaiting_discount(today: date) -> Q:
    """Invoices of which no more than their early-payment discount is open while it may still
    be taken: nothing to chase for the difference yet (`domain.discount.pending`)."""
    return Q(
        open_amount__gt=0,
        open_amount__lte=F("discount_amount"),
        discount_until__gte=today - timedelta(days=discount.GRACE_DAYS),
    )


def overdue_invoices(organization, *, today: date) -> QuerySet[Invoice]:
    return open_invoices(organization).filter(due_date__lt=today)


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


# Lists and pages of the staff web UI ------------------------------------------------------


OUTSTANDING = "outstanding"  # open or partially paid: something left to pay


def invoice_list(
    organization,
    *,
    today: date,
    state: str = "",
    overdue: bool = False,
    due_from: date | None = None,
    due_to: date | None = None,
    customer=None,
    issued_from: date | None = None,
    issued_to: date | None = None,
    amount_min: Decimal | None = None,
    amount_max: Decimal | None = None,
    search: str = "",
    kind: str = "",
    sales_owner=None,
) -> QuerySet[Invoice]:
    """Invoices and credit notes for the list, filtered; drafts only when asked for.

    The state and open amount are columns, so every filter is an index range; with a LIMIT
    and an indexed order the database stops at the first page of matches, so the list stays
    fast at a million rows without a count.
    """
    invoices = Invoice.objects.filter(organization=organization)
    if state == balance.DRAFT:
        invoices = invoices.filter(lifecycle=Lifecycle.DRAFT)
    else:
        invoices = invoices.filter(lifecycle=Lifecycle.ISSUED)
    if kind:
        invoices = invoices.filter(kind=kind)
    if customer is not None:
        invoices = invoices.filter(customer=customer)
    if sales_owner is not None:
        invoices = invoices.filter(customer__sales_owner=sales_owner)
    if issued_from:
        invoices = invoices.filter(issue_date__gte=issued_from)
    if issued_to:
        invoices = invoices.filter(issue_date__lte=issued_to)
    if due_from:
        invoices = invoices.filter(due_date__gte=due_from)
    if due_to:
        invoices = invoices.filter(due_date__lte=due_to)
    if amount_min is not None:
        invoices = invoices.filter(total__gte=amount_min)
    if amount_max is not None:
        invoices = invoices.filter(total__lte=amount_max)
    if search:
        invoices = invoices.filter(_search_condition(search))
    if overdue:
        invoices = invoices.filter(kind=InvoiceKind.INVOICE, due_date__lt=today)
    if state in (balance.OPEN, balance.PARTIALLY_PAID, balance.PAID, balance.CREDITED,
                 balance.WRITTEN_OFF):  # fmt: skip
        invoices = invoices.filter(kind=InvoiceKind.INVOICE, state=state)
    elif overdue or state == OUTSTANDING:
        invoices = invoices.filter(kind=InvoiceKind.INVOICE, state__in=OPEN_STATES)
    return invoices.select_related("customer")


def _search_condition(search: str) -> Q:
    """A number or payment reference, whole or its beginning (an index range, not a scan)."""
    term = search.strip()
    reference = "".join(term.split()).upper()
    condition = Q(number=term) | Q(payment_reference=reference)
    for prefix in {term, term.upper()}:
        condition |= Q(number__gte=prefix, number__lt=prefix + "\uffff")
    if reference.startswith("RF"):
        condition |= Q(payment_reference__gte=reference, payment_reference__lt=reference + "~")
    return condition


def lines_of(invoice: Invoice):
    return invoice.lines.all()


def allocations_of(invoice: Invoice):
    """What was booked against the invoice, oldest first, with the payment or credit note."""
    return invoice.allocations.select_related("payment", "credit_note", "created_by").order_by(
        "booked_on", "id"
    )


def credit_notes_of(invoice: Invoice):
    return invoice.credit_notes.order_by("issue_date", "id")


def audit_trail_of(invoice: Invoice):
    """The invoice's own events and those of the payments and credit notes booked against it."""
    from tegoed.audit.models import AuditEvent
    from tegoed.audit.services import subject_of

    subjects = {subject_of(invoice)}
    for allocation in invoice.allocations.select_related("payment", "credit_note"):
        if allocation.payment is not None:
            subjects.add(subject_of(allocation.payment))
    return (
        AuditEvent.objects.filter(organization_id=invoice.organization_id, subject__in=subjects)
        .select_related("actor")
        .order_by("-at", "-id")[:100]
    )


def open_totals_for_customers(customer_ids, *, today: date) -> dict[int, tuple[Decimal, Decimal]]:
    """(open, overdue) per customer, for the customers on one page of a list."""
    rows = (
        Invoice.objects.filter(
            customer_id__in=list(customer_ids), kind=InvoiceKind.INVOICE, state__in=OPEN_STATES
        )
        .order_by()
        .values("customer_id")
        .annotate(
            open=Sum("open_amount"),
            overdue=Coalesce(
                Sum("open_amount", filter=Q(due_date__lt=today)),
                Value(0),
                output_field=MoneyField(),
            ),
        )
    )
    return {row["customer_id"]: (row["open"], row["overdue"]) for row in rows}


def overdue_customers_condition(*, today: date):
    """An Exists() for customer querysets: the customer has an overdue open invoice."""
    from django.db.models import Exists

    return Exists(
        Invoice.objects.filter(
            customer=OuterRef("pk"),
            kind=InvoiceKind.INVOICE,
            state__in=OPEN_STATES,
            due_date__lt=today,
        )
    )


def statement_bookings(customer, *, since: date):
    """Everything that moved the customer's balance since a day, and the balance before it.

    Returns (opening balance, invoices and credit notes, payments, write-offs, refunds).
    Unallocated payments lower the balance too: they are credit on the customer's account;
    a refund of credit raises it again.
    """
    documents = Invoice.objects.filter(customer=customer, lifecycle=Lifecycle.ISSUED)
    payments = Payment.objects.filter(customer=customer)
    write_offs = Allocation.objects.filter(
        invoice__customer=customer, kind=AllocationKind.WRITE_OFF
    )

    refunds = Refund.objects.filter(customer=customer)

    def total(rows, field: str) -> Decimal:
        return rows.aggregate(total=Sum(field))["total"] or Decimal("0.00")

    opening = (
        total(documents.filter(kind=InvoiceKind.INVOICE, issue_date__lt=since), "total")
        - total(documents.filter(kind=InvoiceKind.CREDIT_NOTE, issue_date__lt=since), "total")
        - total(payments.filter(received_on__lt=since), "amount")
        - total(write_offs.filter(booked_on__lt=since), "amount")
        + total(refunds.filter(refunded_on__lt=since), "amount")
    )
    return (
        opening,
        list(documents.filter(issue_date__gte=since).order_by("issue_date", "id")),
        list(payments.filter(received_on__gte=since).order_by("received_on", "id")),
        list(write_offs.filter(booked_on__gte=since).select_related("invoice")),
        list(refunds.filter(refunded_on__gte=since).order_by("refunded_on", "id")),
    )


def settled_history(customer, *, limit: int = 200) -> list[tuple[date, date]]:
    """(due date, day settled in full) of the customer's most recently due settled invoices.

    The day settled is the last booking against the invoice; credit notes and write-offs
    count, since after them nothing was left to pay.
    """
    rows = (
        Invoice.objects.filter(
            customer=customer, kind=InvoiceKind.INVOICE, lifecycle=Lifecycle.ISSUED
        )
        .filter(state__in=(balance.PAID, balance.CREDITED, balance.WRITTEN_OFF))
        .annotate(settled_on=Subquery(_last_booking()))
        .filter(settled_on__isnull=False, due_date__isnull=False)
        .order_by("-due_date", "-id")
        .values_list("due_date", "settled_on")[:limit]
    )
    return list(rows)


def _last_booking():
    from django.db.models import Max

    return (
        Allocation.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(last=Max("booked_on"))
        .values("last")
    )


def payments_of_customer(customer, *, limit: int = 20):
    return Payment.objects.filter(customer=customer).order_by("-received_on", "-id")[:limit]


def get_invoice_for_member(user, membership, public_id) -> Invoice:
    """As `get_invoice_for_user`, and a salesperson sees only their own customers' invoices."""
    invoice = get_invoice_for_user(user, membership.organization, public_id)
    if membership.role == "sales" and invoice.customer.sales_owner_id != user.pk:
        raise Http404
    return invoice


def credit_token(source: Payment | Invoice) -> str:
    """How a form names a payment or credit note holding credit."""
    kind = "payment" if isinstance(source, Payment) else "credit_note"
    return f"{kind}:{source.public_id}"


def get_credit_for_customer(customer, token: str) -> Payment | Invoice:
    """The customer's payment or credit note a form named; 404 for anything else."""
    kind, _, public_id = (token or "").partition(":")
    try:
        if kind == "payment":
            return Payment.objects.get(customer=customer, public_id=public_id)
        if kind == "credit_note":
            return Invoice.objects.get(
                customer=customer,
                kind=InvoiceKind.CREDIT_NOTE,
                lifecycle=Lifecycle.ISSUED,
                public_id=public_id,
            )
    except (Payment.DoesNotExist, Invoice.DoesNotExist, ValueError, ValidationError):
        pass
    raise Http404


def open_invoices_of(customer):
    """The customer's issued invoices with something open, due first."""
    return Invoice.objects.filter(
        customer=customer, kind=InvoiceKind.INVOICE, state__in=OPEN_STATES
    ).order_by("due_date", "id")


def get_open_invoice_for_customer(customer, public_id) -> Invoice:
    try:
        return open_invoices_of(customer).get(public_id=public_id)
    except (Invoice.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None

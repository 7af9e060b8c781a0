"""The claim on a customer from the ledger: `claim_of(customer, on=day)`.

Builds the plain values `tegoed.domain.claim.compute` takes from the database: each invoice's
principal (its total less credit notes and write-offs), the payments booked to it (the day
the money was credited, art. 6:114 lid 2 BW), its contract date, and the organization's
terms. The web pages, `tegoed claim` and the daily run read the claim here, with what the
invoices' history adds (`tegoed.claims.history`: reminders, acknowledgements, summons and
judgment for limitation, a 14-day letter, a judgment's award, waived interest).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from tegoed.claims.models import ClaimTerms, SimpleInterest
from tegoed.customers.models import Customer
from tegoed.domain import claim, collection_costs, interest
from tegoed.domain.rate_table import Rate
from tegoed.invoices.models import Allocation, AllocationKind, Invoice, InvoiceKind, Lifecycle
from tegoed.rates.queries import rate_table

# The payments booked to an invoice, in the order they were credited (art. 6:114 lid 2 BW).
PAYMENTS_BOOKED = Prefetch(
    "allocations",
    queryset=Allocation.objects.filter(kind=AllocationKind.PAYMENT)
    .select_related("payment")
    .order_by("payment__received_on", "id"),
    to_attr="payments_booked",
)


def claim_terms_of(organization) -> ClaimTerms:
    """The organization's claim terms; the defaults (unsaved) when it set none."""
    try:
        return organization.claim_terms
    except ClaimTerms.DoesNotExist:
        return ClaimTerms(organization=organization)


def terms_of(customer: Customer) -> claim.Terms:
    """The law and the organization's terms that apply to this customer."""
    organization = customer.organization
    settings = claim_terms_of(organization)
    clause = None
    if settings.costs_clause_percent is not None:
        clause = collection_costs.agreed_percentage(
            organization.jurisdiction,
            settings.costs_clause_percent,
            minimum=settings.costs_clause_minimum,
        )
    return claim.Terms(
        jurisdiction=organization.jurisdiction,
        debtor=customer.kind,
        costs_clause=clause,
        due_date_agreed=settings.consumer_due_date_agreed,
    )


def rates_for(customer: Customer) -> Sequence[Rate]:
    """The rate table the claim computes with: the admin's rows for the jurisdiction."""
    return rate_table(customer.organization.jurisdiction)


def open_invoices_of(customer: Customer) -> QuerySet[Invoice]:
    """The customer's issued invoices that are still open, the earliest due first."""
    return Invoice.objects.filter(
        customer=customer,
        kind=InvoiceKind.INVOICE,
        lifecycle=Lifecycle.ISSUED,
        open_amount__gt=0,
    ).order_by("due_date", "number")


def claim_invoices(
    invoices: QuerySet[Invoice] | Iterable[Invoice], *, prefetched: bool = False
) -> list[claim.Invoice]:
    """The invoices as the claim sees them, in their order, with the payments booked to each;
    `prefetched`: the invoices were read with `PAYMENTS_BOOKED` already."""
    if prefetched:
        invoices = list(invoices)
    elif not isinstance(invoices, QuerySet):
        chosen = list(invoices)
        by_pk = Invoice.objects.filter(pk__in=[i.pk for i in chosen]).in_bulk()
        invoices = [by_pk[i.pk] for i in chosen]
        prefetch_related_objects(invoices, PAYMENTS_BOOKED)
    else:
        invoices = invoices.prefetch_related(PAYMENTS_BOOKED)
    simple = set(
        SimpleInterest.objects.filter(invoice__in=invoices).values_list("invoice_id", flat=True)
    )
    return [
        claim.Invoice(
            number=row.number,
            principal=row.total - row.credited - row.written_off,
            issued_on=row.issue_date,
            due_on=row.due_date,
            contract_date=row.contract_date,
            simple_interest=row.pk in simple,
            payments=tuple(
                interest.Payment(allocation.payment.received_on, allocation.amount)
                for allocation in row.payments_booked
            ),
        )
        for row in invoices
    ]


def claim_of(
    customer: Customer, *, on: date, invoices: Sequence[Invoice] | None = None
) -> claim.Claim:
    """The claim on `customer` on `on` over its open invoices, or over `invoices` of it."""
    from tegoed.claims.history import with_history

    if invoices is None:
        invoices = list(open_invoices_of(customer))
    elif any(invoice.customer_id != customer.pk for invoice in invoices):
        raise ValueError("a claim covers the invoices of one customer")
    rows = with_history(customer, invoices, claim_invoices(invoices), on=on)
    currency = invoices[0].currency if invoices else None
    terms = terms_of(customer)
    if currency:
        terms = replace(terms, currency=currency)
    return claim.compute(rows, terms=terms, on=on, rates=rates_for(customer))

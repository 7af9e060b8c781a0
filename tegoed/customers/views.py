"""Customer pages: the list, one customer's page, and the forms that change customers.

Each view parses the request, fetches through an access function, calls a service and
renders; none writes a row itself.
"""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tegoed.accounts.current import (
    change_required,
    is_sales,
    organization_required,
    require_owner,
    today,
)
from tegoed.accounts.models import Role
from tegoed.claims import queries as claims
from tegoed.common import pagination
from tegoed.customers import forms, personal_data, queries, services
from tegoed.customers.models import Customer
from tegoed.domain import account_statement, habits
from tegoed.domain.errors import DomainError
from tegoed.invoices import customer_credit
from tegoed.invoices import queries as invoice_queries
from tegoed.reports import export as reports_export

ZERO = Decimal("0.00")

PAGE_SIZE = 50
STATEMENT_MONTHS = 12


def _customer(request: HttpRequest, public_id):
    return queries.get_customer_for_member(request.user, request.membership, public_id)


def _filtered(request: HttpRequest, day):
    """The list's filter form and the customers it selects, in its order."""
    organization = request.organization
    form = forms.CustomerFilterForm(request.GET or None, tags=queries.tags_of(organization))
    filters = form.cleaned_data if form.is_valid() else {}
    customers = queries.customer_list(
        organization,
        search=filters.get("q", ""),
        kind=filters.get("kind", ""),
        tag=filters.get("tag", ""),
        overdue_condition=(
            invoice_queries.overdue_customers_condition(today=day)
            if filters.get("overdue")
            else None
        ),
        sales_owner=request.user if is_sales(request) else None,
    ).order_by(*forms.SORTS.get(filters.get("sort") or "name", forms.SORTS["name"]))
    return form, customers


@organization_required
def customer_list(request: HttpRequest) -> HttpResponse:
    day = today(request)
    form, customers = _filtered(request, day)
    page_number = pagination.page_number(request.GET.get("page"))
    start = (page_number - 1) * PAGE_SIZE
    rows = list(customers[start : start + PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    balances = invoice_queries.open_totals_for_customers([c.pk for c in rows], today=day)
    credit = invoice_queries.credit_by_customer(request.organization, [c.pk for c in rows])
    context = {
        "form": form,
        "rows": [
            (customer, *balances.get(customer.pk, (None, None)), credit.get(customer.pk))
            for customer in rows
        ],
        "page_number": page_number,
        "next_page": page_number + 1 if has_next else None,
        "previous_page": page_number - 1 if page_number > 1 else None,
    }
    template = "customers/list.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


@organization_required
def suggestions(request: HttpRequest) -> HttpResponse:
    """The picker's suggestions for what was typed so far (a <datalist>, swapped by htmx)."""
    term = request.GET.get("customer", request.GET.get("q", ""))[:100]
    customers = queries.suggest_customers(
        request.organization, term, sales_owner=request.user if is_sales(request) else None
    )
    return render(
        request,
        "customers/suggestions.html",
        {"suggestions": [(queries.picked(c), c.city) for c in customers]},
    )


EXPORT_BATCH = 500


@organization_required
def export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The customer list as a file, with the page's filters, every page of it."""
    day = today(request)
    _form, customers = _filtered(request, day)
    columns = [
        reports_export.Column(_("Customer number"), width=12),
        reports_export.Column(_("Name"), width=36),
        reports_export.Column(_("Kind"), width=12),
        reports_export.Column(_("City"), width=18),
        reports_export.Column(_("KvK number"), width=11),
        reports_export.Column(_("VAT number"), width=16),
        reports_export.Column(_("Payment term (days)"), reports_export.NUMBER, width=10),
        reports_export.Column(_("Open"), reports_export.MONEY),
        reports_export.Column(_("Overdue"), reports_export.MONEY),
        reports_export.Column(_("Credit on account"), reports_export.MONEY),
        reports_export.Column(_("Open less credit"), reports_export.MONEY),
    ]

    def rows():
        batch = []
        for customer in customers.iterator(chunk_size=EXPORT_BATCH):
            batch.append(customer)
            if len(batch) == EXPORT_BATCH:
                yield from _export_rows(request.organization, batch, day)
                batch = []
        yield from _export_rows(request.organization, batch, day)

    return reports_export.respond(
        file_format,
        _("customers") + f"-{day.isoformat()}",
        columns,
        rows,
        sheet=_("Customers"),
    )


def _export_rows(organization, customers, day):
    if not customers:
        return
    ids = [customer.pk for customer in customers]
    balances = invoice_queries.open_totals_for_customers(ids, today=day)
    credit = invoice_queries.credit_by_customer(organization, ids)
    for customer in customers:
        open_amount, overdue = balances.get(customer.pk, (ZERO, ZERO))
        left = credit.get(customer.pk, ZERO)
        yield [
            customer.number,
            customer.name,
            str(customer.get_kind_display()),
            customer.city,
            customer.kvk_number,
            customer.vat_number,
            customer.payment_term_days,
            open_amount,
            overdue,
            left,
            open_amount - left,
        ]


def _statement_since(request: HttpRequest, day: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("since", ""))
    except ValueError:
        return day.replace(day=1) - datetime.timedelta(days=30 * (STATEMENT_MONTHS - 1))


def _statement(customer, *, since: datetime.date):
    opening, documents, payments, write_offs, refunds = invoice_queries.statement_bookings(
        customer, since=since
    )
    entries = [
        account_statement.Entry(
            on=document.issue_date,
            kind=(
                account_statement.CREDIT_NOTE
                if document.is_credit_note
                else account_statement.INVOICE
            ),
            reference=document.number,
            amount=document.total,
            link=document.get_absolute_url(),
            description=document.description,
        )
        for document in documents
    ]
    entries += [
        account_statement.Entry(
            on=payment.received_on,
            kind=account_statement.PAYMENT,
            reference=payment.bank_reference or payment.get_method_display(),
            amount=payment.amount,
            description=payment.description,
        )
        for payment in payments
    ]
    entries += [
        account_statement.Entry(
            on=allocation.booked_on,
            kind=account_statement.WRITE_OFF,
            reference=allocation.invoice.number,
            amount=allocation.amount,
            link=allocation.invoice.get_absolute_url(),
            description=allocation.reason,
        )
        for allocation in write_offs
    ]
    entries += [
        account_statement.Entry(
            on=refund.refunded_on,
            kind=account_statement.REFUND,
            reference=refund.to_iban,
            amount=refund.amount,
            description=refund.reason,
        )
        for refund in refunds
    ]
    return opening, account_statement.compose(opening, entries)


@organization_required
def customer_detail(request: HttpRequest, public_id) -> HttpResponse:
    customer = _customer(request, public_id)
    day = today(request)
    since = _statement_since(request, day)
    opening, lines = _statement(customer, since=since)
    history = invoice_queries.settled_history(customer)
    profile = habits.describe([habits.Settled(due, settled) for due, settled in history])
    open_amount, overdue = invoice_queries.open_totals_for_customers([customer.pk], today=day).get(
        customer.pk, (None, None)
    )
    context = {
        "customer": customer,
        "contacts": queries.contacts_of(customer),
        "bank_accounts": queries.bank_accounts_of(customer),
        "notes": queries.notes_of(customer),
        "note_form": forms.NoteForm(),
        "since": since,
        "opening": opening,
        "lines": lines,
        "closing": lines[-1].balance if lines else opening,
        "profile": profile,
        "open_amount": open_amount,
        "overdue": overdue,
        "may_note": request.membership.role != "read_only",
        "claim": claims.claim_of(customer, on=day) if open_amount else None,
        "erasure_refusals": (
            personal_data.erasure_refusals(customer, today=day)
            if request.membership.role == Role.OWNER
            else ()
        ),
        **customer_credit.context_for(customer, today=day),
    }
    return render(request, "customers/detail.html", context)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@change_required
def customer_create(request: HttpRequest) -> HttpResponse:
    form = forms.CustomerForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.create_customer(
                organization=request.organization,
                acting_user=request.user,
                **{field: form.cleaned_data[field] for field in form.Meta.fields},
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except DomainError as error:
            form.add_error("number", str(error))
        else:
            messages.success(request, _("Customer %(name)s added.") % {"name": customer.name})
            return redirect(customer)
    return render(request, "customers/form.html", {"form": form, "customer": None})


@change_required
def customer_edit(request: HttpRequest, public_id) -> HttpResponse:
    customer = _customer(request, public_id)
    # The form works on a copy: the service compares the new values with the stored ones.
    form = forms.CustomerForm(
        request.POST or None, instance=copy.copy(customer), organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_customer(
                customer=customer,
                acting_user=request.user,
                **{field: form.cleaned_data[field] for field in form.Meta.fields},
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Changes saved."))
            return redirect(customer)
    return render(request, "customers/form.html", {"form": form, "customer": customer})


@change_required
def contact_edit(request: HttpRequest, public_id, contact_id=None) -> HttpResponse:
    customer = _customer(request, public_id)
    contact = queries.get_contact_for_customer(customer, contact_id) if contact_id else None
    form = forms.ContactForm(request.POST or None, instance=copy.copy(contact) if contact else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_contact(
                customer=customer, acting_user=request.user, contact=contact, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Contact saved."))
            return redirect(customer)
    context = {"form": form, "customer": customer, "contact": contact}
    return render(request, "customers/contact_form.html", context)


@require_POST
@organization_required
def note_add(request: HttpRequest, public_id) -> HttpResponse:
    """Anyone but a read-only user may add a note: sales talks to its customers too."""
    if request.membership.role == "read_only":
        raise PermissionDenied
    customer = _customer(request, public_id)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(
                customer=customer, acting_user=request.user, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            form.add_error("text", str(error))
        else:
            form = forms.NoteForm()
    if request.htmx:
        context = {
            "customer": customer,
            "notes": queries.notes_of(customer),
            "note_form": form,
            "may_note": True,
        }
        return render(request, "customers/detail.html#notes", context)
    if form.errors:
        messages.error(request, " ".join(form.errors.get("text", [])))
    return redirect(customer)


@organization_required
def export_personal_data(request: HttpRequest, public_id) -> HttpResponse:
    """Everything held about the customer, as a JSON download (AVG art. 15 and 20)."""
    customer = _customer(request, public_id)
    require_owner(request)
    document = personal_data.export(customer, acting_user=request.user, now=timezone.now())
    response = HttpResponse(document, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="customer-{customer.public_id}.json"'
    return response


@require_POST
@organization_required
def erase_personal_data(request: HttpRequest, public_id) -> HttpResponse:
    customer = _customer(request, public_id)
    require_owner(request)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the erasure."))
        return redirect("customers:detail", public_id=customer.public_id)
    try:
        personal_data.erase(customer, acting_user=request.user, today=today(request))
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("customers:detail", public_id=customer.public_id)
    messages.success(request, _("The customer's personal data has been erased."))
    if Customer.objects.filter(pk=customer.pk).exists():
        return redirect("customers:detail", public_id=customer.public_id)
    return redirect("customers:list")

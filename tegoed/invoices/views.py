"""Invoice pages: the list, one invoice with its bookings, drafts, and the ledger actions.

Each view parses the request, fetches through an access function, calls a service and
renders; none writes a row itself.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from tegoed.accounts import approval
from tegoed.accounts.current import (
    change_required,
    is_sales,
    may_change,
    organization_required,
    today,
)
from tegoed.accounts.templatetags.tegoed import money
from tegoed.claims import queries as claims
from tegoed.claims.models import SimpleInterestSource
from tegoed.common import pagination
from tegoed.customers.queries import (
    find_customer_by_number,
    get_customer_for_member,
    picked,
    suggest_customers,
)
from tegoed.domain import aging, balance, issuing
from tegoed.domain.errors import DomainError
from tegoed.invoices import customer_credit, forms, queries, quotes, services
from tegoed.invoices.issue_messages import describe
from tegoed.invoices.models import DRAFTED_KINDS, InvoiceKind
from tegoed.reports import export as reports_export

PAGE_SIZE = 50


def _invoice(request: HttpRequest, public_id):
    return queries.get_invoice_for_member(request.user, request.membership, public_id)


def _filtered(request: HttpRequest, day):
    """The list's filter form, the customer it is narrowed to, the invoices and their order."""
    organization = request.organization
    form = forms.InvoiceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    customer = None
    if filters.get("customer"):
        customer = get_customer_for_member(request.user, request.membership, filters["customer"])
    state = filters.get("state", "")
    due_from, due_to = filters.get("due_from"), filters.get("due_to")
    bucket = aging.BY_KEY.get(filters.get("bucket") or "")
    if bucket is not None:
        earliest, latest = bucket.due_dates(today=day)
        due_from = max(filter(None, (due_from, earliest)), default=None)
        due_to = min(filter(None, (due_to, latest)), default=None)
        state = state or queries.OUTSTANDING
    invoices = queries.invoice_list(
        organization,
        today=day,
        state=state,
        overdue=bool(filters.get("overdue")),
        due_from=due_from,
        due_to=due_to,
        customer=customer,
        issued_from=filters.get("issued_from"),
        issued_to=filters.get("issued_to"),
        amount_min=filters.get("amount_min"),
        amount_max=filters.get("amount_max"),
        search=filters.get("q", ""),
        kind=filters.get("kind", ""),
        sales_owner=request.user if is_sales(request) else None,
    )
    if state == balance.DRAFT:
        order = forms.DRAFT_ORDER
    else:
        order = forms.SORTS.get(filters.get("sort") or "-issue_date", forms.SORTS["-issue_date"])
        if order.field == "number":
            invoices = invoices.exclude(number="")
    return form, customer, invoices, order


@organization_required
def invoice_list(request: HttpRequest) -> HttpResponse:
    day = today(request)
    form, customer, invoices, order = _filtered(request, day)
    page = pagination.page(invoices, order, after=request.GET.get("after", ""), size=PAGE_SIZE)
    context = {
        "form": form,
        "customer": customer,
        "today": day,
        "rows": [(invoice, invoice.balance()) for invoice in page.rows],
        "page": page,
    }
    template = "invoices/list.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


@organization_required
def export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The invoice list as a file, with the page's filters and order, every page of it. Credit
    notes count negative, so that the total is what was invoiced less what was credited."""
    day = today(request)
    _form, _customer, invoices, order = _filtered(request, day)
    columns = [
        reports_export.Column(_("Number"), width=14),
        reports_export.Column(_("Kind"), width=12),
        reports_export.Column(_("Customer number"), width=12),
        reports_export.Column(_("Customer"), width=32),
        reports_export.Column(_("Issued"), reports_export.DATE, width=11),
        reports_export.Column(_("Due"), reports_export.DATE, width=11),
        reports_export.Column(_("Days past due"), reports_export.NUMBER, width=8),
        reports_export.Column(_("Currency"), reports_export.CURRENCY, width=8),
        reports_export.Column(_("Total"), reports_export.MONEY),
        reports_export.Column(_("Open"), reports_export.MONEY),
        reports_export.Column(_("State"), width=14),
        reports_export.Column(_("Payment reference"), width=24),
    ]
    kinds = dict(InvoiceKind.choices)
    kind_names = {key: str(name) for key, name in kinds.items()}
    states = state_names()

    def rows():
        # Plain values, not model instances: a long list is written four times faster.
        fields = (
            "number", "kind", "customer__number", "customer__name", "issue_date", "due_date",
            "currency", "total", "open_amount", "state", "payment_reference",
        )  # fmt: skip
        ordered = invoices.order_by(*order.order_by).values_list(*fields)
        draft, credit_note = _("Draft"), str(kinds[InvoiceKind.CREDIT_NOTE])
        for (number, kind, customer_number, customer_name, issued, due, currency, total,
             open_amount, state, reference) in ordered.iterator(chunk_size=2000):  # fmt: skip
            is_note = kind == InvoiceKind.CREDIT_NOTE
            late = (
                (day - due).days
                if not is_note and open_amount > 0 and due and due < day and state != "draft"
                else None
            )
            yield [
                number or draft,
                kind_names[kind],
                customer_number,
                customer_name,
                issued,
                None if is_note else due,
                late,
                currency,
                -total if is_note else total,
                None if is_note else open_amount,
                credit_note if is_note else states[state],
                reference,
            ]

    return reports_export.respond(
        file_format, _("invoices") + f"-{day.isoformat()}", columns, rows, sheet=_("Invoices")
    )


def state_names() -> dict[str, str]:
    return {
        balance.DRAFT: _("Draft"),
        balance.OPEN: _("Open"),
        balance.PARTIALLY_PAID: _("Partly paid"),
        balance.PAID: _("Paid"),
        balance.CREDITED: _("Credited"),
        balance.WRITTEN_OFF: _("Written off"),
    }


def _detail_context(request: HttpRequest, invoice, **forms_given) -> dict:
    day = today(request)
    invoice_balance = queries.balance_of(invoice)
    context = {
        "invoice": invoice,
        "balance": invoice_balance,
        "today": day,
        "lines": queries.lines_of(invoice),
        "allocations": queries.allocations_of(invoice),
        "credit_notes": queries.credit_notes_of(invoice),
        "audit_trail": queries.audit_trail_of(invoice),
        "payment_form": forms.PaymentForm(
            initial={"amount": invoice_balance.open, "received_on": day}
        ),
        **(
            customer_credit.context_for(invoice.customer, today=day, invoice=invoice)
            if not invoice.is_draft and invoice.is_invoice and invoice_balance.open > 0
            else {}
        ),
        "credit_form": forms.CreditForm(lines=queries.lines_of(invoice)),
        "write_off_form": forms.WriteOffForm(initial={"amount": invoice_balance.open}),
        "approval_limit": approval.limit_of(request.membership),
        "creditable": (
            services.creditable(invoice) if not invoice.is_draft and invoice.is_invoice else 0
        ),
        "is_overdue": (
            not invoice.is_draft
            and invoice.is_invoice
            and invoice_balance.open > 0
            and invoice.due_date is not None
            and invoice.due_date < day
        ),
    }
    if invoice.is_draft:
        problems = services.issue_problems(invoice, today=day)
        context["problems"] = [
            {"text": describe(problem), "is_error": problem.severity == issuing.ERROR}
            for problem in problems
        ]
        context["may_issue"] = not issuing.errors(problems)
    is_invoice = not invoice.is_draft and invoice.is_invoice
    context["may_correct"] = (
        may_change(request)
        and is_invoice
        and (context["creditable"] > 0 or invoice_balance.open > 0)
    )
    context.update(forms_given)
    return context


@organization_required
def invoice_detail(request: HttpRequest, public_id) -> HttpResponse:
    invoice = _invoice(request, public_id)
    context = _detail_context(request, invoice)
    if context["is_overdue"]:
        context["claim"] = claims.claim_of(
            invoice.customer, on=context["today"], invoices=[invoice]
        )
        context["simple_sources"] = SimpleInterestSource.choices
    return render(request, "invoices/detail.html", context)


def _ledger_response(request: HttpRequest, invoice, **forms_given) -> HttpResponse:
    """After an action: the ledger part for htmx, the whole page otherwise."""
    context = _detail_context(request, invoice, **forms_given)
    template = "invoices/detail.html#ledger" if request.htmx else "invoices/detail.html"
    status = 422 if any(form.errors for form in forms_given.values()) else 200
    if request.htmx and status == 422:
        # htmx does not swap error responses by default; the form with its errors must show.
        status = 200
    return render(request, template, context, status=status)


@require_POST
@change_required
def record_payment(request: HttpRequest, public_id) -> HttpResponse:
    invoice = _invoice(request, public_id)
    form = forms.PaymentForm(request.POST)
    if form.is_valid() and form.check_doubts(today=today(request), issued_on=invoice.issue_date):
        amount = form.cleaned_data["amount"]
        open_amount = queries.balance_of(invoice).open
        try:
            services.record_payment(
                organization=request.organization,
                amount=amount,
                received_on=form.cleaned_data["received_on"],
                acting_user=request.user,
                customer=invoice.customer,
                currency=invoice.currency,
                method=form.cleaned_data["method"],
                payer_name=form.cleaned_data["payer_name"],
                description=form.cleaned_data["description"],
                # More than is open stays on the customer's account as credit.
                allocate_to=[(invoice, min(amount, open_amount))] if open_amount > 0 else [],
            )
        except (services.LedgerError, ValidationError) as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("Payment of %(amount)s recorded.") % {"amount": money(amount, invoice.currency)},
            )
            if not request.htmx:
                return redirect(invoice)
            return _ledger_response(request, invoice)
    return _ledger_response(request, invoice, payment_form=form)


def _error_text(error) -> str:
    if isinstance(error, ValidationError):
        return services.validation_message(error)
    return str(error)


def _credit_lines(form, invoice) -> list[services.LineInput] | None:
    """The lines of the credit note the form asks for; None: everything not yet credited."""
    chosen = form.chosen()
    if chosen:
        return [
            services.LineInput(
                line.description, quantity, line.unit_price, line.vat_rate, line.unit
            )
            for line, quantity in chosen
        ]
    if form.cleaned_data.get("amount"):
        rate = form.cleaned_data.get("vat_rate")
        rate = rate if rate is not None else next(iter(form.invoice_lines)).vat_rate
        description = _("Correction of invoice %(number)s") % {"number": invoice.number}
        return [services.LineInput(description, Decimal(1), form.cleaned_data["amount"], rate)]
    return None


@require_POST
@change_required
def credit(request: HttpRequest, public_id) -> HttpResponse:
    invoice = _invoice(request, public_id)
    form = forms.CreditForm(request.POST, lines=queries.lines_of(invoice))
    if form.is_valid():
        lines = _credit_lines(form, invoice)
        if lines is None and invoice.credit_notes.exists():
            form.add_error(None, _("Part is credited already: say which lines or what amount."))
            return _ledger_response(request, invoice, credit_form=form)
        try:
            credit_note = services.credit_invoice(
                invoice=invoice,
                acting_user=request.user,
                today=today(request),
                reason=form.cleaned_data["reason"],
                lines=lines,
            )
        except services.LedgerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Credit note %(number)s of %(total)s issued.")
                % {
                    "number": credit_note.number,
                    "total": money(credit_note.total, credit_note.currency),
                },
            )
            return redirect(invoice)
    return _ledger_response(request, invoice, credit_form=form)


@require_POST
@change_required
def write_off(request: HttpRequest, public_id) -> HttpResponse:
    invoice = _invoice(request, public_id)
    form = forms.WriteOffForm(request.POST)
    if form.is_valid():
        try:
            allocation = services.write_off(
                invoice=invoice,
                acting_user=request.user,
                today=today(request),
                reason=form.cleaned_data["reason"],
                amount=form.cleaned_data["amount"],
            )
        except services.LedgerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(amount)s written off.")
                % {"amount": money(allocation.amount, invoice.currency)},
            )
            return redirect(invoice)
    return _ledger_response(request, invoice, write_off_form=form)


def _line_inputs(formset) -> list[services.LineInput]:
    return [
        services.LineInput(
            description=data["description"],
            quantity=data["quantity"],
            unit_price=data["unit_price"],
            vat_rate=data["vat_rate"],
            unit=data.get("unit", ""),
        )
        for data in (form.cleaned_data for form in formset)
        if data and not data.get("DELETE")
    ]


def _draft_page(request: HttpRequest, invoice=None) -> HttpResponse:
    organization = request.organization

    finders = {
        "find_customer": lambda number: find_customer_by_number(organization, number),
        "search_customers": lambda term: suggest_customers(organization, term),
        "suggestions_url": reverse("customers:suggestions"),
    }

    if request.method == "POST":
        form = forms.DraftForm(request.POST, **finders)
        formset = forms.LineFormSet(request.POST, prefix="lines")
        if "add_line" in request.POST:
            # "Add a line" is a submit, so it works without JavaScript: the same values again,
            # not yet judged, with one empty line more.
            form = forms.DraftForm(
                initial={name: request.POST.get(name, "") for name in form.fields},
                **finders,
            )
            formset = forms.LineFormSet(initial=_posted_lines(request.POST), prefix="lines")
            return _render_draft(request, form, formset, invoice)
        if form.is_valid() and formset.is_valid():
            try:
                invoice = services.save_draft_invoice(
                    organization=organization,
                    customer=form.cleaned_data["customer"],
                    lines=_line_inputs(formset),
                    acting_user=request.user,
                    invoice=invoice,
                    issue_date=form.cleaned_data["issue_date"],
                    due_date=form.cleaned_data["due_date"],
                    contract_date=form.cleaned_data["contract_date"],
                    description=form.cleaned_data["description"],
                    customer_reference=form.cleaned_data["customer_reference"],
                    kind=form.cleaned_data["kind"],
                )
            except (services.LedgerError, ValidationError) as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(request, _("Draft saved."))
                if request.htmx:
                    # The form swaps only itself; the invoice page must replace the whole page.
                    return HttpResponseClientRedirect(invoice.get_absolute_url())
                return redirect(invoice)
        return _render_draft(request, form, formset, invoice)
    initial = {}
    lines = []
    if invoice is not None:
        initial = {
            "kind": invoice.kind,
            "customer": picked(invoice.customer),
            "issue_date": invoice.issue_date,
            "due_date": invoice.due_date,
            "contract_date": invoice.contract_date,
            "customer_reference": invoice.customer_reference,
            "description": invoice.description,
        }
        lines = [
            {
                "description": line.description,
                "quantity": line.quantity,
                "unit": line.unit,
                "unit_price": line.unit_price,
                "vat_rate": line.vat_rate,
            }
            for line in queries.lines_of(invoice)
        ]
    elif request.GET.get("customer"):
        initial["customer"] = request.GET["customer"]
    if invoice is None and request.GET.get("kind") in DRAFTED_KINDS:
        initial["kind"] = request.GET["kind"]
    form = forms.DraftForm(initial=initial, **finders)
    formset = forms.LineFormSet(initial=lines, prefix="lines")
    return _render_draft(request, form, formset, invoice)


def _posted_lines(data) -> list[dict]:
    try:
        count = min(int(data.get("lines-TOTAL_FORMS", "0")), 200)
    except ValueError:
        count = 0
    names = ("description", "quantity", "unit", "unit_price", "vat_rate")
    lines = [
        {name: data.get(f"lines-{index}-{name}", "") for name in names} for index in range(count)
    ]
    return [line for line in lines if any(line.values())]


def _render_draft(request, form, formset, invoice) -> HttpResponse:
    context = {"form": form, "formset": formset, "invoice": invoice}
    template = "invoices/draft_form.html"
    if request.htmx and request.htmx.target == "draft-form":
        template += "#draft_form"
    return render(request, template, context)


@change_required
def draft_create(request: HttpRequest) -> HttpResponse:
    return _draft_page(request)


@change_required
def draft_edit(request: HttpRequest, public_id) -> HttpResponse:
    invoice = _invoice(request, public_id)
    if not invoice.is_draft:
        messages.error(request, _("An issued invoice cannot be changed; credit it instead."))
        return redirect(invoice)
    return _draft_page(request, invoice)


@require_POST
@change_required
def issue(request: HttpRequest, public_id) -> HttpResponse:
    invoice = _invoice(request, public_id)
    try:
        invoice = services.issue_invoice(
            invoice=invoice, acting_user=request.user, today=today(request)
        )
    except services.IssueRefused as refused:
        messages.error(
            request,
            _("Not issued. %(problems)s")
            % {"problems": " ".join(describe(problem) for problem in refused.problems)},
        )
    except services.LedgerError as error:
        messages.error(request, str(error))
    else:
        issued = {
            InvoiceKind.QUOTE: _("Quote %(number)s issued."),
            InvoiceKind.PRO_FORMA: _("Pro forma invoice %(number)s issued."),
        }.get(invoice.kind, _("Invoice %(number)s issued."))
        messages.success(request, issued % {"number": invoice.number})
    return redirect(invoice)


@require_POST
@change_required
def make_invoice(request: HttpRequest, public_id) -> HttpResponse:
    """An accepted quote or pro forma invoice made into a draft invoice."""
    document = _invoice(request, public_id)
    try:
        invoice = quotes.invoice_from(document, acting_user=request.user, today=today(request))
    except services.LedgerError as error:
        messages.error(request, str(error))
        return redirect(document)
    messages.success(
        request,
        _("Draft invoice made from %(number)s: check it and issue it.")
        % {"number": document.number},
    )
    return redirect(invoice)


# Customer credit ----------------------------------------------------------------------------


def _back(request: HttpRequest, customer) -> HttpResponse:
    """Back to the page the form was on (the customer's or one of its invoices)."""
    target = request.POST.get("back", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = customer.get_absolute_url()
    return redirect(target)


def _refused(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


@require_POST
@change_required
def apply_credit(request: HttpRequest, public_id) -> HttpResponse:
    customer = get_customer_for_member(request.user, request.membership, public_id)
    form = forms.ApplyCreditForm(request.POST, **customer_credit.choices_for(customer))
    if not form.is_valid():
        _refused(request, form)
        return _back(request, customer)
    source = queries.get_credit_for_customer(customer, form.cleaned_data["credit"])
    invoice = queries.get_open_invoice_for_customer(customer, form.cleaned_data["invoice"])
    amount = form.cleaned_data["amount"]
    try:
        services.apply_credit(
            source=source, invoice=invoice, amount=amount, acting_user=request.user,
            today=today(request),
        )  # fmt: skip
    except services.LedgerError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(amount)s of credit applied to %(number)s.")
            % {"amount": money(amount, invoice.currency), "number": invoice.number},
        )
    return _back(request, customer)


@require_POST
@change_required
def refund_credit(request: HttpRequest, public_id) -> HttpResponse:
    customer = get_customer_for_member(request.user, request.membership, public_id)
    form = forms.RefundForm(request.POST, credits=customer_credit.choices_for(customer)["credits"])
    if not form.is_valid():
        _refused(request, form)
        return _back(request, customer)
    source = queries.get_credit_for_customer(customer, form.cleaned_data["credit"])
    amount = form.cleaned_data["amount"]
    try:
        services.refund_credit(
            source=source,
            amount=amount,
            refunded_on=form.cleaned_data["refunded_on"],
            to_iban=form.cleaned_data["to_iban"],
            reason=form.cleaned_data["reason"],
            acting_user=request.user,
        )
    except (services.LedgerError, DomainError) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Refund of %(amount)s recorded.") % {"amount": money(amount, source.currency)},
        )
    return _back(request, customer)

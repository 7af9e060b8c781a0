"""The review queue: entries matching could not decide, with their candidates and reasons.

Each view parses the request, fetches through an access function, calls a service and
renders; none writes a row itself.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tegoed.accounts.current import change_required, organization_required, today
from tegoed.banking import explanations, forms, queries, services
from tegoed.customers.queries import find_customer_by_number
from tegoed.domain import notification
from tegoed.domain.errors import DomainError
from tegoed.reports import export as reports_export

PAGE_SIZE = 50


@organization_required
def review(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    page = Paginator(queries.review_queue(organization), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for entry in page.object_list:
        entry.summary = explanations.of_entry(entry)
    return render(
        request,
        "banking/review.html",
        {
            "page": page,
            "flagged": queries.flagged_matches(organization),
            "notifications": queries.waiting_notifications(organization, today=today(request)),
            "imports": queries.imports_of(organization),
            "upload_form": forms.UploadForm(),
        },
    )


@require_POST
@change_required
def upload(request: HttpRequest) -> HttpResponse:
    form = forms.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = form.errors.get("file")
        chosen = request.FILES.get("file") is not None
        messages.error(
            request, " ".join(errors) if errors and chosen else _("Choose a statement file.")
        )
        return redirect("banking:queue")
    uploaded = form.cleaned_data["file"]
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "statement"
        with open(path, "wb") as target:
            for chunk in uploaded.chunks():
                target.write(chunk)
        try:
            summary = services.import_statement(
                organization=request.organization,
                path=path,
                acting_user=request.user,
                today=today(request),
                file_name=Path(uploaded.name).name,
            )
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("banking:queue")
    if summary.already_imported_file:
        messages.info(request, _("This file was imported before; nothing was booked."))
    else:
        counts = summary.counts
        messages.success(
            request,
            _(
                "%(file)s: %(matched)s matched, %(suggested)s suggested, %(unmatched)s not "
                "matched, %(ignored)s money out, %(before)s imported before."
            )
            % {"file": summary.file_name, "before": summary.already_imported, **counts},
        )
        if summary.notified:
            messages.info(
                request,
                ngettext(
                    "%(count)s payment notified by the bank, not booked yet: matched, and booked "
                    "when the statement brings it.",
                    "%(count)s payments notified by the bank, not booked yet: matched, and "
                    "booked when the statement brings them.",
                    summary.notified,
                )
                % {"count": summary.notified},
            )
        if summary.replaced:
            messages.info(
                request,
                ngettext(
                    "%(count)s payment notified earlier is booked now.",
                    "%(count)s payments notified earlier are booked now.",
                    summary.replaced,
                )
                % {"count": summary.replaced},
            )
        for entry in summary.left_out:
            messages.warning(request, explanations.left_out(entry))
    for problem in summary.balance_problems:
        messages.warning(request, problem)
    return redirect("banking:queue")


def _entry(request: HttpRequest, public_id):
    return queries.get_entry_for_user(request.user, request.organization, public_id)


@organization_required
def entry_detail(request: HttpRequest, public_id) -> HttpResponse:
    entry = _entry(request, public_id)
    return _render_entry(request, entry, forms.SplitForm())


def _render_entry(request, entry, split_form, status=200) -> HttpResponse:
    return render(
        request,
        "banking/entry.html",
        {
            "entry": entry,
            "summary": explanations.of_entry(entry),
            "candidates": queries.candidates_of(entry),
            # A waiting notification holds its invoices until then, and is late after it.
            "expected_by": notification.expected_by(entry.booking_date) if entry.waiting else None,
            "late": entry.waiting
            and notification.overdue(entry.booking_date, today=today(request)),
            "split_form": split_form,
        },
        status=status,
    )


@require_POST
@change_required
def accept(request: HttpRequest, public_id) -> HttpResponse:
    entry = _entry(request, public_id)
    try:
        number = int(request.POST.get("candidate", "0"))
        services.accept_proposal(
            entry=entry, number=number, acting_user=request.user, today=today(request)
        )
    except (DomainError, ValueError) as error:
        messages.error(request, str(error))
        return redirect("banking:entry", public_id=entry.public_id)
    messages.success(request, _("Booked."))
    return redirect("banking:queue")


@require_POST
@change_required
def split(request: HttpRequest, public_id) -> HttpResponse:
    entry = _entry(request, public_id)
    form = forms.SplitForm(request.POST)
    if not form.is_valid():
        return _render_entry(request, entry, form, status=400)
    rows = form.rows()
    invoices = queries.invoices_by_number(request.organization, [number for number, _ in rows])
    unknown = [number for number, _amount in rows if number not in invoices]
    if unknown:
        form.add_error(None, _("No invoice %(number)s.") % {"number": unknown[0]})
        return _render_entry(request, entry, form, status=400)
    customer = None
    if not rows and form.cleaned_data["customer"]:
        customer = find_customer_by_number(request.organization, form.cleaned_data["customer"])
        if customer is None:
            form.add_error("customer", _("No customer with this number."))
            return _render_entry(request, entry, form, status=400)
    try:
        services.book_entry(
            entry=entry,
            allocations=[(invoices[number], amount) for number, amount in rows],
            acting_user=request.user,
            today=today(request),
            customer=customer,
        )
    except DomainError as error:
        form.add_error(None, str(error))
        return _render_entry(request, entry, form, status=400)
    messages.success(request, _("Booked."))
    return redirect("banking:queue")


@require_POST
@change_required
def dismiss(request: HttpRequest, public_id) -> HttpResponse:
    entry = _entry(request, public_id)
    try:
        services.dismiss_entry(entry=entry, acting_user=request.user, today=today(request))
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("banking:entry", public_id=entry.public_id)
    messages.success(request, _("Marked as not a customer payment."))
    return redirect("banking:queue")


@organization_required
def export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The entries to review (the queue, in its order) or, with entries=all, every booked entry
    newest first, as a file. Money out counts negative."""
    organization = request.organization
    everything = request.GET.get("entries") == "all"
    if everything:
        entries = queries.booked_entries(organization)
    else:
        entries = queries.review_queue(organization)
    columns = [
        reports_export.Column(_("Booked"), reports_export.DATE, width=11),
        reports_export.Column(_("Value date"), reports_export.DATE, width=11),
        reports_export.Column(_("Currency"), reports_export.CURRENCY, width=8),
        reports_export.Column(_("Amount"), reports_export.MONEY),
        reports_export.Column(_("Counterparty"), width=30),
        reports_export.Column(_("IBAN"), width=22),
        reports_export.Column(_("Payment reference"), width=24),
        reports_export.Column(_("Description"), width=50),
        reports_export.Column(_("Status"), width=16),
        reports_export.Column(_("Invoices"), width=30),
        reports_export.Column(_("Bank reference"), width=20),
    ]

    def rows():
        for entry in entries.iterator(chunk_size=2000):
            best = entry.proposals[0] if entry.proposals else {}
            yield [
                entry.booking_date,
                entry.value_date,
                entry.currency,
                entry.signed_amount,
                entry.counterparty_name,
                entry.counterparty_iban,
                entry.payment_reference,
                entry.remittance_text,
                str(entry.get_status_display()),
                " ".join(a.get("invoice_number", "") for a in best.get("allocations", [])),
                entry.entry_id,
            ]

    name = _("bank-entries") if everything else _("bank-entries-to-review")
    return reports_export.respond(
        file_format,
        f"{name}-{today(request).isoformat()}",
        columns,
        rows,
        sheet=_("Bank entries"),
    )

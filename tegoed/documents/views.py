"""Document pages: invoice PDF and UBL downloads, the UBL import, the letterhead and wording.

Invoices are fetched only through the invoices app's access function; every write goes
through a service.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tegoed.accounts.current import change_required, may_change, organization_required, today
from tegoed.customers.queries import get_customer_for_member
from tegoed.documents import forms, queries, rendering, services, ubl_export, ubl_import, wording
from tegoed.domain.errors import DomainError
from tegoed.invoices.queries import get_invoice_for_member


def _download(content: bytes, content_type: str, file_name: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{file_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@organization_required
def invoice_pdf(request: HttpRequest, public_id) -> HttpResponse:
    invoice = get_invoice_for_member(request.user, request.membership, public_id)
    if invoice.is_draft:
        return HttpResponse(_("A draft has no PDF yet; issue it first."), status=409)
    pdf = queries.invoice_pdf(invoice)
    name = f"{ubl_export.file_name(invoice.number)}.pdf"
    return _download(pdf, "application/pdf", name, inline="download" not in request.GET)


@organization_required
def invoice_ubl(request: HttpRequest, public_id) -> HttpResponse:
    invoice = get_invoice_for_member(request.user, request.membership, public_id)
    if invoice.is_draft:
        return HttpResponse(_("A draft has no e-invoice yet; issue it first."), status=409)
    profile = request.GET.get("profile", "peppol")
    if profile not in ubl_export.PROFILES:
        return HttpResponse(_("Unknown profile."), status=400)
    document = queries.invoice_document(invoice)
    try:
        xml = ubl_export.export(document, profile=profile, pdf=queries.invoice_pdf(invoice))
    except ubl_export.UblExportError as error:
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
    name = f"{ubl_export.file_name(invoice.number)}-{profile}.xml"
    return _download(xml, "application/xml", name, inline=False)


@change_required
def import_ubl(request: HttpRequest) -> HttpResponse:
    result = None
    error = None
    if request.method == "POST":
        form = forms.UblImportForm(request.POST, request.FILES)
        if form.is_valid():
            uploads = [(upload.name, upload.read()) for upload in form.cleaned_data["files"]]
            dry_run = form.cleaned_data["dry_run"]
            try:
                result = ubl_import.import_files(
                    uploads,
                    organization=request.organization,
                    acting_user=request.user,
                    today=today(request),
                    dry_run=dry_run,
                )
            except ubl_import.UblImportError as refused:
                error = str(refused)
            else:
                if not dry_run:
                    messages.success(request, result.summary())
    else:
        form = forms.UblImportForm()
    return render(
        request,
        "documents/import_ubl.html",
        {"form": form, "result": result, "error": error},
        status=422 if error else 200,
    )


@change_required
def document_settings(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    language = request.GET.get("language") or organization.language
    language = wording.language_of(language)
    current = queries.settings_of(organization)
    overrides = queries.text_overrides(organization, language)
    if request.method == "POST":
        form = forms.DocumentSettingsForm(request.POST, request.FILES, instance=current)
        block_errors = {}
        texts = {}
        for key in wording.BLOCKS:
            text = request.POST.get(f"block-{key}", "").strip().replace("\r\n", "\n")
            texts[key] = text
            if text:
                try:
                    wording.check_placeholders(key, text)
                except DomainError as problem:
                    block_errors[key] = str(problem)
        if form.is_valid() and not block_errors:
            services.save_document_settings(
                settings=form.save(commit=False), acting_user=request.user
            )
            services.save_text_blocks(
                organization=organization, language=language, texts=texts, acting_user=request.user
            )
            messages.success(request, _("The document settings are saved."))
            return redirect(f"{request.path}?language={language}")
        overrides = {key: text for key, text in texts.items() if text}
    else:
        form = forms.DocumentSettingsForm(instance=current)
        block_errors = {}
    blocks = [
        {
            "key": key,
            "label": label,
            "values": ", ".join("{" + name + "}" for name in names),
            "text": overrides.get(key) or wording.DEFAULTS[language][key],
            "changed": key in overrides,
            "error": block_errors.get(key),
        }
        for key, (label, names) in wording.BLOCKS.items()
    ]
    return render(
        request,
        "documents/settings.html",
        {"form": form, "blocks": blocks, "language": language, "languages": wording.LANGUAGES},
    )


@organization_required
def preview(request: HttpRequest, kind: str) -> HttpResponse:
    """A sample invoice or letter in the organization's current letterhead and wording."""
    from tegoed.documents import samples

    language = wording.language_of(request.GET.get("language", request.organization.language))
    document = samples.document(kind, request.organization, language=language, today=today(request))
    if document is None:
        return HttpResponse(status=404)
    if kind == "invoice":
        pdf = rendering.render_invoice(document)
    else:
        pdf = rendering.render_letter(document)
    return _download(pdf, "application/pdf", f"preview-{kind}-{language}.pdf", inline=True)


# Direct debit ---------------------------------------------------------------------------------


@organization_required
def mandates(request: HttpRequest, public_id) -> HttpResponse:
    customer = get_customer_for_member(request.user, request.membership, public_id)
    form = forms.MandateForm(request.POST or None)
    if request.method == "POST":
        if not may_change(request):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.add_mandate(
                    customer=customer, acting_user=request.user, **form.cleaned_data
                )
            except DomainError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("The mandate is added."))
                return redirect(request.path)
    return render(
        request,
        "documents/mandates.html",
        {
            "customer": customer,
            "mandates": customer.mandates.order_by("-signed_on"),
            "debits": queries.direct_debits_of(customer),
            "form": form,
        },
    )


@change_required
def schedule_direct_debit(request: HttpRequest, public_id) -> HttpResponse:
    invoice = get_invoice_for_member(request.user, request.membership, public_id)
    usable = invoice.customer.mandates.filter(revoked_on__isnull=True)
    form = forms.DirectDebitForm(request.POST or None, mandates=usable)
    earliest = services.earliest_collection_date(invoice, today=today(request))
    if request.method == "POST" and form.is_valid():
        try:
            debit = services.schedule_direct_debit(
                invoice=invoice,
                mandate=form.cleaned_data["mandate"],
                collection_date=form.cleaned_data["collection_date"],
                acting_user=request.user,
                today=today(request),
            )
        except DomainError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("%(number)s will be collected on %(date)s; the invoice now says so.")
                % {"number": invoice.number, "date": debit.collection_date},
            )
            return redirect(invoice.get_absolute_url())
    return render(
        request,
        "documents/schedule_direct_debit.html",
        {"invoice": invoice, "form": form, "earliest": earliest, "has_mandates": usable.exists()},
    )


@change_required
def sepa_export(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    form = forms.SepaExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.export_direct_debits(
                organization=organization,
                collection_date=form.cleaned_data["collection_date"],
                scheme=form.cleaned_data["scheme"],
                acting_user=request.user,
                today=today(request),
            )
        except DomainError as refused:
            form.add_error(None, str(refused))
        else:
            if result.collected:
                name = f"pain008-{form.cleaned_data['collection_date'].isoformat()}.xml"
                return _download(result.xml, "application/xml", name, inline=False)
            form.add_error(None, _("Nothing to collect on that date."))
    return render(
        request,
        "documents/sepa_export.html",
        {"form": form, "planned": queries.planned_direct_debits(organization)},
    )

"""Reads for documents: the plain `content` values of an invoice, the letterhead, the wording."""

from __future__ import annotations

from babel import Locale
from django.core.management.base import CommandError
from django.db.models import QuerySet

from tegoed.accounts.models import Organization
from tegoed.customers.models import Customer
from tegoed.customers.queries import billing_emails
from tegoed.documents import wording
from tegoed.documents.content import DirectDebitNotice, InvoiceDocument, Line, Look, Party, VatGroup
from tegoed.documents.models import DirectDebit, DirectDebitState, DocumentSettings, TextBlock
from tegoed.domain import vat
from tegoed.invoices.models import Invoice


def settings_of(organization: Organization) -> DocumentSettings:
    """The organization's document settings; the defaults (unsaved) when it set none."""
    try:
        return organization.document_settings
    except DocumentSettings.DoesNotExist:
        return DocumentSettings(organization=organization)


def look_of(organization: Organization) -> Look:
    settings = settings_of(organization)
    logo = settings.logo or organization.logo
    logo_path = None
    if logo:
        try:
            logo_path = logo.path
        except (NotImplementedError, ValueError):
            logo_path = None
    return Look(
        primary_colour=settings.primary_colour,
        accent_colour=settings.accent_colour,
        logo_path=logo_path,
        show_payment_qr=settings.show_payment_qr,
        signatory=settings.signatory,
    )


def text_overrides(organization: Organization, language: str) -> dict[str, str]:
    return dict(
        TextBlock.objects.filter(organization=organization, language=language).values_list(
            "key", "text"
        )
    )


def _country_line(country: str, home: str, language: str) -> list[str]:
    if not country or country == home:
        return []
    name = Locale.parse("nl_NL" if language == "nl" else "en_GB").territories.get(country, country)
    return [name.upper()]


def seller_of(organization: Organization) -> Party:
    city_line = " ".join(part for part in (organization.postal_code, organization.city) if part)
    return Party(
        name=organization.legal_name,
        address_lines=tuple(line for line in (organization.street, city_line) if line),
        country=organization.country,
        kvk_number=organization.kvk_number,
        vat_number=organization.vat_number,
        email=organization.reply_to_email or organization.sender_email,
        phone=organization.phone,
        website=organization.website,
        iban=organization.iban,
        bic=organization.bic,
        street=organization.street,
        postal_code=organization.postal_code,
        city=organization.city,
    )


def party_of(customer: Customer, *, home_country: str = "NL") -> Party:
    language = wording.language_of(customer.language)
    return Party(
        name=customer.name,
        address_lines=(
            *customer.address_lines,
            *_country_line(customer.country, home_country, language),
        ),
        country=customer.country,
        kvk_number=customer.kvk_number,
        vat_number=customer.vat_number,
        email=next(iter(billing_emails(customer)), ""),
        street=customer.street,
        postal_code=customer.postal_code,
        city=customer.city,
    )


def live_direct_debit(invoice: Invoice) -> DirectDebit | None:
    return (
        DirectDebit.objects.filter(invoice=invoice)
        .exclude(state=DirectDebitState.CANCELLED)
        .select_related("mandate")
        .first()
    )


def invoice_document(invoice: Invoice) -> InvoiceDocument:
    """Everything printed on the invoice or credit note, in the customer's language."""
    organization = invoice.organization
    customer = invoice.customer
    language = wording.language_of(customer.language)
    lines = tuple(
        Line(
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            vat_rate=line.vat_rate,
            net_amount=line.net_amount,
            unit=line.unit,
        )
        for line in invoice.lines.all()
    )
    totals = vat.compute(vat.Line(line.quantity, line.unit_price, line.vat_rate) for line in lines)
    groups = tuple(VatGroup(row.rate, row.taxable, row.vat) for row in totals.breakdown)
    notice = None
    debit = live_direct_debit(invoice) if not invoice.is_credit_note else None
    if debit is not None:
        notice = DirectDebitNotice(
            collection_date=debit.collection_date,
            debtor_iban=debit.mandate.iban,
            mandate_reference=debit.mandate.reference,
            creditor_id=organization.sepa_creditor_id,
        )
    return InvoiceDocument(
        language=language,
        is_credit_note=invoice.is_credit_note,
        seller=seller_of(organization),
        buyer=party_of(customer, home_country=organization.country),
        customer_kind=customer.kind,
        customer_number=customer.number,
        number=invoice.number,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        currency=invoice.currency,
        lines=lines,
        vat_groups=groups,
        subtotal=invoice.subtotal,
        vat_total=invoice.vat_total,
        total=invoice.total,
        payment_reference=invoice.payment_reference,
        customer_reference=invoice.customer_reference,
        description=invoice.description,
        credited_number=invoice.credits_invoice.number if invoice.credits_invoice_id else "",
        direct_debit=notice,
        look=look_of(organization),
        texts=text_overrides(organization, language),
    )


def issued_invoice_by_number(organization: Organization, number: str) -> Invoice:
    """For the command line: an issued invoice or credit note by its number."""
    invoice = (
        Invoice.objects.select_related("customer", "organization", "credits_invoice")
        .filter(organization=organization, number=number)
        .first()
    )
    if invoice is None:
        raise CommandError(f"No invoice {number!r} in {organization.slug}")
    if invoice.is_draft:
        raise CommandError(f"Invoice {number!r} is a draft; issue it first")
    return invoice


def planned_direct_debits(organization: Organization) -> QuerySet[DirectDebit]:
    return (
        DirectDebit.objects.filter(organization=organization, state=DirectDebitState.PLANNED)
        .select_related("invoice", "invoice__customer", "mandate")
        .order_by("collection_date", "id")
    )

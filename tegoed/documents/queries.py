"""Reads for documents: the plain `content` values of an invoice, the letterhead, the wording."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from types import SimpleNamespace

from babel import Locale
from django.core.management.base import CommandError
from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce

from tegoed.accounts.models import Organization
from tegoed.claims import queries as claims
from tegoed.customers.models import Customer
from tegoed.customers.queries import billing_emails
from tegoed.documents import letters, wording
from tegoed.documents.content import (
    Credit,
    DirectDebitNotice,
    InvoiceDocument,
    LetterDocument,
    Line,
    Look,
    Party,
    VatGroup,
)
from tegoed.documents.models import (
    DirectDebit,
    DirectDebitState,
    DocumentSettings,
    IssuedPdf,
    TextBlock,
)
from tegoed.domain import (
    claim,
    collection_costs,
    default_notice,
    interest,
    jurisdictions,
    vat,
)
from tegoed.domain.errors import DomainError
from tegoed.invoices.models import Invoice, Payment


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
    return _party(
        customer, customer.address_lines, billing_emails(customer), home_country=home_country
    )


def _party(customer, address_lines, emails, *, home_country: str) -> Party:
    language = wording.language_of(customer.language)
    return Party(
        name=customer.name,
        address_lines=(
            *address_lines,
            *_country_line(customer.country, home_country, language),
        ),
        country=customer.country,
        kvk_number=customer.kvk_number,
        vat_number=customer.vat_number,
        email=next(iter(emails), ""),
        street=customer.street,
        postal_code=customer.postal_code,
        city=customer.city,
    )


def parties_of(invoice: Invoice) -> tuple[Party, Party, SimpleNamespace | Customer]:
    """Seller, buyer and the customer's facts of a document: as issued when it kept them."""
    if invoice.customer_as_issued and invoice.organization_as_issued:
        kept = SimpleNamespace(**invoice.customer_as_issued)
        organization = SimpleNamespace(**invoice.organization_as_issued)
        buyer = _party(kept, kept.address_lines, kept.emails, home_country=organization.country)
        return seller_of(organization), buyer, kept
    organization, customer = invoice.organization, invoice.customer
    return (
        seller_of(organization),
        party_of(customer, home_country=organization.country),
        customer,
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
    seller, buyer, customer = parties_of(invoice)
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
        seller=seller,
        buyer=buyer,
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


def invoice_pdf(invoice: Invoice) -> bytes:
    """The PDF of an issued document as it was first made (kept then), or of a draft as now."""
    from tegoed.documents import rendering

    if invoice.is_draft:
        return rendering.render_invoice(invoice_document(invoice))
    debit = live_direct_debit(invoice) if not invoice.is_credit_note else None
    kept = IssuedPdf.objects.filter(invoice=invoice).first()
    if kept is not None and kept.direct_debit_id == (debit.pk if debit else None):
        return bytes(kept.pdf)
    pdf = rendering.render_invoice(invoice_document(invoice))
    IssuedPdf.objects.update_or_create(
        invoice=invoice, defaults={"pdf": pdf, "direct_debit": debit}
    )
    return pdf


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


def direct_debits_of(customer: Customer) -> QuerySet[DirectDebit]:
    return (
        DirectDebit.objects.filter(invoice__customer=customer)
        .select_related("invoice", "mandate")
        .order_by("-collection_date", "-id")
    )


def planned_direct_debits(organization: Organization) -> QuerySet[DirectDebit]:
    return (
        DirectDebit.objects.filter(organization=organization, state=DirectDebitState.PLANNED)
        .select_related("invoice", "invoice__customer", "mandate")
        .order_by("collection_date", "id")
    )


# Letters --------------------------------------------------------------------------------------

# Letters that may claim interest or costs; when they do, only invoices in default belong in
# them. A statement of account, a nudge before the due date or a thank-you claims nothing.
CLAIMING = frozenset(
    {"reminder", "formal_demand", "consumer_notice", "final_notice", "broken_promise", "handover"}
)


# Letters that ask for payment carry a copy of each invoice they cover (seed 004).
COPIES_ATTACHED = frozenset(
    {"pre_due", "reminder", "formal_demand", "consumer_notice", "final_notice", "broken_promise"}
)


def addressing_of(customer: Customer) -> letters.Addressing:
    organization = customer.organization
    language = wording.language_of(customer.language)
    return letters.Addressing(
        seller=seller_of(organization),
        recipient=party_of(customer, home_country=organization.country),
        customer_number=customer.number,
        customer_kind=customer.kind,
        language=language,
        look=look_of(organization),
        texts=text_overrides(organization, language),
    )


def letter_invoices(customer: Customer, *, numbers: list[str] | None = None):
    """The customer's open invoices (or the given ones), oldest due first, as letter rows."""
    invoices = Invoice.objects.filter(
        customer=customer, lifecycle="issued", kind="invoice"
    ).order_by("due_date", "number")
    invoices = (
        invoices.filter(number__in=numbers) if numbers else invoices.filter(open_amount__gt=0)
    )
    return [
        letters.LetterInvoice(
            number=invoice.number,
            issue_date=invoice.issue_date,
            due_date=invoice.due_date,
            total=invoice.total,
            open_amount=invoice.open_amount,
            payment_reference=invoice.payment_reference,
        )
        for invoice in invoices
    ]


def credits_of(customer: Customer) -> tuple[Credit, ...]:
    """The customer's open credit notes and payments not (fully) booked against an invoice:
    a letter that asks for payment sets them off against what it asks (peers.md §3)."""
    language = wording.language_of(customer.language)
    credit_notes = (
        Invoice.objects.filter(customer=customer, lifecycle="issued", kind="credit_note")
        .annotate(applied=Coalesce(Sum("applications__amount"), 0))
        .order_by("issue_date", "id")
    )
    payments = (
        Payment.objects.filter(customer=customer)
        .annotate(allocated=Coalesce(Sum("allocations__amount"), 0))
        .order_by("received_on", "id")
    )
    credits = [
        Credit(
            f"{wording.label('credit_note', language)} {note.number}",
            note.issue_date,
            note.total - note.applied,
        )
        for note in credit_notes
        if note.total > note.applied
    ]
    credits += [
        Credit(wording.label("payment_received", language), payment.received_on, left)
        for payment in payments
        if (left := payment.amount - payment.allocated) > 0
    ]
    return tuple(credits)


def letter_for(
    kind: str,
    customer: Customer,
    *,
    today: date,
    level: int = 1,
    pay_by: date | None = None,
    numbers: list[str] | None = None,
    interest_from: dict[str, date] | None = None,
    with_costs: bool | None = None,
    with_interest: bool = True,
    instalments=(),
    history=(),
    agency: Party | None = None,
) -> LetterDocument:
    """A letter to the customer over its open invoices, with interest and costs computed.

    Interest runs for business and government customers from the day after the due date
    (art. 6:119a/6:119b BW); for a consumer only from the dates in `interest_from` (a due date
    printed on the invoice alone does not put a consumer in default; legal.md §6). Costs are
    claimed on a formal demand and a hand-over sheet, announced in the 14-day letter, and left
    out of reminders, unless `with_costs` says otherwise; `with_interest=False` leaves interest
    out (a friendly reminder that claims nothing). A letter that claims interest or costs
    covers only the invoices in default on its date (art. 6:96 lid 6 BW; HR 25 November 2016,
    ECLI:NL:HR:2016:2704), and its costs are computed on those alone.
    """
    organization = customer.organization
    jurisdiction = organization.jurisdiction
    rows = letter_invoices(customer, numbers=numbers)
    if not rows:
        raise DomainError(f"customer {customer.number} has no open invoices for a letter")
    claims_costs = kind == "consumer_notice" or (
        with_costs if with_costs is not None else kind in {"formal_demand", "handover"}
    )
    if kind in CLAIMING and (with_interest or claims_costs):
        rows = [row for row in rows if claim.in_default(row.due_date, today)]
        if not rows:
            raise DomainError(
                f"customer {customer.number} has no invoice in default on {today}; a letter "
                "that claims interest or costs covers only those, and only after default "
                "(art. 6:96 lid 6 BW)"
            )
    rule = jurisdictions.interest_rule(jurisdiction, claim.INTEREST_KIND[customer.kind])
    computed = []
    for row in rows:
        if customer.kind == "consumer":
            start = (interest_from or {}).get(row.number)
        else:
            start = interest.first_day_commercial(row.due_date) if row.due_date else None
        if with_interest and start is not None and start <= today and row.open_amount > 0:
            breakdown = interest.compute(row.open_amount, start, today, rule=rule)
            computed.append(replace(breakdown, key=row.number))
    principals = [row.open_amount for row in rows if row.open_amount > 0]
    # The organization's clause for businesses, else the statutory rule: as the claim has it.
    costs_rule = claim.costs_rule(claims.terms_of(customer))
    if costs_rule is None and claims_costs:
        raise DomainError(f"{jurisdiction} gives no collection costs for this debtor")
    notice = None
    costs = None
    if kind == "consumer_notice":
        first_due = min(row.due_date for row in rows if row.due_date)
        notice = default_notice.prepare(
            principals,
            sent_on=today,
            in_default_from=interest.first_day_commercial(first_due),
            rule=costs_rule,
        )
    elif claims_costs:
        costs = collection_costs.compute(principals, rule=costs_rule)
    if pay_by is None and kind in COPIES_ATTACHED - {"consumer_notice"}:
        pay_by = today + timedelta(days=14)
    return letters.compose(
        kind,
        addressing=addressing_of(customer),
        letter_date=today,
        invoices=rows,
        interest_computed=computed,
        costs=costs,
        notice=notice,
        level=level,
        pay_by=pay_by,
        instalments=instalments,
        history=history,
        agency=agency,
        credits=credits_of(customer) if kind in COPIES_ATTACHED | {"statement"} else (),
    )


def letter_attachments(
    document: LetterDocument, organization: Organization, *, with_letter: bool = True
) -> list[tuple[str, bytes]]:
    """The letter as PDF (unless the e-mail is the letter) and, with every reminder, a copy of
    each invoice it covers (seed 004: "voeg altijd een kopie van de factuur bij" — no "we never
    received it")."""
    from tegoed.documents import rendering, ubl_export

    files = []
    if with_letter:
        files.append(
            (
                f"{document.kind}-{document.letter_date.isoformat()}.pdf",
                rendering.render_letter(document),
            )
        )
    if document.kind in COPIES_ATTACHED:
        numbers = [claim.number for claim in document.claims]
        invoices = Invoice.objects.filter(
            organization=organization, number__in=numbers
        ).select_related("customer", "organization", "credits_invoice")
        for invoice in sorted(invoices, key=lambda invoice: numbers.index(invoice.number)):
            files.append((f"{ubl_export.file_name(invoice.number)}.pdf", invoice_pdf(invoice)))
    return files

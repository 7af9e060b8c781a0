"""Reads for documents: the plain `content` values of an invoice, the letterhead, the wording."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from types import SimpleNamespace

from babel import Locale
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum, prefetch_related_objects
from django.db.models.functions import Coalesce

from tegoed.accounts.models import Organization
from tegoed.claims import queries as claims
from tegoed.claims.history import with_history
from tegoed.customers.models import Customer
from tegoed.customers.queries import billing_emails
from tegoed.documents import letters, wording
from tegoed.documents.content import (
    Credit,
    DirectDebitNotice,
    Discount,
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
    vat,
)
from tegoed.domain.errors import DomainError
from tegoed.domain.money import ZERO
from tegoed.invoices.models import Invoice, Payment
from tegoed.rates.queries import rate_table


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


# `invoice_document(debit=...)` when the caller did not read the live direct debit.
_UNREAD = object()


def invoice_document(
    invoice: Invoice,
    *,
    debit=_UNREAD,
    look: Look | None = None,
    texts: Callable[[str], dict[str, str]] | None = None,
) -> InvoiceDocument:
    """Everything printed on the invoice or credit note, in the customer's language. A caller
    that read them already (`LetterLedger`) passes the live direct debit (or None), the
    organization's look and its texts per language."""
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
    if debit is _UNREAD:
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
        look=look or look_of(organization),
        texts=texts(language) if texts else text_overrides(organization, language),
        kind=invoice.kind,
        discount=(
            Discount(invoice.discount_percentage, invoice.discount_amount, invoice.discount_until)
            if invoice.offers_discount
            else None
        ),
    )


def invoice_pdf(invoice: Invoice) -> bytes:
    """The PDF of an issued document as it was first made (kept then), or of a draft as now."""
    from tegoed.documents import rendering

    if invoice.is_draft:
        return rendering.render_invoice(invoice_document(invoice))
    debit = live_direct_debit(invoice) if not invoice.is_credit_note else None
    return _kept_pdf(invoice, IssuedPdf.objects.filter(invoice=invoice).first(), debit)


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
    return LetterLedger(customer.organization, [customer], numbers=()).addressing(customer)


def letter_for(kind: str, customer: Customer, *, today: date, **options) -> LetterDocument:
    """A letter to the customer over its open invoices (or `numbers=`), with interest and costs
    as the claim on the customer states them: `LetterLedger.letter_for` for one customer."""
    ledger = LetterLedger(customer.organization, [customer], numbers=options.get("numbers"))
    return ledger.letter_for(kind, customer, today=today, **options)


def letter_attachments(
    document: LetterDocument, organization: Organization, *, with_letter: bool = True
) -> list[tuple[str, bytes]]:
    """The letter as PDF (unless the e-mail is the letter) and a copy of each invoice it covers."""
    numbers = [claim.number for claim in document.claims]
    customers = Customer.objects.filter(organization=organization, number=document.customer_number)
    ledger = LetterLedger(organization, list(customers), numbers=numbers)
    return ledger.attachments(document, with_letter=with_letter)


class LetterLedger:
    """What the letters to some customers of one organization read from the ledger, fetched
    together: the organization's letterhead, terms and rates once; the customers' contacts,
    invoices (with the payments booked to them), open credit, and the kept invoice PDFs in a
    few queries for all of them. The sender builds one per batch of messages; `letter_for`
    builds one for a single letter, so every letter is made the same way.

    `numbers`: the invoices the letters cover; None for each customer's open invoices.
    """

    def __init__(
        self,
        organization: Organization,
        customers: Sequence[Customer],
        *,
        numbers: Collection[str] | None = None,
    ) -> None:
        self.organization = organization
        self.customers = {customer.pk: customer for customer in customers}
        for customer in self.customers.values():
            customer.organization = organization  # one instance: its settings read once
        prefetch_related_objects(list(self.customers.values()), "contacts")
        self.seller = seller_of(organization)
        self.look = look_of(organization)
        self._texts: dict[str, dict[str, str]] = {}
        self._rates = None
        invoices = Invoice.objects.filter(
            organization=organization,
            customer_id__in=list(self.customers),
            lifecycle="issued",
            kind="invoice",
        ).order_by("due_date", "number")
        invoices = (
            invoices.filter(number__in=list(numbers))
            if numbers is not None
            else invoices.filter(open_amount__gt=0)
        )
        self._invoices: dict[int, list[Invoice]] = defaultdict(list)
        self._by_number: dict[str, Invoice] = {}
        for invoice in invoices.prefetch_related(claims.PAYMENTS_BOOKED):
            invoice.organization = organization
            invoice.customer = self.customers[invoice.customer_id]
            self._invoices[invoice.customer_id].append(invoice)
            self._by_number[invoice.number] = invoice
        self._credits: dict[int, tuple[Credit, ...]] | None = None
        self._pdfs: dict[int, tuple[IssuedPdf | None, DirectDebit | None]] | None = None

    # What every letter of the organization shares --------------------------------------

    def texts(self, language: str) -> dict[str, str]:
        if language not in self._texts:
            self._texts[language] = text_overrides(self.organization, language)
        return self._texts[language]

    def rates(self):
        if self._rates is None:
            self._rates = rate_table(self.organization.jurisdiction)
        return self._rates

    def addressing(self, customer: Customer) -> letters.Addressing:
        language = wording.language_of(customer.language)
        return letters.Addressing(
            seller=self.seller,
            recipient=party_of(customer, home_country=self.organization.country),
            customer_number=customer.number,
            customer_kind=customer.kind,
            language=language,
            look=self.look,
            texts=self.texts(language),
        )

    # Per customer --------------------------------------------------------------------------

    def invoices(self, customer: Customer, numbers: Collection[str] | None = None) -> list[Invoice]:
        """The customer's invoices a letter covers, oldest due first: the given numbers, or
        those still open."""
        found = self._invoices.get(customer.pk, [])
        if numbers is None:
            return [invoice for invoice in found if invoice.open_amount > 0]
        return [invoice for invoice in found if invoice.number in numbers]

    def credits(self, customer: Customer) -> tuple[Credit, ...]:
        """The customer's open credit notes and payments not (fully) booked against an invoice:
        a letter that asks for payment sets them off against what it asks (peers.md §3)."""
        if self._credits is None:
            self._credits = self._fetch_credits()
        return self._credits.get(customer.pk, ())

    def _fetch_credits(self) -> dict[int, tuple[Credit, ...]]:
        ids = list(self.customers)
        credit_notes = (
            Invoice.objects.filter(customer_id__in=ids, lifecycle="issued", kind="credit_note")
            .annotate(applied=Coalesce(Sum("applications__amount"), 0))
            .order_by("issue_date", "id")
        )
        payments = (
            Payment.objects.filter(customer_id__in=ids)
            .annotate(allocated=Coalesce(Sum("allocations__amount"), 0))
            .order_by("received_on", "id")
        )
        found: dict[int, list[Credit]] = defaultdict(list)
        for note in credit_notes:
            if note.total > note.applied:
                language = wording.language_of(self.customers[note.customer_id].language)
                found[note.customer_id].append(
                    Credit(
                        f"{wording.label('credit_note', language)} {note.number}",
                        note.issue_date,
                        note.total - note.applied,
                    )
                )
        for payment in payments:
            if (left := payment.amount - payment.allocated) > 0:
                language = wording.language_of(self.customers[payment.customer_id].language)
                found[payment.customer_id].append(
                    Credit(wording.label("payment_received", language), payment.received_on, left)
                )
        return {customer_id: tuple(credits) for customer_id, credits in found.items()}

    def claim(
        self,
        customer: Customer,
        invoices: Sequence[Invoice],
        *,
        on: date,
        default_from: Mapping[str, date] | None = None,
    ) -> tuple[claim.Claim, tuple[collection_costs.CollectionCosts, ...]]:
        """The claim on `customer` on `on` over `invoices`, as `tegoed.claims` states it, and
        the costs computations behind it; for a consumer, `default_from` gives per invoice
        number the day after a 14-day letter's term, from which interest runs and the costs
        are due (legal.md §6)."""
        rows = claims.claim_invoices(invoices, prefetched=True)
        # The history: reminders and a summons for limitation, a judgment's award, waived
        # interest after a broken arrangement, a 14-day letter (tegoed.claims.history).
        rows = with_history(customer, invoices, rows, on=on)
        if customer.kind == "consumer" and default_from:
            rows = [
                replace(row, default_from=day, costs_due_from=day)
                if (day := default_from.get(row.number)) is not None
                else row
                for row in rows
            ]
        terms = claims.terms_of(customer)
        if invoices:
            terms = replace(terms, currency=invoices[0].currency)
        stated = claim.compute(rows, terms=terms, on=on, rates=self.rates())
        return stated, claim.costs_computations(rows, terms=terms, on=on)

    def letter_for(
        self,
        kind: str,
        customer: Customer,
        *,
        today: date,
        level: int = 1,
        pay_by: date | None = None,
        numbers: Collection[str] | None = None,
        interest_from: dict[str, date] | None = None,
        with_costs: bool | None = None,
        with_interest: bool = True,
        instalments=(),
        history=(),
        agency: Party | None = None,
    ) -> LetterDocument:
        """A letter to the customer over its open invoices (or `numbers`), with the interest and
        costs the claim on the customer states on `today` (`tegoed.domain.claim`, as the claim
        page and the daily run show them).

        Interest runs for business and government customers from the day after the due date
        (art. 6:119a/6:119b BW); for a consumer only from the dates in `interest_from` (a due
        date printed on the invoice alone does not put a consumer in default; legal.md §6).
        Costs are claimed on a formal demand and a hand-over sheet, announced in the 14-day
        letter, and left out of reminders, unless `with_costs` says otherwise;
        `with_interest=False` leaves interest out (a friendly reminder that claims nothing). A
        letter that claims interest or costs covers only the invoices in default on its date
        (art. 6:96 lid 6 BW; HR 25 November 2016, ECLI:NL:HR:2016:2704). Where the claim is
        computed, a payment went to costs and interest before the principal (art. 6:44 BW), so
        the open amount a letter shows is the principal the claim still counts.
        """
        jurisdiction = self.organization.jurisdiction
        invoices = self.invoices(customer, numbers)
        if not invoices:
            raise DomainError(f"customer {customer.number} has no open invoices for a letter")
        claims_costs = kind == "consumer_notice" or (
            with_costs if with_costs is not None else kind in {"formal_demand", "handover"}
        )
        if kind in CLAIMING and (with_interest or claims_costs):
            invoices = [item for item in invoices if claim.in_default(item.due_date, today)]
            if not invoices:
                raise DomainError(
                    f"customer {customer.number} has no invoice in default on {today}; a letter "
                    "that claims interest or costs covers only those, and only after default "
                    "(art. 6:96 lid 6 BW)"
                )
        rows = [_letter_invoice(invoice) for invoice in invoices]
        computed = []
        costs = None
        costs_interest = ()
        costs_rule = claim.costs_rule(claims.terms_of(customer))
        if costs_rule is None and claims_costs:
            raise DomainError(f"{jurisdiction} gives no collection costs for this debtor")
        if with_interest or claims_costs:
            stated, computations = self.claim(
                customer, invoices, on=today, default_from=interest_from
            )
            rows = [_as_claimed(row, line) for row, line in zip(rows, stated.invoices, strict=True)]
            if with_interest:
                computed = [line.interest for line in stated.invoices if line.interest is not None]
            if claims_costs and kind != "consumer_notice":
                costs = _costs_stated(stated, computations, rows, costs_rule)
                if with_interest:
                    # Interest on the costs claimed (art. 6:119 BW), part of the interest.
                    costs_interest = tuple(
                        line.costs_interest
                        for line in stated.invoices
                        if line.costs_interest is not None
                    )
        notice = None
        if kind == "consumer_notice":
            first_due = min(row.due_date for row in rows if row.due_date)
            notice = default_notice.prepare(
                [row.open_amount for row in rows if row.open_amount > 0],
                sent_on=today,
                in_default_from=interest.first_day_commercial(first_due),
                rule=costs_rule,
            )
        if pay_by is None and kind in COPIES_ATTACHED - {"consumer_notice"}:
            pay_by = today + timedelta(days=14)
        return letters.compose(
            kind,
            addressing=self.addressing(customer),
            letter_date=today,
            invoices=rows,
            interest_computed=computed,
            costs=costs,
            costs_interest=costs_interest,
            notice=notice,
            level=level,
            pay_by=pay_by,
            instalments=instalments,
            history=history,
            agency=agency,
            credits=self.credits(customer) if kind in COPIES_ATTACHED | {"statement"} else (),
        )

    # Attachments ---------------------------------------------------------------------------

    def invoice_pdf(self, invoice: Invoice) -> bytes:
        """The invoice's PDF as kept (`invoice_pdf`), the kept ones read for all at once."""
        if self._pdfs is None:
            ids = [invoice.pk for invoice in self._by_number.values()]
            kept = {row.invoice_id: row for row in IssuedPdf.objects.filter(invoice_id__in=ids)}
            debits = {
                debit.invoice_id: debit
                for debit in DirectDebit.objects.filter(invoice_id__in=ids)
                .exclude(state=DirectDebitState.CANCELLED)
                .select_related("mandate")
            }
            self._pdfs = {pk: (kept.get(pk), debits.get(pk)) for pk in ids}
            # The lines of those to be made now, read together.
            prefetch_related_objects(
                [
                    invoice
                    for invoice in self._by_number.values()
                    if not _still_kept(*self._pdfs[invoice.pk])
                ],
                "lines",
            )
        kept, debit = self._pdfs.get(invoice.pk, (None, None))
        return _kept_pdf(invoice, kept, debit, look=self.look, texts=self.texts)

    def attachments(
        self, document: LetterDocument, *, with_letter: bool = True
    ) -> list[tuple[str, bytes]]:
        """The letter as PDF (unless the e-mail is the letter) and, with every reminder, a copy
        of each invoice it covers (seed 004: "voeg altijd een kopie van de factuur bij" — no
        "we never received it"); each invoice's PDF made once and kept."""
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
            for item in document.claims:
                invoice = self._by_number.get(item.number)
                if invoice is not None:
                    files.append(
                        (f"{ubl_export.file_name(invoice.number)}.pdf", self.invoice_pdf(invoice))
                    )
        return files


def _letter_invoice(invoice: Invoice) -> letters.LetterInvoice:
    return letters.LetterInvoice(
        number=invoice.number,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        total=invoice.total,
        open_amount=invoice.open_amount,
        payment_reference=invoice.payment_reference,
    )


def _as_claimed(row: letters.LetterInvoice, line: claim.InvoiceClaim) -> letters.LetterInvoice:
    """The invoice as the claim counts it: the principal left after payments went to costs and
    interest first; interest capitalised on an anniversary stays with the interest, where the
    letter shows it and says it was added (`letters.unpaid_interest`)."""
    capitalised = sum(
        (step.amount for step in line.interest.capitalisations) if line.interest else (), ZERO
    )
    return replace(row, open_amount=line.principal_outstanding - capitalised)


def _costs_stated(
    stated: claim.Claim,
    groups: Sequence[collection_costs.CollectionCosts],
    rows: Sequence[letters.LetterInvoice],
    rule: collection_costs.CostsRule,
) -> collection_costs.CollectionCosts | None:
    """The collection costs the claim states on the letter's invoices, as the letter shows them:
    the scale's computation when the costs are one computation still wholly owed, otherwise
    what each invoice still owes."""
    owed = [line.costs_outstanding for line in stated.invoices]
    total = sum(owed, ZERO)
    if not total:
        return None
    if len(groups) == 1 and groups[0].amount == total:
        return groups[0]
    charged = [share for row, share in zip(rows, owed, strict=True) if row.open_amount > 0]
    base = collection_costs.compute([row.open_amount for row in rows], rule=rule)
    return replace(
        base,
        principal=sum((row.open_amount for row in rows), ZERO),
        brackets=(),
        scale_amount=total,
        amount=total,
        minimum_applied=False,
        maximum_applied=False,
        vat=ZERO,
        shares=tuple(charged),
        per_claim=True,
    )


def _still_kept(kept: IssuedPdf | None, debit: DirectDebit | None) -> bool:
    return kept is not None and kept.direct_debit_id == (debit.pk if debit else None)


def _kept_pdf(
    invoice: Invoice, kept: IssuedPdf | None, debit: DirectDebit | None, **known
) -> bytes:
    """The issued document's PDF as first made and kept; made (and kept) now when it never was,
    or when the direct-debit notice printed on it changed. `known`: the look and texts
    `invoice_document` would otherwise read."""
    from tegoed.documents import rendering

    if _still_kept(kept, debit):
        return bytes(kept.pdf)
    pdf = rendering.render_invoice(invoice_document(invoice, debit=debit, **known))
    if kept is None:
        try:
            with transaction.atomic():
                IssuedPdf.objects.create(invoice=invoice, pdf=pdf, direct_debit=debit)
            return pdf
        except IntegrityError:
            pass  # kept meanwhile by another process: replaced by this one, as below
    IssuedPdf.objects.update_or_create(
        invoice=invoice, defaults={"pdf": pdf, "direct_debit": debit}
    )
    return pdf

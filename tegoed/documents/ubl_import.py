"""Import UBL 2.1 invoices and credit notes (EN 16931, Peppol BIS 3, SI-UBL 2.0) into the ledger.

These are the organization's own sales invoices, exported by its bookkeeping package. The
import reads every file first and refuses the whole batch on the first problem found in any
of them, naming the file, the line and the element; only then does it book, in one
transaction, through the ledger services (`save_draft_invoice`, `issue_invoice`,
`record_payment`), so nothing is ever half-imported. A file whose invoice is already in the
ledger with the same customer and total is skipped, so importing it again changes nothing.

Mapping (EN 16931 business terms): BT-1 number, BT-2 issue date, BT-9 due date (or the
payment term, BT-20), BT-5 currency, BT-10/BT-13 reference, BT-25 corrected invoice, BG-7
buyer, BG-25 lines (BT-129 quantity, BT-146/BT-149 price per base quantity, BT-131 line
amount, BT-152 VAT rate), BG-20/BG-21 document allowances and charges become lines,
BT-113 paid amount becomes a payment. Totals are recomputed by the ledger and must equal
BT-112 (amount including VAT) to the cent, or the file is refused.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from lxml import etree

from tegoed.customers import services as customer_services
from tegoed.customers.models import Customer, CustomerKind
from tegoed.domain import identifiers, limits, vat
from tegoed.domain.errors import DomainError
from tegoed.domain.money import round_cents
from tegoed.invoices import services as invoice_services
from tegoed.invoices.models import Invoice, InvoiceKind

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
_ROOTS = {
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2": "Invoice",
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2": "CreditNote",
}
_TERM_DAYS = re.compile(r"(\d{1,3})\s*(?:dagen|days|dage|tage|d\b)", re.IGNORECASE)
_CENT = Decimal("0.01")
# A price may have more decimals than a line keeps (`_line` decides), not more digits.
_PRICE = limits.Precision(limits.UNIT_PRICE.digits + 6, limits.UNIT_PRICE.places + 6)
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


class UblImportError(DomainError):
    """A file that cannot be imported; the message names the file, line and element."""


@dataclass(frozen=True)
class ImportedLine:
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    unit: str = ""


@dataclass(frozen=True)
class ImportedParty:
    name: str
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    vat_number: str = ""
    kvk_number: str = ""
    email: str = ""
    is_government: bool = False


@dataclass(frozen=True)
class ImportedInvoice:
    """One UBL document, read and checked, ready to book."""

    file: str
    number: str
    is_credit_note: bool
    issue_date: datetime.date
    due_date: datetime.date | None
    term_days: int | None
    currency: str
    customer_reference: str
    note: str
    credited_number: str
    seller: ImportedParty
    buyer: ImportedParty
    lines: tuple[ImportedLine, ...]
    total: Decimal
    paid: Decimal
    payment_reference: str


@dataclass
class ImportResult:
    imported: list[Invoice] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    new_customers: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.imported)} imported, {len(self.unchanged)} already present, "
            f"{len(self.new_customers)} new customers"
        )


class _DryRun(Exception):
    pass


# Reading ------------------------------------------------------------------------------------


class _Reader:
    """XPath over one document, with errors that say where."""

    def __init__(self, file: str, root: etree._Element) -> None:
        self.file = file
        self.root = root
        self.tree = root.getroottree()

    def error(self, element: etree._Element | None, message: str) -> UblImportError:
        if element is None:
            return UblImportError(f"{self.file}: {message}")
        path = self.tree.getpath(element)
        path = re.sub(r"\{[^}]*\}", "", path)
        return UblImportError(f"{self.file} line {element.sourceline} ({path}): {message}")

    def first(self, context, path: str) -> etree._Element | None:
        found = context.xpath(path, namespaces=NS)
        return found[0] if found else None

    def text(self, context, path: str, *, required: bool = False, what: str = "") -> str:
        element = self.first(context, path)
        value = (element.text or "").strip() if element is not None else ""
        if required and not value:
            where = context if element is None else element
            raise self.error(where, f"{what or path} is missing")
        return value

    def amount(
        self,
        context,
        path: str,
        *,
        required: bool = True,
        what: str = "",
        precision: limits.Precision = limits.MONEY,
    ) -> Decimal:
        """A number that fits `precision` (an amount: whole cents within `limits.MONEY`)."""
        element = self.first(context, path)
        if element is None or not (element.text or "").strip():
            if required:
                raise self.error(context, f"{what or path} is missing")
            return Decimal("0")
        text = element.text.strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise self.error(element, f"{limits.quoted(text)} is not a number") from None
        problem = precision.problem(value)
        if problem:
            raise self.error(element, f"{limits.quoted(text)} {problem}")
        return value

    def date(
        self, context, path: str, *, required: bool = True, what: str = ""
    ) -> datetime.date | None:
        element = self.first(context, path)
        if element is None or not (element.text or "").strip():
            if required:
                raise self.error(context, f"{what or path} is missing")
            return None
        try:
            return datetime.date.fromisoformat(element.text.strip())
        except ValueError:
            raise self.error(
                element, f"{element.text.strip()!r} is not a date (YYYY-MM-DD)"
            ) from None


def read(
    path: Path | str, *, name: str | None = None, content: bytes | None = None
) -> ImportedInvoice:
    """Read and check one UBL file; raise `UblImportError` naming what is wrong and where."""
    file = name or Path(path).name
    try:
        data = content if content is not None else Path(path).read_bytes()
    except OSError as error:
        raise UblImportError(f"{file}: cannot be read ({error.strerror})") from None
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise UblImportError(
            f"{file} line {error.lineno}: not well-formed XML ({error.msg})"
        ) from None
    if root.getroottree().docinfo.doctype:
        # Entities are never expanded; a document that declares any is refused outright.
        raise UblImportError(f"{file}: a DOCTYPE or entity declaration is not allowed")
    namespace = etree.QName(root).namespace
    kind = _ROOTS.get(namespace)
    if kind is None or etree.QName(root).localname != kind:
        local_name = etree.QName(root).localname
        raise UblImportError(f"{file}: not a UBL invoice or credit note (root {local_name!r})")
    reader = _Reader(file, root)
    is_credit_note = kind == "CreditNote"
    number = reader.text(root, "cbc:ID", required=True, what="the invoice number (cbc:ID)")
    if len(number) > 40:
        raise reader.error(
            reader.first(root, "cbc:ID"), "the invoice number is longer than 40 characters"
        )
    currency = reader.text(root, "cbc:DocumentCurrencyCode", required=True, what="the currency")
    issue_date = reader.date(root, "cbc:IssueDate", what="the issue date (cbc:IssueDate)")
    due_date = reader.date(root, "cbc:DueDate", required=False) or reader.date(
        root, "cac:PaymentMeans/cbc:PaymentDueDate", required=False
    )
    if due_date is not None and due_date < issue_date:
        raise reader.error(
            reader.first(root, "cbc:DueDate"), "the due date is before the issue date"
        )
    terms = " ".join(
        element.text or "" for element in root.xpath("cac:PaymentTerms/cbc:Note", namespaces=NS)
    )
    term_match = _TERM_DAYS.search(terms)
    term_days = int(term_match.group(1)) if term_match else None
    seller = _party(reader, reader.first(root, "cac:AccountingSupplierParty/cac:Party"), "seller")
    buyer = _party(reader, reader.first(root, "cac:AccountingCustomerParty/cac:Party"), "buyer")
    lines = _lines(reader, root, is_credit_note=is_credit_note)
    lines += _document_allowances(reader, root)
    totals = reader.first(root, "cac:LegalMonetaryTotal")
    if totals is None:
        raise reader.error(root, "the totals (cac:LegalMonetaryTotal) are missing")
    total = reader.amount(totals, "cbc:TaxInclusiveAmount", what="the total including VAT (BT-112)")
    paid = reader.amount(totals, "cbc:PrepaidAmount", required=False)
    rounding = reader.amount(totals, "cbc:PayableRoundingAmount", required=False)
    if rounding:
        raise reader.error(
            reader.first(totals, "cbc:PayableRoundingAmount"),
            "a rounding amount cannot be imported",
        )
    computed = vat.compute(
        vat.Line(line.quantity, line.unit_price, line.vat_rate) for line in lines
    )
    if computed.total != total:
        raise reader.error(
            reader.first(totals, "cbc:TaxInclusiveAmount"),
            f"the lines and VAT add up to {computed.total} (excl. VAT {computed.subtotal}, VAT "
            f"{computed.vat_total}), not to the {total} the file states",
        )
    if computed.total <= 0:
        raise reader.error(totals, "the total must be more than zero")
    payable = reader.amount(totals, "cbc:PayableAmount", what="the amount due (BT-115)")
    if payable != total - paid:
        raise reader.error(
            reader.first(totals, "cbc:PayableAmount"),
            f"the amount due {payable} is not the total {total} less the paid {paid}",
        )
    reference = reader.text(root, "cac:PaymentMeans/cbc:PaymentID")
    return ImportedInvoice(
        file=file,
        number=number,
        is_credit_note=is_credit_note,
        issue_date=issue_date,
        due_date=due_date,
        term_days=term_days,
        currency=currency,
        customer_reference=(
            reader.text(root, "cac:OrderReference/cbc:ID")
            or reader.text(root, "cbc:BuyerReference")
        )[:100],
        note=" ".join(reader.text(root, "cbc:Note").split())[:300],
        credited_number=reader.text(
            root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"
        ),
        seller=seller,
        buyer=buyer,
        lines=tuple(lines),
        total=total,
        paid=paid,
        payment_reference=reference if identifiers.is_creditor_reference(reference) else "",
    )


def _party(reader: _Reader, party, role: str) -> ImportedParty:
    if party is None:
        raise reader.error(reader.root, f"the {role} (cac:Party) is missing")
    name = reader.text(party, "cac:PartyLegalEntity/cbc:RegistrationName") or reader.text(
        party, "cac:PartyName/cbc:Name"
    )
    if not name:
        raise reader.error(party, f"the {role} has no name")
    vat_number = ""
    for element in party.xpath("cac:PartyTaxScheme", namespaces=NS):
        if reader.text(element, "cac:TaxScheme/cbc:ID").upper() == "VAT":
            vat_number = reader.text(element, "cbc:CompanyID").replace(".", "").replace(" ", "")
    kvk_number = ""
    is_government = False
    legal_id = reader.first(party, "cac:PartyLegalEntity/cbc:CompanyID")
    if legal_id is not None and legal_id.get("schemeID") == "0106":
        kvk_number = (legal_id.text or "").strip()
    if legal_id is not None and legal_id.get("schemeID") == "0190":
        is_government = True
    endpoint = reader.first(party, "cbc:EndpointID")
    email = reader.text(party, "cac:Contact/cbc:ElectronicMail")
    if endpoint is not None:
        scheme = endpoint.get("schemeID", "")
        value = (endpoint.text or "").strip()
        if scheme == "0106" and not kvk_number:
            kvk_number = value
        elif scheme == "0190":
            is_government = True
        elif scheme == "EM" and not email:
            email = value
    if kvk_number and not re.fullmatch(r"\d{8}", kvk_number):
        kvk_number = ""
    address = reader.first(party, "cac:PostalAddress")
    street = city = postal_code = country = ""
    if address is not None:
        street = " ".join(
            part
            for part in (
                reader.text(address, "cbc:StreetName"),
                reader.text(address, "cbc:AdditionalStreetName"),
            )
            if part
        )
        city = reader.text(address, "cbc:CityName")
        postal_code = reader.text(address, "cbc:PostalZone")
        country = reader.text(address, "cac:Country/cbc:IdentificationCode").upper()
    if email and "@" not in email:
        email = ""
    return ImportedParty(
        name=name[:200],
        street=street[:200],
        postal_code=postal_code[:20],
        city=city[:100],
        country=country[:2],
        vat_number=vat_number,
        kvk_number=kvk_number,
        email=email,
        is_government=is_government,
    )


def _lines(reader: _Reader, root, *, is_credit_note: bool) -> list[ImportedLine]:
    name = "cac:CreditNoteLine" if is_credit_note else "cac:InvoiceLine"
    quantity_name = "cbc:CreditedQuantity" if is_credit_note else "cbc:InvoicedQuantity"
    elements = root.xpath(name, namespaces=NS)
    if not elements:
        raise reader.error(root, f"the document has no lines ({name})")
    lines = []
    for element in elements:
        description = reader.text(element, "cac:Item/cbc:Name") or reader.text(
            element, "cac:Item/cbc:Description"
        )
        if not description:
            raise reader.error(element, "the line has no item name (cac:Item/cbc:Name)")
        quantity = reader.amount(
            element, quantity_name, what=f"the quantity ({quantity_name})",
            precision=limits.QUANTITY,
        )  # fmt: skip
        line_amount = reader.amount(element, "cbc:LineExtensionAmount", what="the line amount")
        price = reader.amount(
            element, "cac:Price/cbc:PriceAmount", what="the price", precision=_PRICE
        )
        base = reader.amount(
            element, "cac:Price/cbc:BaseQuantity", required=False, precision=limits.QUANTITY
        ) or Decimal(1)
        rate_element = reader.first(element, "cac:Item/cac:ClassifiedTaxCategory")
        if rate_element is None:
            raise reader.error(element, "the line has no VAT category")
        rate = reader.amount(rate_element, "cbc:Percent", required=False, precision=limits.VAT_RATE)
        if quantity == 0:
            raise reader.error(reader.first(element, quantity_name), "the quantity is zero")
        lines.append(_line(description, quantity, price / base, line_amount, rate))
    return lines


def _line(description, quantity, unit_price, line_amount, rate) -> ImportedLine:
    """The ledger keeps quantity × price rounded; keep the file's line amount exact."""
    description = " ".join(description.split())[:300]
    if round_cents(quantity * unit_price) == line_amount and unit_price == unit_price.quantize(
        Decimal("0.0001")
    ):
        return ImportedLine(description, quantity, unit_price, rate)
    per_unit = line_amount / quantity
    if per_unit == per_unit.quantize(Decimal("0.0001")):
        return ImportedLine(description, quantity, per_unit, rate)
    # A line discount that does not divide evenly: one unit at the line amount.
    return ImportedLine(
        f"{description} ({quantity:f} × {unit_price:f})"[:300], Decimal(1), line_amount, rate
    )


def _document_allowances(reader: _Reader, root) -> list[ImportedLine]:
    lines = []
    for element in root.xpath("cac:AllowanceCharge", namespaces=NS):
        is_charge = reader.text(element, "cbc:ChargeIndicator").lower() == "true"
        amount = reader.amount(element, "cbc:Amount", what="the allowance or charge amount")
        reason = reader.text(element, "cbc:AllowanceChargeReason") or (
            "Toeslag" if is_charge else "Korting"
        )
        category = reader.first(element, "cac:TaxCategory")
        if category is None:
            raise reader.error(element, "the allowance or charge has no VAT category")
        rate = reader.amount(category, "cbc:Percent", required=False, precision=limits.VAT_RATE)
        lines.append(ImportedLine(reason[:300], Decimal(1), amount if is_charge else -amount, rate))
    return lines


# Checking against the ledger and booking ----------------------------------------------------


def _compact(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def _check_seller(document: ImportedInvoice, organization) -> None:
    """A file from another company's books must not land in this organization's ledger."""
    ours = {_compact(organization.vat_number), organization.kvk_number} - {""}
    theirs = {_compact(document.seller.vat_number), document.seller.kvk_number} - {""}
    if ours and theirs and not ours & theirs:
        raise UblImportError(
            f"{document.file}: issued by {document.seller.name} "
            f"({', '.join(sorted(theirs))}), not by {organization.legal_name}"
        )


def _find_customer(document: ImportedInvoice, organization) -> Customer | None:
    customers = Customer.objects.filter(organization=organization)
    buyer = document.buyer
    if buyer.kvk_number:
        found = customers.filter(kvk_number=buyer.kvk_number).first()
        if found:
            return found
    if buyer.vat_number:
        try:
            standard = identifiers.normalize_vat(buyer.vat_number)
        except DomainError:
            standard = _compact(buyer.vat_number)
        found = customers.filter(vat_number__in={standard, _compact(buyer.vat_number)}).first()
        if found:
            return found
    return customers.filter(name__iexact=buyer.name).first()


def _existing(document: ImportedInvoice, organization) -> Invoice | None:
    return Invoice.objects.filter(organization=organization, number=document.number).first()


def import_files(
    paths: Sequence[Path | str] | Iterable[tuple[str, bytes]],
    *,
    organization,
    acting_user,
    today: datetime.date,
    dry_run: bool = False,
) -> ImportResult:
    """Read every file, then book them all in one transaction (or none on any error).

    `paths` are file paths, or (name, content) pairs for uploads. With `dry_run` everything
    is checked and booked, then rolled back, so the answer is the same as a real import.
    """
    documents = []
    for item in paths:
        if isinstance(item, tuple):
            documents.append(read(item[0], name=item[0], content=item[1]))
        else:
            documents.append(read(item))
    numbers = [document.number for document in documents]
    duplicates = sorted({number for number in numbers if numbers.count(number) > 1})
    if duplicates:
        raise UblImportError(f"invoice {duplicates[0]} is in more than one file")
    result = ImportResult()
    try:
        with transaction.atomic():
            for document in documents:
                _book(
                    document,
                    organization=organization,
                    acting_user=acting_user,
                    today=today,
                    result=result,
                )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _book(
    document: ImportedInvoice, *, organization, acting_user, today, result: ImportResult
) -> None:
    _check_seller(document, organization)
    customer = _find_customer(document, organization)
    existing = _existing(document, organization)
    if existing is not None:
        if (
            existing.total == document.total
            and customer is not None
            and existing.customer_id == customer.pk
        ):
            result.unchanged.append(document.number)
            return
        raise UblImportError(
            f"{document.file}: invoice {document.number} is already in the ledger with other "
            f"content (customer {existing.customer.name}, total {existing.total})"
        )
    if customer is None:
        customer = _create_customer(document, organization, acting_user)
        result.new_customers.append(customer.name)
    elif not customer.contacts.exclude(email="").exists() and document.buyer.email:
        customer_services.save_contact(
            customer=customer,
            acting_user=acting_user,
            name="",
            email=document.buyer.email,
            role="billing",
        )
    credited = None
    if document.is_credit_note and document.credited_number:
        credited = Invoice.objects.filter(
            organization=organization, number=document.credited_number, kind=InvoiceKind.INVOICE
        ).first()
    due_date = document.due_date
    if due_date is None and document.term_days is not None:
        due_date = document.issue_date + datetime.timedelta(days=document.term_days)
    if document.is_credit_note:
        due_date = document.issue_date
    try:
        draft = invoice_services.save_draft_invoice(
            organization=organization,
            customer=customer,
            lines=[
                invoice_services.LineInput(
                    line.description, line.quantity, line.unit_price, line.vat_rate, line.unit
                )
                for line in document.lines
            ],
            acting_user=acting_user,
            issue_date=document.issue_date,
            due_date=due_date,
            currency=document.currency,
            description=document.note,
            customer_reference=document.customer_reference,
            number=document.number,
            payment_reference=document.payment_reference,
            kind=InvoiceKind.CREDIT_NOTE if document.is_credit_note else InvoiceKind.INVOICE,
            credits_invoice=credited,
        )
        invoice = invoice_services.issue_invoice(
            invoice=draft, acting_user=acting_user, today=today
        )
        if document.paid > 0 and not document.is_credit_note:
            invoice_services.record_payment(
                organization=organization,
                amount=round_cents(document.paid),
                received_on=document.issue_date,
                acting_user=acting_user,
                customer=customer,
                currency=document.currency,
                description=f"Paid in advance (e-invoice {document.number})",
                allocate_to=[(invoice, round_cents(document.paid))],
            )
    except (DomainError, ValidationError) as error:
        message = getattr(error, "messages", None)
        text = "; ".join(message) if message else str(error)
        raise UblImportError(
            f"{document.file}: invoice {document.number} refused: {text}"
        ) from None
    result.imported.append(invoice)


def _create_customer(document: ImportedInvoice, organization, acting_user) -> Customer:
    buyer = document.buyer
    if not buyer.email:
        raise UblImportError(
            f"{document.file}: customer {buyer.name!r} is not known and the file gives no e-mail "
            "address for invoices (cac:AccountingCustomerParty/cac:Party/cac:Contact/"
            "cbc:ElectronicMail); add the customer first"
        )
    values = {
        "number": _customer_number(organization, buyer),
        "name": buyer.name,
        "kind": CustomerKind.GOVERNMENT if buyer.is_government else CustomerKind.BUSINESS,
        "street": buyer.street,
        "postal_code": buyer.postal_code,
        "city": buyer.city,
        "country": buyer.country or organization.country,
    }
    for key, value, check in (
        ("kvk_number", buyer.kvk_number, identifiers.normalize_kvk),
        ("vat_number", buyer.vat_number, identifiers.normalize_vat),
    ):
        # An identifier that does not check out is left out rather than stored wrong.
        with contextlib.suppress(DomainError):
            if value:
                values[key] = check(value)
    try:
        customer = customer_services.create_customer(
            organization=organization, acting_user=acting_user, **values
        )
        customer_services.save_contact(
            customer=customer, acting_user=acting_user, name="", email=buyer.email, role="billing"
        )
    except (DomainError, ValidationError) as error:
        message = getattr(error, "messages", None)
        text = "; ".join(message) if message else str(error)
        raise UblImportError(f"{document.file}: customer {buyer.name!r} refused: {text}") from None
    return customer


def _customer_number(organization, buyer: ImportedParty) -> str:
    base = "UBL-" + (
        buyer.kvk_number or _compact(buyer.vat_number) or re.sub(r"\W", "", buyer.name.upper())[:20]
    )
    number, counter = base[:40], 1
    while Customer.objects.filter(organization=organization, number=number).exists():
        counter += 1
        number = f"{base[:36]}-{counter}"
    return number

"""Import invoices from a CSV export of the bookkeeping package (docs/import.md).

One row per invoice line; rows with the same invoice number are one invoice. Imported
invoices are issued facts: they keep their number and dates and get a payment reference. A
customer number not yet known creates the customer from the row's customer columns.

The import reads and checks the whole file first (`plan`), then writes everything in one
transaction (`apply`), so a file with one broken row imports nothing. An invoice that already
exists with the same content is left alone, so importing a file again changes nothing; one that
exists with other content is an error.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from tegoed.audit.models import AuditEvent
from tegoed.common import bulk, tabular
from tegoed.common.tabular import CellError, ImportFailed
from tegoed.customers.models import Contact, Customer, CustomerKind
from tegoed.domain import identifiers, issuing, limits, vat
from tegoed.domain.errors import DomainError
from tegoed.domain.money import MINOR_UNITS, round_cents
from tegoed.invoices.issue_messages import describe
from tegoed.invoices.models import Invoice, InvoiceKind, InvoiceLine, Lifecycle
from tegoed.invoices.services import fallback_reference

ALIASES = {
    "factuurnummer": "invoice_number",
    "factuur": "invoice_number",
    "number": "invoice_number",
    "klantnummer": "customer_number",
    "debiteurnummer": "customer_number",
    "debiteur": "customer_number",
    "klantnaam": "customer_name",
    "naam": "customer_name",
    "name": "customer_name",
    "factuurdatum": "issue_date",
    "datum": "issue_date",
    "vervaldatum": "due_date",
    "omschrijving": "description",
    "aantal": "quantity",
    "prijs": "unit_price",
    "stuksprijs": "unit_price",
    "bedrag": "unit_price",
    "amount": "unit_price",
    "btw": "vat_rate",
    "btw_percentage": "vat_rate",
    "vat": "vat_rate",
    "valuta": "currency",
    "betalingskenmerk": "payment_reference",
    "uw_referentie": "customer_reference",
    "soort_klant": "customer_kind",
    "e_mail": "customer_email",
    "email": "customer_email",
    "straat": "customer_street",
    "postcode": "customer_postal_code",
    "plaats": "customer_city",
    "kvk": "customer_kvk",
    "kvk_nummer": "customer_kvk",
    "btw_nummer": "customer_vat_number",
    "eenheid": "unit",
}
REQUIRED = ("invoice_number", "customer_number", "issue_date", "description", "unit_price")
KINDS = {
    "consumer": CustomerKind.CONSUMER,
    "consument": CustomerKind.CONSUMER,
    "particulier": CustomerKind.CONSUMER,
    "business": CustomerKind.BUSINESS,
    "bedrijf": CustomerKind.BUSINESS,
    "zakelijk": CustomerKind.BUSINESS,
    "government": CustomerKind.GOVERNMENT,
    "overheid": CustomerKind.GOVERNMENT,
}


@dataclass
class CustomerRecord:
    number: str
    name: str
    kind: str
    email: str
    street: str
    postal_code: str
    city: str
    kvk_number: str
    vat_number: str
    line: int


@dataclass(frozen=True, slots=True)
class LineRecord:
    position: int
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    vat_rate: Decimal
    net_amount: Decimal


@dataclass
class InvoiceRecord:
    number: str
    customer_number: str
    issue_date: datetime.date
    due_date: datetime.date | None
    currency: str
    payment_reference: str
    customer_reference: str
    first_line: int
    lines: list[LineRecord] = field(default_factory=list)
    totals: vat.Totals | None = None

    def fingerprint(self) -> tuple:
        assert self.totals is not None and self.due_date is not None
        return (
            self.customer_number,
            self.issue_date,
            self.due_date,
            self.currency,
            self.totals.total,
        )


@dataclass
class Plan:
    """What an import would do; `apply` carries it out."""

    organization: object
    file: str
    new_customers: list[CustomerRecord]
    new_invoices: list[InvoiceRecord]
    unchanged_invoices: list[str]
    customers: dict[str, Customer]

    @property
    def changes_nothing(self) -> bool:
        return not self.new_customers and not self.new_invoices

    def summary(self) -> str:
        return (
            f"{len(self.new_invoices)} new invoice(s), {len(self.unchanged_invoices)} already "
            f"imported and unchanged, {len(self.new_customers)} new customer(s)"
        )


def plan(path: Path, organization) -> Plan:
    """Read and check the whole file against the ledger; raises ImportFailed listing problems."""
    errors: list[CellError] = []
    records: dict[str, InvoiceRecord] = {}
    new_customer_rows: dict[str, CustomerRecord] = {}
    for row in tabular.read(path, aliases=ALIASES, required=REQUIRED):
        _read_row(row, records, new_customer_rows)
        errors += row.errors
    if not records and not errors:
        errors.append(CellError(path.name, 2, "", "the file has no invoice rows"))
    customers = {
        customer.number: customer
        for customer in Customer.objects.filter(
            organization=organization,
            number__in={record.customer_number for record in records.values()},
        ).prefetch_related("contacts")
    }
    new_customers = [row for number, row in new_customer_rows.items() if number not in customers]
    errors += _check_new_customers(path.name, new_customers)
    existing = _existing_invoices(organization, list(records))
    new_invoices, unchanged = [], []
    for record in records.values():
        record.totals = vat.compute(
            vat.Line(line.quantity, line.unit_price, line.vat_rate) for line in record.lines
        )
        customer = customers.get(record.customer_number) or new_customer_rows.get(
            record.customer_number
        )
        if customer is None:
            errors.append(
                CellError(
                    path.name,
                    record.first_line,
                    "customer_number",
                    f"customer {record.customer_number!r} is unknown; "
                    "give customer_name to create it",
                )
            )
            continue
        record.due_date = record.due_date or record.issue_date + datetime.timedelta(
            days=_term_days(customer, organization)
        )
        errors += _check_invoice(path.name, record, customer)
        if record.number in existing:
            if existing[record.number] == record.fingerprint():
                unchanged.append(record.number)
            else:
                errors.append(
                    CellError(
                        path.name,
                        record.first_line,
                        "invoice_number",
                        f"invoice {record.number} already exists with other content",
                    )
                )
            continue
        new_invoices.append(record)
    errors += _check_references(path.name, organization, new_invoices)
    if errors:
        raise ImportFailed(sorted(errors, key=lambda error: error.line))
    return Plan(organization, path.name, new_customers, new_invoices, unchanged, customers)


def _read_row(
    row: tabular.Row,
    records: dict[str, InvoiceRecord],
    new_customers: dict[str, CustomerRecord],
) -> None:
    number = row.text("invoice_number", required=True, max_length=40)
    customer_number = row.text("customer_number", required=True, max_length=40)
    issue_date = row.date("issue_date", required=True)
    due_date = row.date("due_date")
    currency = (row.text("currency", max_length=3) or "EUR").upper()
    if currency not in MINOR_UNITS:
        row.error("currency", f"{currency!r} is not a supported currency")
    quantity = row.amount("quantity", default="1", precision=limits.QUANTITY)
    unit_price = row.amount("unit_price", required=True, precision=limits.UNIT_PRICE)
    vat_rate = row.amount("vat_rate", default="21", precision=limits.VAT_RATE)
    description = row.text("description", required=True)
    if row.errors or not number:
        return
    record = records.get(number)
    if record is None:
        record = records[number] = InvoiceRecord(
            number=number,
            customer_number=customer_number,
            issue_date=issue_date,
            due_date=due_date,
            currency=currency,
            payment_reference=row.text("payment_reference", max_length=35).replace(" ", "").upper(),
            customer_reference=row.text("customer_reference", max_length=100),
            first_line=row.line,
        )
    elif (record.customer_number, record.issue_date, record.currency) != (
        customer_number,
        issue_date,
        currency,
    ):
        row.error(
            "invoice_number",
            f"invoice {number} appears on line {record.first_line} with another customer, "
            "date or currency",
        )
        return
    record.lines.append(
        LineRecord(
            position=len(record.lines) + 1,
            description=description,
            quantity=quantity,
            unit=row.text("unit", max_length=20),
            unit_price=unit_price,
            vat_rate=vat_rate,
            net_amount=round_cents(quantity * unit_price),
        )
    )
    if row.values.get("customer_name", "").strip() and customer_number not in new_customers:
        new_customers[customer_number] = CustomerRecord(
            number=customer_number,
            name=row.text("customer_name", max_length=200),
            kind=row.choice("customer_kind", KINDS, CustomerKind.BUSINESS),
            email=row.text("customer_email", max_length=254),
            street=row.text("customer_street", max_length=200),
            postal_code=row.text("customer_postal_code", max_length=20),
            city=row.text("customer_city", max_length=100),
            kvk_number=row.text("customer_kvk", max_length=20),
            vat_number=row.text("customer_vat_number", max_length=20),
            line=row.line,
        )


def _check_new_customers(file: str, rows: list[CustomerRecord]) -> list[CellError]:
    errors = []
    for row in rows:
        for column, value, normalize in (
            ("customer_kvk", row.kvk_number, identifiers.normalize_kvk),
            ("customer_vat_number", row.vat_number, identifiers.normalize_vat),
        ):
            if not value:
                continue
            try:
                normalized = normalize(value)
            except DomainError as error:
                errors.append(CellError(file, row.line, column, str(error)))
            else:
                setattr(row, "kvk_number" if column == "customer_kvk" else "vat_number", normalized)
    return errors


def _term_days(customer, organization) -> int:
    term = getattr(customer, "payment_term_days", None)
    return organization.default_payment_term_days if term is None else term


def _check_invoice(file: str, record: InvoiceRecord, customer) -> list[CellError]:
    """The issue checks that make sense for an invoice that was already sent.

    The address and e-mail were the bookkeeping package's concern when it was sent; the
    amounts, dates and term are checked here.
    """
    draft = issuing.Draft(
        customer_kind=customer.kind,
        customer_name=customer.name,
        customer_street="-",
        customer_postal_code="-",
        customer_city="-",
        billing_emails=("-",),
        currency=record.currency,
        issue_date=record.issue_date,
        due_date=record.due_date,
        lines=tuple(
            issuing.DraftLine(line.description, line.quantity, line.unit_price, line.vat_rate)
            for line in record.lines
        ),
    )
    return [
        CellError(file, record.first_line, problem.field, describe(problem))
        for problem in issuing.errors(issuing.problems(draft))
    ]


def _existing_invoices(organization, numbers: list[str]) -> dict[str, tuple]:
    existing = {}
    for start in range(0, len(numbers), 900):
        chunk = numbers[start : start + 900]
        rows = Invoice.objects.filter(organization=organization, number__in=chunk).values_list(
            "number", "customer__number", "issue_date", "due_date", "currency", "total"
        )
        for number, *fingerprint in rows:
            existing[number] = tuple(fingerprint)
    return existing


def _check_references(file: str, organization, records: list[InvoiceRecord]) -> list[CellError]:
    errors = []
    seen: set[str] = set()
    for record in records:
        if record.payment_reference:
            if not identifiers.is_creditor_reference(record.payment_reference):
                errors.append(
                    CellError(
                        file,
                        record.first_line,
                        "payment_reference",
                        f"{record.payment_reference!r} is not a valid RF reference",
                    )
                )
                continue
        else:
            try:
                record.payment_reference = identifiers.creditor_reference(record.number)
            except DomainError:
                continue  # given after saving, from the primary key
        if record.payment_reference in seen:
            errors.append(
                CellError(file, record.first_line, "payment_reference", "appears twice in the file")
            )
        seen.add(record.payment_reference)
    taken = set()
    references = sorted(seen)
    for start in range(0, len(references), 900):
        taken |= set(
            Invoice.objects.filter(
                organization=organization, payment_reference__in=references[start : start + 900]
            ).values_list("payment_reference", flat=True)
        )
    for record in records:
        if record.payment_reference in taken:
            errors.append(
                CellError(
                    file,
                    record.first_line,
                    "payment_reference",
                    f"{record.payment_reference} is already used by another invoice",
                )
            )
    return errors


@transaction.atomic
def apply(import_plan: Plan, *, acting_user, progress: Callable[[int], None] | None = None) -> int:
    """Write the planned customers and invoices; returns the number of invoices imported."""
    organization = import_plan.organization
    actor_id = acting_user.pk if getattr(acting_user, "is_authenticated", False) else None
    now = timezone.now()
    customer_ids = {number: customer.pk for number, customer in import_plan.customers.items()}
    batch = bulk.Batch()
    customers = batch.table(
        Customer,
        ["id", "created_at", "updated_at", "organization", "public_id", "number", "name", "kind",
         "street", "postal_code", "city", "country", "kvk_number", "vat_number", "language",
         "notes"],
    )  # fmt: skip
    contacts = batch.table(
        Contact,
        ["created_at", "updated_at", "customer", "name", "role", "email", "phone",
         "preferred_channel"],
    )  # fmt: skip
    invoices = batch.table(
        Invoice,
        ["id", "created_at", "updated_at", "organization", "public_id", "customer", "kind",
         "lifecycle", "number", "payment_reference", "currency", "issue_date", "due_date",
         "customer_reference", "description", "subtotal", "vat_total", "total", "issued_at"],
    )  # fmt: skip
    lines = batch.table(
        InvoiceLine,
        ["invoice", "position", "description", "quantity", "unit", "unit_price", "vat_rate",
         "net_amount"],
    )  # fmt: skip
    events = batch.table(
        AuditEvent,
        ["organization", "at", "actor", "action", "subject", "summary", "details"],
    )
    language = organization.language
    for row in import_plan.new_customers:
        customer_id = customers.take_id()
        customer_ids[row.number] = customer_id
        customers.add(
            (customer_id, now, now, organization.pk, uuid.uuid4(), row.number, row.name, row.kind,
             row.street, row.postal_code, row.city, "NL", row.kvk_number, row.vat_number,
             language, "")
        )  # fmt: skip
        if row.email:
            contacts.add((now, now, customer_id, "", "billing", row.email, "", "email"))
        events.add(
            (organization.pk, now, actor_id, "customer.imported",
             f"customers.customer:{customer_id}", f"{row.number} {row.name}"[:300],
             {"file": import_plan.file, "line": row.line})
        )  # fmt: skip
    for done, record in enumerate(import_plan.new_invoices, start=1):
        invoice_id = invoices.take_id()
        totals = record.totals
        if not record.payment_reference:
            record.payment_reference = fallback_reference(organization.pk, invoice_id)
        invoices.add(
            (invoice_id, now, now, organization.pk, uuid.uuid4(),
             customer_ids[record.customer_number], InvoiceKind.INVOICE, Lifecycle.ISSUED,
             record.number, record.payment_reference, record.currency, record.issue_date,
             record.due_date, record.customer_reference, "", totals.subtotal, totals.vat_total,
             totals.total, now)
        )  # fmt: skip
        for line in record.lines:
            lines.add(
                (invoice_id, line.position, line.description, line.quantity, line.unit,
                 line.unit_price, line.vat_rate, line.net_amount)
            )  # fmt: skip
        events.add(
            (organization.pk, now, actor_id, "invoice.imported", f"invoices.invoice:{invoice_id}",
             f"{record.number}: {record.currency} {totals.total}",
             {"file": import_plan.file, "line": record.first_line})
        )  # fmt: skip
        if progress and done % 1000 == 0:
            progress(1000)
    batch.flush()
    if progress:
        progress(len(import_plan.new_invoices) % 1000)
    return invoices.written

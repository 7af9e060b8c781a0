"""Import customers from CSV: the debtor list of the bookkeeping package (docs/import.md).

One row per customer. A customer number not yet known creates the customer, with a billing
contact and a known IBAN when given; a known number updates the fields the file gives and that
differ; a row equal to what is stored changes nothing. The whole file is checked before
anything is written, and one broken row imports nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from tegoed.accounts.models import Language
from tegoed.audit import services as audit
from tegoed.common import tabular
from tegoed.common.tabular import CellError, ImportFailed
from tegoed.customers import services
from tegoed.customers.models import Customer, Tag
from tegoed.domain import identifiers
from tegoed.domain.errors import DomainError
from tegoed.invoices.csv_import import KINDS

ALIASES = {
    "klantnummer": "customer_number",
    "debiteurnummer": "customer_number",
    "number": "customer_number",
    "naam": "name",
    "klantnaam": "name",
    "customer_name": "name",
    "soort_klant": "kind",
    "soort": "kind",
    "straat": "street",
    "postcode": "postal_code",
    "plaats": "city",
    "land": "country",
    "kvk": "kvk_number",
    "kvk_nummer": "kvk_number",
    "btw_nummer": "vat_number",
    "taal": "language",
    "betalingstermijn": "payment_term_days",
    "kredietlimiet": "credit_limit",
    "e_mail": "email",
    "contactpersoon": "contact_name",
    "telefoon": "phone",
    "rekeningnummer": "iban",
    "labels": "tags",
}
REQUIRED = ("customer_number", "name")
TAG_LENGTH = Tag._meta.get_field("name").max_length
LANGUAGES = {"nl": Language.DUTCH, "nederlands": Language.DUTCH, "en": Language.ENGLISH,
             "english": Language.ENGLISH, "engels": Language.ENGLISH}  # fmt: skip
# Columns that are customer fields; only those present in the file are compared and updated.
FIELD_COLUMNS = ("name", "kind", "street", "postal_code", "city", "country", "kvk_number",
                 "vat_number", "language", "payment_term_days", "credit_limit")  # fmt: skip


@dataclass
class CustomerRow:
    line: int
    number: str
    values: dict[str, Any]
    email: str = ""
    contact_name: str = ""
    phone: str = ""
    iban: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass
class Plan:
    organization: object
    file: str
    new: list[CustomerRow]
    changed: list[tuple[Customer, CustomerRow, dict[str, Any]]]
    unchanged: list[str]

    @property
    def changes_nothing(self) -> bool:
        return not self.new and not self.changed

    def summary(self) -> str:
        return (
            f"{len(self.new)} new customer(s), {len(self.changed)} changed, "
            f"{len(self.unchanged)} unchanged"
        )


def plan(path: Path, organization) -> Plan:
    errors: list[CellError] = []
    rows: dict[str, CustomerRow] = {}
    for raw in tabular.read(path, aliases=ALIASES, required=REQUIRED):
        row = _read_row(raw)
        errors += raw.errors
        if row is None:
            continue
        if row.number in rows:
            errors.append(
                CellError(path.name, row.line, "customer_number",
                          f"{row.number} appears twice (also on line {rows[row.number].line})")
            )  # fmt: skip
            continue
        rows[row.number] = row
    existing = {
        customer.number: customer
        for customer in Customer.objects.filter(organization=organization, number__in=list(rows))
    }
    new, changed, unchanged = [], [], []
    for number, row in rows.items():
        customer = existing.get(number)
        if customer is None:
            errors += _refused(path.name, row, Customer(organization=organization, number=number))
            new.append(row)
            continue
        differences = {
            name: value for name, value in row.values.items() if getattr(customer, name) != value
        }
        errors += _refused(path.name, row, copy.copy(customer))
        known_iban = row.iban and customer.bank_accounts.filter(iban=row.iban).exists()
        if differences or (row.iban and not known_iban):
            changed.append((customer, row, differences))
        else:
            unchanged.append(number)
    if not rows and not errors:
        errors.append(CellError(path.name, 2, "", "the file has no customer rows"))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda error: error.line))
    return Plan(organization, path.name, new, changed, unchanged)


def _refused(file: str, row: CustomerRow, customer: Customer) -> list[CellError]:
    """What writing the row would refuse: the model's own validation, run before anything is
    written, so that the check catches everything the write would."""
    for name, value in row.values.items():
        setattr(customer, name, value)
    try:
        customer.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [
            CellError(file, row.line, column, " ".join(messages))
            for column, messages in error.message_dict.items()
        ]
    return []


def _read_row(row: tabular.Row) -> CustomerRow | None:
    number = row.text("customer_number", required=True, max_length=40)
    values: dict[str, Any] = {}
    present = set(row.values)
    for column, max_length in (("name", 200), ("street", 200), ("postal_code", 20),
                               ("city", 100)):  # fmt: skip
        if column in present:
            values[column] = row.text(column, required=column == "name", max_length=max_length)
    if "country" in present:
        values["country"] = (row.text("country", max_length=2) or "NL").upper()
    if "kind" in present:
        values["kind"] = row.choice("kind", KINDS, "business")
    if "language" in present:
        values["language"] = row.choice("language", LANGUAGES, Language.DUTCH)
    if "payment_term_days" in present:
        values["payment_term_days"] = row.integer("payment_term_days")
    if "credit_limit" in present:
        values["credit_limit"] = row.amount("credit_limit")
    for column, normalize in (("kvk_number", identifiers.normalize_kvk),
                              ("vat_number", identifiers.normalize_vat)):  # fmt: skip
        if column in present:
            values[column] = _normalized(row, column, normalize)
    email = row.text("email", max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            row.error("email", f"{email!r} is not an e-mail address")
    iban = _normalized(row, "iban", identifiers.normalize_iban)
    tags = [tag.strip() for tag in row.text("tags").replace(";", ",").split(",") if tag.strip()]
    if any(len(tag) > TAG_LENGTH for tag in tags):
        row.error("tags", f"a label is longer than {TAG_LENGTH} characters")
    if row.errors:
        return None
    return CustomerRow(
        line=row.line,
        number=number,
        values=values,
        email=email,
        contact_name=row.text("contact_name", max_length=200),
        phone=row.text("phone", max_length=30),
        iban=iban,
        tags=tags,
    )


def _normalized(row: tabular.Row, column: str, normalize: Callable[[str], str]) -> str:
    known = len(row.errors)
    value = row.text(column)
    if not value or len(row.errors) > known:  # empty, or too long to be one
        return value
    try:
        return normalize(value)
    except DomainError as error:
        row.error(column, str(error))
        return value


@transaction.atomic
def apply(import_plan: Plan, *, acting_user) -> None:
    organization = import_plan.organization
    for row in import_plan.new:
        customer = services.create_customer(
            organization=organization, acting_user=acting_user, number=row.number, **row.values
        )
        _add_extras(customer, row, acting_user)
    for customer, row, differences in import_plan.changed:
        if differences:
            services.update_customer(customer=customer, acting_user=acting_user, **differences)
        _add_extras(customer, row, acting_user)
    if not import_plan.changes_nothing:
        audit.record(
            organization=organization,
            actor=acting_user,
            action="customers.imported",
            subject=organization,
            summary=f"{import_plan.file}: {import_plan.summary()}",
        )


def _add_extras(customer: Customer, row: CustomerRow, acting_user) -> None:
    if row.email and not customer.contacts.filter(email__iexact=row.email).exists():
        services.save_contact(
            customer=customer,
            acting_user=acting_user,
            name=row.contact_name,
            email=row.email,
            phone=row.phone,
            role="billing",
        )
    if row.iban:
        services.learn_bank_account(
            customer=customer, iban=row.iban, acting_user=acting_user, holder_name=customer.name
        )
    for name in row.tags:
        tag, _created = Tag.objects.get_or_create(organization=customer.organization, name=name)
        customer.tags.add(tag)

"""Everything Tegoed holds about one customer (AVG/GDPR art. 15 and 20), and its erasure
(art. 17) once the law no longer requires the books about them (`domain.retention`).

The records are found the way a deletion would find them: every row that points at the
customer, at its invoices or payments, and so on down (contacts, notes, messages, promises,
disputes, invoice lines, allocations, bank entries), whatever app added them; plus the audit
trail about those rows. Erasure removes what describes the person and keeps the books, now
anonymous (docs/decisions/0601).
"""

from __future__ import annotations

import datetime
import json

from django.contrib.admin.utils import NestedObjects
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Max, ProtectedError, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tegoed.audit import services as audit
from tegoed.audit.models import AuditEvent
from tegoed.banking.models import BankEntry
from tegoed.customers.models import Customer
from tegoed.domain import retention
from tegoed.domain.errors import DomainError
from tegoed.invoices.models import Allocation, Invoice, InvoiceKind, Payment

ERASED = "—"


def records_of(customer: Customer) -> list[models.Model]:
    """The customer and every row that depends on it, directly or through another."""
    found: dict[tuple[str, object], models.Model] = {}
    frontier: list[models.Model] = [customer]
    while frontier:
        collector = NestedObjects(using="default")
        by_model: dict[type, list[models.Model]] = {}
        for row in frontier:
            by_model.setdefault(type(row), []).append(row)
        for rows in by_model.values():
            collector.collect(rows)
        frontier = []
        collected = [row for rows in collector.data.values() for row in rows]
        for row in [*collected, *collector.protected]:
            key = (row._meta.label_lower, row.pk)
            if key not in found:
                found[key] = row
                if row in collector.protected:
                    frontier.append(row)
    return sorted(found.values(), key=lambda row: (row._meta.label_lower, row.pk))


def export(customer: Customer, *, acting_user, now: datetime.datetime) -> str:
    """A JSON document with every record about the customer and the audit trail about them;
    the export itself is recorded in that trail."""
    audit.record(
        organization=customer.organization,
        actor=acting_user,
        action="customer.exported",
        subject=customer,
        summary=_("Personal data of customer %(number)s exported") % {"number": customer.number},
    )
    records = records_of(customer)
    subjects = [audit.subject_of(row) for row in records]
    trail = AuditEvent.objects.filter(
        organization=customer.organization, subject__in=subjects
    ).order_by("at", "pk")
    document = {
        "customer": customer.number,
        "organization": customer.organization.legal_name,
        "exported_at": now.isoformat(),
        "records": serializers.serialize("python", records),
        "audit_trail": serializers.serialize("python", trail),
    }
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def erasure_refusals(customer: Customer, *, today: datetime.date) -> tuple[str, ...]:
    """Why the customer may not be erased today, in the user's language; empty when it may."""
    invoices = Invoice.objects.filter(customer=customer)
    open_amount = invoices.filter(kind=InvoiceKind.INVOICE, open_amount__gt=0).aggregate(
        total=Sum("open_amount")
    )["total"]
    dates = [
        invoices.aggregate(day=Max("issue_date"))["day"],
        Payment.objects.filter(customer=customer).aggregate(day=Max("received_on"))["day"],
        Allocation.objects.filter(invoice__customer=customer).aggregate(day=Max("booked_on"))[
            "day"
        ],
    ]
    last_record = max((day for day in dates if day is not None), default=None)
    messages = {
        "open_claims": _("The customer still owes money: settle or write off the open invoices."),
        "records_kept": _(
            "The law requires the books about this customer to be kept until %(until)s "
            "(7 years, art. 2:10 BW and art. 52 AWR)."
        ),
    }
    return tuple(
        messages[refusal.code] % {"until": date_format(refusal.until)}
        if refusal.until
        else messages[refusal.code]
        for refusal in retention.erasure_refusals(
            today=today, open_amount=open_amount or 0, last_record=last_record
        )
    )


@transaction.atomic
def erase(customer: Customer, *, acting_user, today: datetime.date) -> None:
    """Remove what describes the customer: the customer itself when no books mention it,
    otherwise its name, address, identifiers, contacts, accounts, notes and correspondence,
    and the payer's details on its payments and bank entries; the audit trail about them is
    emptied. One audit row, without personal data, says it was done."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    refusals = erasure_refusals(customer, today=today)
    if refusals:
        raise DomainError(" ".join(refusals))
    organization, number = customer.organization, customer.number
    records = records_of(customer)
    AuditEvent.objects.filter(
        organization=organization, subject__in=[audit.subject_of(row) for row in records]
    ).update(summary=_("(erased)"), details={})
    if not Invoice.objects.filter(customer=customer).exists() and not (
        Payment.objects.filter(customer=customer).exists()
    ):
        try:
            customer.delete()
        except ProtectedError as error:
            raise DomainError(_("Other records still point at this customer.")) from error
    else:
        _anonymize(customer)
    audit.record(
        organization=organization,
        actor=acting_user,
        action="customer.erased",
        subject=organization,
        summary=_("Personal data of customer %(number)s erased") % {"number": number},
        details={"customer_number": number, "records": len(records)},
    )


def _anonymize(customer: Customer) -> None:
    for related in customer._meta.related_objects:
        if related.on_delete is models.CASCADE:
            try:
                related.related_model.objects.filter(**{related.field.name: customer}).delete()
            except ProtectedError as error:
                raise DomainError(_("Other records still point at this customer.")) from error
    customer.tags.clear()
    for field in ("street", "postal_code", "city", "kvk_number", "vat_number", "notes"):
        setattr(customer, field, "")
    customer.name = ERASED
    customer.credit_limit = None
    customer.sales_owner = None
    customer.save()
    invoices = Invoice.objects.filter(customer=customer)
    invoices.update(customer_reference="", customer_as_issued=None)
    payments = Payment.objects.filter(customer=customer)
    BankEntry.objects.filter(payment__in=payments).update(
        counterparty_name="", counterparty_iban="", remittance_text="", end_to_end_id="", reason=""
    )
    payments.update(payer_name="", payer_iban="", description="")

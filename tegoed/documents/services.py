"""Use cases of the documents app: mandates, direct debits, the pain.008 export, UBL import.

Every function runs in one transaction and leaves an audit event.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from tegoed.audit import services as audit
from tegoed.customers.models import Customer
from tegoed.documents import sepa, wording
from tegoed.documents.models import (
    DirectDebit,
    DirectDebitState,
    DocumentSettings,
    Mandate,
    Recurrence,
    Scheme,
    TextBlock,
)
from tegoed.documents.queries import planned_direct_debits, settings_of
from tegoed.domain import direct_debit, identifiers
from tegoed.domain.errors import DomainError
from tegoed.invoices.models import Invoice
from tegoed.invoices.queries import balance_of


class DirectDebitError(DomainError):
    """A mandate or collection the rules do not allow; the message says why."""


def _message(error: ValidationError) -> str:
    return "; ".join(error.messages)


@transaction.atomic
def add_mandate(
    *,
    customer: Customer,
    reference: str,
    signed_on: datetime.date,
    iban: str,
    debtor_name: str = "",
    bic: str = "",
    scheme: str = Scheme.CORE,
    recurrence: str = Recurrence.RECURRING,
    acting_user,
) -> Mandate:
    mandate = Mandate(
        organization=customer.organization,
        customer=customer,
        reference=reference.strip(),
        signed_on=signed_on,
        debtor_name=(debtor_name or customer.name)[:70],
        iban=identifiers.normalize_iban(iban),
        bic=identifiers.normalize_bic(bic) if bic else "",
        scheme=scheme,
        recurrence=recurrence,
    )
    try:
        mandate.full_clean()
    except ValidationError as error:
        raise DirectDebitError(_message(error)) from None
    mandate.save()
    audit.record(
        organization=customer.organization,
        actor=acting_user,
        action="mandate.added",
        subject=customer,
        summary=f"{mandate.reference} {mandate.iban} ({mandate.get_recurrence_display()})",
        details={"mandate": mandate.reference, "signed_on": signed_on.isoformat()},
    )
    return mandate


@transaction.atomic
def revoke_mandate(*, mandate: Mandate, on: datetime.date, acting_user) -> Mandate:
    mandate.revoked_on = on
    mandate.save(update_fields=["revoked_on", "updated_at"])
    DirectDebit.objects.filter(mandate=mandate, state=DirectDebitState.PLANNED).update(
        state=DirectDebitState.CANCELLED
    )
    audit.record(
        organization=mandate.organization,
        actor=acting_user,
        action="mandate.revoked",
        subject=mandate.customer,
        summary=f"{mandate.reference} revoked on {on.isoformat()}",
    )
    return mandate


def _last_collection(mandate: Mandate) -> datetime.date | None:
    return (
        DirectDebit.objects.filter(mandate=mandate, state=DirectDebitState.EXPORTED)
        .order_by("-collection_date")
        .values_list("collection_date", flat=True)
        .first()
    )


def earliest_collection_date(invoice: Invoice, *, today: datetime.date) -> datetime.date:
    """The debtor learns the date from the invoice: its date, or today if marked later."""
    pre_notification = settings_of(invoice.organization).pre_notification_days
    return direct_debit.earliest_collection_date(
        notified_on=max(invoice.issue_date or today, today),
        submitted_on=today,
        pre_notification_days=pre_notification,
    )


@transaction.atomic
def schedule_direct_debit(
    *,
    invoice: Invoice,
    mandate: Mandate,
    acting_user,
    today: datetime.date,
    collection_date: datetime.date | None = None,
) -> DirectDebit:
    """Mark an issued invoice to be collected; the invoice then states when and from where."""
    invoice = Invoice.objects.select_for_update().select_related("organization").get(pk=invoice.pk)
    organization = invoice.organization
    problems = []
    if invoice.is_draft or invoice.is_credit_note:
        problems.append("only an issued invoice can be collected")
    if invoice.currency != "EUR":
        problems.append("SEPA direct debit collects euros only")
    if mandate.customer_id != invoice.customer_id:
        problems.append(f"mandate {mandate.reference} belongs to another customer")
    if mandate.revoked_on is not None and mandate.revoked_on <= today:
        problems.append(f"mandate {mandate.reference} was revoked on {mandate.revoked_on}")
    if mandate.signed_on > today:
        problems.append(f"mandate {mandate.reference} is signed only on {mandate.signed_on}")
    if direct_debit.mandate_lapsed(
        last_collection=_last_collection(mandate), signed_on=mandate.signed_on, on=today
    ):
        problems.append(f"mandate {mandate.reference} lapsed: unused for 36 months")
    if not organization.sepa_creditor_id or not organization.iban:
        problems.append("the organization needs a SEPA creditor identifier and an IBAN")
    if (
        mandate.recurrence == Recurrence.ONE_OFF
        and DirectDebit.objects.filter(mandate=mandate)
        .exclude(state=DirectDebitState.CANCELLED)
        .exists()
    ):
        problems.append(f"one-off mandate {mandate.reference} was already used")
    if balance_of(invoice).open <= 0:
        problems.append(f"invoice {invoice.number} has nothing open")
    earliest = earliest_collection_date(invoice, today=today)
    collection_date = collection_date or earliest
    if collection_date < earliest:
        problems.append(
            f"the collection date {collection_date} is too early: with the pre-notification the "
            f"first possible date is {earliest}"
        )
    elif not direct_debit.is_target_day(collection_date):
        problems.append(f"banks do not collect on {collection_date} (not a TARGET2 day)")
    if problems:
        raise DirectDebitError("; ".join(problems))
    DirectDebit.objects.filter(invoice=invoice, state=DirectDebitState.PLANNED).update(
        state=DirectDebitState.CANCELLED
    )
    debit = DirectDebit.objects.create(
        organization=organization,
        invoice=invoice,
        mandate=mandate,
        collection_date=collection_date,
    )
    audit.record(
        organization=organization,
        actor=acting_user,
        action="invoice.direct_debit_planned",
        subject=invoice,
        summary=f"{invoice.number} collected on {collection_date} under {mandate.reference}",
        details={"mandate": mandate.reference, "collection_date": collection_date.isoformat()},
    )
    return debit


@dataclass
class DirectDebitExport:
    xml: bytes = b""
    message_id: str = ""
    collected: list[DirectDebit] = field(default_factory=list)
    # Debits left for a later file, with the reason.
    left: list[tuple[DirectDebit, str]] = field(default_factory=list)


@transaction.atomic
def export_direct_debits(
    *,
    organization,
    collection_date: datetime.date,
    acting_user,
    today: datetime.date,
    scheme: str = Scheme.CORE,
    schema: str = "pain.008.001.02",
) -> DirectDebitExport:
    """The pain.008 file of the planned debits due by `collection_date`, marked as sent.

    A debit whose notified date is after `collection_date` waits: collecting earlier than the
    customer was told breaks the pre-notification. What has been paid meanwhile is not
    collected; a partly paid invoice is collected for what is still open.
    """
    earliest = direct_debit.first_collection_day(today)
    if collection_date < earliest:
        raise DirectDebitError(
            f"a file sent today can collect on {earliest} at the earliest, not {collection_date}"
        )
    if not direct_debit.is_target_day(collection_date):
        raise DirectDebitError(f"banks do not collect on {collection_date} (not a TARGET2 day)")
    if not organization.sepa_creditor_id or not organization.iban:
        raise DirectDebitError("the organization needs a SEPA creditor identifier and an IBAN")
    result = DirectDebitExport()
    collections = []
    first_in_file: set[int] = set()
    debits = planned_direct_debits(organization).select_for_update()
    for debit in debits.filter(mandate__scheme=scheme):
        if debit.collection_date > collection_date:
            result.left.append((debit, f"announced for {debit.collection_date}"))
            continue
        mandate = debit.mandate
        if mandate.revoked_on is not None and mandate.revoked_on <= collection_date:
            result.left.append((debit, f"mandate revoked on {mandate.revoked_on}"))
            continue
        open_amount = balance_of(debit.invoice).open
        if open_amount <= 0:
            debit.state = DirectDebitState.CANCELLED
            debit.save(update_fields=["state", "updated_at"])
            result.left.append((debit, "paid in the meantime"))
            continue
        earlier = DirectDebit.objects.filter(
            mandate=mandate, state=DirectDebitState.EXPORTED
        ).count() + (1 if mandate.pk in first_in_file else 0)
        first_in_file.add(mandate.pk)
        debit.sequence_type = direct_debit.sequence_type(
            recurring=mandate.recurrence == Recurrence.RECURRING, earlier_collections=earlier
        )
        debit.amount = open_amount
        invoice = debit.invoice
        collections.append(
            sepa.Collection(
                end_to_end_id=invoice.payment_reference or invoice.number,
                amount=open_amount,
                collection_date=collection_date,
                sequence_type=debit.sequence_type,
                mandate_reference=mandate.reference,
                mandate_signed_on=mandate.signed_on,
                debtor_name=mandate.debtor_name,
                debtor_iban=mandate.iban,
                debtor_bic=mandate.bic,
                description=f"{invoice.number} {invoice.payment_reference}".strip(),
            )
        )
        result.collected.append(debit)
    if not collections:
        return result
    creditor = sepa.Creditor(
        name=organization.legal_name,
        iban=organization.iban,
        bic=organization.bic,
        creditor_id=organization.sepa_creditor_id,
    )
    result.xml, result.message_id = sepa.pain008(
        creditor, collections, scheme=scheme, schema=schema
    )
    for debit in result.collected:
        debit.state = DirectDebitState.EXPORTED
        debit.collection_date = collection_date
        debit.message_id = result.message_id[:35]
        debit.exported_on = today
        debit.save(
            update_fields=[
                "state",
                "collection_date",
                "amount",
                "sequence_type",
                "message_id",
                "exported_on",
                "updated_at",
            ]
        )
    total = sum(debit.amount for debit in result.collected)
    audit.record(
        organization=organization,
        actor=acting_user,
        action="direct_debit.exported",
        subject=result.collected[0].invoice,
        summary=f"pain.008 {result.message_id}: {len(result.collected)} debits, EUR {total}",
        details={
            "message_id": result.message_id,
            "collection_date": collection_date.isoformat(),
            "invoices": [debit.invoice.number for debit in result.collected],
            "total": str(total),
        },
    )
    return result


@transaction.atomic
def save_document_settings(*, settings: DocumentSettings, acting_user) -> DocumentSettings:
    """Save the letterhead (colours, logo, signatory) and the direct-debit notice period."""
    try:
        settings.full_clean()
    except ValidationError as error:
        raise DomainError(_message(error)) from None
    settings.save()
    audit.record(
        organization=settings.organization,
        actor=acting_user,
        action="documents.settings_changed",
        subject=settings,
        summary=f"{settings.primary_colour} {settings.accent_colour} {settings.signatory}".strip(),
    )
    return settings


@transaction.atomic
def save_text_blocks(*, organization, language: str, texts: dict[str, str], acting_user) -> int:
    """Keep the organization's own wording; a block equal to the default or empty is reset.

    Returns the number of blocks changed.
    """
    existing = {
        block.key: block
        for block in TextBlock.objects.filter(organization=organization, language=language)
    }
    changed = []
    for key, text in texts.items():
        if key not in wording.BLOCKS:
            raise DomainError(f"unknown text block {key!r}")
        text = text.strip()
        own = bool(text) and text != wording.DEFAULTS[wording.language_of(language)][key]
        block = existing.get(key)
        if own:
            wording.check_placeholders(key, text)
            if block is None:
                TextBlock.objects.create(
                    organization=organization, language=language, key=key, text=text
                )
                changed.append(key)
            elif block.text != text:
                block.text = text
                block.save(update_fields=["text", "updated_at"])
                changed.append(key)
        elif block is not None:
            block.delete()
            changed.append(key)
    if changed:
        audit.record(
            organization=organization,
            actor=acting_user,
            action="documents.wording_changed",
            subject=organization,
            summary=f"{language}: {', '.join(changed)}"[:300],
            details={"language": language, "blocks": changed},
        )
    return len(changed)

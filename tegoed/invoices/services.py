"""Use cases that change the ledger: drafts, issuing, payments, allocations, credits, write-offs.

Every function runs in one transaction, checks its input against the business rules, locks
the rows whose balance it relies on, and writes an audit event. The web UI, the API, the
importers and the command line all call these functions; none writes ledger rows itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tegoed.accounts import approval
from tegoed.accounts.templatetags.tegoed import money
from tegoed.audit import services as audit
from tegoed.customers.models import Customer
from tegoed.customers.queries import billing_emails
from tegoed.domain import identifiers, issuing, limits, vat
from tegoed.domain.errors import DomainError
from tegoed.domain.money import ZERO, round_cents
from tegoed.invoices import discounts, queries
from tegoed.invoices.issue_messages import describe
from tegoed.invoices.models import (
    Allocation,
    AllocationKind,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    Lifecycle,
    NumberSequence,
    Payment,
    PaymentMethod,
    Refund,
)


class LedgerError(DomainError):
    """A request the ledger refuses; the message says why, in the user's language."""


class OverApprovalLimit(LedgerError):
    """A credit or write-off larger than the acting member may book alone."""


def check_approval(acting_user, organization, amount: Decimal, *, currency: str = "EUR") -> None:
    """Refuse a correction above the acting member's approval limit (accounts/approval.py)."""
    if not approval.allows(acting_user, organization, amount):
        limit = approval.limit_for(acting_user, organization)
        raise OverApprovalLimit(
            _(
                "%(amount)s is more than your approval limit of %(limit)s; ask an owner to book "
                "it, or to raise your limit."
            )
            % {"amount": money(amount, currency), "limit": money(limit, currency)}
        )


class IssueRefused(LedgerError):
    def __init__(self, problems: Sequence[issuing.Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(describe(problem) for problem in self.problems))


@dataclass(frozen=True, slots=True)
class LineInput:
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    unit: str = ""


# Drafts ---------------------------------------------------------------------------------


@transaction.atomic
def save_draft_invoice(
    *,
    organization,
    customer: Customer,
    lines: Sequence[LineInput],
    acting_user,
    invoice: Invoice | None = None,
    issue_date: datetime.date | None = None,
    due_date: datetime.date | None = None,
    contract_date: datetime.date | None = None,
    currency: str = "EUR",
    description: str = "",
    customer_reference: str = "",
    number: str = "",
    payment_reference: str = "",
    kind: str = InvoiceKind.INVOICE,
    credits_invoice: Invoice | None = None,
) -> Invoice:
    """Create a draft, or replace the content of an existing draft.

    A document that already has a number and payment reference (imported from the
    bookkeeping package) keeps them; otherwise issuing gives them.
    """
    if customer.organization_id != organization.pk:
        raise LedgerError(_("The customer belongs to another organization."))
    if invoice is None:
        invoice = Invoice(organization=organization)
        action = "invoice.drafted"
    else:
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if not invoice.is_draft:
            raise LedgerError(_("An issued invoice cannot be changed; credit it instead."))
        action = "invoice.draft_changed"
    _check_unused(organization, invoice, number=number, payment_reference=payment_reference)
    invoice.kind = kind
    invoice.number = number
    invoice.payment_reference = payment_reference
    invoice.credits_invoice = credits_invoice
    invoice.customer = customer
    invoice.issue_date = issue_date
    invoice.due_date = due_date
    invoice.contract_date = contract_date
    invoice.currency = currency
    invoice.description = description
    invoice.customer_reference = customer_reference
    out_of_range = issuing.number_problems(
        [issuing.DraftLine(line.description, line.quantity, line.unit_price, line.vat_rate)
         for line in lines]
    )  # fmt: skip
    if out_of_range:
        raise LedgerError(" ".join(describe(problem) for problem in out_of_range))
    if _set_totals(invoice, lines).total < 0:
        raise LedgerError(
            _("The lines add up to less than zero. To give money back, credit an issued invoice.")
        )
    invoice.full_clean(exclude=["number", "payment_reference"])
    invoice.save()
    invoice.lines.all().delete()
    _create_lines(invoice, lines)
    audit.record(
        organization=organization,
        actor=acting_user,
        action=action,
        subject=invoice,
        summary=f"{customer.name}: {invoice.currency} {invoice.total}",
        details={"total": str(invoice.total), "lines": len(lines)},
    )
    return invoice


def _check_unused(organization, invoice: Invoice, *, number: str, payment_reference: str) -> None:
    others = Invoice.objects.filter(organization=organization).exclude(pk=invoice.pk)
    if number and others.filter(number=number).exists():
        raise LedgerError(_("Number %(number)s is already used.") % {"number": number})
    if payment_reference and others.filter(payment_reference=payment_reference).exists():
        raise LedgerError(
            _("Payment reference %(reference)s is already used.") % {"reference": payment_reference}
        )


def _set_totals(invoice: Invoice, lines: Sequence[LineInput]) -> vat.Totals:
    totals = vat.compute(vat.Line(line.quantity, line.unit_price, line.vat_rate) for line in lines)
    invoice.subtotal, invoice.vat_total, invoice.total = (
        totals.subtotal,
        totals.vat_total,
        totals.total,
    )
    return totals


def _create_lines(invoice: Invoice, lines: Sequence[LineInput]) -> None:
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=position,
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            vat_rate=line.vat_rate,
            net_amount=round_cents(line.quantity * line.unit_price),
        )
        for position, line in enumerate(lines, start=1)
    )


# Issuing ---------------------------------------------------------------------------------


def issue_problems(invoice: Invoice, *, today: datetime.date) -> tuple[issuing.Problem, ...]:
    """What stands between this draft and sending it (all problems, errors and warnings)."""
    return issuing.problems(_draft_of(invoice, today=today))


def _draft_of(invoice: Invoice, *, today: datetime.date) -> issuing.Draft:
    customer = invoice.customer
    issue_date = invoice.issue_date or today
    return issuing.Draft(
        customer_kind=customer.kind,
        customer_name=customer.name,
        customer_street=customer.street,
        customer_postal_code=customer.postal_code,
        customer_city=customer.city,
        billing_emails=billing_emails(customer),
        currency=invoice.currency,
        issue_date=issue_date,
        due_date=invoice.due_date or _default_due_date(invoice, issue_date),
        lines=tuple(
            issuing.DraftLine(line.description, line.quantity, line.unit_price, line.vat_rate)
            for line in invoice.lines.all()
        ),
        is_credit_note=invoice.is_credit_note,
        seller_country=invoice.organization.country,
        customer_country=customer.country,
    )


def _default_due_date(invoice: Invoice, issue_date: datetime.date) -> datetime.date:
    term = invoice.customer.payment_term_days
    if term is None:
        term = invoice.organization.default_payment_term_days
    return issue_date + datetime.timedelta(days=term)


@transaction.atomic
def issue_invoice(*, invoice: Invoice, acting_user, today: datetime.date) -> Invoice:
    """Check the draft, give it its number and payment reference, and make it a fact.

    Without an issue date the invoice is dated today; without a due date it gets the
    customer's payment term (or the organization's default).
    """
    invoice = (
        Invoice.objects.select_for_update()
        .select_related("customer", "organization")
        .get(pk=invoice.pk)
    )
    if not invoice.is_draft:
        raise LedgerError(_("Invoice %(number)s is already issued.") % {"number": invoice.number})
    draft = _draft_of(invoice, today=today)
    refused = issuing.errors(issuing.problems(draft))
    if refused:
        raise IssueRefused(refused)
    invoice.issue_date = draft.issue_date
    invoice.due_date = draft.due_date
    _set_totals(invoice, [_line_input(line) for line in invoice.lines.all()])
    if not invoice.number:
        invoice.number = _next_number(invoice)
    if invoice.is_quote_or_pro_forma:
        # Asks for no payment: no payment reference, no discount.
        invoice.payment_reference = ""
    else:
        invoice.payment_reference = _payment_reference(invoice)
    if invoice.is_invoice:
        discounts.offer(invoice)
    invoice.lifecycle = Lifecycle.ISSUED
    invoice.issued_at = timezone.now()
    keep_as_issued(invoice)
    invoice.save()
    audit.record(
        organization=invoice.organization,
        actor=acting_user,
        action=f"{invoice.kind}.issued",
        subject=invoice,
        summary=f"{invoice.number} {invoice.customer.name}: {invoice.currency} {invoice.total}",
        details={
            "number": invoice.number,
            "payment_reference": invoice.payment_reference,
            "issue_date": invoice.issue_date.isoformat(),
            "due_date": invoice.due_date.isoformat(),
            "total": str(invoice.total),
            **(
                {
                    "discount_percentage": str(invoice.discount_percentage),
                    "discount_amount": str(invoice.discount_amount),
                    "discount_until": invoice.discount_until.isoformat(),
                }
                if invoice.offers_discount
                else {}
            ),
        },
    )
    return invoice


# What an issued document keeps of its parties; later edits of either do not change it.
CUSTOMER_KEPT = (
    "number", "kind", "name", "street", "postal_code", "city", "country", "kvk_number",
    "vat_number", "language",
)  # fmt: skip
ORGANIZATION_KEPT = (
    "legal_name", "trade_name", "street", "postal_code", "city", "country", "kvk_number",
    "vat_number", "iban", "bic", "sepa_creditor_id", "sender_email", "reply_to_email", "phone",
    "website", "language",
)  # fmt: skip


def keep_as_issued(invoice: Invoice) -> None:
    """Copy the customer and the organization onto the document as it is issued."""
    customer, organization = invoice.customer, invoice.organization
    invoice.customer_as_issued = {
        **{name: getattr(customer, name) for name in CUSTOMER_KEPT},
        "address_lines": customer.address_lines,
        "emails": list(billing_emails(customer)),
    }
    invoice.organization_as_issued = {
        name: getattr(organization, name) for name in ORGANIZATION_KEPT
    }


def _line_input(line: InvoiceLine) -> LineInput:
    return LineInput(line.description, line.quantity, line.unit_price, line.vat_rate, line.unit)


SERIES_LETTERS = {
    InvoiceKind.CREDIT_NOTE: "C",
    InvoiceKind.PRO_FORMA: "P",
    InvoiceKind.QUOTE: "O",
}


def _next_number(invoice: Invoice) -> str:
    # Each kind its own series: C for credit notes, P for pro forma invoices, O for quotes
    # (offertes); the invoices' series has no gaps from the others.
    kind = SERIES_LETTERS.get(invoice.kind, "")
    series = f"{invoice.organization.invoice_number_prefix}{kind}{invoice.issue_date.year}"
    sequence, _created = NumberSequence.objects.select_for_update().get_or_create(
        organization=invoice.organization, series=series
    )
    while True:
        sequence.last_number += 1
        number = f"{series}-{sequence.last_number:05d}"
        # A number taken by an imported invoice is skipped, never reused.
        if not Invoice.objects.filter(organization=invoice.organization, number=number).exists():
            break
    sequence.save(update_fields=["last_number"])
    return number


def fallback_reference(organization_id: int, invoice_id: int) -> str:
    """An RF reference from the primary key, for numbers too long or already taken as a body."""
    return identifiers.creditor_reference(f"{organization_id}X{invoice_id}")


def _payment_reference(invoice: Invoice) -> str:
    """An RF reference from the invoice number, so the number travels with every payment."""
    if invoice.payment_reference:
        return invoice.payment_reference
    try:
        reference = identifiers.creditor_reference(invoice.number)
    except DomainError:
        return fallback_reference(invoice.organization_id, invoice.pk)
    taken = Invoice.objects.filter(
        organization=invoice.organization, payment_reference=reference
    ).exclude(pk=invoice.pk)
    return fallback_reference(invoice.organization_id, invoice.pk) if taken.exists() else reference


# Payments --------------------------------------------------------------------------------


@transaction.atomic
def record_payment(
    *,
    organization,
    amount: Decimal,
    received_on: datetime.date,
    acting_user,
    customer: Customer | None = None,
    currency: str = "EUR",
    method: str = PaymentMethod.BANK_TRANSFER,
    payer_name: str = "",
    payer_iban: str = "",
    description: str = "",
    bank_reference: str = "",
    allocate_to: Sequence[tuple[Invoice, Decimal]] = (),
) -> Payment:
    """Book money received; optionally allocate it to invoices in the same transaction."""
    if amount <= 0 or limits.MONEY.problem(amount):
        raise LedgerError(_("A payment must be a positive amount in whole cents."))
    if customer is not None and customer.organization_id != organization.pk:
        raise LedgerError(_("The customer belongs to another organization."))
    if payer_iban:
        payer_iban = identifiers.normalize_iban(payer_iban)
    payment = Payment(
        organization=organization,
        customer=customer,
        amount=amount,
        currency=currency,
        received_on=received_on,
        method=method,
        payer_name=payer_name,
        payer_iban=payer_iban,
        description=description[:500],
        bank_reference=bank_reference,
        recorded_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    payment.full_clean()
    payment.save()
    audit.record(
        organization=organization,
        actor=acting_user,
        action="payment.recorded",
        subject=payment,
        summary=f"{currency} {amount} {payer_name}".strip(),
        details={"amount": str(amount), "received_on": received_on.isoformat()},
    )
    if allocate_to:
        allocate_payment(payment=payment, allocations=allocate_to, acting_user=acting_user)
        payment.refresh_from_db()
    return payment


@transaction.atomic
def allocate_payment(
    *,
    payment: Payment,
    allocations: Sequence[tuple[Invoice, Decimal]],
    acting_user,
    booked_on: datetime.date | None = None,
    reason: str = "",
) -> list[Allocation]:
    """Spread a payment over invoices: never more than is open, never more than was paid."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    invoices = _lock_invoices([invoice.pk for invoice, _amount in allocations])
    available = queries.unallocated_amount(payment)
    requested = sum((amount for _invoice, amount in allocations), ZERO)
    if requested > available:
        raise LedgerError(
            _("The payment has %(available)s left to allocate, not %(requested)s.")
            % {"available": available, "requested": requested}
        )
    customer_id = payment.customer_id
    created = []
    if len({invoice.pk for invoice, _amount in allocations}) < len(allocations):
        raise LedgerError(_("Each invoice can be named only once in one allocation."))
    for invoice_ref, amount in allocations:
        invoice = invoices[invoice_ref.pk]
        _check_allocatable(invoice, amount, organization_id=payment.organization_id)
        if invoice.currency != payment.currency:
            raise LedgerError(_("The payment and the invoice are in different currencies."))
        if customer_id is None:
            customer_id = invoice.customer_id
        elif invoice.customer_id != customer_id:
            raise LedgerError(
                _("Invoice %(number)s belongs to another customer than the payment.")
                % {"number": invoice.number}
            )
        created.append(
            Allocation(
                organization_id=payment.organization_id,
                invoice=invoice,
                kind=AllocationKind.PAYMENT,
                payment=payment,
                amount=amount,
                booked_on=booked_on or payment.received_on,
                reason=reason,
                created_by=_user_or_none(acting_user),
            )
        )
    if payment.customer_id is None and customer_id is not None:
        payment.customer_id = customer_id
        payment.save(update_fields=["customer", "updated_at"])
    Allocation.objects.bulk_create(created)
    audit.record(
        organization=payment.organization,
        actor=acting_user,
        action="payment.allocated",
        subject=payment,
        summary=", ".join(f"{a.invoice.number}: {a.amount}" for a in created),
        details={
            "allocations": [
                {"invoice": a.invoice.number, "amount": str(a.amount)} for a in created
            ],
            "reason": reason,
        },
    )
    return created


def _lock_invoices(pks: Sequence[int]) -> dict[int, Invoice]:
    # Always lock in primary-key order so two allocations never wait on each other.
    rows = Invoice.objects.select_for_update().filter(pk__in=sorted(set(pks))).order_by("pk")
    return {invoice.pk: invoice for invoice in rows}


def _check_allocatable(invoice: Invoice, amount: Decimal, *, organization_id: int) -> None:
    if invoice.organization_id != organization_id:
        raise LedgerError(_("The invoice belongs to another organization."))
    if invoice.is_draft or not invoice.is_invoice:
        raise LedgerError(_("Only issued invoices can receive payments or credits."))
    if amount <= 0 or limits.MONEY.problem(amount):
        raise LedgerError(_("An allocation must be a positive amount in whole cents."))
    open_amount = queries.balance_of(invoice).open
    if amount > open_amount:
        raise LedgerError(
            _("Invoice %(number)s has %(open)s open, less than %(amount)s.")
            % {"number": invoice.number, "open": open_amount, "amount": amount}
        )


def _user_or_none(user):
    return user if getattr(user, "is_authenticated", False) else None


# Customer credit --------------------------------------------------------------------------


def _lock_credit(source: Payment | Invoice) -> tuple[Payment | Invoice, Decimal]:
    """The payment or credit note locked, with what is left of it."""
    if isinstance(source, Payment):
        source = Payment.objects.select_for_update().get(pk=source.pk)
        return source, queries.unallocated_amount(source)
    source = Invoice.objects.select_for_update().get(pk=source.pk)
    if not source.is_credit_note or source.is_draft:
        raise LedgerError(_("Only a payment or an issued credit note holds credit."))
    return source, queries.unapplied_credit(source)


def _credit_label(source: Payment | Invoice) -> str:
    if isinstance(source, Payment):
        return _("payment of %(day)s") % {"day": source.received_on.isoformat()}
    return source.number


@transaction.atomic
def apply_credit(
    *,
    source: Payment | Invoice,
    invoice: Invoice,
    amount: Decimal,
    acting_user,
    today: datetime.date,
) -> Allocation:
    """Book credit the customer has (a payment's rest or a credit note) against an invoice."""
    if isinstance(source, Payment):
        if source.customer_id not in (None, invoice.customer_id):
            raise LedgerError(_("The credit belongs to another customer than the invoice."))
        (allocation,) = allocate_payment(
            payment=source,
            allocations=[(invoice, amount)],
            acting_user=acting_user,
            booked_on=today,
            reason=_("Credit applied"),
        )
        return allocation
    source, left = _lock_credit(source)
    invoice = _lock_invoices([invoice.pk])[invoice.pk]
    if source.customer_id != invoice.customer_id:
        raise LedgerError(_("The credit belongs to another customer than the invoice."))
    if amount > left:
        raise LedgerError(
            _("%(credit)s has %(left)s left, not %(amount)s.")
            % {"credit": source.number, "left": left, "amount": amount}
        )
    _check_allocatable(invoice, amount, organization_id=source.organization_id)
    allocation = Allocation.objects.create(
        organization=invoice.organization,
        invoice=invoice,
        kind=AllocationKind.CREDIT_NOTE,
        credit_note=source,
        amount=amount,
        booked_on=today,
        reason=_("Credit applied"),
        created_by=_user_or_none(acting_user),
    )
    audit.record(
        organization=invoice.organization,
        actor=acting_user,
        action="credit.applied",
        subject=invoice,
        summary=f"{source.number} → {invoice.number}: {amount}",
        details={"credit": source.number, "invoice": invoice.number, "amount": str(amount)},
    )
    return allocation


@transaction.atomic
def refund_credit(
    *,
    source: Payment | Invoice,
    amount: Decimal,
    refunded_on: datetime.date,
    acting_user,
    to_iban: str = "",
    reason: str = "",
) -> Refund:
    """Record credit paid back to the customer; it no longer counts as credit."""
    source, left = _lock_credit(source)
    if amount <= 0 or round_cents(amount) != amount:
        raise LedgerError(_("A refund must be a positive amount in whole cents."))
    if amount > left:
        raise LedgerError(
            _("%(credit)s has %(left)s left to refund, not %(amount)s.")
            % {"credit": _credit_label(source), "left": left, "amount": amount}
        )
    if source.customer_id is None:
        raise LedgerError(_("Book the payment on a customer before refunding it."))
    if to_iban:
        to_iban = identifiers.normalize_iban(to_iban)
    refund = Refund.objects.create(
        organization=source.organization,
        customer_id=source.customer_id,
        payment=source if isinstance(source, Payment) else None,
        credit_note=source if isinstance(source, Invoice) else None,
        amount=amount,
        refunded_on=refunded_on,
        to_iban=to_iban,
        reason=reason,
        created_by=_user_or_none(acting_user),
    )
    audit.record(
        organization=source.organization,
        actor=acting_user,
        action="credit.refunded",
        subject=refund.customer,
        summary=f"{_credit_label(source)}: {amount} refunded",
        details={
            "credit": _credit_label(source),
            "amount": str(amount),
            "refunded_on": refunded_on.isoformat(),
            "reason": reason,
        },
    )
    return refund


# Credit notes and write-offs --------------------------------------------------------------


def creditable(invoice: Invoice) -> Decimal:
    """What credit notes may still credit of an invoice: its total less those issued."""
    return invoice.total - sum((note.total for note in invoice.credit_notes.all()), ZERO)


@transaction.atomic
def credit_invoice(
    *,
    invoice: Invoice,
    acting_user,
    today: datetime.date,
    reason: str,
    lines: Sequence[LineInput] | None = None,
    offered: bool = False,
) -> Invoice:
    """Issue a credit note for the invoice (all of it, or the given lines) and apply it.

    Within what is not yet credited and within the acting member's approval limit, unless the
    invoice itself `offered` it (an early-payment discount taken: `invoices.discounts`).

    The credit goes against what is still open on the invoice; a credit larger than that
    (the invoice was already paid) stays on the customer's account as credit.
    """
    invoice = _lock_invoices([invoice.pk])[invoice.pk]
    if invoice.is_draft or not invoice.is_invoice:
        raise LedgerError(_("Only an issued invoice can be credited."))
    if not reason.strip():
        raise LedgerError(_("Say why the invoice is credited."))
    if lines is None:
        lines = [_line_input(line) for line in invoice.lines.all()]
    credit_note = Invoice(
        organization=invoice.organization,
        customer=invoice.customer,
        kind=InvoiceKind.CREDIT_NOTE,
        currency=invoice.currency,
        issue_date=today,
        due_date=today,
        description=reason,
        credits_invoice=invoice,
    )
    totals = _set_totals(credit_note, lines)
    if totals.total <= 0:
        raise LedgerError(_("A credit note must credit a positive amount."))
    left = creditable(invoice)
    if totals.total > left:
        raise LedgerError(
            _("%(amount)s is more than the %(left)s of the invoice not yet credited.")
            % {
                "amount": money(totals.total, invoice.currency),
                "left": money(left, invoice.currency),
            }
        )
    if not offered:
        check_approval(acting_user, invoice.organization, totals.total, currency=invoice.currency)
    credit_note.number = _next_number(credit_note)
    credit_note.lifecycle = Lifecycle.ISSUED
    credit_note.issued_at = timezone.now()
    keep_as_issued(credit_note)
    credit_note.save()
    credit_note.payment_reference = _payment_reference(credit_note)
    credit_note.save(update_fields=["payment_reference"])
    _create_lines(credit_note, lines)
    applied = min(totals.total, queries.balance_of(invoice).open)
    if applied > 0:
        Allocation.objects.create(
            organization=invoice.organization,
            invoice=invoice,
            kind=AllocationKind.CREDIT_NOTE,
            credit_note=credit_note,
            amount=applied,
            booked_on=today,
            reason=reason,
            created_by=_user_or_none(acting_user),
        )
    audit.record(
        organization=invoice.organization,
        actor=acting_user,
        action="invoice.credited",
        subject=invoice,
        summary=f"{credit_note.number} credits {invoice.number}: {credit_note.total}",
        details={
            "credit_note": credit_note.number,
            "total": str(credit_note.total),
            "applied": str(applied),
            "reason": reason,
        },
    )
    return credit_note


@transaction.atomic
def write_off(
    *,
    invoice: Invoice,
    acting_user,
    today: datetime.date,
    reason: str,
    amount: Decimal | None = None,
) -> Allocation:
    """Stop claiming (part of) what is open, with the reason on record (seed 003).

    The one write-off of the ledger: the screen, settling for less and the daily run's
    small-amount write-off all call it. Within the acting member's approval limit; the system
    itself (no user) is bounded by its own policy.
    """
    invoice = _lock_invoices([invoice.pk])[invoice.pk]
    if not reason.strip():
        raise LedgerError(_("Say why the amount is written off."))
    amount = queries.balance_of(invoice).open if amount is None else amount
    _check_allocatable(invoice, amount, organization_id=invoice.organization_id)
    check_approval(acting_user, invoice.organization, amount, currency=invoice.currency)
    allocation = Allocation.objects.create(
        organization=invoice.organization,
        invoice=invoice,
        kind=AllocationKind.WRITE_OFF,
        amount=amount,
        booked_on=today,
        reason=reason,
        created_by=_user_or_none(acting_user),
    )
    audit.record(
        organization=invoice.organization,
        actor=acting_user,
        action="invoice.written_off",
        subject=invoice,
        summary=f"{invoice.number}: {amount} written off",
        details={"amount": str(amount), "reason": reason},
    )
    return allocation


def validation_message(error: ValidationError) -> str:
    """One readable sentence from a Django validation error, for the command line and imports."""
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)

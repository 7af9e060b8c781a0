"""Use cases of promises to pay and disputes: each sets or lifts a hold of the daily run.

Every function runs in one transaction and writes an audit event. `review_promises` is the
daily part: the run calls it before it plans (`daily.review`), so a promise the bank data kept
is lifted in time and one it broke is left for the run's broken-promise step.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from tegoed.arrangements.models import (
    Dispute,
    DisputeOutcome,
    DisputeReason,
    Promise,
    PromiseState,
)
from tegoed.audit import services as audit
from tegoed.documents import wording
from tegoed.domain import limits, promises
from tegoed.domain.errors import DomainError
from tegoed.domain.money import ZERO
from tegoed.dunning import services as dunning_services
from tegoed.dunning.models import HoldReason, MessageKind
from tegoed.invoices import services as invoice_services
from tegoed.invoices.models import Allocation, AllocationKind, Invoice, Payment

# A rejected dispute gives the customer this many days to pay, unless told otherwise.
DAYS_AFTER_REJECTION = 14


class ArrangementError(DomainError):
    """A promise, dispute or arrangement that cannot be recorded as asked; the message says why."""


def user_or_none(user):
    return user if getattr(user, "is_authenticated", False) else None


def check_parties(organization, customer, invoice) -> None:
    if customer.organization_id != organization.pk:
        raise ArrangementError(_("This customer belongs to another administration."))
    if invoice is not None:
        if invoice.customer_id != customer.pk:
            raise ArrangementError(_("This invoice belongs to another customer."))
        if invoice.is_draft or invoice.is_credit_note:
            raise ArrangementError(
                _("Only an issued invoice can be promised or disputed, not %(number)s.")
                % {"number": invoice.number or _("a draft")}
            )


def _open_invoices(customer, invoice=None):
    if invoice is not None:
        return Invoice.objects.filter(pk=invoice.pk)
    return Invoice.objects.filter(
        customer=customer, lifecycle="issued", kind="invoice", open_amount__gt=0
    )


def open_amount_of(customer, invoice=None) -> Decimal:
    """What is open on `invoice`, or on all of the customer's issued invoices."""
    return sum((row.open_amount for row in _open_invoices(customer, invoice)), ZERO)


# Promises -------------------------------------------------------------------------------


def promise_to_pay(
    organization,
    *,
    customer,
    pay_by: datetime.date,
    channel: str,
    today: datetime.date,
    invoice=None,
    amount: Decimal | None = None,
    call=None,
    note: str = "",
    user=None,
) -> Promise:
    """Record that the customer promised to pay `amount` (by default all that is open on
    `invoice`, or on its invoices) by `pay_by`. Chasing pauses until then."""
    check_parties(organization, customer, invoice)
    if pay_by < today:
        raise ArrangementError(_("A promise to pay lies in the future."))
    owed = open_amount_of(customer, invoice)
    if owed <= 0:
        raise ArrangementError(_("Nothing is open to promise."))
    amount = owed if amount is None else amount
    if limits.MONEY.problem(amount) or amount <= 0:
        raise ArrangementError(_("A promised amount is positive, in whole cents."))
    if amount > owed:
        raise ArrangementError(
            _("%(amount)s is more than the %(owed)s that is open.")
            % {"amount": amount, "owed": owed}
        )
    with transaction.atomic():
        promise = Promise.objects.create(
            organization=organization,
            customer=customer,
            invoice=invoice,
            made_on=today,
            pay_by=pay_by,
            amount=amount,
            channel=channel,
            call=call,
            note=note[:300],
            recorded_by=user_or_none(user),
        )
        dunning_services.place_hold(
            organization,
            customer=customer,
            invoice=invoice,
            reason=HoldReason.PROMISE,
            until=pay_by,
            note=note,
            user=user,
            source=audit.subject_of(promise),
            today=today,
        )
        audit.record(
            organization=organization,
            actor=user,
            action="arrangements.promise_made",
            subject=invoice if invoice is not None else customer,
            summary=_("Promised to pay %(amount)s by %(day)s")
            % {"amount": amount, "day": pay_by.isoformat()},
            details={"promise": promise.pk, "amount": str(amount), "pay_by": pay_by.isoformat()},
        )
    return promise


def paid_towards(promise: Promise, *, today: datetime.date) -> Decimal:
    """What the bank booked against the promised invoices from the promise through its day,
    as known on `today`."""
    invoices = (
        [promise.invoice_id]
        if promise.invoice_id
        else Invoice.objects.filter(customer_id=promise.customer_id).values("pk")
    )
    total = Allocation.objects.filter(
        invoice_id__in=invoices,
        kind=AllocationKind.PAYMENT,
        booked_on__gte=promise.made_on,
        booked_on__lte=min(promise.pay_by, today),
    ).aggregate(total=Sum("amount"))["total"]
    return ZERO if total is None else total


def review_promises(organization, *, today: datetime.date) -> int:
    """Settle every open promise the bank data decides on `today`. A kept promise lifts its
    hold, so the rest of what is open goes on where the schedule stood; a broken one keeps its
    ended hold, from which the daily run sends the broken-promise step."""
    settled = 0
    for promise in Promise.objects.filter(organization=organization, state=PromiseState.OPEN):
        paid = paid_towards(promise, today=today)
        found = promises.outcome(
            promised=promise.amount, paid=paid, pay_by=promise.pay_by, today=today
        )
        if found == promises.OPEN:
            continue
        with transaction.atomic():
            promise.state = found
            promise.paid = paid
            promise.settled_on = today
            promise.save(update_fields=["state", "paid", "settled_on", "updated_at"])
            if found == promises.KEPT:
                dunning_services.lift_holds(
                    organization, source=audit.subject_of(promise), today=today
                )
            audit.record(
                organization=organization,
                actor=None,
                action=f"arrangements.promise_{found}",
                subject=promise.invoice if promise.invoice_id else promise.customer,
                summary=(
                    _("Promise to pay %(amount)s by %(day)s kept")
                    if found == promises.KEPT
                    else _("Promise to pay %(amount)s by %(day)s broken: %(paid)s paid")
                )
                % {"amount": promise.amount, "day": promise.pay_by.isoformat(), "paid": paid},
                details={"promise": promise.pk, "paid": str(paid)},
            )
        settled += 1
    return settled


# Disputes -------------------------------------------------------------------------------


def payments_like(invoice: Invoice, *, limit: int = 5) -> list[Payment]:
    """Bank entries that could be the payment a customer says it made: the invoice's open
    amount or total, received since the invoice was issued, from this customer or not yet
    linked to anyone."""
    return list(
        Payment.objects.filter(
            Q(customer_id=invoice.customer_id) | Q(customer__isnull=True),
            organization_id=invoice.organization_id,
            amount__in={invoice.open_amount, invoice.total},
            received_on__gte=invoice.issue_date,
        ).order_by("received_on")[:limit]
    )


def _task_text(dispute: Dispute, checked: list[Payment]) -> tuple[str, str]:
    customer = dispute.customer
    what = dispute.invoice.number if dispute.invoice_id else _("the open invoices")
    subject = _("Dispute by %(customer)s about %(what)s: %(reason)s") % {
        "customer": customer.name,
        "what": what,
        "reason": dispute.get_reason_display().lower(),
    }
    lines = [
        _(
            "%(customer)s (%(number)s) disputes %(what)s: %(reason)s. Reminders for it are "
            "paused until the dispute is resolved. Please look into it and record the outcome: "
            "a credit note, or rejected with a new deadline."
        )
        % {
            "customer": customer.name,
            "number": customer.number,
            "what": what,
            "reason": dispute.get_reason_display().lower(),
        }
    ]
    if dispute.line_id:
        lines.append(_("Line: %(line)s") % {"line": dispute.line.description})
    if dispute.description:
        lines.append(_("What the customer says: %(text)s") % {"text": dispute.description})
    if dispute.reason == DisputeReason.ALREADY_PAID:
        if checked:
            lines.append(_("Bank entries that may be this payment:"))
            lines += [
                f"- {payment.received_on.isoformat()} {payment.amount} {payment.payer_name}"
                for payment in checked
            ]
        else:
            lines.append(_("No bank entry of this amount was found since the invoice date."))
    return subject, "\n\n".join(lines) + "\n"


def open_dispute(
    organization,
    *,
    customer,
    reason: str,
    channel: str,
    today: datetime.date,
    invoice=None,
    line=None,
    description: str = "",
    proof: tuple[str, bytes] | None = None,
    assigned_to=None,
    call=None,
    user=None,
) -> Dispute:
    """Record the customer's objection: chasing the invoice (or, without one, the customer)
    pauses, and the person responsible — the sales owner unless someone is named — gets a
    task by e-mail, with the customer's `proof` (name, PDF) when it says it already paid and
    the bank entries that could be that payment."""
    check_parties(organization, customer, invoice)
    if reason not in DisputeReason.values:
        raise ArrangementError(_("Unknown reason for a dispute: %(reason)s") % {"reason": reason})
    if line is not None and (invoice is None or line.invoice_id != invoice.pk):
        raise ArrangementError(_("This line is not on the disputed invoice."))
    if invoice is not None and Dispute.objects.filter(invoice=invoice, outcome="").exists():
        raise ArrangementError(
            _("Invoice %(number)s is already disputed.") % {"number": invoice.number}
        )
    if proof is not None and not proof[1].startswith(b"%PDF-"):
        raise ArrangementError(
            _("Attach the proof as a PDF; %(name)s is not one.") % {"name": proof[0]}
        )
    assigned_to = assigned_to or customer.sales_owner or user_or_none(user)
    with transaction.atomic():
        dispute = Dispute.objects.create(
            organization=organization,
            customer=customer,
            invoice=invoice,
            line=line,
            reason=reason,
            description=description,
            proof_name=proof[0][:200] if proof else "",
            proof=proof[1] if proof else b"",
            channel=channel,
            call=call,
            opened_on=today,
            assigned_to=assigned_to,
            opened_by=user_or_none(user),
        )
        dunning_services.place_hold(
            organization,
            customer=customer,
            invoice=invoice,
            reason=HoldReason.DISPUTE,
            note=dispute.get_reason_display(),
            user=user,
            source=audit.subject_of(dispute),
            today=today,
        )
        if assigned_to is not None and assigned_to.email:
            checked = (
                payments_like(invoice)
                if invoice is not None and reason == DisputeReason.ALREADY_PAID
                else []
            )
            with translation.override(organization.language):
                subject, text = _task_text(dispute, checked)
            dunning_services.write_message(
                organization,
                customer=customer,
                kind=MessageKind.DISPUTE_TASK,
                subject=subject,
                text=text,
                today=today,
                recipients=(assigned_to.email,),
                internal=True,
                language=organization.language,
                attachments=(proof,) if proof else (),
            )
        audit.record(
            organization=organization,
            actor=user,
            action="arrangements.dispute_opened",
            subject=invoice if invoice is not None else customer,
            summary=_("Disputed: %(reason)s") % {"reason": dispute.get_reason_display()},
            details={
                "dispute": dispute.pk,
                "reason": reason,
                "assigned_to": assigned_to.pk if assigned_to else None,
            },
        )
    return dispute


def _rejection_text(dispute: Dispute, pay_by: datetime.date, note: str) -> tuple[str, str]:
    language = wording.language_of(dispute.customer.language)
    what = dispute.invoice.number if dispute.invoice_id else _("your open invoices")
    subject = _("Your objection to %(what)s") % {"what": what}
    paragraphs = [
        _("Dear customer,"),
        _(
            "We have looked carefully into your objection to %(what)s (%(reason)s). We cannot "
            "agree with it, and the invoice stands."
        )
        % {"what": what, "reason": dispute.get_reason_display().lower()},
    ]
    if note:
        paragraphs.append(note)
    paragraphs.append(
        _("We ask you to pay %(amount)s no later than %(day)s.")
        % {
            "amount": wording.amount(
                open_amount_of(dispute.customer, dispute.invoice),
                dispute.invoice.currency if dispute.invoice_id else "EUR",
                language,
            ),
            "day": wording.long_date(pay_by, language),
        }
    )
    paragraphs.append(_("Kind regards,") + "\n" + dispute.organization.display_name)
    return subject, "\n\n".join(paragraphs) + "\n"


def resolve_dispute(
    dispute: Dispute,
    *,
    outcome: str,
    today: datetime.date,
    user=None,
    note: str = "",
    credit_amount: Decimal | None = None,
    pay_by: datetime.date | None = None,
) -> Dispute:
    """Close a dispute. Credited: a credit note for the whole invoice or `credit_amount`
    (excl. VAT, at the disputed line's VAT rate), and chasing resumes for what is left.
    Rejected: the customer is told, and given until `pay_by` (14 days by default) before the
    schedule resumes. Withdrawn: chasing resumes where it stood."""
    if outcome not in {DisputeOutcome.CREDITED, DisputeOutcome.REJECTED, DisputeOutcome.WITHDRAWN}:
        raise ArrangementError(
            _("Unknown outcome of a dispute: %(outcome)s") % {"outcome": outcome}
        )
    if outcome == DisputeOutcome.CREDITED and dispute.invoice_id is None:
        raise ArrangementError(_("Name the invoice to credit: this dispute has none."))
    if outcome == DisputeOutcome.REJECTED:
        pay_by = pay_by or today + datetime.timedelta(days=DAYS_AFTER_REJECTION)
        if pay_by <= today:
            raise ArrangementError(_("The new deadline lies after today."))
    organization = dispute.organization
    source = audit.subject_of(dispute)
    with transaction.atomic():
        dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if not dispute.is_open:
            raise ArrangementError(_("This dispute has already been resolved."))
        if outcome == DisputeOutcome.CREDITED:
            dispute.credit_note = invoice_services.credit_invoice(
                invoice=dispute.invoice,
                acting_user=user,
                today=today,
                reason=note or _("Dispute: %(reason)s") % {"reason": dispute.get_reason_display()},
                lines=None if credit_amount is None else [_credit_line(dispute, credit_amount)],
            )
        dunning_services.lift_holds(organization, source=source, user=user, note=note, today=today)
        if outcome == DisputeOutcome.REJECTED:
            dunning_services.place_hold(
                organization,
                customer=dispute.customer,
                invoice=dispute.invoice,
                reason=HoldReason.DISPUTE,
                until=pay_by,
                note=_("New deadline after the rejected dispute"),
                user=user,
                source=source,
                today=today,
            )
            recipients = dunning_services.customer_addresses(dispute.customer)
            if recipients:
                with translation.override(dispute.customer.language):
                    subject, text = _rejection_text(dispute, pay_by, note)
                dunning_services.write_message(
                    organization,
                    customer=dispute.customer,
                    kind=MessageKind.DISPUTE_REJECTED,
                    subject=subject,
                    text=text,
                    today=today,
                    recipients=recipients,
                )
            dispute.pay_by = pay_by
        dispute.outcome = outcome
        dispute.resolved_on = today
        dispute.resolution = note
        dispute.resolved_by = user_or_none(user)
        dispute.save()
        audit.record(
            organization=organization,
            actor=user,
            action="arrangements.dispute_resolved",
            subject=dispute.invoice if dispute.invoice_id else dispute.customer,
            summary=_("Dispute resolved: %(outcome)s") % {"outcome": dispute.get_outcome_display()},
            details={
                "dispute": dispute.pk,
                "outcome": outcome,
                "credit_note": dispute.credit_note.number if dispute.credit_note_id else None,
                "pay_by": pay_by.isoformat() if pay_by else None,
                "note": note,
            },
        )
    return dispute


def _credit_line(dispute: Dispute, amount: Decimal) -> invoice_services.LineInput:
    if limits.MONEY.problem(amount) or amount <= 0:
        raise ArrangementError(_("A credit is a positive amount in whole cents."))
    line = dispute.line or dispute.invoice.lines.first()
    return invoice_services.LineInput(
        description=_("Credit for %(invoice)s: %(reason)s")
        % {"invoice": dispute.invoice.number, "reason": dispute.get_reason_display().lower()},
        quantity=Decimal("1"),
        unit_price=amount,
        vat_rate=line.vat_rate if line is not None else Decimal("0"),
    )

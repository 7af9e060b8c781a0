"""Use cases of the reminders: holds, approvals, delivery reports, messages written when
decided, call results, the settings and the schedules every organization starts with.

Every function runs in one transaction and writes an audit event. The daily run itself is in
`run.py`, the delivery of the outbox in `sending.py`, the editing of schedules in `schedules.py`.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tegoed.audit import services as audit
from tegoed.domain.errors import DomainError
from tegoed.dunning import defaults
from tegoed.dunning.models import (
    Attachment,
    CallState,
    CallTask,
    Channel,
    Delivery,
    DunningSettings,
    Hold,
    HoldReason,
    Message,
    MessageState,
    Policy,
    PolicyStep,
)
from tegoed.dunning.run import message_id


class DunningError(DomainError):
    """A request about reminders that cannot be done; the message says why."""


# Defaults -------------------------------------------------------------------------------


def ensure_defaults(organization) -> DunningSettings:
    """The organization's reminder settings and default schedules, made on first use."""
    found = DunningSettings.objects.filter(organization=organization).first()
    if found is not None:
        return found
    with transaction.atomic():
        settings, _created = DunningSettings.objects.get_or_create(
            organization=organization, defaults={"send_weekdays": [1, 2, 3, 4]}
        )
        names = defaults.NAMES if organization.language == "nl" else defaults.NAMES_EN
        for kind, rows in defaults.LADDERS.items():
            if Policy.objects.filter(organization=organization, default_for=kind).exists():
                continue
            policy = Policy.objects.create(
                organization=organization, name=names[kind], default_for=kind
            )
            PolicyStep.objects.bulk_create(
                PolicyStep(policy=policy, **defaults.step_fields(row))
                for row in [*rows, defaults.BROKEN_PROMISE]
            )
    return settings


# Holds ----------------------------------------------------------------------------------


def place_hold(
    organization,
    *,
    customer,
    invoice=None,
    reason: str,
    until: datetime.date | None = None,
    note: str = "",
    user=None,
    source: str = "",
    today: datetime.date,
) -> Hold:
    """Pause chasing `invoice` (or every invoice of `customer`) from `today`, until the end of
    `until` or until lifted. The schedule resumes by itself after `until`."""
    if customer.organization_id != organization.pk:
        raise DunningError(_("This customer belongs to another administration."))
    if invoice is not None and invoice.customer_id != customer.pk:
        raise DunningError(_("This invoice belongs to another customer."))
    if reason not in HoldReason.values:
        raise DunningError(_("Unknown reason for a hold: %(reason)s") % {"reason": reason})
    if until is not None and until < today:
        raise DunningError(_("A hold cannot end before it starts."))
    with transaction.atomic():
        hold = Hold.objects.create(
            organization=organization,
            customer=customer,
            invoice=invoice,
            reason=reason,
            note=note[:300],
            set_by=user if getattr(user, "is_authenticated", False) else None,
            starts_on=today,
            ends_on=until,
            source=source,
        )
        what = invoice.number if invoice is not None else customer.name
        audit.record(
            organization=organization,
            actor=user,
            action="dunning.hold_placed",
            subject=invoice if invoice is not None else customer,
            summary=_("Reminders paused for %(what)s: %(reason)s")
            % {"what": what, "reason": hold.get_reason_display()},
            details={"hold": hold.pk, "until": until.isoformat() if until else None, "note": note},
        )
    return hold


def lift_hold(hold: Hold, *, user=None, note: str = "", today: datetime.date) -> Hold:
    """End a hold from `today` on; chasing resumes where the schedule stood."""
    with transaction.atomic():
        hold = Hold.objects.select_for_update().get(pk=hold.pk)
        if hold.lifted_at is not None:
            return hold
        hold.lifted_at = timezone.now()
        hold.lifted_on = max(today, hold.starts_on)
        hold.lifted_by = user if getattr(user, "is_authenticated", False) else None
        hold.save(update_fields=["lifted_at", "lifted_on", "lifted_by", "updated_at"])
        audit.record(
            organization=hold.organization,
            actor=user,
            action="dunning.hold_lifted",
            subject=hold.invoice if hold.invoice_id else hold.customer,
            summary=_("Reminders resumed: %(reason)s lifted")
            % {"reason": hold.get_reason_display()},
            details={"hold": hold.pk, "note": note},
        )
    return hold


def lift_holds(
    organization, *, source: str, user=None, note: str = "", today: datetime.date
) -> int:
    """Lift every open hold that `source` ("<app_label.model>:<pk>") placed."""
    holds = Hold.objects.filter(organization=organization, source=source, lifted_at__isnull=True)
    for hold in holds:
        lift_hold(hold, user=user, note=note, today=today)
    return len(holds)


# Approvals ------------------------------------------------------------------------------


def _awaiting(message: Message) -> Message:
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.state != MessageState.AWAITING_APPROVAL:
        raise DunningError(_("This message no longer waits for approval."))
    return message


def _decision_of(message: Message) -> list[Message]:
    """The message and the others of its decision that wait with it (the letter beside the
    e-mail, the sales owner's note): one approval or skip is for all of them."""
    message = _awaiting(message)
    if message.decision is None:
        return [message]
    return list(
        Message.objects.select_for_update().filter(
            decision=message.decision, state=MessageState.AWAITING_APPROVAL
        )
    )


def approve_message(
    message: Message,
    *,
    user,
    personal_note: str | None = None,
    today: datetime.date | None = None,
) -> Message:
    """Let a message that waits for approval go out, with the others of its decision, and with
    the approver's own note if given.

    It goes out on the day approved (`today`, the organization's today unless given), and the
    next step's gap counts from that day."""
    with transaction.atomic():
        group = _decision_of(message)
        today = today or timezone.localdate(timezone=message.organization.tz)
        for member in group:
            if personal_note is not None and not member.internal:
                member.personal_note = personal_note.strip()[:2000]
            member.state = MessageState.PENDING
            member.decided_by = user
            member.send_on = max(member.send_on, today)
            member.save(
                update_fields=["state", "decided_by", "personal_note", "send_on", "updated_at"]
            )
        message = next(member for member in group if member.pk == message.pk)
        audit.record(
            organization=message.organization,
            actor=user,
            action="dunning.message_approved",
            subject=message.customer,
            summary=_("Approved: %(message)s") % {"message": message},
            details={"messages": [member.pk for member in group]},
        )
    return message


def skip_message(message: Message, *, user, reason: str = "") -> Message:
    """Do not send a message that waits for approval, nor the others of its decision. The
    invoices keep the level reached, so the schedule goes on from there; a hold stops it
    altogether."""
    with transaction.atomic():
        group = _decision_of(message)
        for member in group:
            member.state = MessageState.SKIPPED
            member.decided_by = user
            member.error = reason[:500]
            member.save(update_fields=["state", "decided_by", "error", "updated_at"])
        message = next(member for member in group if member.pk == message.pk)
        audit.record(
            organization=message.organization,
            actor=user,
            action="dunning.message_skipped",
            subject=message.customer,
            summary=_("Skipped: %(message)s") % {"message": message},
            details={"messages": [member.pk for member in group], "reason": reason},
        )
    return message


def resend_message(message: Message, *, user) -> Message:
    """Put a failed or possibly sent message back in the outbox, with the same Message-ID."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.state not in {MessageState.FAILED, MessageState.UNCERTAIN}:
            raise DunningError(
                _("Only a failed message, or one that may not have gone out, can be sent again.")
            )
        message.state = MessageState.PENDING
        message.save(update_fields=["state", "updated_at"])
        audit.record(
            organization=message.organization,
            actor=user,
            action="dunning.message_resent",
            subject=message.customer,
            summary=_("Sent again: %(message)s") % {"message": message},
            details={"message": message.pk},
        )
    return message


# Delivery -------------------------------------------------------------------------------

# What an e-mail service provider reports, worst last: a later "opened" does not hide a bounce.
DELIVERY_RANK = {
    Delivery.UNKNOWN: 0,
    Delivery.DELIVERED: 1,
    Delivery.OPENED: 2,
    Delivery.COMPLAINED: 3,
    Delivery.REJECTED: 4,
    Delivery.BOUNCED: 5,
}


def record_delivery(*, provider_id: str, delivery: str, detail: str = "") -> int:
    """What the provider reports of a sent message (anymail's tracking webhooks): a bounce, a
    block or a complaint is shown on the message, the invoice and the customer."""
    if not provider_id:
        return 0
    updated = 0
    with transaction.atomic():
        for message in Message.objects.select_for_update().filter(provider_id=provider_id):
            if DELIVERY_RANK[delivery] < DELIVERY_RANK[message.delivery]:
                continue
            message.delivery = delivery
            message.delivery_detail = detail[:300]
            message.save(update_fields=["delivery", "delivery_detail", "updated_at"])
            updated += 1
            if delivery in {Delivery.BOUNCED, Delivery.REJECTED, Delivery.COMPLAINED}:
                audit.record(
                    organization=message.organization,
                    actor=None,
                    action="dunning.delivery_failed",
                    subject=message.customer,
                    summary=_("%(message)s: %(delivery)s")
                    % {"message": message, "delivery": message.get_delivery_display()},
                    details={"message": message.pk, "detail": detail[:300]},
                )
    return updated


# Messages written when decided ----------------------------------------------------------


def customer_addresses(customer) -> tuple[str, ...]:
    """Where a message to the customer goes: its billing contacts, or any contact with an
    e-mail address when none is for billing (the same rule as the daily run's)."""
    contacts = [
        (role, email) for role, email in customer.contacts.values_list("role", "email") if email
    ]
    billing = [email for role, email in contacts if role == "billing"]
    return tuple(dict.fromkeys(billing or [email for _role, email in contacts]))


def write_message(
    organization,
    *,
    customer,
    kind: str,
    subject: str,
    text: str,
    today: datetime.date,
    recipients: tuple[str, ...],
    channel: str = Channel.EMAIL,
    internal: bool = False,
    language: str = "",
    attachments: tuple[tuple[str, bytes], ...] = (),
) -> Message:
    """Put a message whose text is written now in the outbox (an agreement's confirmation, a
    task for the sales owner): the sender sends it as written. Call inside the transaction
    that makes the decision."""
    public_id = uuid.uuid4()
    message = Message.objects.create(
        organization=organization,
        public_id=public_id,
        customer=customer,
        channel=channel,
        step_code=kind,
        kind=kind,
        level=0,
        language=language or customer.language,
        send_on=today,
        state=MessageState.PENDING,
        internal=internal,
        recipients=list(recipients),
        message_id=message_id(public_id),
        subject=subject[:300],
        text=text,
    )
    Attachment.objects.bulk_create(
        Attachment(message=message, name=name, content=content) for name, content in attachments
    )
    return message


# Calls ----------------------------------------------------------------------------------


def record_call(
    call: CallTask,
    *,
    user,
    reached: bool,
    promise_on: datetime.date | None = None,
    promise_amount: Decimal | None = None,
    disputed: bool = False,
    notes: str = "",
    today: datetime.date,
) -> CallTask:
    """The result of a call. A promise to pay holds the customer's reminders until the promised
    day (a broken promise then gets its own step); a dispute holds them until resolved."""
    if promise_on is not None and not reached:
        raise DunningError(_("A promise needs someone who was reached."))
    with transaction.atomic():
        call = CallTask.objects.select_for_update().get(pk=call.pk)
        if call.state == CallState.DONE:
            raise DunningError(_("The result of this call has already been recorded."))
        call.state = CallState.DONE
        call.reached = reached
        call.promise_on = promise_on
        call.promise_amount = promise_amount
        call.disputed = disputed
        call.result_notes = notes
        call.done_at = timezone.now()
        call.done_by = user
        call.save()
        # The promise and the dispute are records of their own, each placing its hold.
        from tegoed.arrangements import services as arrangements

        if promise_on is not None:
            arrangements.promise_to_pay(
                call.organization,
                customer=call.customer,
                pay_by=promise_on,
                amount=promise_amount,
                channel="call",
                call=call,
                note=notes,
                user=user,
                today=today,
            )
        if disputed:
            arrangements.open_dispute(
                call.organization,
                customer=call.customer,
                reason="other",
                description=notes,
                channel="call",
                call=call,
                user=user,
                today=today,
            )
        audit.record(
            organization=call.organization,
            actor=user,
            action="dunning.call_recorded",
            subject=call.customer,
            summary=(_("Called, reached") if reached else _("Called, not reached"))
            + (f": {notes}" if notes else ""),
            details={
                "call": call.pk,
                "promise_on": promise_on.isoformat() if promise_on else None,
                "promise_amount": str(promise_amount) if promise_amount is not None else None,
                "disputed": disputed,
            },
        )
    return call


# Settings -------------------------------------------------------------------------------


SETTINGS_FIELDS = (
    "send_weekdays",
    "window_start",
    "window_end",
    "sender_name",
    "minimum_open_amount",
    "use_payment_habits",
    "thank_early_payers",
)


def update_settings(organization, *, user, **values) -> DunningSettings:
    """Change when and how the organization's reminders go out."""
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise DunningError(f"unknown setting {sorted(unknown)[0]}")
    weekdays = values.get("send_weekdays")
    if weekdays is not None:
        if not weekdays or not set(weekdays) <= set(range(7)):
            raise DunningError(_("Choose at least one weekday to send on."))
        values["send_weekdays"] = sorted(set(weekdays))
    start, end = values.get("window_start"), values.get("window_end")
    if start is not None and end is not None and start >= end:
        raise DunningError(_("The send window must end after it starts."))
    ensure_defaults(organization)
    with transaction.atomic():
        config = DunningSettings.objects.select_for_update().get(organization=organization)
        before = {name: str(getattr(config, name)) for name in values}
        for name, value in values.items():
            setattr(config, name, value)
        config.save()
        changed = {
            name: [before[name], str(value)]
            for name, value in values.items()
            if before[name] != str(value)
        }
        audit.record(
            organization=organization,
            actor=user,
            action="dunning.settings_changed",
            subject=config,
            summary=_("Reminder settings changed"),
            details={"changed": changed},
        )
    return config

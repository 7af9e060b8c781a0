"""Use cases of the reminder schedule: holds, schedules, approvals and call results.

Every function runs in one transaction and writes an audit event. The daily run itself is in
`run.py`, the delivery of the outbox in `sending.py`.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tegoed.audit import services as audit
from tegoed.domain import dunning
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


# Schedules ------------------------------------------------------------------------------


def as_policy(policy: Policy, *, minimum_open_amount: Decimal = Decimal("0")) -> dunning.Policy:
    """The domain's view of a schedule and its steps."""
    steps = list(policy.steps.all())
    return dunning.Policy(
        steps=tuple(step.as_step() for step in steps if step.level is not None),
        broken_promise=next(
            (step.as_step() for step in steps if step.kind == dunning.BROKEN_PROMISE), None
        ),
        minimum_open_amount=minimum_open_amount,
    )


SETTINGS_FIELDS = (
    "send_weekdays",
    "window_start",
    "window_end",
    "sender_name",
    "minimum_open_amount",
    "use_payment_habits",
    "thank_early_payers",
)
STEP_FIELDS = (
    "offset_days",
    "min_gap_days",
    "channels",
    "claims_interest_and_costs",
    "minimum_amount",
    "needs_approval",
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


def create_schedule(organization, *, name: str, copy_of: Policy, user) -> Policy:
    """A schedule of the organization's own, starting as a copy of `copy_of`'s steps."""
    name = name.strip()
    if copy_of.organization_id != organization.pk:
        raise DunningError(_("This schedule belongs to another administration."))
    if Policy.objects.filter(organization=organization, name=name).exists():
        raise DunningError(_("There is a schedule called %(name)s already.") % {"name": name})
    with transaction.atomic():
        policy = Policy.objects.create(organization=organization, name=name)
        PolicyStep.objects.bulk_create(
            PolicyStep(
                policy=policy,
                code=step.code,
                kind=step.kind,
                level=step.level,
                **{field: getattr(step, field) for field in STEP_FIELDS},
            )
            for step in copy_of.steps.all()
        )
        audit.record(
            organization=organization,
            actor=user,
            action="dunning.schedule_created",
            subject=policy,
            summary=_("Reminder schedule %(name)s made from %(source)s")
            % {"name": name, "source": copy_of.name},
            details={"copy_of": copy_of.pk},
        )
    return policy


def update_schedule(
    policy: Policy,
    *,
    user,
    name: str,
    steps: dict[str, dict],
    nudge_days: int | None,
    customers=None,
    tags=None,
) -> Policy:
    """Change a schedule's steps (by code), switch the friendly nudge before the due date on
    (`nudge_days` before it) or off, and, for an own schedule, who it applies to.

    Invoices keep the levels they reached: a changed step applies from their next step on.
    A customer or tag given to this schedule leaves any other own schedule.
    """
    name = name.strip()
    organization = policy.organization
    if Policy.objects.filter(organization=organization, name=name).exclude(pk=policy.pk).exists():
        raise DunningError(_("There is a schedule called %(name)s already.") % {"name": name})
    if nudge_days is not None and nudge_days < 1:
        raise DunningError(_("The nudge goes out at least one day before the due date."))
    with transaction.atomic():
        rows = {
            step.code: step for step in PolicyStep.objects.select_for_update().filter(policy=policy)
        }
        before = sorted(
            (row.as_step() for row in rows.values() if row.level is not None),
            key=lambda step: step.level,
        )
        unknown = set(steps) - set(rows)
        if unknown:
            raise DunningError(f"unknown step {sorted(unknown)[0]}")
        for code, values in steps.items():
            for field in STEP_FIELDS:
                if field in values:
                    setattr(rows[code], field, values[field])
        nudge = next((row for row in rows.values() if row.kind == dunning.PRE_DUE), None)
        if nudge_days is not None:
            if nudge is None:
                nudge = PolicyStep(policy=policy, **defaults.step_fields(defaults.PRE_DUE))
                rows[nudge.code] = nudge
            nudge.offset_days = -nudge_days
        elif nudge is not None:
            del rows[nudge.code]
            nudge.delete()
        _check_ladder(
            policy,
            before,
            sorted(
                (row for row in rows.values() if row.level is not None),
                key=lambda row: row.level,
            ),
        )
        for row in rows.values():
            row.save()
        policy.name = name
        policy.save(update_fields=["name", "updated_at"])
        if not policy.default_for and customers is not None:
            for other in Policy.objects.filter(organization=organization).exclude(pk=policy.pk):
                other.customers.remove(*customers)
            policy.customers.set(customers)
        if not policy.default_for and tags is not None:
            for other in Policy.objects.filter(organization=organization).exclude(pk=policy.pk):
                other.tags.remove(*tags)
            policy.tags.set(tags)
        audit.record(
            organization=organization,
            actor=user,
            action="dunning.schedule_changed",
            subject=policy,
            summary=_("Reminder schedule %(name)s changed") % {"name": name},
            details={
                "steps": {
                    code: {field: str(value) for field, value in values.items()}
                    for code, values in steps.items()
                },
                "nudge_days": nudge_days,
            },
        )
    return policy


# Steps added, removed and moved --------------------------------------------------------------

LADDER_RULES = {
    dunning.TOO_FEW_REMINDERS: gettext_lazy(
        "%(step)s would come after fewer than three reminders: a formal step needs at least "
        "three before it."
    ),
    dunning.NOTICE_BEFORE_DEFAULT: gettext_lazy(
        "%(step)s would go out before the invoice is late: a 14-day letter goes out at least a "
        "day after the due date."
    ),
    dunning.COSTS_BEFORE_NOTICE: gettext_lazy(
        "%(step)s would claim interest and costs before the 14-day letter: a consumer owes "
        "them only after it."
    ),
}


def _described(row: PolicyStep) -> str:
    return f"{row.get_kind_display()} ({row.code})"


def _ladder_rows(policy: Policy) -> list[PolicyStep]:
    """The schedule's steps before and after the due date, locked, in level order."""
    return list(
        PolicyStep.objects.select_for_update()
        .filter(policy=policy, level__isnull=False)
        .order_by("level")
    )


def _check_ladder(policy: Policy, before: list[dunning.Step], after: list[PolicyStep]) -> None:
    """Refuse a ladder (`after`, in level order) that breaks a rule the schedule kept
    `before` (`dunning.ladder_problems`); a rule a schedule already broke (made so by hand)
    does not stop other changes."""
    consumer = policy.default_for == "consumer"
    old = dunning.ladder_problems(before, consumer=consumer)
    try:
        steps = [row.as_step() for row in after]
        dunning.Policy(steps=tuple(steps))
    except DomainError as error:
        raise DunningError(str(error)) from None
    new = dunning.ladder_problems(steps, consumer=consumer)
    rows = {row.code: row for row in after}
    broken = sorted(new - old, key=lambda problem: (rows[problem.code].level or 0, problem.rule))
    if broken:
        raise DunningError(
            " ".join(
                str(LADDER_RULES[problem.rule]) % {"step": _described(rows[problem.code])}
                for problem in broken
            )
        )


def _renumber(rows: list[PolicyStep], levels: dict[str, int]) -> dict[str, list[int]]:
    """Give the rows their new levels (by code); the levels that changed, [old, new].

    A level is unique per schedule only where set: the moving rows are first taken off their
    levels, then put on their new ones, so no two rows ever share one."""
    changed = {
        row.code: [row.level, levels[row.code]] for row in rows if row.level != levels[row.code]
    }
    moving = [row for row in rows if row.code in changed]
    PolicyStep.objects.filter(pk__in=[row.pk for row in moving]).update(level=None)
    for row in moving:
        row.level = levels[row.code]
        PolicyStep.objects.filter(pk=row.pk).update(level=row.level)
    return changed


def add_step(policy: Policy, *, user, after: int, code: str, kind: str, **values) -> PolicyStep:
    """Put a step into the schedule after level `after` (0: the first after the due date).

    Levels are places in the ladder: the steps after it move one level on. The levels invoices
    reached stay as recorded; each goes on with the step that now follows its level
    (docs/decisions/0503). A step that would break a rule of the ladder is refused."""
    code = code.strip()
    unknown = set(values) - set(STEP_FIELDS)
    if unknown:
        raise DunningError(f"unknown field {sorted(unknown)[0]}")
    if kind not in dunning.ADDABLE_KINDS:
        raise DunningError(_("Choose what kind of step to add."))
    if code in (defaults.PRE_DUE[0], defaults.BROKEN_PROMISE[0]):
        raise DunningError(
            _("The code %(code)s belongs to a step of its own; choose another.") % {"code": code}
        )
    with transaction.atomic():
        rows = _ladder_rows(policy)
        if PolicyStep.objects.filter(policy=policy, code=code).exists():
            raise DunningError(
                _("This schedule has a step with code %(code)s already.") % {"code": code}
            )
        top = max((row.level for row in rows), default=0)
        if not 0 <= after <= top:
            raise DunningError(_("Choose where in the schedule the step goes."))
        fields = {
            "channels": [dunning.EMAIL],
            "claims_interest_and_costs": False,
            "minimum_amount": Decimal("0"),
            "needs_approval": kind in dunning.FORMAL_KINDS,
            **values,
        }
        step = PolicyStep(policy=policy, code=code, kind=kind, level=after + 1, **fields)
        try:
            step.full_clean(exclude=["channels"], validate_unique=False, validate_constraints=False)
            ladder = dunning.with_step([row.as_step() for row in rows], step.as_step(), after=after)
        except ValidationError as error:
            raise DunningError(" ".join(error.messages)) from None
        except DomainError as error:
            raise DunningError(str(error)) from None
        levels = {each.code: each.level for each in ladder}
        after_rows = sorted(
            [*(_with_level(row, levels[row.code]) for row in rows), step],
            key=lambda row: row.level,
        )
        _check_ladder(policy, [row.as_step() for row in rows], after_rows)
        changed = _renumber(rows, levels)
        step.save()
        policy.save(update_fields=["updated_at"])
        audit.record(
            organization=policy.organization,
            actor=user,
            action="dunning.step_added",
            subject=policy,
            summary=_("Step %(step)s added to reminder schedule %(name)s as step %(level)s")
            % {"step": _described(step), "name": policy.name, "level": step.level},
            details={
                "code": code,
                "kind": kind,
                "level": step.level,
                "values": {field: str(fields[field]) for field in STEP_FIELDS if field in fields},
                "levels_changed": changed,
            },
        )
    return step


def _with_level(row: PolicyStep, level: int) -> PolicyStep:
    """A copy of `row` at `level`, to check a ladder before writing it."""
    copy = PolicyStep(
        policy_id=row.policy_id,
        code=row.code,
        kind=row.kind,
        level=level,
        **{field: getattr(row, field) for field in STEP_FIELDS},
    )
    copy.pk = row.pk
    return copy


def _removal(policy: Policy, code: str):
    """The schedule's ladder rows, the step `code`, the rows that stay and their new levels;
    refused as `remove_step` says."""
    rows = _ladder_rows(policy)
    found = next((row for row in rows if row.code == code), None)
    if found is None:
        if PolicyStep.objects.filter(policy=policy, code=code).exists():
            raise DunningError(_("The step for a broken promise stays in every schedule."))
        raise DunningError(_("This schedule has no step %(code)s.") % {"code": code})
    if found.kind == dunning.PRE_DUE:
        raise DunningError(
            _("The nudge before the due date is switched off on the schedule, not removed.")
        )
    ladder = dunning.without_step([row.as_step() for row in rows], code)
    levels = {each.code: each.level for each in ladder}
    remaining = [row for row in rows if row.code != code]
    _check_ladder(
        policy,
        [row.as_step() for row in rows],
        [_with_level(row, levels[row.code]) for row in remaining],
    )
    return found, remaining, levels


def check_removal(policy: Policy, *, code: str) -> None:
    """Whether the step `code` can be removed: a `DunningError` saying why not."""
    with transaction.atomic():
        _removal(policy, code)


def remove_step(policy: Policy, *, user, code: str) -> None:
    """Take the step `code` out of the schedule; the steps after it move one level up.

    Invoices keep the levels they reached (docs/decisions/0503). The nudge before the due date
    (switched off on the schedule) and the broken-promise step cannot be removed; a removal
    that would break a rule of the ladder is refused."""
    with transaction.atomic():
        found, remaining, levels = _removal(policy, code)
        level = found.level
        found.delete()
        changed = _renumber(remaining, levels)
        policy.save(update_fields=["updated_at"])
        audit.record(
            organization=policy.organization,
            actor=user,
            action="dunning.step_removed",
            subject=policy,
            summary=_("Step %(step)s removed from reminder schedule %(name)s")
            % {"step": _described(found), "name": policy.name},
            details={
                "code": code,
                "kind": found.kind,
                "level": level,
                "values": {field: str(getattr(found, field)) for field in STEP_FIELDS},
                "levels_changed": changed,
            },
        )


def move_step(policy: Policy, *, user, code: str, by: int) -> None:
    """Move the step `code` `by` places later in the ladder (negative: earlier); the steps it
    passes move the other way. Invoices keep the levels they reached (docs/decisions/0503)."""
    with transaction.atomic():
        rows = _ladder_rows(policy)
        found = next((row for row in rows if row.code == code and row.level), None)
        if found is None:
            raise DunningError(_("This schedule has no step %(code)s.") % {"code": code})
        try:
            ladder = dunning.moved([row.as_step() for row in rows], code, by=by)
        except DomainError:
            raise DunningError(_("The step cannot move further that way.")) from None
        levels = {each.code: each.level for each in ladder}
        _check_ladder(
            policy,
            [row.as_step() for row in rows],
            sorted((_with_level(row, levels[row.code]) for row in rows), key=lambda row: row.level),
        )
        changed = _renumber(rows, levels)
        policy.save(update_fields=["updated_at"])
        audit.record(
            organization=policy.organization,
            actor=user,
            action="dunning.step_moved",
            subject=policy,
            summary=_("Step %(step)s of reminder schedule %(name)s moved to step %(level)s")
            % {"step": _described(found), "name": policy.name, "level": levels[code]},
            details={"code": code, "levels_changed": changed},
        )

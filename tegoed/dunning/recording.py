"""Recording the daily run's decisions: the steps reached, the outbox, the call tasks.

`write` records one batch of the plan's messages as one transaction: the steps reached
(`InvoiceStep`, unique per invoice and level), the outbox messages, the call tasks, and the day
to look at each stepped invoice again, together. A crash loses a batch whole or not at all,
and a run after a crash, or a second run the same day, finds those levels reached and decides
nothing twice. The batch takes the organization's settings row first and checks the levels
again under it, so two runs of one organization at the same moment cannot both decide a step.
`write_looks` then stores the look days of the invoices looked at without a step.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Sequence

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from tegoed.audit import services as audit
from tegoed.common.bulk import Batch
from tegoed.customers.models import Customer
from tegoed.domain import dunning
from tegoed.domain.money import ZERO
from tegoed.dunning import checks
from tegoed.dunning.models import (
    CallTask,
    DunningSettings,
    InvoiceStep,
    Message,
    MessageState,
)
from tegoed.dunning.planning import ESCALATION_KINDS, Plan, PlannedInvoice
from tegoed.dunning.reading import THANK_YOU, WRITE_OFF_PROPOSAL, chunks, contacts


def message_id(public_id: uuid.UUID) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "tegoed.invalid"
    return f"<dunning.{public_id.hex}@{domain}>"


def _taken(invoice_ids: Sequence[int]) -> tuple[set, set, set]:
    """What is already recorded for these invoices: (invoice, level), (invoice, hold), (invoice,
    kind) — read under the organization's lock, so a step is never decided twice.

    On PostgreSQL the run plans and writes under the organization's advisory lock, and only the
    run records steps: what it planned from is what is recorded, and nothing need be read
    again (on a table the first run fills, the planner's statistics would make every read a
    scan). On SQLite the plan is read before the batch takes the write lock: read again."""
    levels, promises, asides = set(), set(), set()
    if connection.vendor == "postgresql":
        return levels, promises, asides
    for chunk in chunks(list(invoice_ids)):
        for invoice_id, kind, level, hold_id in InvoiceStep.objects.filter(
            invoice_id__in=chunk
        ).values_list("invoice_id", "kind", "level", "hold_id"):
            if kind in dunning.LADDER_KINDS:
                levels.add((invoice_id, level))
            elif kind == dunning.BROKEN_PROMISE:
                promises.add((invoice_id, hold_id))
            else:
                asides.add((invoice_id, kind))
    return levels, promises, asides


def _is_new(item: PlannedInvoice, levels: set, promises: set) -> bool:
    if item.step.kind == dunning.BROKEN_PROMISE:
        return (item.invoice_id, item.hold_id) not in promises
    return (item.invoice_id, item.level) not in levels


def write(organization, run, today, messages, write_offs, thanks) -> int:
    now = timezone.now()
    with transaction.atomic():
        DunningSettings.objects.select_for_update().get(organization=organization)
        ids = [item.invoice_id for message in messages for item in message.invoices]
        ids += [invoice_id for invoice_id, _number, _open in write_offs]
        ids += [invoice_id for invoice_id, _customer in thanks]
        levels, promises, asides = _taken(ids)
        batch = Batch()
        message_table = batch.table(
            Message,
            [
                "id",
                "organization",
                "public_id",
                "customer",
                "run",
                "channel",
                "decision",
                "step_code",
                "kind",
                "level",
                "language",
                "send_on",
                "state",
                "internal",
                "recipients",
                "cc",
                "note",
                "message_id",
                "personal_note",
                "subject",
                "text",
                "html",
                "attempts",
                "error",
                "provider_id",
                "delivery",
                "delivery_detail",
                "created_at",
                "updated_at",
            ],
        )
        step_table = batch.table(
            InvoiceStep,
            [
                "organization",
                "invoice",
                "run",
                "message",
                "code",
                "kind",
                "level",
                "hold",
                "decided_on",
                "open_amount",
                "interest",
                "costs",
            ],
        )
        call_table = batch.table(
            CallTask,
            [
                "organization",
                "customer",
                "run",
                "step_code",
                "level",
                "due_on",
                "note",
                "state",
                "disputed",
                "result_notes",
                "created_at",
                "updated_at",
            ],
        )
        written = 0
        looks: list[tuple[int, datetime.date, bool]] = []

        def add_message(
            customer_id,
            channel,
            step_code,
            kind,
            level,
            language,
            state,
            to,
            cc,
            note,
            internal=False,
            decision=None,
        ):
            public_id = uuid.uuid4()
            message_pk = message_table.take_id()
            message_table.add(
                (
                    message_pk,
                    organization.pk,
                    public_id,
                    customer_id,
                    run.pk,
                    channel,
                    decision,
                    step_code,
                    kind,
                    level,
                    language,
                    today,
                    state,
                    internal,
                    list(to),
                    list(cc),
                    note,
                    message_id(public_id),
                    "",
                    "",
                    "",
                    "",
                    0,
                    "",
                    "",
                    "",
                    "",
                    now,
                    now,
                )
            )
            return message_pk

        for message in messages:
            items = [item for item in message.invoices if _is_new(item, levels, promises)]
            if not items:
                continue
            state = (
                MessageState.AWAITING_APPROVAL
                if any(item.step.needs_approval for item in items)
                else MessageState.PENDING
            )
            message_pk = None
            decision = uuid.uuid4()
            for channel in message.channels:
                if channel == dunning.CALL:
                    call_table.add(
                        (
                            organization.pk,
                            message.customer_id,
                            run.pk,
                            message.step.code,
                            message.level,
                            today,
                            ", ".join(item.number for item in items),
                            "open",
                            False,
                            "",
                            now,
                            now,
                        )
                    )
                    continue
                added = add_message(
                    message.customer_id,
                    channel,
                    message.step.code,
                    message.step.kind,
                    message.level,
                    message.language,
                    state,
                    message.recipients if channel == dunning.EMAIL else (),
                    message.cc if channel == dunning.EMAIL else (),
                    message.note,
                    decision=decision,
                )
                message_pk = message_pk or added
            if message.sales_owner_email and message.step.kind in ESCALATION_KINDS:
                add_message(
                    message.customer_id,
                    dunning.EMAIL,
                    message.step.code,
                    message.step.kind,
                    message.level,
                    message.language,
                    state,
                    (message.sales_owner_email,),
                    (),
                    "",
                    internal=True,
                    decision=decision,
                )
            for item in items:
                step_table.add(
                    (
                        organization.pk,
                        item.invoice_id,
                        run.pk,
                        message_pk,
                        item.step.code,
                        item.step.kind,
                        item.level,
                        item.hold_id,
                        today,
                        item.open_amount,
                        item.interest,
                        item.costs,
                    )
                )
                looks.append((item.invoice_id, item.look_on, item.checked))
                written += 1
        for invoice_id, _number, open_amount in write_offs:
            if (invoice_id, WRITE_OFF_PROPOSAL) in asides:
                continue
            step_table.add(
                (
                    organization.pk,
                    invoice_id,
                    run.pk,
                    None,
                    WRITE_OFF_PROPOSAL,
                    WRITE_OFF_PROPOSAL,
                    0,
                    None,
                    today,
                    open_amount,
                    ZERO,
                    ZERO,
                )
            )
            written += 1
        thanked: dict[int, list[int]] = defaultdict(list)
        for invoice_id, customer_id in thanks:
            if (invoice_id, THANK_YOU) not in asides:
                thanked[customer_id].append(invoice_id)
        if thanked:
            languages = dict(
                Customer.objects.filter(pk__in=list(thanked)).values_list("id", "language")
            )
            addresses = contacts(list(thanked))
            for customer_id, invoice_ids in thanked.items():
                to = [email for role, email in addresses.get(customer_id, []) if role == "billing"]
                to = to or [email for _role, email in addresses.get(customer_id, [])]
                message_pk = None
                if to:
                    message_pk = add_message(
                        customer_id,
                        dunning.EMAIL,
                        THANK_YOU,
                        THANK_YOU,
                        0,
                        languages[customer_id],
                        MessageState.PENDING,
                        to,
                        (),
                        "",
                    )
                for invoice_id in invoice_ids:
                    step_table.add(
                        (
                            organization.pk,
                            invoice_id,
                            run.pk,
                            message_pk,
                            THANK_YOU,
                            THANK_YOU,
                            0,
                            None,
                            today,
                            ZERO,
                            ZERO,
                            ZERO,
                        )
                    )
                    written += 1
        batch.flush()
        checks.write(organization, looks)
        if written:
            audit.record(
                organization=organization,
                actor=None,
                action="dunning.run",
                subject=run,
                summary=f"{today.isoformat()}: {written} steps decided",
                details={"steps": written, "messages": message_table.written},
            )
    return written


def write_looks(organization, today: datetime.date, planned: Plan) -> int:
    """Store the look days of the invoices looked at without a step, forget the rows of those
    settled, and note what the rows follow from. Writes nothing when nothing changed."""
    with transaction.atomic():
        DunningSettings.objects.select_for_update().get(organization=organization)
        changed = checks.write(organization, planned.looks)
        changed += checks.drop(planned.closed)
        changed += checks.remember(organization, today, basis=planned.basis, top_id=planned.top_id)
    return changed

"""The daily run: decide every reminder step due on a date, and record it with its messages.

`plan` reads: the open invoices of the organization that may have a step due, the steps each
has reached, the holds, the customers' schedules and payment habits, and asks
`tegoed.domain.dunning.outlook` what is due. It writes nothing, so `--dry-run` is `plan`
printed. Which invoices may have a step due the database answers from the schedules' earliest
days (`_candidates`): an invoice whose next step cannot fall due today under any of the
organization's schedules is not read, so a day after the first run reads the few invoices that
moved, not every open one.

`run_dunning` writes the plan in batches of customers. Each batch is one transaction that
writes the steps reached (`InvoiceStep`, unique per invoice and level), the outbox messages and
the call tasks together: a crash loses a batch whole or not at all, and a run after a crash,
or a second run the same day, finds those levels reached and decides nothing twice. The batch
takes the organization's lock first and checks the levels again under it, so two runs of one
organization at the same moment cannot both decide a step.

One message per customer per run lists every invoice with a step due, each at its own level;
the message speaks in the voice of the highest of those steps.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal

import holidays as public_holidays
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from tegoed.audit import services as audit
from tegoed.claims import queries as claims
from tegoed.common.bulk import Batch
from tegoed.customers.models import Contact, Customer
from tegoed.domain import claim, default_notice, dunning, habits
from tegoed.domain.money import ZERO
from tegoed.domain.schedule import SendDays
from tegoed.dunning import defaults
from tegoed.dunning.models import (
    CallTask,
    DunningSettings,
    Hold,
    HoldReason,
    InvoiceStep,
    Message,
    MessageState,
    Policy,
    Run,
    RunState,
)
from tegoed.invoices import queries as invoice_queries
from tegoed.invoices.models import Invoice

CUSTOMERS_PER_BATCH = 2000
# SQLite allows this many parameters in one statement, with room to spare.
IDS_PER_QUERY = 900
# Holds that ended longer ago than this cannot move a step any more.
HOLD_MEMORY_DAYS = 400
# The kinds of step that climb the ladder, as opposed to the broken-promise step.
# Escalation steps write to purchasing and management too (seed 004).
ESCALATION_KINDS = dunning.FORMAL_KINDS
# Recorded once per invoice beside the ladder; they do not count as a step for the gaps.
THANK_YOU = "thank_you"
WRITE_OFF_PROPOSAL = "write_off"
ASIDE_KINDS = (THANK_YOU, WRITE_OFF_PROPOSAL)
# Advisory-lock keys of the organizations' runs: this plus the organization's id.
RUN_LOCK_BASE = 0x7E90ED00000000


# What the run decides ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedInvoice:
    invoice_id: int
    number: str
    step: dunning.Step
    level: int
    due_date: datetime.date
    total: Decimal
    open_amount: Decimal
    interest: Decimal = ZERO
    costs: Decimal = ZERO
    hold_id: int | None = None


@dataclass(frozen=True)
class PlannedMessage:
    customer_id: int
    customer_number: str
    customer_name: str
    language: str
    step: dunning.Step
    level: int
    channels: tuple[str, ...]
    send_on: datetime.date
    invoices: tuple[PlannedInvoice, ...]
    recipients: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    sales_owner_email: str = ""
    note: str = ""

    @property
    def needs_approval(self) -> bool:
        return any(item.step.needs_approval for item in self.invoices)

    def as_json(self) -> dict:
        return {
            "customer": self.customer_number,
            "step": self.step.code,
            "level": self.level,
            "channels": list(self.channels),
            "send_on": self.send_on.isoformat(),
            "invoices": [
                {
                    "number": item.number,
                    "level": item.level,
                    "open": str(item.open_amount),
                    "interest": str(item.interest),
                    "costs": str(item.costs),
                }
                for item in self.invoices
            ],
        }


@dataclass
class Plan:
    today: datetime.date
    is_send_day: bool
    invoices_seen: int = 0
    messages: list[PlannedMessage] = field(default_factory=list)
    # (invoice id, number, open amount): below the threshold, proposed for write-off.
    write_offs: list[tuple[int, str, Decimal]] = field(default_factory=list)
    # (invoice id, customer id): paid early, thanked once.
    thanks: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Outcome:
    plan: Plan
    run: Run | None
    written: int


# Reading the ledger ---------------------------------------------------------------------


def _chunks(values: Sequence, size: int = IDS_PER_QUERY) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def send_days_of(config: DunningSettings, years: Iterable[int]) -> SendDays:
    days = {day for year in years for day in public_holidays.NL(years=year)}
    return SendDays(weekdays=frozenset(config.send_weekdays), holidays=frozenset(days))


def settings_of(organization) -> DunningSettings:
    """The organization's settings, or the defaults (unsaved) before its first run."""
    found = DunningSettings.objects.filter(organization=organization).first()
    return found or DunningSettings(organization=organization, send_weekdays=[1, 2, 3, 4])


def policies_of(organization, minimum_open: Decimal) -> tuple[dict, dict, dict, dict]:
    """(default policy per customer kind, own policy per customer id, per tag id, by id)."""
    policies = list(Policy.objects.filter(organization=organization).prefetch_related("steps"))
    by_id = {}
    for policy in policies:
        steps = list(policy.steps.all())
        by_id[policy.pk] = dunning.Policy(
            steps=tuple(step.as_step() for step in steps if step.level is not None),
            broken_promise=next(
                (step.as_step() for step in steps if step.kind == dunning.BROKEN_PROMISE), None
            ),
            minimum_open_amount=minimum_open,
        )
    per_kind = {policy.default_for: by_id[policy.pk] for policy in policies if policy.default_for}
    for kind, rows in defaults.LADDERS.items():
        if kind not in per_kind:
            per_kind[kind] = dunning.Policy(
                steps=tuple(_step(row) for row in rows),
                broken_promise=_step(defaults.BROKEN_PROMISE),
                minimum_open_amount=minimum_open,
            )
    per_customer = {
        customer_id: by_id[policy_id]
        for policy_id, customer_id in Policy.customers.through.objects.filter(
            policy__organization=organization
        ).values_list("policy_id", "customer_id")
    }
    per_tag = {
        tag_id: by_id[policy_id]
        for policy_id, tag_id in Policy.tags.through.objects.filter(
            policy__organization=organization
        ).values_list("policy_id", "tag_id")
    }
    return per_kind, per_customer, per_tag, by_id


def _step(row) -> dunning.Step:
    fields = defaults.step_fields(row)
    fields["channels"] = tuple(fields["channels"])
    if fields["level"] is None:
        fields["level"] = -1
    return dunning.Step(**fields)


def _last_held_day(starts_on, ends_on, lifted_on) -> datetime.date | None:
    """The last day a hold paused the clock, or None while it is open-ended."""
    last = ends_on
    if lifted_on is not None:
        lifted = lifted_on - datetime.timedelta(days=1)
        last = lifted if last is None else min(last, lifted)
    return last


@dataclass(frozen=True, slots=True)
class _Hold:
    id: int
    reason: str
    starts_on: datetime.date
    last_day: datetime.date | None
    lifted: bool

    def holds_on(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.last_day is None or day <= self.last_day)


def _holds(
    organization, today: datetime.date, *, customer_id: int | None = None
) -> tuple[dict, dict]:
    """Recent holds by invoice id and, those on a whole customer, by customer id."""
    horizon = today - datetime.timedelta(days=HOLD_MEMORY_DAYS)
    per_invoice: dict[int, list[_Hold]] = defaultdict(list)
    per_customer: dict[int, list[_Hold]] = defaultdict(list)
    found = Hold.objects.filter(organization=organization, starts_on__lte=today)
    if customer_id is not None:
        found = found.filter(customer_id=customer_id)
    rows = (
        found.filter(Q(lifted_on__isnull=True) | Q(lifted_on__gt=horizon))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=horizon))
        .values_list(
            "id", "customer_id", "invoice_id", "reason", "starts_on", "ends_on", "lifted_on"
        )
    )
    for hold_id, customer_id, invoice_id, reason, starts_on, ends_on, lifted_on in rows:
        hold = _Hold(
            hold_id,
            reason,
            starts_on,
            _last_held_day(starts_on, ends_on, lifted_on),
            lifted_on is not None,
        )
        if invoice_id is None:
            per_customer[customer_id].append(hold)
        else:
            per_invoice[invoice_id].append(hold)
    return per_invoice, per_customer


def habit_days_of(customer_ids: Sequence[int]) -> dict[int, int]:
    """The usual extra days of each late but reliable payer among `customer_ids`."""
    history: dict[int, list[habits.Settled]] = defaultdict(list)
    for chunk in _chunks(list(customer_ids)):
        rows = (
            Invoice.objects.filter(
                customer_id__in=chunk, kind="invoice", state="paid", due_date__isnull=False
            )
            .annotate(settled_on=Max("allocations__booked_on"))
            .values_list("customer_id", "due_date", "settled_on")
        )
        for customer_id, due_date, settled_on in rows:
            if settled_on is not None:
                history[customer_id].append(habits.Settled(due_date, settled_on))
    return {
        customer_id: dunning.habit_days(habits.describe(settled))
        for customer_id, settled in history.items()
    }


@dataclass(slots=True)
class _Open:
    id: int
    customer_id: int
    number: str
    due_date: datetime.date | None
    open_amount: Decimal
    total: Decimal


# How far each invoice is ---------------------------------------------------------------


@dataclass
class Schedules:
    """Which schedule applies to a customer: its own, else its tag's, else its kind's default."""

    per_kind: dict[str, dunning.Policy]
    per_customer: dict[int, dunning.Policy]
    per_tag: dict[int, dunning.Policy]
    customer_tags: dict[int, list[int]]

    def for_customer(self, customer_id: int, kind: str) -> dunning.Policy:
        if customer_id in self.per_customer:
            return self.per_customer[customer_id]
        for tag_id in self.customer_tags.get(customer_id, ()):
            if tag_id in self.per_tag:
                return self.per_tag[tag_id]
        return self.per_kind[kind]

    def all(self) -> list[dunning.Policy]:
        return [*self.per_kind.values(), *self.per_customer.values(), *self.per_tag.values()]


def schedules_of(organization, minimum_open: Decimal, *, customer_id: int | None = None):
    """The organization's schedules and who has which; of one customer when `customer_id`."""
    per_kind, per_customer, per_tag, _by_id = policies_of(organization, minimum_open)
    customer_tags: dict[int, list[int]] = defaultdict(list)
    if per_tag:
        links = Customer.tags.through.objects.filter(customer__organization=organization)
        if customer_id is not None:
            links = links.filter(customer_id=customer_id)
        for linked_id, tag_id in links.values_list("customer_id", "tag_id"):
            customer_tags[linked_id].append(tag_id)
    return Schedules(per_kind, per_customer, per_tag, customer_tags)


@dataclass
class Progress:
    """What the ledger knows of the open invoices' schedules on `today`: the levels reached,
    the holds, and the broken promises already answered."""

    today: datetime.date
    reached: dict[int, tuple[int | None, datetime.date | None]]
    # Invoices whose last step waits for approval: their schedule waits with it.
    awaiting: set[int]
    holds_per_invoice: dict[int, list[_Hold]]
    holds_per_customer: dict[int, list[_Hold]]
    answered: set[tuple[int, int]]

    def item(self, row: _Open, extra_days: int = 0) -> tuple[dunning.Item, int | None]:
        """The invoice as the domain sees it, and the promise hold it breaks, if any."""
        today = self.today
        level, last_on = self.reached.get(row.id, (None, None))
        holds = self.holds_per_invoice.get(row.id, []) + self.holds_per_customer.get(
            row.customer_id, []
        )
        on_hold = False
        held = 0
        broken = None
        if holds:
            on_hold = any(hold.holds_on(today) for hold in holds)
            since = max(day for day in (row.due_date, last_on) if day is not None)
            held = dunning.held_days(
                [(hold.starts_on, hold.last_day) for hold in holds], since, today
            )
            broken = next(
                (
                    hold.id
                    for hold in holds
                    if hold.reason == HoldReason.PROMISE
                    and not hold.lifted
                    and hold.last_day is not None
                    and hold.last_day < today
                    and (row.id, hold.id) not in self.answered
                ),
                None,
            )
        item = dunning.Item(
            due_date=row.due_date,
            open_amount=row.open_amount,
            reached_level=level,
            last_step_on=last_on,
            held_days=held,
            on_hold=on_hold,
            extra_days=extra_days,
            broken_promise=broken is not None,
            awaiting_approval=row.id in self.awaiting,
        )
        return item, broken


def progress_of(
    organization,
    today: datetime.date,
    *,
    customer_id: int | None = None,
    invoice_ids: Sequence[int] | None = None,
    holds: tuple[dict, dict] | None = None,
):
    """The progress of the organization's open invoices; of one customer's when `customer_id`;
    of `invoice_ids` when given (the others have no step but thanks and write-off proposals)."""
    steps = InvoiceStep.objects.filter(organization=organization, invoice__open_amount__gt=0)
    if customer_id is not None:
        steps = steps.filter(invoice__customer_id=customer_id)
    parts = [steps]
    if invoice_ids is not None:
        parts = [steps.filter(invoice_id__in=chunk) for chunk in _chunks(list(invoice_ids))]
    reached, awaiting, answered = {}, set(), set()
    for part in parts:
        reached.update(
            (invoice_id, (level, last_on))
            for invoice_id, level, last_on in part.values_list("invoice_id").annotate(
                level=Max("level", filter=Q(kind__in=dunning.LADDER_KINDS)),
                # The day the step went out: the day decided, or later, the day approved.
                last_on=Max(
                    Coalesce("message__send_on", "decided_on"), filter=~Q(kind__in=ASIDE_KINDS)
                ),
            )
        )
        awaiting.update(
            part.filter(message__state=MessageState.AWAITING_APPROVAL).values_list(
                "invoice_id", flat=True
            )
        )
        answered.update(
            part.filter(kind=dunning.BROKEN_PROMISE).values_list("invoice_id", "hold_id")
        )
    if holds is None:
        holds = _holds(organization, today, customer_id=customer_id)
    holds_per_invoice, holds_per_customer = holds
    return Progress(today, reached, awaiting, holds_per_invoice, holds_per_customer, answered)


def _earliest_days(policies: Iterable[dunning.Policy]) -> tuple[int | None, dict[int, tuple]]:
    """The earliest any of `policies` lets a step fall due: (days after its due date for an
    invoice without a step, {reached level: (days after the due date, days after the last
    step) of the next level}). Payment habits, holds and approvals only ever add days."""
    first: list[int] = []
    after: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for policy in policies:
        for step in policy.steps:
            if step.level == 0:
                # A nudge lands the day before the due date at the latest.
                first.append(min(step.offset_days, -1))
                continue
            if step.level == 1:
                first.append(step.offset_days)
            after[step.level - 1].append((step.offset_days, step.min_gap_days))
    return min(first, default=None), {
        level: (min(offset for offset, _gap in days), min(gap for _offset, gap in days))
        for level, days in after.items()
    }


def _candidates(
    open_invoices,
    policies: list[dunning.Policy],
    today: datetime.date,
    *,
    minimum_open: Decimal,
    holds: tuple[dict, dict],
) -> tuple[list[_Open], list[int]]:
    """The open invoices that may have a step due on `today`, and the ids of those among them
    that have a step.

    Those whose next step's earliest day under any of `policies` has come; those held (a
    promise broken has its own step); and, overdue below the threshold, those that may be
    proposed for write-off. The others cannot have a step due, and are not read.
    """
    columns = ("id", "customer_id", "number", "due_date", "open_amount", "total")
    first, after = _earliest_days(policies)
    rows: dict[int, _Open] = {}
    if first is not None:
        # Never stepped: from the first step's earliest day.
        stepped = InvoiceStep.objects.filter(invoice_id=OuterRef("pk")).exclude(
            kind__in=ASIDE_KINDS
        )
        for row in (
            open_invoices.filter(due_date__lte=today - datetime.timedelta(days=first))
            .filter(~Exists(stepped))
            .order_by()
            .values_list(*columns)
        ):
            rows[row[0]] = _Open(*row)
    fresh = set(rows)
    # Stepped: from the next level's earliest day, and its gap after the last step decided
    # (a step approved later went out later still).
    due_by = Q()
    if first is not None:
        due_by |= Q(level__isnull=True, due_date__lte=today - datetime.timedelta(days=first))
    for level, (offset, gap) in after.items():
        due_by |= Q(
            level=level,
            due_date__lte=today - datetime.timedelta(days=offset),
            last_on__lte=today - datetime.timedelta(days=gap),
        )
    more: list[int] = []
    if due_by:
        more = list(
            InvoiceStep.objects.filter(invoice__in=open_invoices)
            .exclude(kind__in=ASIDE_KINDS)
            .values("invoice_id")
            .annotate(
                due_date=Max("invoice__due_date"),
                level=Max("level", filter=Q(kind__in=dunning.LADDER_KINDS)),
                last_on=Max("decided_on"),
            )
            .filter(due_by)
            .order_by()
            .values_list("invoice_id", flat=True)
        )
    held_invoices, held_customers = holds
    wanted = [Q(pk__in=chunk) for chunk in _chunks(more)]
    wanted += [Q(pk__in=chunk) for chunk in _chunks(list(held_invoices))]
    wanted += [Q(customer_id__in=chunk) for chunk in _chunks(list(held_customers))]
    if minimum_open > 0:
        wanted.append(Q(open_amount__lt=minimum_open, due_date__lt=today))
    for query in wanted:
        for row in open_invoices.filter(query).order_by().values_list(*columns):
            rows.setdefault(row[0], _Open(*row))
    return [rows[key] for key in sorted(rows)], [key for key in rows if key not in fresh]


# Planning ----------------------------------------------------------------------------------


def plan(organization, *, today: datetime.date) -> Plan:
    """Everything the run would decide on `today`. Reads only."""
    config = settings_of(organization)
    send_days = send_days_of(config, (today.year, today.year + 1))
    result = Plan(today=today, is_send_day=send_days.is_send_day(today))
    # By state, which the open items' index holds: a count and a range of due dates read it alone.
    open_invoices = invoice_queries.open_invoices(organization)
    result.invoices_seen = open_invoices.count()
    if config.thank_early_payers and result.is_send_day:
        result.thanks = _early_payments(organization, today)
    if not result.invoices_seen or not result.is_send_day:
        return result
    schedules = schedules_of(organization, config.minimum_open_amount)
    holds = _holds(organization, today)
    rows, stepped = _candidates(
        open_invoices,
        schedules.all(),
        today,
        minimum_open=config.minimum_open_amount,
        holds=holds,
    )
    customers = {}
    for chunk in _chunks(sorted({row.customer_id for row in rows})):
        customers.update(
            (row[0], row)
            for row in Customer.objects.filter(pk__in=chunk).values_list(
                "id", "kind", "number", "name", "language", "sales_owner__email"
            )
        )

    def policy_for(customer_id: int) -> dunning.Policy:
        return schedules.for_customer(customer_id, customers[customer_id][1])

    progress = progress_of(organization, today, invoice_ids=stepped, holds=holds)
    item_of = progress.item

    proposed = set(
        InvoiceStep.objects.filter(
            organization=organization, kind=WRITE_OFF_PROPOSAL, invoice__open_amount__gt=0
        ).values_list("invoice_id", flat=True)
    )
    due: list[tuple[_Open, dunning.Outlook, dunning.Item, int | None]] = []
    for row in rows:
        policy = policy_for(row.customer_id)
        item, broken = item_of(row)
        found = dunning.outlook(item, policy, today)
        if found.is_due:
            due.append((row, found, item, broken))
        elif found.reason == dunning.BELOW_THRESHOLD and row.id not in proposed:
            result.write_offs.append((row.id, row.number, row.open_amount))
    if config.use_payment_habits:
        late_payers = sorted(
            {row.customer_id for row, found, _item, _broken in due if found.step.level > 0}
        )
        extra = {key: days for key, days in habit_days_of(late_payers).items() if days}
        if extra:
            again = []
            for row, found, item, broken in due:
                if row.customer_id in extra and found.step.level > 0:
                    item, broken = item_of(row, extra[row.customer_id])
                    found = dunning.outlook(item, policy_for(row.customer_id), today)
                    if not found.is_due:
                        continue
                again.append((row, found, item, broken))
            due = again
    per_customer_due: dict[int, list[PlannedInvoice]] = defaultdict(list)
    for row, found, item, broken in due:
        step = found.step
        level = step.level if step.kind != dunning.BROKEN_PROMISE else (item.reached_level or 0)
        per_customer_due[row.customer_id].append(
            PlannedInvoice(
                invoice_id=row.id,
                number=row.number,
                step=step,
                level=level,
                due_date=row.due_date,
                total=row.total,
                open_amount=row.open_amount,
                hold_id=broken if step.kind == dunning.BROKEN_PROMISE else None,
            )
        )
    contacts = _contacts(list(per_customer_due))
    consumer_notices = _consumer_notices(
        [
            item.invoice_id
            for customer_id, items in per_customer_due.items()
            if customers[customer_id][1] == "consumer"
            for item in items
        ]
    )
    for customer_id, items in per_customer_due.items():
        _id, _kind, number, name, language, owner_email = customers[customer_id]
        top = max(items, key=lambda item: (item.level, item.step.kind == dunning.BROKEN_PROMISE))
        if top.step.claims_interest_and_costs:
            items = _with_figures(customer_id, items, today, consumer_notices)
        result.messages.append(
            _addressed(
                PlannedMessage(
                    customer_id=customer_id,
                    customer_number=number,
                    customer_name=name,
                    language=language,
                    step=top.step,
                    level=top.level,
                    channels=top.step.channels,
                    send_on=today,
                    invoices=tuple(sorted(items, key=lambda item: (item.due_date, item.number))),
                    sales_owner_email=owner_email or "",
                ),
                contacts.get(customer_id, []),
            )
        )
    result.messages.sort(key=lambda message: (message.customer_number, message.customer_id))
    return result


@dataclass(frozen=True, slots=True)
class Next:
    """What comes next for one open invoice: the domain's outlook and the day it goes out."""

    outlook: dunning.Outlook
    send_on: datetime.date | None


def next_steps(organization, customer, *, today: datetime.date) -> dict[int, Next]:
    """What comes next for each open invoice of `customer`, decided as `plan` decides it: the
    customer's schedule, the levels reached, the holds, and its usual extra days. The send day
    is the first day the organization sends on from the day the step falls due."""
    config = settings_of(organization)
    rows = [
        _Open(*row)
        for row in Invoice.objects.filter(
            customer=customer, lifecycle="issued", kind="invoice", open_amount__gt=0
        ).values_list("id", "customer_id", "number", "due_date", "open_amount", "total")
    ]
    if not rows:
        return {}
    policy = schedules_of(
        organization, config.minimum_open_amount, customer_id=customer.pk
    ).for_customer(customer.pk, customer.kind)
    progress = progress_of(organization, today, customer_id=customer.pk)
    extra = habit_days_of([customer.pk]).get(customer.pk, 0) if config.use_payment_habits else 0
    send_days = send_days_of(config, (today.year, today.year + 1))
    found = {}
    for row in rows:
        # Extra days move only the steps after the due date, as in `plan`.
        item, _broken = progress.item(row, extra)
        outlook = dunning.outlook(item, policy, today)
        send_on = None
        if outlook.due_on is not None:
            send_on = send_days.first_on_or_after(max(outlook.due_on, today))
        found[row.id] = Next(outlook, send_on)
    return found


def _consumer_notices(invoice_ids: Sequence[int]) -> dict[int, datetime.date]:
    """The day the 14-day letter went out, for each consumer invoice that had one."""
    found = {}
    for chunk in _chunks(list(invoice_ids)):
        found.update(
            InvoiceStep.objects.filter(
                invoice_id__in=chunk, kind=dunning.CONSUMER_NOTICE
            ).values_list("invoice_id", "decided_on")
        )
    return found


def _with_figures(
    customer_id: int,
    items: list[PlannedInvoice],
    today: datetime.date,
    consumer_notices: dict[int, datetime.date],
) -> list[PlannedInvoice]:
    """Interest to date and collection costs on the invoices of a message whose step claims
    them, as the claim on the customer states them (`tegoed.domain.claim`): from the day after
    the due date for business and government debtors, for a consumer once the term of the
    14-day letter has passed (legal.md §6); nothing on an invoice not in default."""
    customer = Customer.objects.select_related("organization").get(pk=customer_id)
    invoices = Invoice.objects.filter(pk__in=[item.invoice_id for item in items])
    numbers = {invoice.number: invoice.pk for invoice in invoices}
    rows = claims.claim_invoices(invoices)
    if customer.kind == "consumer":
        # The 14-day letter's term puts a consumer in default and makes the costs due.
        rows = [
            replace(row, default_from=due_from, costs_due_from=due_from)
            if (sent_on := consumer_notices.get(numbers[row.number])) is not None
            and (due_from := default_notice.dates(sent_on).costs_due_from) is not None
            else row
            for row in rows
        ]
    terms = claims.terms_of(customer)
    stated = claim.compute(rows, terms=terms, on=today, rates=claims.rates_for(customer))
    figures = {
        numbers[line.number]: (line.interest_outstanding, line.costs_outstanding)
        for line in stated.invoices
        if line.in_default
    }
    return [
        replace(item, interest=figures[item.invoice_id][0], costs=figures[item.invoice_id][1])
        if item.invoice_id in figures
        else item
        for item in items
    ]


def _contacts(customer_ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for chunk in _chunks(list(customer_ids)):
        for customer_id, role, email in Contact.objects.filter(customer_id__in=chunk).values_list(
            "customer_id", "role", "email"
        ):
            if email:
                found[customer_id].append((role, email))
    return found


def _addressed(message: PlannedMessage, contacts: list[tuple[str, str]]) -> PlannedMessage:
    """Who the message goes to, and the channel when e-mail is not possible.

    Billing contacts first (any contact when there is none); escalation steps copy purchasing
    and management (seed 004). Without an e-mail address a letter goes instead.
    """
    billing = [email for role, email in contacts if role == "billing"]
    to = tuple(dict.fromkeys(billing or [email for _role, email in contacts]))
    cc: tuple[str, ...] = ()
    if message.step.kind in ESCALATION_KINDS:
        cc = tuple(
            dict.fromkeys(
                email
                for role, email in contacts
                if role in {"purchasing", "management"} and email not in to
            )
        )
    channels = message.channels
    note = ""
    if dunning.EMAIL in channels and not to:
        channels = tuple(
            dict.fromkeys(
                dunning.LETTER if channel == dunning.EMAIL else channel for channel in channels
            )
        )
        note = "no e-mail address: sent as a letter"
    return PlannedMessage(
        **{
            **{name: getattr(message, name) for name in PlannedMessage.__dataclass_fields__},
            "channels": channels,
            "recipients": to,
            "cc": cc,
            "note": note,
        }
    )


def _early_payments(organization, today: datetime.date) -> list[tuple[int, int]]:
    """Invoices settled in full before their due date in the last week, not yet thanked."""
    since = today - datetime.timedelta(days=7)
    rows = (
        Invoice.objects.filter(
            organization=organization,
            kind="invoice",
            state="paid",
            allocations__booked_on__gt=since,
        )
        .exclude(dunning_steps__kind=THANK_YOU)
        .annotate(settled_on=Max("allocations__booked_on"))
        .values_list("id", "customer_id", "due_date", "settled_on")
        .distinct()
    )
    return [
        (invoice_id, customer_id)
        for invoice_id, customer_id, due_date, settled_on in rows
        if due_date is not None and settled_on is not None and settled_on < due_date
    ]


# Writing the decisions ------------------------------------------------------------------


class RunBusy(Exception):
    """Another run of the same organization is under way."""


def message_id(public_id: uuid.UUID) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "tegoed.invalid"
    return f"<dunning.{public_id.hex}@{domain}>"


@contextmanager
def _organization_lock(organization) -> Iterator[None]:
    """Hold the organization's run lock for the whole run (PostgreSQL: an advisory lock; on
    SQLite every write transaction already holds the database's one write lock)."""
    if connection.vendor != "postgresql":
        yield
        return
    key = RUN_LOCK_BASE + organization.pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        if not cursor.fetchone()[0]:
            raise RunBusy(f"a run of {organization.slug} is under way")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def run_dunning(organization, *, today: datetime.date, dry_run: bool = False) -> Outcome:
    """Decide and record every step due on `today`. Safe to repeat and to interrupt."""
    if dry_run:
        return Outcome(plan(organization, today=today), None, 0)
    from tegoed.arrangements import daily as arrangements
    from tegoed.dunning.services import ensure_defaults

    ensure_defaults(organization)
    with _organization_lock(organization):
        # Promises and arrangements the bank data decided lift their holds before the plan.
        arrangements.review(organization, today=today)
        run = Run.objects.filter(organization=organization, on=today).first()
        if run is None:
            run, _created = Run.objects.get_or_create(organization=organization, on=today)
        planned = plan(organization, today=today)
        written = 0
        messages = planned.messages
        for start in range(0, max(len(messages), 1), CUSTOMERS_PER_BATCH):
            batch = messages[start : start + CUSTOMERS_PER_BATCH]
            extra = start == 0 and (planned.write_offs or planned.thanks)
            if batch or extra:
                written += _write(
                    organization,
                    run,
                    today,
                    batch,
                    planned.write_offs if extra else [],
                    planned.thanks if extra else [],
                )
        if written or run.state != RunState.DONE:
            Run.objects.filter(pk=run.pk).update(
                state=RunState.DONE,
                finished_at=timezone.now(),
                invoices_seen=planned.invoices_seen,
                steps_decided=run.steps_decided + written,
            )
            run.refresh_from_db()
    return Outcome(planned, run, written)


def _taken(invoice_ids: Sequence[int]) -> tuple[set, set, set]:
    """What is already recorded for these invoices: (invoice, level), (invoice, hold), (invoice,
    kind) — read under the organization's lock, so a step is never decided twice."""
    levels, promises, asides = set(), set(), set()
    for chunk in _chunks(list(invoice_ids)):
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


def _write(organization, run, today, messages, write_offs, thanks) -> int:
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
            contacts = _contacts(list(thanked))
            for customer_id, invoice_ids in thanked.items():
                to = [email for role, email in contacts.get(customer_id, []) if role == "billing"]
                to = to or [email for _role, email in contacts.get(customer_id, [])]
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

"""What the daily run reads of the ledger: the organization's settings and schedules, who has
which schedule, the holds, payment habits, the levels each open invoice reached, contacts.

Everything here reads; `planning` decides from it and `recording` writes the decisions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Max, Q
from django.db.models.functions import Coalesce

from tegoed.customers.models import Contact, Customer
from tegoed.domain import default_notice, dunning, habits
from tegoed.domain.schedule import SendDays
from tegoed.dunning import defaults
from tegoed.dunning.models import (
    DunningSettings,
    Hold,
    HoldReason,
    InvoiceStep,
    MessageState,
    Policy,
)
from tegoed.invoices.models import Invoice

# SQLite allows this many parameters in one statement, with room to spare.
IDS_PER_QUERY = 900
# Holds that ended longer ago than this cannot move a step any more.
HOLD_MEMORY_DAYS = 400
# Recorded once per invoice beside the ladder; they do not count as a step for the gaps.
THANK_YOU = "thank_you"
WRITE_OFF_PROPOSAL = "write_off"
ASIDE_KINDS = (THANK_YOU, WRITE_OFF_PROPOSAL)


def chunks(values: Sequence, size: int | None = None) -> Iterator[Sequence]:
    """`values` in slices small enough for one statement's parameters."""
    if size is None:
        size = IDS_PER_QUERY if connection.vendor == "sqlite" else 20 * IDS_PER_QUERY
    for start in range(0, len(values), size):
        yield values[start : start + size]


def send_days_of(config: DunningSettings, years: Iterable[int]) -> SendDays:
    """The organization's send days: its weekdays, without the public holidays of the
    Algemene termijnenwet and Good Friday (the days the 14-day letter's term skips too)."""
    days = {day for year in years for day in default_notice.public_holidays(year)}
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
class HoldSpan:
    id: int
    reason: str
    starts_on: datetime.date
    last_day: datetime.date | None
    lifted: bool

    def holds_on(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.last_day is None or day <= self.last_day)


def holds_of(
    organization, today: datetime.date, *, customer_id: int | None = None
) -> tuple[dict, dict]:
    """Recent holds by invoice id and, those on a whole customer, by customer id."""
    horizon = today - datetime.timedelta(days=HOLD_MEMORY_DAYS)
    per_invoice: dict[int, list[HoldSpan]] = defaultdict(list)
    per_customer: dict[int, list[HoldSpan]] = defaultdict(list)
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
        hold = HoldSpan(
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
    for chunk in chunks(list(customer_ids)):
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
class Open:
    id: int
    customer_id: int
    number: str
    due_date: datetime.date | None
    open_amount: Decimal
    # The day stored for the run to look at it again; None while it has none.
    look_on: datetime.date | None = None
    # The customer's kind, which chooses its default schedule.
    kind: str = ""


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
    holds_per_invoice: dict[int, list[HoldSpan]]
    holds_per_customer: dict[int, list[HoldSpan]]
    answered: set[tuple[int, int]]

    def item(self, row: Open, extra_days: int = 0) -> tuple[dunning.Item, int | None]:
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
    reached, awaiting, answered = {}, set(), set()
    if invoice_ids is not None:
        # A few invoices, known to be open: their steps by the invoice's index, summed up here.
        for chunk in chunks(list(invoice_ids)):
            for invoice_id, kind, level, decided_on, send_on, state, hold_id in (
                InvoiceStep.objects.filter(invoice_id__in=chunk)
                .order_by()
                .values_list(
                    "invoice_id",
                    "kind",
                    "level",
                    "decided_on",
                    "message__send_on",
                    "message__state",
                    "hold_id",
                )
            ):
                top, last_on = reached.get(invoice_id, (None, None))
                if kind in dunning.LADDER_KINDS and (top is None or level > top):
                    top = level
                if kind not in ASIDE_KINDS:
                    # The day the step went out: the day decided, or later, the day approved.
                    day = send_on or decided_on
                    if last_on is None or day > last_on:
                        last_on = day
                reached[invoice_id] = (top, last_on)
                if state == MessageState.AWAITING_APPROVAL:
                    awaiting.add(invoice_id)
                if kind == dunning.BROKEN_PROMISE:
                    answered.add((invoice_id, hold_id))
    else:
        steps = InvoiceStep.objects.filter(organization=organization, invoice__open_amount__gt=0)
        if customer_id is not None:
            steps = steps.filter(invoice__customer_id=customer_id)
        reached.update(
            (invoice_id, (level, last_on))
            for invoice_id, level, last_on in steps.values_list("invoice_id").annotate(
                level=Max("level", filter=Q(kind__in=dunning.LADDER_KINDS)),
                last_on=Max(
                    Coalesce("message__send_on", "decided_on"), filter=~Q(kind__in=ASIDE_KINDS)
                ),
            )
        )
        awaiting.update(
            steps.filter(message__state=MessageState.AWAITING_APPROVAL).values_list(
                "invoice_id", flat=True
            )
        )
        answered.update(
            steps.filter(kind=dunning.BROKEN_PROMISE).values_list("invoice_id", "hold_id")
        )
    if holds is None:
        holds = holds_of(organization, today, customer_id=customer_id)
    holds_per_invoice, holds_per_customer = holds
    return Progress(today, reached, awaiting, holds_per_invoice, holds_per_customer, answered)


def consumer_notices(invoice_ids: Sequence[int]) -> dict[int, datetime.date]:
    """The day the (first) 14-day letter went out, for each consumer invoice that had one."""
    found: dict[int, datetime.date] = {}
    for chunk in chunks(list(invoice_ids)):
        for invoice_id, sent_on in InvoiceStep.objects.filter(
            invoice_id__in=chunk, kind=dunning.CONSUMER_NOTICE
        ).values_list("invoice_id", "decided_on"):
            found[invoice_id] = min(sent_on, found.get(invoice_id, sent_on))
    return found


def contacts(customer_ids: Sequence[int], *, organization=None) -> dict[int, list[tuple[str, str]]]:
    """(role, e-mail) of each customer's contacts; read for the whole `organization` when
    given (many customers: one read instead of thousands of ids)."""
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    columns = ("customer_id", "role", "email")
    if organization is not None:
        wanted = set(customer_ids)
        rows = Contact.objects.filter(customer__organization=organization).values_list(*columns)
        parts = [row for row in rows.iterator(20_000) if row[0] in wanted]
    else:
        parts = [
            row
            for chunk in chunks(list(customer_ids))
            for row in Contact.objects.filter(customer_id__in=chunk).values_list(*columns)
        ]
    for customer_id, role, email in parts:
        if email:
            found[customer_id].append((role, email))
    return found


def early_payments(organization, today: datetime.date) -> list[tuple[int, int]]:
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

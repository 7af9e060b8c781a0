"""Planning the daily run: which step each open invoice has due on a date, gathered into one
message per customer. Reads only, so `--dry-run` is the plan printed.

The invoices looked at are those `checks.candidates` names: the ones whose next step may have
come, not every open invoice. Each is asked `tegoed.domain.dunning.outlook` what is due under
its customer's schedule, holds and payment habits. Beside the steps the plan says, for each
invoice it looked at, the day the run needs to look at it again (`look_on`), which the writer
stores with the step or on its own.

One message per customer per run lists every invoice with a step due, each at its own level;
the message speaks in the voice of the highest of those steps.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from tegoed.claims import queries as claims
from tegoed.customers.models import Customer
from tegoed.domain import discount, dunning
from tegoed.domain.money import ZERO
from tegoed.dunning import checks
from tegoed.dunning.models import InvoiceStep
from tegoed.dunning.reading import (
    WRITE_OFF_PROPOSAL,
    Open,
    chunks,
    contacts,
    early_payments,
    habit_days_of,
    holds_of,
    progress_of,
    schedules_of,
    send_days_of,
    settings_of,
)
from tegoed.invoices import queries as invoice_queries
from tegoed.invoices.models import Invoice

# Escalation steps write to purchasing and management too (seed 004).
ESCALATION_KINDS = dunning.FORMAL_KINDS
# Above this many invoices looked at, their levels are read for the whole organization at once.
WHOLE_ORGANIZATION = 50_000

# What the run decides ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedInvoice:
    invoice_id: int
    number: str
    step: dunning.Step
    level: int
    due_date: datetime.date
    open_amount: Decimal
    interest: Decimal = ZERO
    costs: Decimal = ZERO
    hold_id: int | None = None
    # The day to look at the invoice again once this step is recorded; whether it has a row.
    look_on: datetime.date = datetime.date.max
    checked: bool = False


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
    # (invoice id, day, whether it has a row): the day to look again at an invoice looked at
    # without a step due, where it differs from the day stored; and the settled ones.
    looks: list[tuple[int, datetime.date, bool]] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    # The schedules' earliest days, when every open invoice was looked at under them.
    basis: str | None = None
    top_id: int = 0


# Planning ----------------------------------------------------------------------------------


def plan(organization, *, today: datetime.date) -> Plan:
    """Everything the run would decide on `today`. Reads only."""
    config = settings_of(organization)
    send_days = send_days_of(config, (today.year, today.year + 1))
    result = Plan(today=today, is_send_day=send_days.is_send_day(today))
    if config.thank_early_payers and result.is_send_day:
        result.thanks = early_payments(organization, today)
    if not result.is_send_day:
        return result
    schedules = schedules_of(organization, config.minimum_open_amount)
    earliest = dunning.earliest(schedules.all())
    basis = checks.basis_of(earliest)
    holds = holds_of(organization, today)
    found = checks.candidates(
        organization,
        today,
        config=config,
        basis=basis,
        holds=holds,
        minimum_open=config.minimum_open_amount,
    )
    result.top_id = found.top_id
    result.basis = basis if found.full else None
    result.closed = found.closed
    result.looks.extend((invoice_id, checks.EVERY_RUN, False) for invoice_id in found.drafts)

    def policy_for(row: Open) -> dunning.Policy:
        return schedules.for_customer(row.customer_id, row.kind)

    ids = None if found.full else [row.id for row in found.rows]
    progress = progress_of(
        organization,
        today,
        invoice_ids=None if ids is None or len(ids) > WHOLE_ORGANIZATION else ids,
        holds=holds,
    )
    item_of = progress.item

    # (invoice, step, level reached before it, broken promise's hold): rows looked at and not
    # due are let go as they are read, so a first run holds only what it decides.
    due: list[tuple[Open, dunning.Step, int | None, int | None]] = []
    waiting = _awaiting_discount(organization, today, ids)
    tomorrow = today + datetime.timedelta(days=1)
    for row in found.rows:
        result.invoices_seen += 1
        if row.id in waiting:
            # Paid less the discount while it may still be taken: the difference is not
            # chased; the invoice is read again on the next day.
            if row.look_on is None or row.look_on < tomorrow:
                result.looks.append((row.id, tomorrow, row.look_on is not None))
            continue
        item, broken = item_of(row)
        found_now = dunning.outlook(item, policy_for(row), today)
        if found_now.is_due:
            due.append((row, found_now.step, item.reached_level, broken))
            continue
        if found_now.reason == dunning.BELOW_THRESHOLD:
            result.write_offs.append((row.id, row.number, row.open_amount))
        _look(result, earliest, row, (item.reached_level, item.last_step_on))
    result.write_offs = _not_proposed(result.write_offs)
    if config.use_payment_habits:
        late_payers = sorted({row.customer_id for row, step, _level, _hold in due if step.level})
        extra = {key: days for key, days in habit_days_of(late_payers).items() if days}
        if extra:
            again = []
            for row, step, reached_level, broken in due:
                if row.customer_id in extra and step.level > 0:
                    item, broken = item_of(row, extra[row.customer_id])
                    found_now = dunning.outlook(item, policy_for(row), today)
                    if not found_now.is_due:
                        _look(result, earliest, row, (item.reached_level, item.last_step_on))
                        continue
                    step = found_now.step
                again.append((row, step, reached_level, broken))
            due = again
    per_customer_due: dict[int, list[PlannedInvoice]] = defaultdict(list)
    while due:
        # Taken from the end, so each row is let go as its planned step is made.
        row, step, reached_level, broken = due.pop()
        promise = step.kind == dunning.BROKEN_PROMISE
        level = (reached_level or 0) if promise else step.level
        per_customer_due[row.customer_id].append(
            PlannedInvoice(
                invoice_id=row.id,
                number=row.number,
                step=step,
                level=level,
                due_date=row.due_date,
                open_amount=row.open_amount,
                hold_id=broken if promise else None,
                look_on=checks.look_on(earliest, row, (reached_level if promise else level, today)),
                checked=row.look_on is not None,
            )
        )
    del found, due, progress
    many = len(per_customer_due) > WHOLE_ORGANIZATION // 10
    customers = _customers(organization if many else None, list(per_customer_due))
    addresses = contacts(list(per_customer_due), organization=organization if many else None)

    def top_of(items: list[PlannedInvoice]) -> PlannedInvoice:
        return max(items, key=lambda item: (item.level, item.step.kind == dunning.BROKEN_PROMISE))

    for customer_id, items in per_customer_due.items():
        number, name, language, owner_email = customers[customer_id]
        top = top_of(items)
        if top.step.claims_interest_and_costs:
            items = _with_figures(customer_id, items, today)
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
                addresses.get(customer_id, []),
            )
        )
    result.messages.sort(key=lambda message: (message.customer_number, message.customer_id))
    return result


def _not_proposed(below: list[tuple[int, str, Decimal]]) -> list[tuple[int, str, Decimal]]:
    """The invoices below the threshold not yet proposed for write-off."""
    proposed = set()
    for chunk in chunks([invoice_id for invoice_id, _number, _open in below]):
        proposed.update(
            InvoiceStep.objects.filter(invoice_id__in=chunk, kind=WRITE_OFF_PROPOSAL).values_list(
                "invoice_id", flat=True
            )
        )
    return [row for row in below if row[0] not in proposed]


def _customers(organization, customer_ids: list[int]) -> dict[int, tuple]:
    """(number, name, language, sales owner's e-mail) of each customer; read for the whole
    `organization` when given (many customers: one read instead of thousands of ids)."""
    columns = ("id", "number", "name", "language", "sales_owner__email")
    if organization is not None:
        rows = Customer.objects.filter(organization=organization).values_list(*columns)
        wanted = set(customer_ids)
        return {row[0]: row[1:] for row in rows.iterator(20_000) if row[0] in wanted}
    found = {}
    for chunk in chunks(sorted(customer_ids)):
        found.update(
            (row[0], row[1:]) for row in Customer.objects.filter(pk__in=chunk).values_list(*columns)
        )
    return found


def _awaiting_discount(organization, today: datetime.date, ids: list[int] | None) -> set[int]:
    """Open invoices (among `ids` when given) of which only their early-payment discount is
    open while it may still be taken. Their discount period ends by the due date, so only
    recent due dates are read."""
    found = (
        invoice_queries.open_invoices(organization)
        .filter(due_date__gte=today - datetime.timedelta(days=discount.GRACE_DAYS))
        .filter(invoice_queries.awaiting_discount(today))
    )
    if ids is None:
        return set(found.values_list("id", flat=True))
    return {
        invoice_id
        for chunk in chunks(ids)
        for invoice_id in found.filter(pk__in=chunk).values_list("id", flat=True)
    }


def _look(result: Plan, earliest: dunning.Earliest, row: Open, reached) -> None:
    """Note the day to look at `row` again when it is not the day stored: not before tomorrow,
    since it was looked at today (docs/decisions/0502)."""
    day = max(checks.look_on(earliest, row, reached), result.today + datetime.timedelta(days=1))
    if day != row.look_on:
        result.looks.append((row.id, day, row.look_on is not None))


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
        Open(*row)
        for row in Invoice.objects.filter(
            customer=customer, lifecycle="issued", kind="invoice", open_amount__gt=0
        )
        .exclude(invoice_queries.awaiting_discount(today))
        .values_list("id", "customer_id", "number", "due_date", "open_amount")
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


def _with_figures(
    customer_id: int,
    items: list[PlannedInvoice],
    today: datetime.date,
) -> list[PlannedInvoice]:
    """Interest to date and collection costs on the invoices of a message whose step claims
    them, as the claim on the customer states them (`tegoed.domain.claim`): from the day after
    the due date for business and government debtors, for a consumer once the term of the
    14-day letter has passed (legal.md §6); nothing on an invoice not in default."""
    customer = Customer.objects.select_related("organization").get(pk=customer_id)
    invoices = list(Invoice.objects.filter(pk__in=[item.invoice_id for item in items]))
    numbers = {invoice.number: invoice.pk for invoice in invoices}
    # With the history (tegoed.claims.history): the 14-day letter's term puts a consumer in
    # default and makes the costs due; waived or simple interest and a judgment count too.
    stated = claims.claim_of(customer, on=today, invoices=invoices)
    figures = {
        numbers[line.number]: (
            line.interest_outstanding + line.costs_interest_outstanding,
            line.costs_outstanding,
        )
        for line in stated.invoices
        if line.in_default
    }
    return [
        replace(item, interest=figures[item.invoice_id][0], costs=figures[item.invoice_id][1])
        if item.invoice_id in figures
        else item
        for item in items
    ]


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

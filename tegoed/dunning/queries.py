"""Reads of the reminder screens, and the access functions their views use.

Every object a view acts on is fetched through a `get_<thing>_for_user()` function that checks
the user's membership of the organization the object belongs to (404 otherwise); a salesperson
sees only the customers they look after, as on the customer pages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from tegoed.accounts.queries import require_membership
from tegoed.customers.models import Customer
from tegoed.domain import dunning
from tegoed.dunning.models import (
    Attachment,
    CallState,
    CallTask,
    Delivery,
    Hold,
    InvoiceStep,
    Message,
    MessageState,
    Policy,
    Run,
    StepKind,
)
from tegoed.dunning.run import next_steps
from tegoed.invoices.models import Invoice, InvoiceKind
from tegoed.invoices.queries import OPEN_STATES

# Longest list a section of the day's page shows; the rest is counted.
SECTION_SIZE = 100
# Delivery reports that mean the message did not reach anyone.
UNDELIVERED = (Delivery.BOUNCED, Delivery.REJECTED, Delivery.COMPLAINED)


def _scoped(queryset: QuerySet, membership, user, field: str = "customer") -> QuerySet:
    """A salesperson's view: only the customers they look after."""
    if membership.role == "sales":
        return queryset.filter(**{f"{field}__sales_owner": user})
    return queryset


def get_message_for_user(user, organization, public_id) -> Message:
    membership = require_membership(user, organization)
    found = Message.objects.filter(organization=organization).select_related(
        "customer", "organization"
    )
    try:
        return _scoped(found, membership, user).get(public_id=public_id)
    except (Message.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_attachment_for_user(user, organization, message_public_id, number: int) -> Attachment:
    """The `number`-th file (from 1) that went out with the message."""
    message = get_message_for_user(user, organization, message_public_id)
    files = list(message.attachments.order_by("id"))
    if not 1 <= number <= len(files):
        raise Http404
    return files[number - 1]


def get_call_for_user(user, organization, pk) -> CallTask:
    membership = require_membership(user, organization)
    found = CallTask.objects.filter(organization=organization).select_related("customer")
    try:
        return _scoped(found, membership, user).get(pk=pk)
    except (CallTask.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_hold_for_user(user, organization, pk) -> Hold:
    membership = require_membership(user, organization)
    found = Hold.objects.filter(organization=organization).select_related("customer", "invoice")
    try:
        return _scoped(found, membership, user).get(pk=pk)
    except (Hold.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_policy_for_user(user, organization, public_id) -> Policy:
    require_membership(user, organization)
    try:
        return Policy.objects.filter(organization=organization).get(public_id=public_id)
    except (Policy.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# The day's run ----------------------------------------------------------------------------


@dataclass
class Section:
    """A list on the day's page: the first rows and how many there are in all."""

    rows: list
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


def _section(queryset: QuerySet, prepare=list) -> Section:
    rows = prepare(list(queryset[:SECTION_SIZE]))
    count = len(rows) if len(rows) < SECTION_SIZE else queryset.count()
    return Section(rows, count)


def _decisions(awaiting: QuerySet[Message]) -> Section:
    """One row per decision: the message to the customer, with the others that are approved or
    skipped together with it (the letter beside the e-mail, the sales owner's note) in
    `together`."""
    groups: dict = {}
    for message in awaiting.order_by("send_on", "id")[: SECTION_SIZE * 3]:
        groups.setdefault(message.decision or message.pk, []).append(message)
    rows = []
    for group in list(groups.values())[:SECTION_SIZE]:
        lead = next((message for message in group if not message.internal), group[0])
        lead.together = [message for message in group if message is not lead]
        rows.append(lead)
    _with_invoices(rows)
    count = (
        awaiting.filter(decision__isnull=True).count()
        + awaiting.filter(decision__isnull=False).order_by().values("decision").distinct().count()
    )
    return Section(rows, count)


def _messages(organization, membership, user) -> QuerySet[Message]:
    found = Message.objects.filter(organization=organization).select_related("customer")
    return _scoped(found, membership, user)


def _with_invoices(rows: list[Message]) -> list[Message]:
    """Each message with the invoices' steps it carries, in `carried`: its own, or those of
    its decision (one message of a decision records the steps for all)."""
    ids = [message.pk for message in rows]
    decisions = [message.decision for message in rows if message.decision is not None]
    carried = (
        InvoiceStep.objects.filter(Q(message_id__in=ids) | Q(message__decision__in=decisions))
        .select_related("invoice", "message")
        .order_by("invoice__due_date", "id")
    )
    by_message: dict = {}
    by_decision: dict = {}
    for step in carried:
        by_message.setdefault(step.message_id, []).append(step)
        if step.message.decision is not None:
            by_decision.setdefault(step.message.decision, []).append(step)
    for message in rows:
        message.carried = (
            by_decision.get(message.decision, [])
            if message.decision is not None
            else by_message.get(message.pk, [])
        )
    return rows


@dataclass
class Day:
    run: Run | None
    awaiting: Section
    troubles: Section
    to_send: Section
    sent: Section
    calls: int
    write_offs: Section
    letters: int


def day_of(organization, membership, user, *, today: datetime.date) -> Day:
    """The day's page: what waits for approval, what failed or may have gone out, what waits
    to be sent, what went out today, the calls to make and the proposed write-offs."""
    messages = _messages(organization, membership, user)
    trouble = Q(state__in=[MessageState.FAILED, MessageState.UNCERTAIN]) | Q(
        state=MessageState.PENDING
    ) & ~Q(error="")
    sent_today = messages.filter(state=MessageState.SENT, send_on=today)
    return Day(
        run=Run.objects.filter(organization=organization, on=today).first(),
        awaiting=_decisions(messages.filter(state=MessageState.AWAITING_APPROVAL)),
        troubles=_section(
            messages.filter(trouble).order_by("-send_on", "id"), prepare=_with_invoices
        ),
        to_send=_section(
            messages.filter(state=MessageState.PENDING, error="").order_by("send_on", "id")
        ),
        sent=_section(sent_today.order_by("customer__name", "id"), prepare=_with_invoices),
        calls=open_calls(organization, membership, user, today=today).count(),
        write_offs=_section(write_off_proposals(organization, membership, user)),
        letters=sent_today.filter(channel="letter").count(),
    )


def open_calls(organization, membership, user, *, today: datetime.date) -> QuerySet[CallTask]:
    """The calls to make today, the oldest first, with their customer."""
    calls = CallTask.objects.filter(
        organization=organization, state=CallState.OPEN, due_on__lte=today
    ).select_related("customer")
    return _scoped(calls, membership, user).order_by("due_on", "id")


def write_off_proposals(organization, membership, user) -> QuerySet[InvoiceStep]:
    """Invoices the run proposed for write-off (below the threshold) that are still open."""
    steps = InvoiceStep.objects.filter(
        organization=organization, kind=StepKind.WRITE_OFF, invoice__open_amount__gt=0
    ).select_related("invoice", "invoice__customer")
    return _scoped(steps, membership, user, "invoice__customer").order_by("-decided_on", "id")


# The call list -----------------------------------------------------------------------------


@dataclass
class CallCard:
    """What the caller needs: who, their phone numbers, what is open, the last contact and
    what was promised."""

    call: CallTask
    phones: list[tuple[str, str]]
    invoices: list[Invoice]
    last_contact: str
    last_contact_on: datetime.datetime | None
    promise: CallTask | None


def _latest(model, customer_ids, order: str, **conditions) -> dict:
    """Each customer's latest row of `model` by `order`, in two queries."""
    from tegoed.customers.models import Customer

    newest = (
        model.objects.filter(customer_id=OuterRef("pk"), **conditions)
        .order_by(f"-{order}", "-pk")
        .values("pk")[:1]
    )
    chosen = dict(
        Customer.objects.filter(pk__in=customer_ids)
        .annotate(latest=Subquery(newest))
        .exclude(latest=None)
        .values_list("pk", "latest")
    )
    rows = model.objects.in_bulk(list(chosen.values()))
    return {customer_id: rows[pk] for customer_id, pk in chosen.items()}


def call_cards(calls: list[CallTask]) -> list[CallCard]:
    """The call list's cards, read in a fixed number of queries however long the list."""
    customer_ids = list({call.customer_id for call in calls})
    if not customer_ids:
        return []
    from tegoed.customers.models import Contact, Note

    phones: dict[int, list[tuple[str, str]]] = {}
    for contact in Contact.objects.filter(customer_id__in=customer_ids).exclude(phone=""):
        phones.setdefault(contact.customer_id, []).append((contact.name, contact.phone))
    invoices: dict[int, list[Invoice]] = {}
    for invoice in Invoice.objects.filter(
        customer_id__in=customer_ids, lifecycle="issued", kind="invoice", open_amount__gt=0
    ).order_by("due_date", "number"):
        invoices.setdefault(invoice.customer_id, []).append(invoice)
    sent = _latest(Message, customer_ids, "sent_at", state=MessageState.SENT, internal=False)
    notes = _latest(Note, customer_ids, "created_at")
    called = _latest(CallTask, customer_ids, "done_at", state=CallState.DONE)
    promised = _latest(CallTask, customer_ids, "done_at", promise_on__isnull=False)
    cards = []
    for call in calls:
        customer_id = call.customer_id
        contacts = []
        if customer_id in sent:
            message = sent[customer_id]
            subject = message.subject or message.get_kind_display()
            contacts.append((message.sent_at, f"{message.get_channel_display()}: {subject}"))
        if customer_id in notes:
            contacts.append((notes[customer_id].created_at, notes[customer_id].text))
        if customer_id in called:
            contacts.append((called[customer_id].done_at, called[customer_id].result_notes))
        when, text = max(contacts, key=lambda pair: pair[0]) if contacts else (None, "")
        cards.append(
            CallCard(
                call=call,
                phones=phones.get(customer_id, []),
                invoices=invoices.get(customer_id, []),
                last_contact=text,
                last_contact_on=when,
                promise=promised.get(customer_id),
            )
        )
    return cards


# One customer, one invoice ---------------------------------------------------------------


@dataclass
class Upcoming:
    invoice: Invoice
    outlook: object
    send_on: datetime.date | None
    # The hold that pauses the invoice today, if any: the one that ends last.
    hold: Hold | None = None


def upcoming(customer, *, today: datetime.date, invoice=None) -> list[Upcoming]:
    """What happens next, and when, for each open invoice of the customer (or one invoice)."""
    found = next_steps(customer.organization, customer, today=today)
    invoices = Invoice.objects.filter(pk__in=list(found)).order_by("due_date", "number")
    if invoice is not None:
        invoices = invoices.filter(pk=invoice.pk)
    holding = [
        hold
        for hold in Hold.objects.filter(customer=customer, lifted_at__isnull=True)
        if hold.held_on(today)
    ]
    holding.sort(key=lambda hold: (hold.ends_on is None, hold.ends_on or today))

    def hold_of(row):
        return next((hold for hold in reversed(holding) if hold.invoice_id in (None, row.pk)), None)

    return [
        Upcoming(row, found[row.pk].outlook, found[row.pk].send_on, hold_of(row))
        for row in invoices
    ]


def holds_of(customer, *, invoice=None) -> QuerySet[Hold]:
    """The customer's holds (on the customer and on its invoices), or those on one invoice and
    the customer's own; the current ones first."""
    holds = Hold.objects.filter(customer=customer).select_related("invoice", "set_by", "lifted_by")
    if invoice is not None:
        holds = holds.filter(Q(invoice=invoice) | Q(invoice__isnull=True))
    return holds.order_by("lifted_at", "-starts_on", "-id")


def delivery_failures(customer, *, invoice=None) -> QuerySet[Message]:
    """Messages that did not reach the customer: bounced, blocked, marked as spam, failed."""
    failures = Message.objects.filter(customer=customer).filter(
        Q(delivery__in=UNDELIVERED) | Q(state=MessageState.FAILED)
    )
    if invoice is not None:
        failures = failures.filter(steps__invoice=invoice).distinct()
    return failures.order_by("-send_on", "-id")


def steps_of(invoice) -> QuerySet[InvoiceStep]:
    """The reminder steps an invoice reached, with the message that carried each."""
    return (
        InvoiceStep.objects.filter(invoice=invoice)
        .select_related("message")
        .order_by("decided_on", "id")
    )


@dataclass(frozen=True)
class LogEntry:
    """One line of a customer's communication log."""

    at: datetime.datetime
    kind: str  # "email", "letter", "call" or "note"
    message: Message | None = None
    call: CallTask | None = None
    note: object = None


LOG_SIZE = 200


def communication_log(customer) -> list[LogEntry]:
    """Every e-mail and letter that went out (or was decided), every call and every note,
    newest first."""
    entries = [
        LogEntry(message.sent_at or message.created_at, message.channel, message=message)
        for message in Message.objects.filter(customer=customer)
        .exclude(state=MessageState.SKIPPED)
        .prefetch_related("attachments")
        .order_by("-created_at")[:LOG_SIZE]
    ]
    entries += [
        LogEntry(call.done_at, "call", call=call)
        for call in CallTask.objects.filter(customer=customer, state=CallState.DONE)
        .select_related("done_by")
        .order_by("-done_at")[:LOG_SIZE]
    ]
    entries += [
        LogEntry(note.created_at, "note", note=note)
        for note in customer.timeline.select_related("author").order_by("-created_at")[:LOG_SIZE]
    ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:LOG_SIZE]


# Schedules --------------------------------------------------------------------------------


def policies(organization) -> QuerySet[Policy]:
    """The defaults per kind of customer first, then the own schedules by name."""
    from django.db.models import Case, IntegerField, Value, When

    return (
        Policy.objects.filter(organization=organization)
        .prefetch_related("steps", "customers", "tags")
        .annotate(
            own=Case(
                When(default_for="", then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("own", "name")
    )


def customers_of(policy: Policy) -> QuerySet[Customer]:
    """The customers a schedule applies to: those given it, those with one of its tags and
    no schedule of their own, and for a default schedule those of its kind with neither."""
    organization_customers = Customer.objects.filter(organization_id=policy.organization_id)
    own = Q(dunning_policies__isnull=False)
    tagged = Q(tags__dunning_policies__isnull=False)
    wanted = Q(pk__in=policy.customers.values("pk"))
    wanted |= Q(tags__in=policy.tags.all()) & ~Q(
        pk__in=organization_customers.filter(own).values("pk")
    )
    if policy.default_for:
        wanted |= Q(kind=policy.default_for) & ~Q(
            pk__in=organization_customers.filter(own | tagged).values("pk")
        )
    return organization_customers.filter(wanted).distinct()


def under_way(policy: Policy, *, from_level: int) -> int:
    """How many open invoices on the schedule have reached level `from_level` or a later one:
    those whose next step a change of the ladder at that level moves (docs/decisions/0503)."""
    return (
        InvoiceStep.objects.filter(
            invoice__customer__in=customers_of(policy),
            invoice__kind=InvoiceKind.INVOICE,
            invoice__state__in=OPEN_STATES,
            kind__in=dunning.LADDER_KINDS,
            level__gte=from_level,
        )
        .values("invoice_id")
        .distinct()
        .count()
    )

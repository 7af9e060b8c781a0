"""What an invoice's history adds to its claim: the facts the ledger alone does not hold.

`with_history(customer, invoices, rows, on=day)` takes the claim's invoices
(`queries.claim_invoices`) and adds, each from where it is recorded:

* **Limitation** (docs/legal.md, Limitation): every written reminder sent about the invoice
  (art. 3:317 BW), every payment arrangement over it (an acknowledgement, art. 3:318 BW), a
  summons (art. 3:316 BW) and a judgment (art. 3:324 BW) recorded as stages of its hand-over.
  A reminder counts from the day it was sent: it cannot have reached the debtor earlier, so
  the last day shown is never later than the true one (decision 0110).
* **A consumer's 14-day letter**: the day after its term the consumer is in default and owes
  the costs (art. 6:96 lid 6 BW; the dates of decision 0105).
* **A judgment**: what it awarded becomes the principal (`claim.Judgment`), divided over the
  hand-over's invoices in proportion to their claims on its day when the court awarded a sum
  for all of them.
* **A broken payment arrangement** of an organization that waives interest: no interest
  through the day it broke; while one runs under a waiver, none at all.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from tegoed.arrangements.models import Arrangement, ArrangementState
from tegoed.arrangements.queries import acknowledgements
from tegoed.collections.models import Stage, StageKind
from tegoed.domain import claim, default_notice, dunning, limitation, money
from tegoed.domain.installments import add_months
from tegoed.dunning import reading
from tegoed.dunning.models import Delivery, InvoiceStep, MessageState
from tegoed.invoices.models import Invoice, InvoiceKind, Lifecycle

# Steps whose message is a written reminder or demand (art. 3:317 lid 1 BW).
WRITTEN = (
    dunning.REMINDER,
    dunning.FORMAL_DEMAND,
    dunning.CONSUMER_NOTICE,
    dunning.FINAL_NOTICE,
    dunning.HANDOVER_PROPOSAL,
    dunning.BROKEN_PROMISE,
)
NOT_RECEIVED = (Delivery.BOUNCED, Delivery.REJECTED)


def reminders(invoice_ids: Sequence[int]) -> dict[int, list[limitation.Event]]:
    """Per invoice, the days a written reminder about it was sent and not bounced."""
    found: dict[int, list[limitation.Event]] = defaultdict(list)
    rows = (
        InvoiceStep.objects.filter(
            invoice_id__in=invoice_ids,
            kind__in=WRITTEN,
            message__state=MessageState.SENT,
            message__internal=False,
        )
        .exclude(message__delivery__in=NOT_RECEIVED)
        .values_list("invoice_id", "message__send_on", "kind")
        .order_by("message__send_on")
    )
    for invoice_id, sent_on, kind in rows:
        found[invoice_id].append(limitation.Event(sent_on, limitation.REMINDER, kind))
    return found


def court_stages(invoice_ids: Sequence[int]) -> dict[int, list[Stage]]:
    """Per invoice, the summons and judgments recorded on its hand-overs, oldest first."""
    found: dict[int, list[Stage]] = defaultdict(list)
    stages = (
        Stage.objects.filter(
            kind__in=(StageKind.SUMMONS, StageKind.JUDGMENT),
            handover__invoices__id__in=invoice_ids,
        )
        .select_related("handover")
        .prefetch_related("handover__invoices")
        .order_by("on", "id")
        .distinct()
    )
    for stage in stages:
        for invoice in stage.handover.invoices.all():
            if invoice.pk in invoice_ids:
                found[invoice.pk].append(stage)
    return found


def consumer_notices(invoice_ids: Sequence[int]) -> dict[int, datetime.date]:
    """Per consumer invoice with a 14-day letter: the first day the costs are owed."""
    return {
        invoice_id: default_notice.dates(sent_on).costs_due_from
        for invoice_id, sent_on in reading.consumer_notices(invoice_ids).items()
    }


def waivers(invoice_ids: Sequence[int], on: datetime.date) -> dict[int, datetime.date]:
    """Per invoice, the last day without interest under an arrangement that waives it."""
    found: dict[int, datetime.date] = {}
    for invoice_id, state, ended_on in Arrangement.objects.filter(
        invoices__id__in=invoice_ids, waives_interest=True, agreed_on__lte=on
    ).values_list("invoices__id", "state", "ended_on"):
        if state == ArrangementState.BROKEN and ended_on is not None:
            until = min(ended_on, on)
        elif state == ArrangementState.ACTIVE:
            until = on
        else:
            continue
        found[invoice_id] = max(until, found.get(invoice_id, until))
    return found


def events_of(
    invoices: Sequence, court: dict[int, list[Stage]] | None = None
) -> dict[int, tuple[limitation.Event, ...]]:
    """Per invoice, what interrupted its limitation from the day it became payable: written
    reminders, acknowledgements, a summons, a judgment."""
    ids = [invoice.pk for invoice in invoices]
    sent = reminders(ids)
    court = court_stages(ids) if court is None else court
    agreed = acknowledgements(invoices)
    found = {}
    for invoice in invoices:
        payable = invoice.due_date or invoice.issue_date
        events = [e for e in sent.get(invoice.pk, ()) if e.on >= payable]
        events += agreed.get(invoice.number, ())
        for stage in court.get(invoice.pk, ()):
            if stage.on >= payable:
                kind = (
                    limitation.SUMMONS if stage.kind == StageKind.SUMMONS else limitation.JUDGMENT
                )
                events.append(limitation.Event(stage.on, kind, stage.kind))
        found[invoice.pk] = tuple(events)
    return found


def with_history(
    customer, invoices: Sequence, rows: Sequence[claim.Invoice], *, on: datetime.date
) -> list[claim.Invoice]:
    """`rows` (the claim's view of `invoices`, in the same order) with their history."""
    ids = [invoice.pk for invoice in invoices]
    court = court_stages(ids)
    interruptions = events_of(invoices, court)
    notices = consumer_notices(ids) if customer.kind == "consumer" else {}
    waived = waivers(ids, on)
    found = []
    for invoice, row in zip(invoices, rows, strict=True):
        changes: dict = {"interruptions": row.interruptions + interruptions[invoice.pk]}
        if (due_from := notices.get(invoice.pk)) is not None:
            changes.update(default_from=due_from, costs_due_from=due_from)
        if (until := waived.get(invoice.pk)) is not None:
            changes["interest_waived_until"] = until
        found.append(replace(row, **changes))
    return _judged(customer, invoices, found, court)


def _judged(customer, invoices, rows: list[claim.Invoice], court) -> list[claim.Invoice]:
    """The rows with the last judgment on each: the award divided over its invoices."""
    from tegoed.claims.queries import rates_for, terms_of

    judgments = {
        stage.pk: stage
        for stages in court.values()
        for stage in stages
        if stage.kind == StageKind.JUDGMENT
    }
    if not judgments:
        return rows
    by_pk = {invoice.pk: index for index, invoice in enumerate(invoices)}
    terms, rates = terms_of(customer), rates_for(customer)
    for stage in sorted(judgments.values(), key=lambda s: (s.on, s.pk)):
        indexes = [by_pk[i.pk] for i in stage.handover.invoices.all() if i.pk in by_pk]
        before = [replace(rows[i], judgment=None) for i in indexes]
        stood = claim.compute(before, terms=terms, on=stage.on, rates=rates)
        totals = [line.total for line in stood.invoices]
        if stage.awarded is None:
            shares = totals
        elif sum(totals) > 0:
            shares = list(money.allocate(stage.awarded, totals))
        else:
            shares = list(money.allocate(stage.awarded, len(indexes)))
        for index, share in zip(indexes, shares, strict=True):
            rows[index] = replace(rows[index], judgment=claim.Judgment(stage.on, share))
    return rows


def nearing_limitation(
    organization, *, today: datetime.date, months: int, sales_owner=None
) -> list[tuple[object, limitation.Limitation]]:
    """The organization's open invoices whose last day before limitation falls within
    `months` from `today` (or has passed), the earliest first, with their limitation.

    Dutch law only. An interruption never moves the date earlier than the original period
    (art. 3:319 lid 2 BW), so only invoices whose original period ends by then are read.
    """
    if organization.jurisdiction.upper() != "NL":
        return []
    horizon = add_months(today, months)
    # The shortest period (two years, art. 7:28 BW) from the day after the due date.
    latest_due = add_months(horizon, -12 * min(limitation.YEARS.values()))
    candidates = list(
        Invoice.objects.filter(
            organization=organization,
            kind=InvoiceKind.INVOICE,
            lifecycle=Lifecycle.ISSUED,
            open_amount__gt=0,
            due_date__lte=latest_due,
        )
        .filter(**({"customer__sales_owner": sales_owner} if sales_owner is not None else {}))
        .select_related("customer")
        .order_by("due_date", "id")
    )
    interruptions = events_of(candidates)
    found = []
    for invoice in candidates:
        kind = (
            limitation.ClaimKind.CONSUMER_SALE
            if invoice.customer.kind == "consumer"
            else limitation.ClaimKind.CONTRACT
        )
        result = limitation.compute(
            invoice.due_date or invoice.issue_date, kind=kind, events=interruptions[invoice.pk]
        )
        if result.last_day <= horizon:
            found.append((invoice, result))
    return sorted(found, key=lambda pair: (pair[1].last_day, pair[0].number))

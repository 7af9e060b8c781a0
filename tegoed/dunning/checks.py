"""Which open invoices the daily run looks at: those whose next look has come.

Each invoice the run has seen has an `InvoiceCheck` row with the first day its next step can
fall due under any of the organization's schedules (`dunning.Earliest.look_on`): from its due
date, the level it reached and the day of its last step. Holds, payment habits and approvals
only ever add days, so that day is a lower bound whatever they do; a payment only lowers the
open amount (the invoices below the threshold are read every run for their write-off
proposal). What can bring a step earlier is a schedule's change, and the run notices that
itself: the rows remember the schedules' earliest days they were computed from
(`DunningSettings.checks_basis`), and when those differ the run looks at every open invoice
once and writes the rows anew (docs/decisions/0502).

So a run reads (`candidates`):
- the rows whose day has come (an index range), with their invoices;
- the invoices it has not seen: those without a row above the highest invoice id the latest
  run on an earlier day saw (an invoice written in a transaction still open then is found by
  the next run; one issued later from an older draft has had a row since it was a draft, read
  every run until it is issued);
- the held invoices and customers (a broken promise has its own step at once), and the overdue
  ones below the threshold (proposed for write-off once).

Rows of invoices no longer open are dropped when their day comes: a settled invoice stays
settled (allocations are never removed). Whatever reopens one must `look_again` at it.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Max, Q

from tegoed.domain import balance, dunning
from tegoed.dunning.models import DunningSettings, InvoiceCheck
from tegoed.dunning.reading import Open, chunks
from tegoed.invoices import queries as invoice_queries
from tegoed.invoices.models import Invoice, InvoiceKind

# A draft's due date may still change: it is looked at every run until it is issued.
EVERY_RUN = datetime.date.min
COLUMNS = ("id", "customer_id", "number", "due_date", "open_amount")
# Rows are written in statements of this many.
ROWS_PER_WRITE = 5000


def basis_of(earliest: dunning.Earliest) -> str:
    """A fingerprint of the schedules' earliest days the stored look days follow from."""
    text = repr((earliest.first, sorted(earliest.after.items())))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass
class Candidates:
    # Open invoices that may have a step due, each with its stored look day (None: no row);
    # when `full`, every open invoice, read as it is used.
    rows: Iterable[Open]
    # Drafts without a row, and rows of invoices no longer open.
    drafts: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    # Every open invoice was read, because the schedules changed (or it is the first run).
    full: bool = False
    # The highest invoice id when the run read.
    top_id: int = 0


def safe_id(config: DunningSettings, today: datetime.date) -> int:
    """Invoices above this id may be unseen: the highest id the latest run on an earlier day
    saw (an invoice whose transaction was still open when the latest run read has a lower
    id than that run saw, and is found by the next run)."""
    if config.checks_seen_on is not None and config.checks_seen_on < today:
        return config.checks_seen_id
    return config.checks_safe_id


def candidates(
    organization,
    today: datetime.date,
    *,
    config: DunningSettings,
    basis: str,
    holds: tuple[dict, dict],
    minimum_open: Decimal,
) -> Candidates:
    """The open invoices the run must look at on `today` (see the module's description)."""
    top_id = Invoice.objects.aggregate(top=Max("id"))["top"] or 0
    columns = (*COLUMNS, "dunning_check__look_on", "customer__kind")
    open_invoices = invoice_queries.open_invoices(organization).order_by()
    own = Invoice.objects.filter(organization=organization, kind=InvoiceKind.INVOICE)
    unchecked_drafts = own.filter(state=balance.DRAFT, dunning_check__isnull=True)
    if config.checks_basis != basis:
        rows = (Open(*row) for row in open_invoices.values_list(*columns).iterator(20_000))
        drafts = list(unchecked_drafts.values_list("id", flat=True))
        return Candidates(rows, drafts, full=True, top_id=top_id)
    found: dict[int, Open] = {}
    closed: list[int] = []
    due = InvoiceCheck.objects.filter(organization=organization, look_on__lte=today)
    for state, *row in due.values_list(
        "invoice__state",
        "invoice_id",
        "invoice__customer_id",
        "invoice__number",
        "invoice__due_date",
        "invoice__open_amount",
        "look_on",
        "invoice__customer__kind",
    ).iterator(20_000):
        if state in invoice_queries.OPEN_STATES:
            found[row[0]] = Open(*row)
        elif state != balance.DRAFT:
            closed.append(row[0])
    unseen = own.filter(pk__gt=safe_id(config, today), dunning_check__isnull=True)
    drafts = list(unseen.filter(state=balance.DRAFT).values_list("id", flat=True))
    wanted = [Q(pk__gt=safe_id(config, today), dunning_check__isnull=True)]
    held_invoices, held_customers = holds
    wanted += [Q(pk__in=chunk) for chunk in chunks(list(held_invoices))]
    wanted += [Q(customer_id__in=chunk) for chunk in chunks(list(held_customers))]
    if minimum_open > 0:
        wanted.append(Q(open_amount__lt=minimum_open, due_date__lt=today))
    for query in wanted:
        for row in open_invoices.filter(query).values_list(*columns).iterator(20_000):
            if row[0] not in found:
                found[row[0]] = Open(*row)
    return Candidates(
        [found[key] for key in sorted(found)], drafts, closed, full=False, top_id=top_id
    )


def look_on(
    earliest: dunning.Earliest, row: Open, reached: tuple[int | None, datetime.date | None]
) -> datetime.date:
    """The day to look at `row` again, having reached `reached` (level, day of the last step)."""
    level, last_on = reached
    return earliest.look_on(row.due_date, level, last_on)


# Writing ---------------------------------------------------------------------------------


def write(organization, days: Iterable[tuple[int, datetime.date, bool]]) -> int:
    """Store the look days (invoice id, day, whether it has a row already): new rows in bulk
    (COPY on PostgreSQL), changed ones by one UPDATE per day."""
    new = []
    changed: dict[datetime.date, list[int]] = defaultdict(list)
    for invoice_id, day, has_row in days:
        if has_row:
            changed[day].append(invoice_id)
        else:
            new.append((invoice_id, organization.pk, day))
    table = connection.ops.quote_name(InvoiceCheck._meta.db_table)
    columns = "invoice_id, organization_id, look_on"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in new:
                    copy.write_row(row)
        else:
            sql = (
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s) "
                "ON CONFLICT (invoice_id) DO UPDATE SET look_on = excluded.look_on"
            )
            for start in range(0, len(new), ROWS_PER_WRITE):
                cursor.executemany(sql, new[start : start + ROWS_PER_WRITE])
    for day, invoice_ids in changed.items():
        for chunk in chunks(invoice_ids):
            InvoiceCheck.objects.filter(invoice_id__in=chunk).update(look_on=day)
    return len(new) + sum(len(ids) for ids in changed.values())


def drop(invoice_ids: list[int]) -> int:
    """Forget the rows of invoices that are no longer open."""
    dropped = 0
    for chunk in chunks(invoice_ids):
        dropped += InvoiceCheck.objects.filter(invoice_id__in=chunk)._raw_delete(connection.alias)
    return dropped


def look_again(organization, invoice_ids: Iterable[int]) -> None:
    """Have the next run look at these invoices, whatever their rows said."""
    ids = list(invoice_ids)
    with transaction.atomic():
        checked = set()
        for chunk in chunks(ids):
            checked.update(
                InvoiceCheck.objects.filter(invoice_id__in=chunk).values_list(
                    "invoice_id", flat=True
                )
            )
        write(organization, ((key, EVERY_RUN, key in checked) for key in ids))


def remember(organization, today: datetime.date, *, basis: str | None, top_id: int) -> bool:
    """Note, after a run, the schedules its rows follow from and the invoices it saw; writes
    nothing when that is what is noted already (a second run the same day)."""
    config = DunningSettings.objects.select_for_update().get(organization=organization)
    changes = {}
    if basis is not None and config.checks_basis != basis:
        changes["checks_basis"] = basis
    if config.checks_seen_on != today:
        changes["checks_safe_id"] = safe_id(config, today)
        changes["checks_seen_id"] = top_id
        changes["checks_seen_on"] = today
    if changes:
        DunningSettings.objects.filter(pk=config.pk).update(**changes)
    return bool(changes)

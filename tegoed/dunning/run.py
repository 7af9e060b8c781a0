"""The daily run: decide every reminder step due on a date, and record it with its messages.

`planning.plan` reads what the run needs (`reading`) for the open invoices whose next step
may have come (`checks`) and decides; it writes nothing, so `--dry-run` is the plan printed.
`run_dunning` takes the organization's lock and records the plan in batches of customers
(`recording`), then the days to look at the invoices again. A second run the same day finds
nothing new to look at and writes nothing; a run after a crash decides nothing twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from django.db import DatabaseError, connection
from django.utils import timezone

from tegoed.dunning import recording
from tegoed.dunning.models import InvoiceCheck, InvoiceStep, Message, Run, RunState
from tegoed.dunning.planning import Plan, PlannedInvoice, PlannedMessage, next_steps, plan
from tegoed.dunning.reading import THANK_YOU, WRITE_OFF_PROPOSAL, send_days_of, settings_of
from tegoed.dunning.recording import message_id

__all__ = [
    "THANK_YOU",
    "WRITE_OFF_PROPOSAL",
    "Outcome",
    "Plan",
    "PlannedInvoice",
    "PlannedMessage",
    "RunBusy",
    "message_id",
    "next_steps",
    "plan",
    "run_dunning",
    "send_days_of",
    "settings_of",
]

CUSTOMERS_PER_BATCH = 2000
# Advisory-lock keys of the organizations' runs: this plus the organization's id.
RUN_LOCK_BASE = 0x7E90ED00000000
# A run that writes this many rows has the database renew its statistics of them.
ANALYZE_AFTER_ROWS = 50_000


def _analyze() -> None:
    """Have PostgreSQL look at the tables a run filled (a first run writes a million rows):
    the next run comes sooner than the server's own statistics would, and would otherwise be
    planned as if they were empty."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (InvoiceStep, InvoiceCheck, Message):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@dataclass
class Outcome:
    plan: Plan
    run: Run | None
    written: int


class RunBusy(Exception):
    """Another run of the same organization is under way."""


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
    from tegoed.dunning.services import ensure_defaults

    ensure_defaults(organization)
    with _organization_lock(organization):
        run = Run.objects.filter(organization=organization, on=today).first()
        if run is None:
            run, _created = Run.objects.get_or_create(organization=organization, on=today)
        try:
            planned, written = _decide_and_record(organization, run, today)
        except Exception as error:
            _failed(run, error)
            raise
        if written or run.state != RunState.DONE:
            Run.objects.filter(pk=run.pk).update(
                state=RunState.DONE,
                finished_at=timezone.now(),
                invoices_seen=planned.invoices_seen,
                steps_decided=run.steps_decided + written,
                error="",
            )
            run.refresh_from_db()
    return Outcome(planned, run, written)


def _decide_and_record(organization, run: Run, today: datetime.date) -> tuple[Plan, int]:
    """The run's work under the organization's lock: the plan, recorded in batches of
    customers; the number of steps written."""
    from tegoed.arrangements import daily as arrangements

    # Promises and arrangements the bank data decided lift their holds before the plan.
    arrangements.review(organization, today=today)
    planned = plan(organization, today=today)
    written = 0
    messages = planned.messages
    for start in range(0, max(len(messages), 1), CUSTOMERS_PER_BATCH):
        batch = messages[start : start + CUSTOMERS_PER_BATCH]
        extra = start == 0 and (planned.write_offs or planned.thanks)
        if batch or extra:
            written += recording.write(
                organization,
                run,
                today,
                batch,
                planned.write_offs if extra else [],
                planned.thanks if extra else [],
            )
    looked = recording.write_looks(organization, today, planned) if planned.is_send_day else 0
    if written + looked >= ANALYZE_AFTER_ROWS:
        _analyze()
    return planned, written


def _failed(run: Run, error: Exception) -> None:
    """Show on the run page that today's run stopped, and why (what it wrote before stays:
    each batch is whole; the next run goes on from there)."""
    with suppress(DatabaseError):
        Run.objects.filter(pk=run.pk).update(
            state=RunState.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
        )

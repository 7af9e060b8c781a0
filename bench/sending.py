"""Sending the outbox: `tegoed send` delivering reminders to a local SMTP server.

The benchmark database is built once and kept (SQLite under var/bench-sending-sqlite/, or the
database `tegoed_bench_sending` on the PostgreSQL server DATABASE_URL names): an organization
with 600 customers (60 with --quick), each with a billing contact and two invoices ten days past
due, so that the run decides one reminder per customer: an e-mail with a PDF copy of each
invoice. What a run decided is deleted before each measurement.

Measured, each `tegoed send` its own process, timed from start to exit with its CPU time (its
worker processes' included):
1. cold: no invoice PDF kept yet (imported invoices never rendered), so the sender renders
   each invoice once and keeps it;
2. warm: the same reminders decided again and sent with every invoice PDF kept;
3. both again with `tegoed send --workers N`, N the machine's cores (`cold_N_workers_…`);
4. the database queries per message, counted in a process of its own over a warm send;
5. beside each send, the local server alone: the messages it received sent again by smtplib.
Goal: ≥ 50 messages per second (cold and warm).
"""

from __future__ import annotations

import datetime
import os
import time

from bench import support
from bench.dunning import _django, _fill  # noqa: F401  (_django: for `_python`)

ORGANIZATION = "bench-send"
BUILT_ON = datetime.date(2026, 11, 23)
SEND_DAY = datetime.date(2026, 11, 24)  # a Tuesday: a send day by default
CUSTOMERS = 600
GOAL_MESSAGES_PER_SECOND = 50
REPLAYED = 200
WORKERS = max(os.cpu_count() or 1, 2)


def run(quick: bool) -> dict:
    customers = 60 if quick else CUSTOMERS
    env = support.environment("sending", quick)
    started = time.perf_counter()
    _python(f"build({customers})", env)
    figures = {
        "load_average": round(os.getloadavg()[0], 1),
        "database": "postgresql" if support.is_postgres(env) else "sqlite",
        "customers": customers,
        "build_or_reuse_seconds": round(time.perf_counter() - started, 1),
    }
    runs = [(f"{pdfs}", pdfs == "cold", 1) for pdfs in ("cold", "warm")]
    runs += [(f"{pdfs}_{WORKERS}_workers", pdfs == "cold", WORKERS) for pdfs in ("cold", "warm")]
    for name, forget_pdfs, workers in runs:
        _python(f"reset(forget_pdfs={forget_pdfs})", env)
        support.tegoed(
            ["run", "--organization", ORGANIZATION, "--date", SEND_DAY.isoformat(), "--no-send"],
            env,
        )
        figures.update({f"{name}_{key}": value for key, value in _send(env, workers).items()})
    _python("reset(forget_pdfs=False)", env)
    support.tegoed(
        ["run", "--organization", ORGANIZATION, "--date", SEND_DAY.isoformat(), "--no-send"], env
    )
    figures.update(_python("queries_per_message()", env))
    for name, _forget_pdfs, _workers in runs:
        figures[f"goal_{name}_50_messages_per_second_met"] = (
            figures[f"{name}_messages_per_second"] >= GOAL_MESSAGES_PER_SECOND
        )
    return figures


def _send(env: dict, workers: int) -> dict:
    """Deliver the organization's reminders to a local SMTP server in this process, with
    `tegoed send --workers WORKERS`."""
    with support.smtp_server() as (port, received):
        smtp = {**env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "EMAIL_USE_TLS": ""}
        timed = support.tegoed(
            ["send", "--organization", ORGANIZATION, "--ignore-window", "--workers", str(workers)],
            smtp,
        )
        sent = list(received)
        server_seconds = _replay(sent[:REPLAYED], port)
    attachments = sum(message.count(b"application/pdf") for message in sent)
    return {
        "messages": len(sent),
        "pdf_attachments": attachments,
        "mib": round(sum(len(message) for message in sent) / 2**20, 1),
        "seconds": round(timed.seconds, 2),
        "cpu_seconds": round(timed.cpu_seconds, 2),
        "cpu_ms_per_message": round(1000 * timed.cpu_seconds / max(len(sent), 1), 1),
        "messages_per_second": round(len(sent) / timed.seconds, 1),
        "peak_mib": timed.peak_mib,
        # The same messages sent again by plain smtplib over one connection: how many the
        # local server itself takes per second, the ceiling of any sender.
        "server_alone_messages_per_second": round(min(len(sent), REPLAYED) / server_seconds, 1),
    }


def _replay(messages: list[bytes], port: int) -> float:
    import smtplib

    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as client:
        for content in messages:
            client.sendmail("bench@localhost", ["replay@localhost"], content)
    return time.perf_counter() - started


def _python(call: str, env: dict):
    return support.call_in_process("sending", call, env)


# In the benchmark database's own process ---------------------------------------------------


def build(customers: int) -> None:
    """Migrate, and create the organization unless it is there already."""
    from django.core.management import call_command
    from django.db import connection

    from tegoed.accounts.models import Organization
    from tegoed.invoices.models import Invoice

    call_command("migrate", verbosity=0)
    organization = Organization.objects.filter(slug=ORGANIZATION).first()
    if organization is None or not Invoice.objects.filter(organization=organization).exists():
        _fill(ORGANIZATION, customers, 2, BUILT_ON - datetime.timedelta(days=10))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def reset(forget_pdfs: bool) -> None:
    """Forget what earlier runs decided and sent; with `forget_pdfs`, the kept invoice PDFs."""
    from django.db import transaction

    from tegoed.audit.models import AuditEvent
    from tegoed.documents.models import IssuedPdf
    from tegoed.dunning.models import (
        Attachment,
        CallTask,
        DunningSettings,
        InvoiceCheck,
        InvoiceStep,
        Message,
        Run,
    )

    with transaction.atomic():
        # The run's look days go too, so that the next run looks at every invoice again.
        DunningSettings.objects.update(
            checks_basis="", checks_seen_id=0, checks_seen_on=None, checks_safe_id=0
        )
        for model in (Attachment, InvoiceStep, InvoiceCheck, CallTask, Message, Run):
            model.objects.all().delete()
        AuditEvent.objects.filter(action="dunning.run").delete()
        if forget_pdfs:
            IssuedPdf.objects.all().delete()


def queries_per_message() -> dict:
    """Send the pending reminders to Django's in-memory outbox, counting the queries."""
    from django.conf import settings
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tegoed.accounts.models import Organization
    from tegoed.dunning import sending

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    organization = Organization.objects.get(slug=ORGANIZATION)
    with CaptureQueriesContext(connection) as queries:
        report = sending.send_pending(organization, now=timezone.now(), ignore_window=True)
    return {
        "counted_messages": report.sent,
        "queries": len(queries),
        "queries_per_message": round(len(queries) / max(report.sent, 1), 2),
    }

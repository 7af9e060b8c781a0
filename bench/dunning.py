"""The daily run at scale: `tegoed run` over 1,000,000 open invoices, and `tegoed send`.

The benchmark database is built once and kept (SQLite under var/bench-dunning-sqlite/, or the
database `tegoed_bench_dunning` on the PostgreSQL server DATABASE_URL names): an organization
with 100,000 customers and 1,000,000 open invoices whose due dates lie evenly between 150 days
ago and 30 days ahead. What a run decides is deleted before each measurement, so every
measurement starts from an organization that never ran.

Each run is its own `tegoed` process, timed from start to exit, with its peak resident memory:
1. the first run over all invoices (every invoice past its first step's day gets that step);
2. the next day (a typical day: the invoices that reached a step's day since yesterday);
3. the same day again: it must write nothing (rows counted before and after; on PostgreSQL
   also the tuples the server saw inserted, updated or deleted).
Goals (PostgreSQL): first run ≤ 60 s, next day ≤ 5 s, same-day re-run ≤ 1 s with zero writes,
peak memory ≤ 1 GiB. Sending the reminders is measured by bench/sending.py.
"""

from __future__ import annotations

import datetime
import os
import random
import time
import uuid
from decimal import Decimal

from bench import support

ORGANIZATION = "bench"
BUILT_ON = datetime.date(2026, 11, 23)
FIRST_DAY = datetime.date(2026, 11, 24)  # a Tuesday: a send day by default
NEXT_DAY = FIRST_DAY + datetime.timedelta(days=1)
INVOICES_PER_CUSTOMER = 10
GOALS = {"first_run_seconds": 60, "next_day_seconds": 5, "same_day_rerun_seconds": 1}
GOAL_PEAK_MIB = 1024


def run(quick: bool) -> dict:
    invoices = 20_000 if quick else 1_000_000
    env = support.environment("dunning", quick)
    started = time.perf_counter()
    _python(f"build({invoices})", env)
    figures = {
        "load_average": round(os.getloadavg()[0], 1),
        "database": "postgresql" if support.is_postgres(env) else "sqlite",
        "open_invoices": invoices,
        "customers": invoices // INVOICES_PER_CUSTOMER,
        "build_or_reuse_seconds": round(time.perf_counter() - started, 1),
    }
    _python("reset()", env)
    days = [
        ("first_run", FIRST_DAY),
        ("next_day", NEXT_DAY),
        ("same_day_rerun", NEXT_DAY),
    ]
    before = None
    for name, day in days:
        before = _counts(env)
        timed = support.tegoed(
            ["run", "--organization", ORGANIZATION, "--date", day.isoformat(), "--no-send"], env
        )
        after = _counts(env)
        figures[f"{name}_seconds"] = round(timed.seconds, 2)
        figures[f"{name}_cpu_seconds"] = round(timed.cpu_seconds, 2)
        figures[f"{name}_peak_mib"] = timed.peak_mib
        figures[f"{name}_steps_decided"] = after["steps"] - before["steps"]
        figures[f"{name}_messages"] = after["messages"] - before["messages"]
        figures[f"{name}_call_tasks"] = after["calls"] - before["calls"]
    figures["same_day_rerun_rows_written"] = sum(
        abs(after[key] - before[key]) for key in ("steps", "checks", "messages", "calls", "runs")
    ) + (after["run_updated_at"] != before["run_updated_at"])
    if "tuples_written" in after:
        figures["same_day_rerun_tuples_written"] = (
            after["tuples_written"] - before["tuples_written"]
        )
    for name, goal in GOALS.items():
        scaled = figures[name] * 1_000_000 / invoices
        figures[f"goal_{name.removesuffix('_seconds')}_{goal}s_met"] = scaled <= goal
    figures["goal_zero_writes_on_rerun_met"] = figures["same_day_rerun_rows_written"] == 0 and (
        figures.get("same_day_rerun_tuples_written", 0) == 0
    )
    figures["goal_peak_1gib_met"] = all(
        figures[f"{name}_peak_mib"] <= GOAL_PEAK_MIB for name, _day in days
    )
    return figures


def _python(call: str, env: dict):
    return support.call_in_process("dunning", call, env)


def _counts(env: dict) -> dict:
    return _python("counts()", env)


# In the benchmark database's own process ---------------------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tegoed.settings")
    import django

    django.setup()


def build(invoices: int) -> None:
    """Migrate, and create the organization unless it is there already."""
    from django.core.management import call_command
    from django.db import connection

    from tegoed.accounts.models import Organization
    from tegoed.invoices.models import Invoice

    call_command("migrate", verbosity=0)
    organization = Organization.objects.filter(slug=ORGANIZATION).first()
    if organization is None or not Invoice.objects.filter(organization=organization).exists():
        _fill(ORGANIZATION, invoices // INVOICES_PER_CUSTOMER, INVOICES_PER_CUSTOMER, None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _fill(slug: str, customers: int, per_customer: int, due: datetime.date | None) -> None:
    """Customers with a billing contact, and open invoices: due on `due`, or spread from 150
    days before the build day to 30 days after it."""
    from django.db import transaction
    from django.utils import timezone

    from tegoed.accounts.models import Organization
    from tegoed.common.bulk import Batch
    from tegoed.customers.models import Contact, Customer
    from tegoed.demo.generator import Generator
    from tegoed.demo.management.commands.demo_data import ORGANIZATION as DETAILS
    from tegoed.invoices.models import Invoice

    rng = random.Random(11)
    stamp = timezone.now()
    with transaction.atomic():
        organization = Organization.objects.create(slug=slug, **DETAILS)
        batch = Batch()
        customer_rows = batch.table(
            Customer,
            ["id", "created_at", "updated_at", "organization", "public_id", "number", "kind",
             "name", "street", "postal_code", "city", "country", "language", "payment_term_days",
             "notes", "kvk_number", "vat_number"],
        )  # fmt: skip
        contact_rows = batch.table(
            Contact,
            ["created_at", "updated_at", "customer", "name", "role", "email", "phone",
             "preferred_channel"],
        )  # fmt: skip
        invoice_rows = batch.table(
            Invoice,
            ["id", "created_at", "updated_at", "organization", "public_id", "customer", "kind",
             "lifecycle", "number", "payment_reference", "currency", "issue_date", "due_date",
             "customer_reference", "description", "subtotal", "vat_total", "total",
             "issued_at"],
        )  # fmt: skip
        number = 0
        for customer in Generator(seed=11, today=BUILT_ON).customers(customers):
            customer_id = customer_rows.take_id()
            customer_rows.add(
                (customer_id, stamp, stamp, organization.pk, uuid.uuid4(), customer.number,
                 customer.kind, customer.name, customer.street, customer.postal_code,
                 customer.city, "NL", customer.language, customer.payment_term_days, "",
                 customer.kvk_number, customer.vat_number)
            )  # fmt: skip
            contact_rows.add(
                (stamp, stamp, customer_id, customer.contact_name, "billing",
                 customer.contact_email, customer.contact_phone, "email")
            )  # fmt: skip
            for _ in range(per_customer):
                number += 1
                due_date = due or BUILT_ON + datetime.timedelta(days=rng.randint(-150, 30))
                total = Decimal(rng.randint(2_500, 250_000)) / 100
                subtotal = (total / Decimal("1.21")).quantize(Decimal("0.01"))
                invoice_rows.add(
                    (invoice_rows.take_id(), stamp, stamp, organization.pk, uuid.uuid4(),
                     customer_id, "invoice", "issued", f"B{number:07d}", "", "EUR",
                     due_date - datetime.timedelta(days=30), due_date, "", "", subtotal,
                     total - subtotal, total, stamp)
                )  # fmt: skip
        batch.flush()


def reset() -> None:
    """Forget what earlier runs decided."""
    from django.db import connection, transaction

    from tegoed.audit.models import AuditEvent
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
        DunningSettings.objects.update(
            checks_basis="", checks_seen_id=0, checks_seen_on=None, checks_safe_id=0
        )
        for model in (Attachment, InvoiceStep, InvoiceCheck, CallTask, Message, Run):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"TRUNCATE {model._meta.db_table} CASCADE")
            else:
                model.objects.all()._raw_delete(connection.alias)
        AuditEvent.objects.filter(action="dunning.run").delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def counts() -> dict:
    """What the run writes, counted; on PostgreSQL also the tuples written to any table."""
    from django.db import connection
    from django.db.models import Max

    from tegoed.dunning.models import CallTask, InvoiceCheck, InvoiceStep, Message, Run

    found = {
        "steps": InvoiceStep.objects.count(),
        "checks": InvoiceCheck.objects.count(),
        "messages": Message.objects.count(),
        "calls": CallTask.objects.count(),
        "runs": Run.objects.count(),
        "run_updated_at": str(Run.objects.aggregate(last=Max("updated_at"))["last"]),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
                "FROM pg_stat_user_tables"
            )
            found["tuples_written"] = int(cursor.fetchone()[0])
    return found

"""Staff web UI at scale: dashboard and invoice list response times over 1,000,000 invoices.

The benchmark database is built once by `tegoed demo-data` and kept (SQLite under
var/bench-web-sqlite/, or the database `tegoed_bench_web` on the PostgreSQL server that
DATABASE_URL names), so a second run measures at once. Pages are requested through Django's
test client in a separate process, logged in as an owner, with "today" fixed to the day the
data was generated; each page is requested a few times to warm up, then measured.
Goal: p95 ≤ 200 ms on PostgreSQL and ≤ 500 ms on SQLite for the dashboard and invoice list.
"""

import json
import os
import subprocess
import sys
import time

from bench import support

ROOT = support.ROOT
TODAY = "2026-11-23"
ORGANIZATION = "bench"


def run(quick: bool) -> dict:
    invoices = 20_000 if quick else 1_000_000
    env = support.environment("web", quick)
    started = time.perf_counter()
    _build(env, invoices=invoices)
    built = time.perf_counter() - started
    result = subprocess.run(
        [sys.executable, "-c", "from bench.web import measure; measure()"],
        env={**env, "BENCH_WEB_ROUNDS": "10" if quick else "20"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-4000:])
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    postgres = "postgres" in env.get("DATABASE_URL", "")
    goal = 200 if postgres else 500
    figures = {
        "invoices": invoices,
        "database": "postgresql" if postgres else "sqlite",
        "build_or_reuse_seconds": round(built, 1),
        **figures,
    }
    figures[f"goal_p95_{goal}ms_dashboard_met"] = figures["dashboard_p95_ms"] <= goal
    figures[f"goal_p95_{goal}ms_dashboard_debtors_met"] = (
        figures["dashboard_overdue_debtors_p95_ms"] <= goal
    )
    figures[f"goal_p95_{goal}ms_invoice_list_met"] = all(
        value <= goal
        for key, value in figures.items()
        if key.startswith("invoice_list") and key.endswith("_p95_ms")
    )
    figures[f"goal_p95_{goal}ms_invoice_list_filters_met"] = all(
        value <= goal
        for key, value in figures.items()
        if key.startswith("invoice_list")
        and key.endswith("_p95_ms")
        and not key.startswith(("invoice_list_largest_first", "invoice_list_search"))
    )
    return figures


def _build(env: dict, *, invoices: int) -> None:
    tegoed = [sys.executable, "-m", "tegoed"]
    subprocess.run([*tegoed, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [
            *tegoed, "demo-data", "--organization", ORGANIZATION,
            "--customers", str(max(1, invoices // 50)), "--invoices", str(invoices),
            "--seed", "1", "--today", TODAY, "--if-empty",
        ],
        env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    if "postgres" in env.get("DATABASE_URL", ""):
        subprocess.run(
            [*tegoed, "dbshell", "--", "-c", "VACUUM ANALYZE"],
            env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    else:
        subprocess.run(
            [*tegoed, "dbshell"], input="ANALYZE;\n", text=True,
            env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip


def measure() -> None:
    """In a process of its own: request the pages and print the figures as one JSON line."""
    import datetime
    import statistics

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tegoed.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tegoed.accounts.models import Membership, Organization, Role
    from tegoed.customers.models import Customer
    from tegoed.invoices.models import Invoice

    setup_test_environment()
    today = datetime.date.fromisoformat(TODAY)
    import importlib

    for module in ("tegoed.reports.views", "tegoed.customers.views", "tegoed.invoices.views"):
        importlib.import_module(module).today = lambda request: today
    organization = Organization.objects.get(slug=ORGANIZATION)
    user, _created = get_user_model().objects.get_or_create(username="bench-web")
    Membership.objects.get_or_create(
        user=user, organization=organization, defaults={"role": Role.OWNER}
    )
    client = Client()
    client.force_login(user)
    rounds = int(os.environ.get("BENCH_WEB_ROUNDS", "30"))

    busy = Customer.objects.filter(organization=organization).order_by("id").first()
    invoice = Invoice.objects.filter(organization=organization).order_by("-id").first()
    first_page = client.get("/invoices/?sort=due_date")
    cursor = first_page.content.decode().split("after=")[1].split('"')[0].replace("&amp;", "&")
    pages = {
        "dashboard": "/",
        "dashboard_overdue_debtors": ("/reports/overdue-debtors/", {"HTTP_HX_REQUEST": "true"}),
        "invoice_list": "/invoices/",
        "invoice_list_overdue": "/invoices/?overdue=on",
        "invoice_list_outstanding_by_due_date": "/invoices/?state=outstanding&sort=due_date",
        "invoice_list_over_90_days": "/invoices/?bucket=over_90&sort=-due_date",
        "invoice_list_next_page": f"/invoices/?sort=due_date&after={cursor}",
        "invoice_list_largest_first": "/invoices/?sort=-total",
        "invoice_list_search_number": f"/invoices/?q={invoice.number}",
        "invoice_list_htmx_filter": ("/invoices/?overdue=on", {"HTTP_HX_REQUEST": "true",
                                                                 "HTTP_HX_TARGET": "results"}),
        "customer_list": "/customers/",
        "customer_detail": busy.get_absolute_url(),
        "invoice_detail": invoice.get_absolute_url(),
    }  # fmt: skip
    figures = {}
    for name, target in pages.items():
        url, headers = target if isinstance(target, tuple) else (target, {})
        for _warm in range(2):
            response = client.get(url, **headers)
            assert response.status_code == 200, (url, response.status_code)
        times = []
        for _round in range(rounds):
            started = time.perf_counter()
            client.get(url, **headers)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        figures[f"{name}_p50_ms"] = round(statistics.median(times), 1)
        figures[f"{name}_p95_ms"] = round(times[max(0, int(len(times) * 0.95) - 1)], 1)
    print(json.dumps(figures))

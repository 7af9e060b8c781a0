"""Lists as files at scale: the invoice list and the aging per customer as CSV and XLSX.

Uses the web benchmark's database (`bench/web.py` builds it: 1,000,000 invoices, or 20,000
with --quick). Each export is requested through Django's test client in a separate process,
its whole body read; the figures are the time to the last byte, the rows written and the peak
of Python's own allocations while it ran (tracemalloc, which also slows the run down: the
seconds are an upper bound), which shows whether memory grows with the list
(docs/decisions/0401).
"""

import json
import os
import subprocess
import sys
import time

from bench import support, web

ROOT = support.ROOT


def run(quick: bool) -> dict:
    invoices = 20_000 if quick else 1_000_000
    env = support.environment("web", quick)
    web._build(env, invoices=invoices)
    result = subprocess.run(
        [sys.executable, "-c", "from bench.exports import measure; measure()"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-4000:])
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return {"invoices": invoices, **figures}


def measure() -> None:
    import datetime
    import importlib
    import tracemalloc

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tegoed.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tegoed.accounts.models import Membership, Organization, Role

    setup_test_environment()
    today = datetime.date.fromisoformat(web.TODAY)
    for module in ("tegoed.reports.views", "tegoed.invoices.views", "tegoed.customers.views"):
        importlib.import_module(module).today = lambda request: today
    organization = Organization.objects.get(slug=web.ORGANIZATION)
    user, _created = get_user_model().objects.get_or_create(username="bench-web")
    Membership.objects.get_or_create(
        user=user, organization=organization, defaults={"role": Role.OWNER}
    )
    client = Client()
    client.force_login(user)
    exports = {
        "invoices_csv": "/invoices/export.csv",
        "invoices_xlsx": "/invoices/export.xlsx",
        "invoices_overdue_csv": "/invoices/export.csv?overdue=on",
        "customers_csv": "/customers/export.csv",
        "aging_xlsx": "/reports/aging/export.xlsx",
    }
    # Once each first, so that the figures do not count the imports of the first request.
    for url in exports.values():
        b"".join(client.get(f"{url}{'&' if '?' in url else '?'}q=none").streaming_content)
    figures = {}
    for name, url in exports.items():
        tracemalloc.start()
        started = time.perf_counter()
        response = client.get(url)
        size = 0
        lines = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert response.status_code == 200, (url, response.status_code)
        figures[f"{name}_seconds"] = round(seconds, 2)
        figures[f"{name}_mib"] = round(size / 2**20, 1)
        if name.endswith("csv"):
            figures[f"{name}_rows"] = lines - 1
        figures[f"{name}_peak_python_mib"] = round(peak / 2**20, 1)
    print(json.dumps(figures))

"""Ledger benchmarks: importing 100,000 invoices from CSV, and generating 1,000,000 demo invoices.

Each step runs as its own `tegoed` process on a fresh SQLite database in a temporary folder,
so the time is what a user waits and the peak memory is that process's resident maximum.
Goal: the CSV import of 100,000 invoices within 15 s on SQLite.
"""

import csv
import datetime
import os
import tempfile
from pathlib import Path

from bench.support import tegoed
from tegoed.demo.generator import Generator

TODAY = datetime.date(2026, 11, 23)


def run(quick: bool) -> dict:
    import_size = 5_000 if quick else 100_000
    demo_size = 20_000 if quick else 1_000_000
    figures = {}
    with tempfile.TemporaryDirectory(prefix="tegoed-bench-") as folder:
        folder = Path(folder)
        csv_path = folder / "invoices.csv"
        rows = write_invoice_csv(csv_path, invoices=import_size)
        env = {**os.environ, "TEGOED_VAR_DIR": str(folder / "import")}
        env.pop("DATABASE_URL", None)
        (folder / "import").mkdir()
        tegoed(["migrate", "-v0"], env)
        tegoed(["demo-data", "--organization", "bench", "--customers", "1", "--invoices", "0"], env)
        import_command = ["import-invoices", str(csv_path), "--organization", "bench"]
        timed = tegoed(import_command, env)
        seconds, peak = timed.seconds, timed.peak_mib
        figures["csv_import_invoices"] = import_size
        figures["csv_import_lines"] = rows
        figures["csv_import_mb"] = round(csv_path.stat().st_size / 2**20, 1)
        figures["csv_import_seconds"] = round(seconds, 2)
        figures["csv_import_invoices_per_second"] = round(import_size / seconds)
        figures["csv_import_peak_mib"] = peak
        figures["csv_import_goal_15s_for_100k_met"] = (seconds * 100_000 / import_size) <= 15
        again = tegoed(import_command, env).seconds
        figures["csv_reimport_unchanged_seconds"] = round(again, 2)

        env = {**os.environ, "TEGOED_VAR_DIR": str(folder / "demo")}
        env.pop("DATABASE_URL", None)
        (folder / "demo").mkdir()
        tegoed(["migrate", "-v0"], env)
        timed = tegoed(
            [
                "demo-data", "--organization", "bench", "--customers", str(demo_size // 50),
                "--invoices", str(demo_size), "--seed", "1", "--today", TODAY.isoformat(),
            ],
            env,
        )  # fmt: skip
        seconds, peak = timed.seconds, timed.peak_mib
        figures["demo_invoices"] = demo_size
        figures["demo_seconds"] = round(seconds, 1)
        figures["demo_invoices_per_second"] = round(demo_size / seconds)
        figures["demo_peak_mib"] = peak
        figures["demo_database_mib"] = round(
            sum(p.stat().st_size for p in (folder / "demo").glob("tegoed.sqlite3*")) / 2**20
        )
    return figures


def write_invoice_csv(path: Path, *, invoices: int) -> int:
    """A bookkeeping export: one row per invoice line, semicolons and decimal commas."""
    generator = Generator(seed=11, today=TODAY)
    customers = generator.customers(max(invoices // 20, 1))
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file, delimiter=";")
        out.writerow(
            ["factuurnummer", "klantnummer", "klantnaam", "soort klant", "e-mail", "straat",
             "postcode", "plaats", "factuurdatum", "vervaldatum", "omschrijving", "aantal",
             "prijs", "btw"]
        )  # fmt: skip
        for invoice in generator.invoices(customers, invoices):
            customer = customers[invoice.customer_key]
            for line in invoice.lines:
                out.writerow(
                    [
                        invoice.number, customer.number, customer.name, customer.kind,
                        customer.contact_email, customer.street, customer.postal_code,
                        customer.city, invoice.issue_date.strftime("%d-%m-%Y"),
                        invoice.due_date.strftime("%d-%m-%Y"), line.description,
                        str(line.quantity), str(line.unit_price).replace(".", ","),
                        str(line.vat_rate),
                    ]
                )  # fmt: skip
                rows += 1
    return rows

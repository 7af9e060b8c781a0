"""Hardening benchmarks: what one upload costs at the limits, and other writers during an import.

- A statement with a 10 MB `:86:` field (before: 11 s and 950 MB): now cut on reading.
- Peak memory of `tegoed import-statement` per format for a large file, as MiB per MB of file,
  so that one upload's memory bound (TEGOED_MAX_UPLOAD_BYTES × that) can be documented.
- On SQLite, a large import while another process writes every 0.1 s (as the web UI would):
  the longest the other writer waited and how many of its writes failed (goal: none; writers
  queue behind the import's transaction, up to TEGOED_SQLITE_BUSY_SECONDS).

Each import runs as its own `tegoed` process on a fresh SQLite database.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.ledger import tegoed

WRITER = """
import json, os, sys, time
import django
django.setup()
from django.db import OperationalError, transaction
from tegoed.accounts.models import Organization
from tegoed.audit import services as audit
organization = Organization.objects.get(slug="bench")
longest, failures, writes = 0.0, 0, 0
while not os.path.exists(sys.argv[1]):
    started = time.perf_counter()
    try:
        with transaction.atomic():
            audit.record(organization=organization, actor=None, action="bench.write",
                         subject=organization, summary="a write from the web UI")
        writes += 1
    except OperationalError:
        failures += 1
    longest = max(longest, time.perf_counter() - started)
    time.sleep(0.1)
print(json.dumps({"writes": writes, "failures": failures, "longest_wait_s": round(longest, 2)}))
"""


def mt940(path: Path, entries: int, *, long_field: int = 0) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(":20:BENCH\n:25:NL69INGB0123456789\n:28C:1\n:60F:C260301EUR0,00\n")
        total = 0
        for number in range(entries):
            cents = 1000 + number % 5000
            total += cents
            out.write(f":61:2603020302C{cents // 100},{cents % 100:02d}NTRFNONREF//B{number}\n")
            text = "x" * long_field if long_field and number == 0 else f"factuur {number}"
            out.write(
                f":86:/CNTP/NL91ABNA0417164300/ABNANL2A/Klant {number}/X//REMI/USTD//{text}/\n"
            )
        out.write(f":62F:C260302EUR{total // 100},{total % 100:02d}\n-\n")


def camt(path: Path, entries: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:'
                  'tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>BENCH</Id>'
                  "<Acct><Id><IBAN>NL69INGB0123456789</IBAN></Id></Acct>\n")  # fmt: skip
        for number in range(entries):
            out.write(
                f'<Ntry><Amt Ccy="EUR">{10 + number % 50}.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
                f"<Sts>BOOK</Sts><BookgDt><Dt>2026-03-02</Dt></BookgDt><AcctSvcrRef>R{number}"
                "</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Klant "
                f"{number}</Nm></Dbtr></RltdPties><RmtInf><Ustrd>factuur {number}</Ustrd>"
                "</RmtInf></TxDtls></NtryDtls></Ntry>\n"
            )
        out.write("</Stmt></BkToCstmrStmt></Document>\n")


def bank_csv(path: Path, entries: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write('"Datum";"Naam / Omschrijving";"Rekening";"Tegenrekening";"Code";"Af Bij";'
                  '"Bedrag (EUR)";"Mutatiesoort";"Mededelingen"\n')  # fmt: skip
        for number in range(entries):
            out.write(
                f'"20260302";"Klant {number}";"NL69INGB0123456789";"NL91ABNA0417164300";'
                f'"OV";"Bij";"{10 + number % 50},00";"Overschrijving";"factuur {number}"\n'
            )


def fresh(folder: Path, name: str) -> dict:
    env = {**os.environ, "TEGOED_VAR_DIR": str(folder / name)}
    env.pop("DATABASE_URL", None)
    (folder / name).mkdir()
    tegoed(["migrate", "-v0"], env)
    tegoed(["demo-data", "--organization", "bench", "--customers", "1", "--invoices", "0"], env)
    return env


def run(quick: bool) -> dict:
    entries = 20_000 if quick else 150_000
    figures: dict = {}
    with tempfile.TemporaryDirectory(prefix="tegoed-bench-") as folder:
        folder = Path(folder)
        long_file = folder / "long86.sta"
        mt940(long_file, 10, long_field=10 * 2**20)
        seconds, peak = tegoed(
            ["import-statement", str(long_file), "--organization", "bench"], fresh(folder, "long")
        )
        figures["long_86_field_mb"] = 10
        figures["long_86_field_seconds"] = round(seconds, 2)
        figures["long_86_field_peak_mib"] = peak

        for kind, write, suffix in (("camt", camt, ".xml"), ("mt940", mt940, ".sta"),
                                    ("csv", bank_csv, ".csv")):  # fmt: skip
            path = folder / f"large{suffix}"
            write(path, entries)
            size = path.stat().st_size / 2**20
            seconds, peak = tegoed(
                ["import-statement", str(path), "--organization", "bench"], fresh(folder, kind)
            )
            figures[f"{kind}_entries"] = entries
            figures[f"{kind}_mb"] = round(size, 1)
            figures[f"{kind}_seconds"] = round(seconds, 1)
            figures[f"{kind}_peak_mib"] = peak

        env = fresh(folder, "writers")
        path = folder / "large.sta"
        stop = folder / "stop"
        script = folder / "writer.py"
        script.write_text(WRITER)
        writer = subprocess.Popen(
            [sys.executable, str(script), str(stop)],
            env={**env, "DJANGO_SETTINGS_MODULE": "tegoed.settings"},
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)  # the writer is writing before the import starts
        seconds, _peak = tegoed(["import-statement", str(path), "--organization", "bench"], env)
        stop.touch()
        report = json.loads(writer.communicate(timeout=120)[0])
        figures["writers_import_entries"] = entries
        figures["writers_import_seconds"] = round(seconds, 1)
        figures["writers_other_writes"] = report["writes"]
        figures["writers_other_failures"] = report["failures"]
        figures["writers_other_longest_wait_s"] = report["longest_wait_s"]
        figures["writers_goal_no_failed_write_met"] = report["failures"] == 0
    return figures

# ruff: noqa: E501  (sample lines are kept as banks write them)
"""`tegoed match` end to end: a statement file and an items CSV in, one JSON line per entry out."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

FILES = Path(__file__).resolve().parent / "files"
FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
ROOT = Path(__file__).resolve().parents[2]

ITEMS = """invoice_number,customer_id,customer_name,customer_iban,issue_date,due_date,currency,amount_open,payment_reference
F2026-0042,C1,Bakker Bouw B.V.,NL91ABNA0417164300 NL02BUNQ2025123456,2026-02-01,2026-03-03,EUR,121.00,5000056789012345
F2026-0043,C2,Jansen Installatie,NL20INGB0001234567,2026-02-10,2026-03-12,EUR,250.00,
F2026-0044,C2,Jansen Installatie,NL20INGB0001234567,2026-02-11,2026-03-13,EUR,99.95,
"""


@pytest.fixture
def items(tmp_path):
    path = tmp_path / "items.csv"
    path.write_text(ITEMS, encoding="utf-8")
    return path


def run_json(items, statement, capsys):
    call_command("match", "--open-items", str(items), "--statement", str(statement), "--json")
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_json_lines_in_statement_order(items, capsys):
    lines = run_json(items, FILES / "ing-structured.sta", capsys)
    assert [line["entry"] for line in lines] == [
        "2603021234567890", "2603021234567891", "2603021234567892",
    ]  # fmt: skip
    first, second, debit = lines
    assert set(first) == {"entry", "amount", "status", "allocations", "confidence", "reason"}
    assert first["amount"] == "121.00"
    assert first["status"] == "matched"
    assert first["allocations"] == [{"invoice_number": "F2026-0042", "amount": "121.00"}]
    assert isinstance(first["confidence"], float) and first["confidence"] >= 0.9
    # The text names F2026-0042 (121.00), but Jansen paid 250.00 from its own account, and its
    # F2026-0043 of exactly 250.00 is one keystroke away: a typing error, corrected.
    assert second["status"] == "matched"
    assert second["allocations"] == [{"invoice_number": "F2026-0043", "amount": "250.00"}]
    assert debit["status"] == "ignored"
    assert debit["allocations"] == []


def test_the_same_items_for_every_format(items, capsys):
    for name in ("ing.csv", "knab.csv", "rabobank.csv"):
        lines = run_json(items, FILES / name, capsys)
        assert lines[0]["status"] == "matched", (name, lines[0])
        assert lines[0]["allocations"][0]["invoice_number"] == "F2026-0042"


def test_real_camt_file_without_any_database_rows(items, capsys):
    lines = run_json(items, FIXTURES / "camt" / "moiristo-camt.xml", capsys)
    assert len(lines) == 29
    assert {line["status"] for line in lines} <= {"matched", "suggested", "unmatched", "ignored"}
    assert all(line["status"] == "ignored" for line in lines if line["entry"].startswith("GB0"))


def test_a_broken_file_is_a_clear_error(items):
    with pytest.raises(CommandError, match=r"moiristo-camt_error.xml \(line 131\)"):
        call_command(
            "match", "--open-items", str(items), "--statement",
            str(FIXTURES / "camt" / "moiristo-camt_error.xml"),
        )  # fmt: skip


def test_a_bad_items_file_names_the_line(tmp_path):
    path = tmp_path / "items.csv"
    path.write_text(ITEMS + "F9,C9,X,,2026-02-30,,EUR,1.00,\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"items.csv \(line 5\).*issue_date"):
        call_command("match", "--open-items", str(path), "--statement", str(FILES / "ing.csv"))


def test_as_a_command_line_program(items):
    completed = subprocess.run(
        [sys.executable, "-m", "tegoed", "match", "--open-items", str(items),
         "--statement", str(FILES / "abnamro-structured.sta")],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    assert "matched" in completed.stdout
    assert "F2026-0042" in completed.stdout


def test_the_command_line_program_needs_no_django(items):
    completed = subprocess.run(
        [sys.executable, "-c",
         "import sys; from tegoed.__main__ import main; sys.argv = ['tegoed', *sys.argv[1:]]; "
         "main()", "match", "--open-items", str(items), "--statement",
         str(FIXTURES / "camt" / "moiristo-camt_error.xml")],
        capture_output=True, text=True, check=False, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "nowhere.settings"},
    )  # fmt: skip
    assert completed.returncode == 1
    assert "moiristo-camt_error.xml (line 131)" in completed.stderr
    assert "Traceback" not in completed.stderr

"""`tegoed match` says what it did not read: each entry left out by the reader (its status) or
set apart by matching (no amount, a currency no open item is in), on standard error, and why
nothing was written when nothing was. Notified payments are matched and marked as such."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tegoed.banking import match_cli
from tests.banking.test_camt_versions import document, entry_xml

FILES = Path(__file__).resolve().parent / "files"
ROOT = Path(__file__).resolve().parents[2]
ITEMS = (
    "invoice_number,customer_id,customer_name,customer_iban,issue_date,due_date,currency,"
    "amount_open,payment_reference\n"
    "F2026-0042,C1,Bakker BV,NL91ABNA0417164300,2026-02-01,2026-03-03,EUR,121.00,\n"
)


@pytest.fixture
def items(tmp_path):
    path = tmp_path / "items.csv"
    path.write_text(ITEMS, encoding="utf-8")
    return path


def run(items, statement, *, as_json=True):
    out, err = io.StringIO(), io.StringIO()
    match_cli.run(open_items=str(items), statement=str(statement), as_json=as_json, out=out,
                  err=err)  # fmt: skip
    return out.getvalue(), err.getvalue()


def test_informational_credits_of_a_camt_054_v10_notification_are_matched_as_notified(
    items, tmp_path
):
    path = tmp_path / "camt054.xml"
    path.write_bytes(document("054", 10, entry_xml(10, status="INFO", reference="N1")))
    out, err = run(items, path)
    (line,) = map(json.loads, out.splitlines())
    assert line["status"] == "matched"
    assert line["allocations"] == [{"invoice_number": "F2026-0042", "amount": "121.00"}]
    assert line["notified"] is True
    assert "1 entries read, 1 of them notified (not yet booked)" in err


def test_a_booked_payment_after_its_notification_is_matched_too(items, tmp_path):
    # A notification does not settle the invoice: the booked entry finds it still open.
    entries = entry_xml(8, status="PDNG", reference="N1") + entry_xml(
        8, status="BOOK", reference="B1"
    )
    path = tmp_path / "camt052.xml"
    path.write_bytes(document("052", 8, entries))
    out, _err = run(items, path)
    notified, booked = map(json.loads, out.splitlines())
    assert notified["status"] == booked["status"] == "matched"
    assert notified["notified"] is True and "notified" not in booked


def test_every_entry_left_out_is_named_with_its_status_and_nothing_written_says_why(
    items, tmp_path
):
    entries = entry_xml(10, status="FUTR", reference="F1") + entry_xml(
        10, status="RJCT", reference="F2", amount="5.00"
    )
    path = tmp_path / "camt053.xml"
    path.write_bytes(document("053", 10, entries))
    out, err = run(items, path)
    assert out == ""
    assert err.splitlines() == [
        "tegoed match: statement R-1 of NL69INGB0123456789: 0 entries read; 2 left out or set "
        "apart:",
        "tegoed match:   entry F1 (121.00 in): status FUTR: neither booked (BOOK) nor notified "
        "(PDNG, INFO)",
        "tegoed match:   entry F2 (5.00 in): status RJCT: neither booked (BOOK) nor notified "
        "(PDNG, INFO)",
        "tegoed match: nothing written: the 2 entries of the file were all left out",
    ]


def test_entries_set_apart_for_currency_and_zero_amount_are_named(items, tmp_path):
    entries = entry_xml(2, status="BOOK", reference="Z1", amount="0.00") + entry_xml(
        2, status="BOOK", reference="U1"
    ).replace('Ccy="EUR"', 'Ccy="USD"')
    path = tmp_path / "camt053.xml"
    path.write_bytes(document("053", 2, entries))
    out, err = run(items, path, as_json=False)
    assert "Set apart: no amount." in out and "Set apart: in USD" in out
    assert "  entry Z1 (0.00 in): no amount" in err
    assert "  entry U1 (121.00 in): in USD, a currency no open item is in" in err


def test_a_file_whose_entries_all_went_through_prints_nothing_on_stderr(items):
    _out, err = run(items, FILES / "ing-structured.sta")
    assert err == ""


def test_a_statement_without_entries_says_so(items, tmp_path):
    path = tmp_path / "empty.xml"
    path.write_bytes(document("053", 8, ""))
    assert run(items, path) == ("", "tegoed match: nothing written: the file holds no entries\n")


def test_the_mt942_report_on_stderr_of_the_command_line_program(items):
    completed = subprocess.run(
        [sys.executable, "-m", "tegoed", "match", "--open-items", str(items), "--json",
         "--statement", str(FILES / "wolph-mt940" / "mbank-mt942.sta")],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    lines = [json.loads(line) for line in completed.stdout.splitlines()]
    assert [line["notified"] for line in lines] == [True] * 3
    assert "3 entries read, 3 of them notified (not yet booked)" in completed.stderr
    assert "entry MB170119012058 (0.01 in): in PLN, a currency no open item is in" in (
        completed.stderr
    )

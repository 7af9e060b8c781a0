"""A statement repeated in one file, two imports at the same moment, and a booking the ledger
refuses: each ends in a clear outcome, never an IntegrityError, and nothing is booked twice."""

import datetime
from pathlib import Path

import pytest

from tegoed.banking import formats, services
from tegoed.banking.models import BankEntry, EntryStatus, StatementImport
from tegoed.invoices.models import Payment
from tests.banking.test_import import books, mt940_file  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parents[1] / "banking" / "files"
TODAY = datetime.date(2026, 3, 10)


def run(organization, path):
    return services.import_statement(
        organization=organization, path=path, acting_user=None, today=TODAY
    )


def test_the_same_camt_statement_twice_in_one_file_is_imported_once(tmp_path, organization):
    camt = (FILES / "camt053-v08.xml").read_text()
    statement = camt[camt.index("<Stmt>") : camt.index("</Stmt>") + len("</Stmt>")]
    path = tmp_path / "twice.xml"
    path.write_text(camt.replace(statement, statement * 2))
    summary = run(organization, path)
    single = run(organization, FILES / "camt053-v08.xml")
    assert summary.entries_read == 2 and single.already_imported == 2
    assert any("repeats 2 entries" in warning for warning in summary.warnings)
    assert BankEntry.objects.count() == 2


def test_the_same_mt940_statement_twice_in_one_file_is_imported_once(tmp_path, organization):
    text = (FILES / "ing-structured.sta").read_text()
    path = tmp_path / "twice.sta"
    path.write_text(text + "\n" + text)
    summary = run(organization, path)
    assert summary.entries_read == BankEntry.objects.count() == 3
    assert "repeats 3 entries" in StatementImport.objects.get().warnings[0]


def another_import_while_reading(monkeypatch, organization, path) -> None:
    """The next import of a file reads it while another import of `path` commits: both found
    no earlier import when they started."""
    read = formats.read
    racing = {"done": False}

    def read_while_another_imports(*args, **kwargs):
        statements = read(*args, **kwargs)
        if not racing["done"]:
            racing["done"] = True
            run(organization, path)
        return statements

    monkeypatch.setattr(formats, "read", read_while_another_imports)


def test_a_file_imported_meanwhile_by_another_import_is_reported_as_imported_before(
    tmp_path, organization, monkeypatch
):
    """The unique key refuses the second import of one file, which then says it was imported
    before."""
    path = tmp_path / "day.xml"
    path.write_bytes((FILES / "camt053-v08.xml").read_bytes())
    another_import_while_reading(monkeypatch, organization, path)
    summary = run(organization, path)
    assert summary.already_imported_file
    assert StatementImport.objects.count() == 1 and BankEntry.objects.count() == 2


def test_overlapping_files_imported_at_the_same_moment_book_each_entry_once(
    tmp_path, organization, monkeypatch
):
    first = tmp_path / "day.xml"
    first.write_bytes((FILES / "camt053-v08.xml").read_bytes())
    other = tmp_path / "again.xml"
    other.write_bytes(first.read_bytes() + b"\n")
    another_import_while_reading(monkeypatch, organization, first)
    summary = run(organization, other)
    assert summary.already_imported == 2 and sum(summary.counts.values()) == 0
    assert BankEntry.objects.count() == 2


def test_a_bank_reference_longer_than_the_payment_column_becomes_a_suggestion(
    tmp_path,
    organization,
    books,  # noqa: F811
):
    first = books["invoices"][0]
    reference = "R" * 110  # BankEntry keeps 120 characters, a Payment 100
    text = f"/CNTP/NL91ABNA0417164300/ABNANL2A/Bakker Bouw/X//REMI/USTD//Factuur {first.number}/"
    path = mt940_file(tmp_path, [("C", "121.00", text, reference)])
    summary = run(organization, path)
    assert summary.counts["suggested"] == 1 and summary.counts["matched"] == 0
    entry = BankEntry.objects.get()
    assert entry.status == EntryStatus.SUGGESTED
    assert "100 characters" in entry.reason
    assert not Payment.objects.exists()

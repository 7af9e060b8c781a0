# ruff: noqa: E501  (statement lines are kept whole)
"""Importing statements into the books: once, balanced, matched through the ledger services,
and the review queue's decisions."""

import datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tegoed.banking import queries, services
from tegoed.banking.models import BankEntry, EntryStatus, StatementImport
from tegoed.customers.models import BankAccount
from tegoed.domain import payment_reference
from tegoed.domain.errors import DomainError
from tegoed.invoices.models import Payment
from tests.factories import CustomerFactory, OrganizationFactory, issued_invoice

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
TODAY = datetime.date(2026, 3, 10)

pytestmark = pytest.mark.django_db


def mt940_file(tmp_path, lines, *, name="day.sta", opening="1000,00", closing=None):
    """A small MT940 statement; each line is (C/D, amount, :86: text, bank reference)."""
    total = Decimal(opening.replace(",", "."))
    body = []
    for mark, amount, text, reference in lines:
        value = Decimal(amount)
        total += value if mark == "C" else -value
        body.append(f":61:2603090309{mark}{amount.replace('.', ',')}NTRFNONREF//{reference}")
        body.append(f":86:{text}")
    closing = closing or f"{total:.2f}".replace(".", ",")
    path = tmp_path / name
    path.write_text(
        ":20:STMT1\n:25:NL69INGB0123456789\n:28C:1\n"
        f":60F:C260308EUR{opening}\n" + "\n".join(body) + f"\n:62F:C260309EUR{closing}\n-\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def books(organization):
    bakker = CustomerFactory(organization=organization, name="Bakker Bouw B.V.")
    jansen = CustomerFactory(organization=organization, name="Jansen Installatie")
    BankAccount.objects.create(customer=bakker, iban="NL91ABNA0417164300")
    first = issued_invoice(bakker, "121.00", issue_date=datetime.date(2026, 2, 1))
    second = issued_invoice(bakker, "250.00", issue_date=datetime.date(2026, 2, 2))
    third = issued_invoice(jansen, "80.00", issue_date=datetime.date(2026, 2, 3))
    return {"bakker": bakker, "jansen": jansen, "invoices": (first, second, third)}


def statement_for(tmp_path, books, **kwargs):
    first, _second, third = books["invoices"]
    return mt940_file(
        tmp_path,
        [
            ("C", "121.00", f"/EREF/NOTPROVIDED//CNTP/NL91ABNA0417164300/ABNANL2A/Bakker Bouw/AMSTERDAM//REMI/USTD//Factuur {first.number}/", "B1"),
            ("C", "80.00", f"/CNTP/NL20INGB0001234567/INGBNL2A/Jansen/UTRECHT//REMI/USTD//betaling {third.number}/", "B2"),
            ("C", "55.00", "/CNTP/NL02BUNQ2025123456/BUNQNL2A/Onbekend/X//REMI/USTD//gift/", "B3"),
            ("D", "20.00", "/CNTP/NL86INGB0002445588/INGBNL2A/Telecom//REMI/USTD//abonnement/", "B4"),
        ],
        **kwargs,
    )  # fmt: skip


def test_import_books_matches_through_the_ledger(tmp_path, organization, books):
    path = statement_for(tmp_path, books)
    summary = services.import_statement(
        organization=organization, path=path, acting_user=None, today=TODAY
    )
    assert summary.counts == {"matched": 2, "suggested": 0, "unmatched": 1, "ignored": 1}
    assert summary.balance_problems == []
    first, _second, third = books["invoices"]
    first.refresh_from_db()
    third.refresh_from_db()
    assert first.open_amount == Decimal("0.00")
    assert third.open_amount == Decimal("0.00")
    payment = Payment.objects.get(bank_reference="B1")
    assert payment.customer == books["bakker"]
    assert payment.payer_iban == "NL91ABNA0417164300"
    entry = BankEntry.objects.get(entry_id="B1")
    assert entry.status == EntryStatus.MATCHED and entry.payment == payment
    assert "Factuur" not in entry.reason or first.number in entry.reason


def test_the_same_file_or_the_same_entries_again_book_nothing_twice(tmp_path, organization, books):
    path = statement_for(tmp_path, books)
    services.import_statement(organization=organization, path=path, acting_user=None, today=TODAY)
    again = services.import_statement(
        organization=organization, path=path, acting_user=None, today=TODAY
    )
    assert again.already_imported_file
    # The same entries in another file (another export of the same day) are skipped too.
    other = statement_for(tmp_path, books, name="again.sta")
    other.write_text(other.read_text() + "\n")
    summary = services.import_statement(
        organization=organization, path=other, acting_user=None, today=TODAY
    )
    assert not summary.already_imported_file
    assert summary.already_imported == 4
    assert sum(summary.counts.values()) == 0
    assert Payment.objects.count() == 2
    assert BankEntry.objects.count() == 4


def test_a_balance_that_does_not_add_up_is_reported(tmp_path, organization, books):
    path = statement_for(tmp_path, books, closing="9999,99")
    summary = services.import_statement(
        organization=organization, path=path, acting_user=None, today=TODAY
    )
    assert len(summary.balance_problems) == 1
    assert "9999.99" in summary.balance_problems[0]
    assert StatementImport.objects.get().balance_problems == summary.balance_problems


def test_nothing_is_imported_from_a_broken_file(organization):
    with pytest.raises(DomainError, match="line 131"):
        services.import_statement(
            organization=organization,
            path=FIXTURES / "camt" / "moiristo-camt_error.xml",
            acting_user=None,
            today=TODAY,
        )
    assert not StatementImport.objects.exists()
    assert not BankEntry.objects.exists()


def test_real_camt_file_imports(organization):
    summary = services.import_statement(
        organization=organization,
        path=FIXTURES / "camt" / "moiristo-camt.xml",
        acting_user=None,
        today=TODAY,
    )
    assert summary.entries_read == 29
    assert summary.balance_problems == []
    assert sum(summary.counts.values()) == 29


def test_review_accept_teaches_the_iban(tmp_path, organization, books, member):
    _first, second, _third = books["invoices"]
    path = mt940_file(
        tmp_path,
        [("C", "250.00", f"/CNTP/NL20INGB0001234567/INGBNL2A/Bakker Holding/UTRECHT//REMI/USTD//{second.number} deel/", "R1"),
         ("C", "250.00", f"/CNTP/NL20INGB0001234567/INGBNL2A/Bakker Holding/UTRECHT//REMI/USTD//{second.number}/", "R2")],
    )  # fmt: skip
    services.import_statement(organization=organization, path=path, acting_user=None, today=TODAY)
    entries = {entry.entry_id: entry for entry in BankEntry.objects.all()}
    # The first pays the invoice named (the amount is right); the second is a duplicate.
    assert entries["R1"].status == EntryStatus.MATCHED
    duplicate = entries["R2"]
    assert duplicate.status == EntryStatus.SUGGESTED
    assert "duplicate" in duplicate.flags
    assert queries.review_queue(organization).filter(pk=duplicate.pk).exists()
    # Keep the duplicate as credit on the customer the candidate names.
    services.accept_proposal(entry=duplicate, number=0, acting_user=member, today=TODAY)
    duplicate.refresh_from_db()
    assert duplicate.status == EntryStatus.CONFIRMED
    assert duplicate.payment.customer == books["bakker"]
    assert BankAccount.objects.filter(customer=books["bakker"], iban="NL20INGB0001234567").exists()
    with pytest.raises(services.ReviewError):
        services.dismiss_entry(entry=duplicate, acting_user=member, today=TODAY)


def test_review_split_over_invoices_and_dismiss(tmp_path, organization, books, member):
    first, second, third = books["invoices"]
    path = mt940_file(
        tmp_path,
        [("C", "300.00", "/CNTP/NL02BUNQ2025123456/BUNQNL2A/B Bakker/X//REMI/USTD//facturen/", "S1"),
         ("C", "12.00", "/CNTP/NL02BUNQ2025123457/BUNQNL2A/Rente/X//REMI/USTD//rente/", "S2")],
    )  # fmt: skip
    services.import_statement(organization=organization, path=path, acting_user=None, today=TODAY)
    split, interest = BankEntry.objects.order_by("entry_id")
    assert split.to_review and interest.to_review
    with pytest.raises(services.ReviewError, match="more than"):
        services.book_entry(
            entry=split, allocations=[(first, Decimal("121.00")), (second, Decimal("250.00"))],
            acting_user=member, today=TODAY,
        )  # fmt: skip
    with pytest.raises(services.ReviewError, match="one customer"):
        services.book_entry(
            entry=split, allocations=[(first, Decimal("121.00")), (third, Decimal("80.00"))],
            acting_user=member, today=TODAY,
        )  # fmt: skip
    services.book_entry(
        entry=split, allocations=[(first, Decimal("121.00")), (second, Decimal("179.00"))],
        acting_user=member, today=TODAY,
    )  # fmt: skip
    second.refresh_from_db()
    assert second.open_amount == Decimal("71.00")
    services.dismiss_entry(entry=interest, acting_user=member, today=TODAY)
    interest.refresh_from_db()
    assert interest.status == EntryStatus.NOT_CUSTOMER_PAYMENT
    assert not queries.review_queue(organization).exists()


def test_an_early_payment_discount_is_written_off(tmp_path, organization, books):
    first = issued_invoice(books["bakker"], "121.00", issue_date=TODAY - datetime.timedelta(days=5))
    path = mt940_file(
        tmp_path,
        [("C", "118.58", f"/CNTP/NL91ABNA0417164300/ABNANL2A/Bakker/X//REMI/USTD//{first.number}/", "K1")],
    )  # fmt: skip
    summary = services.import_statement(
        organization=organization, path=path, acting_user=None, today=TODAY
    )
    assert summary.counts["matched"] == 1
    first.refresh_from_db()
    assert first.paid == Decimal("118.58")
    assert first.written_off == Decimal("2.42")
    assert first.open_amount == Decimal("0.00")


def test_access_is_scoped_to_the_organization(tmp_path, organization, books, member):
    path = statement_for(tmp_path, books)
    services.import_statement(organization=organization, path=path, acting_user=None, today=TODAY)
    entry = BankEntry.objects.first()
    assert queries.get_entry_for_user(member, organization, entry.public_id) == entry
    other = OrganizationFactory()
    from django.http import Http404

    with pytest.raises(Http404):
        queries.get_entry_for_user(member, other, entry.public_id)


def test_import_statement_command(tmp_path, organization, books):
    path = statement_for(tmp_path, books)
    out = StringIO()
    call_command("import_statement", str(path), "--organization", organization.slug, stdout=out)
    text = out.getvalue()
    assert "matched and booked" in text and "2" in text
    assert "Balance check: every statement adds up" in text
    out = StringIO()
    call_command("import_statement", str(path), "--organization", organization.slug, stdout=out)
    assert "imported before" in out.getvalue()
    with pytest.raises(CommandError, match=r"moiristo-camt_error\.xml"):
        call_command(
            "import_statement", str(FIXTURES / "camt" / "moiristo-camt_error.xml"),
            "--organization", organization.slug, stdout=StringIO(),
        )  # fmt: skip


def test_structured_reference_of_the_invoice(tmp_path, organization, books):
    _first, second, _third = books["invoices"]
    assert payment_reference.rf_is_valid(second.payment_reference)
    path = mt940_file(
        tmp_path,
        [("C", "250.00", f"/CNTP/NL02BUNQ2025123456/BUNQNL2A/Iemand/X//REMI/STRD/ISO/{second.payment_reference}/", "F1")],
    )  # fmt: skip
    summary = services.import_statement(
        organization=organization, path=path, acting_user=None, today=TODAY
    )
    assert summary.counts["matched"] == 1

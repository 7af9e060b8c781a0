import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tegoed.audit.models import AuditEvent
from tegoed.common.tabular import ImportFailed
from tegoed.customers.models import Customer
from tegoed.invoices import csv_import, queries
from tegoed.invoices.models import Invoice
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

EXCEL_NL = (
    "Factuurnummer;Klantnummer;Klantnaam;Soort klant;E-mail;Straat;Postcode;Plaats;"
    "Factuurdatum;Vervaldatum;Omschrijving;Aantal;Prijs;BTW\n"
    "F-1;K1;Bakker B.V.;bedrijf;anna@bakker.example;Markt 1;1234 AB;Gouda;"
    "01-02-2026;03-03-2026;Brood;10;2,50;9\n"
    "F-1;K1;;;;;;;01-02-2026;03-03-2026;Taart;1;1.234,56;21\n"
    "F-2;K2;Piet Jansen;particulier;piet@example.com;;;;2026-02-02;;Les;1;45;21\n"
)


def write(tmp_path: Path, text: str, *, name: str = "facturen.csv", encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_excel_semicolon_file_with_decimal_commas_imports_invoices_and_customers(
    tmp_path, organization
):
    path = write(tmp_path, EXCEL_NL, encoding="cp1252")
    plan = csv_import.plan(path, organization)
    assert plan.summary() == "2 new invoice(s), 0 already imported and unchanged, 2 new customer(s)"
    csv_import.apply(plan, acting_user=None)

    first = Invoice.objects.get(organization=organization, number="F-1")
    # 10 × 2.50 at 9 % and 1,234.56 at 21 %: VAT 2.25 + 259.26
    assert (first.subtotal, first.vat_total, first.total) == (
        Decimal("1259.56"),
        Decimal("261.51"),
        Decimal("1521.07"),
    )
    assert first.lines.count() == 2
    assert first.payment_reference.startswith("RF") and first.payment_reference.endswith("F1")
    assert queries.balance_of(first).state == "open"
    consumer = Customer.objects.get(organization=organization, number="K2")
    assert consumer.kind == "consumer"
    assert consumer.contacts.get().email == "piet@example.com"
    # No due date in the file: the organization's default term.
    assert Invoice.objects.get(number="F-2").due_date == datetime.date(2026, 3, 4)
    assert AuditEvent.objects.filter(action="invoice.imported").count() == 2


def test_importing_the_same_file_again_changes_nothing(tmp_path, organization):
    path = write(tmp_path, EXCEL_NL)
    call_command("import_invoices", str(path), organization=organization.slug)
    events = AuditEvent.objects.count()
    plan = csv_import.plan(path, organization)
    assert plan.changes_nothing
    assert plan.unchanged_invoices == ["F-1", "F-2"]
    call_command("import_invoices", str(path), organization=organization.slug)
    assert Invoice.objects.count() == 2
    assert AuditEvent.objects.count() == events


def test_dry_run_says_what_would_change_and_changes_nothing(tmp_path, organization, capsys):
    path = write(tmp_path, EXCEL_NL)
    call_command("import_invoices", str(path), organization=organization.slug, dry_run=True)
    output = capsys.readouterr().out
    assert "Dry run" in output and "new invoice F-1 K1 2026-02-01 EUR 1521.07" in output
    assert not Invoice.objects.exists()
    assert not Customer.objects.exists()


def test_one_broken_row_imports_nothing_and_names_file_line_and_column(tmp_path, organization):
    broken = EXCEL_NL + "F-3;K1;;;;;;;31-02-2026;;Fout;1;abc;21\n"
    path = write(tmp_path, broken)
    with pytest.raises(ImportFailed) as failed:
        csv_import.plan(path, organization)
    messages = [str(error) for error in failed.value.errors]
    assert "facturen.csv, line 5, column issue_date: '31-02-2026' is not a date" in messages[0]
    assert "facturen.csv, line 5, column unit_price: 'abc' is not a number" in messages[1]
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_invoices", str(path), organization=organization.slug)
    assert not Invoice.objects.exists()


def test_invalid_kvk_or_vat_of_a_new_customer_is_refused_with_the_reason(tmp_path, organization):
    text = (
        "invoice_number,customer_number,customer_name,customer_kvk,customer_vat_number,"
        "issue_date,description,unit_price\n"
        "A1,C1,Foo B.V.,1234,NL123456789B02,2026-01-10,Werk,100.00\n"
    )
    with pytest.raises(ImportFailed) as failed:
        csv_import.plan(write(tmp_path, text), organization)
    columns = {error.column for error in failed.value.errors}
    assert columns == {"customer_kvk", "customer_vat_number"}


def test_an_existing_invoice_with_other_content_is_an_error(tmp_path, organization):
    call_command("import_invoices", str(write(tmp_path, EXCEL_NL)), organization=organization.slug)
    changed = EXCEL_NL.replace("Les;1;45;21", "Les;1;46;21")
    with pytest.raises(ImportFailed, match="F-2 already exists with other content"):
        csv_import.plan(write(tmp_path, changed, name="again.csv"), organization)


def test_unknown_customer_without_a_name_and_a_missing_column(tmp_path, organization):
    text = (
        "invoice_number,customer_number,issue_date,description,unit_price\nA1,NOPE,2026-01-10,x,1\n"
    )
    with pytest.raises(ImportFailed, match="customer 'NOPE' is unknown"):
        csv_import.plan(write(tmp_path, text), organization)
    with pytest.raises(ImportFailed, match="column unit_price: this column is missing"):
        csv_import.plan(
            write(tmp_path, "invoice_number,customer_number,issue_date,description\n"), organization
        )


def test_issue_checks_apply_to_imported_invoices(tmp_path, organization):
    CustomerFactory(organization=organization, number="G1", kind="government")
    text = (
        "invoice_number,customer_number,issue_date,due_date,description,unit_price\n"
        "A1,G1,2026-01-10,2026-03-10,Werk,100\n"
    )
    with pytest.raises(ImportFailed, match="legal maximum of 30 days"):
        csv_import.plan(write(tmp_path, text), organization)


def test_invoices_of_another_organization_do_not_count_as_existing(tmp_path, organization):
    other = CustomerFactory(number="K1").organization
    call_command("import_invoices", str(write(tmp_path, EXCEL_NL)), organization=other.slug)
    plan = csv_import.plan(write(tmp_path, EXCEL_NL), organization)
    assert len(plan.new_invoices) == 2 and len(plan.new_customers) == 2

"""Every malformed file the hardening round found is refused with a message that names the file,
the line or element and what is wrong, and imports nothing — on SQLite and PostgreSQL alike."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tegoed.banking import services
from tegoed.banking.models import BankEntry, StatementImport
from tegoed.common.tabular import ImportFailed
from tegoed.customers import csv_import as customer_csv
from tegoed.customers.models import Customer
from tegoed.documents import ubl_import
from tegoed.domain.errors import DomainError
from tegoed.invoices import csv_import as invoice_csv
from tegoed.invoices.models import Invoice, InvoiceLine, Payment
from tests.factories import MembershipFactory, OrganizationFactory
from tests.web.conftest import login

pytestmark = pytest.mark.django_db

BANK_FILES = Path(__file__).resolve().parents[1] / "banking" / "files"
UBL = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "ubl" / "logius-nlcius.xml"
TODAY = datetime.date(2026, 3, 10)
LONG = "x" * 140_000  # over the csv module's field limit of 131,072 characters

ING_HEADER, ING_ROW = (BANK_FILES / "ing.csv").read_text().splitlines()[:2]
CAMT = (BANK_FILES / "camt053-v08.xml").read_text()
MT940 = (BANK_FILES / "ing-structured.sta").read_text()
MT940_AMOUNT = re.search(r"(:61:\d{10}C)(\d+,\d*)", MT940)
INVOICES = "Factuurnummer;Klantnummer;Klantnaam;Factuurdatum;Omschrijving;Aantal;Prijs;BTW\n"
CUSTOMERS = "Debiteurnummer;Naam;Betalingstermijn;Kredietlimiet\n"


def ing(row: str) -> bytes:
    return f"{ING_HEADER}\n{row}\n".encode()


def mt940_amount(amount: str) -> bytes:
    return MT940.replace(MT940_AMOUNT.group(0), MT940_AMOUNT.group(1) + amount, 1).encode()


BAD_STATEMENTS = {
    "csv_field_over_the_csv_limit": (
        "ing.csv",
        ing(ING_ROW.replace("Bakker Bouw BV", LONG)),
        "line 2",
        "field longer than 131072",
    ),
    "csv_undefined_windows_1252_byte": (
        "ing.csv",
        ing(ING_ROW).replace(b"Bakker", b"Bak\x81er"),
        "line 2",
        "byte 0x81",
    ),
    "csv_bom_then_invalid_utf8": (
        "ing.csv",
        b"\xef\xbb\xbf" + ing(ING_ROW).replace(b"Bakker", b"Bak\xffer"),
        "line 2",
        "byte 0xFF is not UTF-8",
    ),
    "csv_amount_beyond_decimal_range": (
        "ing.csv",
        ing(ING_ROW.replace('"121,00"', '"1E+999999"')),
        "line 2",
        "1,000,000,000,000 or more",
    ),
    "csv_amount_1e30": (
        "ing.csv",
        ing(ING_ROW.replace('"121,00"', '"1e30"')),
        "line 2",
        "1,000,000,000,000 or more",
    ),
    "csv_amount_too_large_for_the_column": (
        "ing.csv",
        ing(ING_ROW.replace('"121,00"', '"920000000000000,00"')),
        "line 2",
        "or more",
    ),
    "csv_nul_byte": ("ing.csv", ing(ING_ROW.replace("Bakker", "Bak\x00ker")), "line 2", "NUL"),
    "mt940_31_digit_amount": ("day.sta", mt940_amount("9" * 31 + ",00"), "line 6", "or more"),
    "mt940_amount_too_large_for_the_column": (
        "day.sta",
        mt940_amount("920000000000000,00"),
        "line 6",
        "or more",
    ),
    "mt940_undefined_windows_1252_byte": (
        "day.sta",
        MT940.encode().replace(b"/REMI/", b"/REMI/\x9d", 1),
        "line 9",
        "byte 0x9D",
    ),
    "mt940_nul_byte": (
        "day.sta",
        MT940.replace("/REMI/", "/REMI/\x00", 1).encode(),
        "line 9",
        "NUL",
    ),
    "camt_amount_1e30": (
        "day.xml",
        CAMT.replace(">121.00<", ">1e30<", 1).encode(),
        "element Amt, line 13",
        "or more",
    ),
    "camt_amount_beyond_decimal_range": (
        "day.xml",
        CAMT.replace(">121.00<", ">1E+999999<", 1).encode(),
        "element Amt, line 13",
        "or more",
    ),
    "camt_amount_too_large_for_the_column": (
        "day.xml",
        CAMT.replace(">121.00<", ">920000000000000.00<", 1).encode(),
        "element Amt, line 13",
        "or more",
    ),
    "camt_bom_then_invalid_utf8": (
        "day.xml",
        b"\xef\xbb\xbf" + CAMT.encode().replace(b"E2E-1", b"E2E\xff1"),
        "line 20",
        "not well-formed",
    ),
    "camt_doctype_after_a_long_comment": (
        "day.xml",
        (
            '<?xml version="1.0"?>\n<!--'
            + "x" * 5000
            + '-->\n<!DOCTYPE Document [<!ENTITY a "b">]>\n'
            + CAMT.split("\n", 1)[1]
        ).encode(),
        "day.xml",
        "DOCTYPE",
    ),
    "camt_doctype_in_utf16": (
        "day.xml",
        (
            '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE Document [<!ENTITY a "b">]>\n'
            + CAMT.split("\n", 1)[1]
        ).encode("utf-16"),
        "day.xml",
        "DOCTYPE",
    ),
}


@pytest.mark.parametrize("case", BAD_STATEMENTS)
def test_a_bad_statement_is_refused_naming_where_and_imports_nothing(case, tmp_path, organization):
    name, content, where, what = BAD_STATEMENTS[case]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DomainError) as refused:
        services.import_statement(
            organization=organization, path=path, acting_user=None, today=TODAY
        )
    message = str(refused.value)
    assert message.startswith(name) and where in message and what in message, message
    assert len(message) < 400
    assert not StatementImport.objects.exists() and not BankEntry.objects.exists()


@pytest.mark.parametrize(
    "case", ["csv_field_over_the_csv_limit", "mt940_31_digit_amount", "camt_doctype_in_utf16"]
)
def test_a_bad_statement_is_refused_on_the_upload_page_and_at_the_command_line(
    case, tmp_path, organization
):
    name, content, where, what = BAD_STATEMENTS[case]
    client = login(MembershipFactory(organization=organization).user)
    page = client.post(
        reverse("banking:upload"), {"file": SimpleUploadedFile(name, content)}, follow=True
    )
    assert page.status_code == 200
    assert what in page.content.decode() and where in page.content.decode()
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=re.escape(what)):
        call_command("import_statement", str(path), organization=organization.slug)
    assert not BankEntry.objects.exists()


def test_a_statement_with_more_entries_than_allowed_is_refused(tmp_path, organization, settings):
    settings.TEGOED_MAX_STATEMENT_ENTRIES = 2
    path = tmp_path / "day.sta"
    path.write_text(MT940)
    with pytest.raises(DomainError, match="more than 2 entries in one file"):
        services.import_statement(
            organization=organization, path=path, acting_user=None, today=TODAY
        )
    assert not BankEntry.objects.exists()


def import_tabular(importer, tmp_path, organization, content: bytes):
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    importer.apply(importer.plan(path, organization), acting_user=None)


BAD_SPREADSHEETS = {
    "invoices_field_over_the_csv_limit": (
        invoice_csv,
        (INVOICES + f"F1;K1;Bakker;01-02-2026;{LONG};1;2,50;9\n").encode(),
        "line 2",
        "field longer than 131072",
    ),
    "invoices_undefined_windows_1252_byte": (
        invoice_csv,
        (INVOICES + "F1;K1;Bak\x81er;01-02-2026;Brood;1;2,50;9\n").encode("latin-1"),
        "line 2",
        "byte 0x81",
    ),
    "invoices_bom_then_invalid_utf8": (
        invoice_csv,
        b"\xef\xbb\xbf"
        + (INVOICES + "F1;K1;Bak\xffer;01-02-2026;Brood;1;2,50;9\n").encode("latin-1"),
        "line 2",
        "byte 0xFF",
    ),
    "invoices_price_1e30": (
        invoice_csv,
        (INVOICES + "F1;K1;Bakker;01-02-2026;Brood;1;1e30;9\n").encode(),
        "line 2, column unit_price",
        "or more",
    ),
    "invoices_price_beyond_decimal_range": (
        invoice_csv,
        (INVOICES + "F1;K1;Bakker;01-02-2026;Brood;1;1E+999999;9\n").encode(),
        "line 2, column unit_price",
        "or more",
    ),
    "invoices_price_beyond_the_decimal_context": (
        invoice_csv,
        (INVOICES + "F1;K1;Bakker;01-02-2026;Brood;1;1E+9999999;9\n").encode(),
        "line 2, column unit_price",
        "or more",
    ),
    "invoices_quantity_below_the_decimal_context": (
        invoice_csv,
        (INVOICES + "F1;K1;Bakker;01-02-2026;Brood;1E-9999999;1;9\n").encode(),
        "line 2, column quantity",
        "more than three decimals",
    ),
    "customers_iban_of_five_thousand_characters": (
        customer_csv,
        ("Debiteurnummer;Naam;Rekeningnummer\n" + "C1;Bakker;NL" + "X" * 5000 + "\n").encode(),
        "line 2, column iban",
        "longer than 300",
    ),
    "invoices_quantity_too_large_for_the_column": (
        invoice_csv,
        (INVOICES + "F1;K1;Bakker;01-02-2026;Brood;1234567890123;1;9\n").encode(),
        "line 2, column quantity",
        "1,000,000,000 or more",
    ),
    "invoices_quantity_with_four_decimals": (
        invoice_csv,
        (INVOICES + "F1;K1;Bakker;01-02-2026;Brood;1,2345;1;9\n").encode(),
        "line 2, column quantity",
        "more than three decimals",
    ),
    "invoices_price_with_five_decimals": (
        invoice_csv,
        (INVOICES + "F1;K1;Bakker;01-02-2026;Brood;1;1,12345;9\n").encode(),
        "line 2, column unit_price",
        "more than four decimals",
    ),
    "invoices_total_too_large_for_the_column": (
        invoice_csv,
        (INVOICES + "F1;K1;Bakker;01-02-2026;Brood;999999999;9999999999;21\n").encode(),
        "line 2",
        "total is more than",
    ),
    "invoices_nul_byte": (
        invoice_csv,
        (INVOICES + "F1;K1;Bak\x00ker;01-02-2026;Brood;1;2,50;9\n").encode(),
        "line 2",
        "NUL",
    ),
    "customers_field_over_the_csv_limit": (
        customer_csv,
        (CUSTOMERS + f"C1;{LONG};30;\n").encode(),
        "line 2",
        "field longer than 131072",
    ),
    "customers_short_row": (
        customer_csv,
        (CUSTOMERS + "C1\n").encode(),
        "line 2, column name",
        "is empty",
    ),
    "customers_payment_term_superscript_two": (
        customer_csv,
        (CUSTOMERS + "C1;Bakker;²;\n").encode(),
        "line 2, column payment_term_days",
        "not a whole number",
    ),
    "customers_payment_term_too_large_for_the_column": (
        customer_csv,
        (CUSTOMERS + "C1;Bakker;99999999999;\n").encode(),
        "line 2, column payment_term_days",
        "more than 32767",
    ),
    "customers_credit_limit_with_three_decimals": (
        customer_csv,
        (CUSTOMERS + "C1;Bakker;30;12,345\n").encode(),
        "line 2, column credit_limit",
        "more than two decimals",
    ),
    "customers_credit_limit_1e30": (
        customer_csv,
        (CUSTOMERS + "C1;Bakker;30;1e30\n").encode(),
        "line 2, column credit_limit",
        "or more",
    ),
    "customers_label_longer_than_its_column": (
        customer_csv,
        ("Debiteurnummer;Naam;Labels\n" + "C1;Bakker;" + "l" * 51 + "\n").encode(),
        "line 2, column tags",
        "longer than 50",
    ),
    "customers_nul_byte": (
        customer_csv,
        (CUSTOMERS + "C1;Bak\x00ker;30;\n").encode(),
        "line 2",
        "NUL",
    ),
}


@pytest.mark.parametrize("case", BAD_SPREADSHEETS)
def test_a_bad_spreadsheet_is_refused_naming_where_and_imports_nothing(
    case, tmp_path, organization
):
    importer, content, where, what = BAD_SPREADSHEETS[case]
    with pytest.raises(ImportFailed) as refused:
        import_tabular(importer, tmp_path, organization, content)
    message = str(refused.value)
    assert f"file.csv, {where}" in message and what in message, message
    assert len(message) < 400
    assert not Customer.objects.exists() and not Invoice.objects.exists()


def test_a_bad_spreadsheet_is_refused_at_the_command_line(tmp_path, organization):
    path = tmp_path / "facturen.csv"
    path.write_bytes(BAD_SPREADSHEETS["invoices_price_beyond_decimal_range"][1])
    with pytest.raises(CommandError, match=re.escape("facturen.csv, line 2, column unit_price")):
        call_command("import_invoices", str(path), organization=organization.slug)


@pytest.fixture
def seller(db):
    """The seller of the Logius NLCIUS example, so that its invoice is ours to import."""
    return OrganizationFactory(kvk_number="32141305", vat_number="NL820098395B01")


def price_of_first_line(value: bytes) -> bytes:
    content = UBL.read_bytes()
    found = re.search(rb"(<cbc:PriceAmount[^>]*>)[^<]+<", content)
    return content.replace(found.group(0), found.group(1) + value + b"<", 1)


BAD_UBL = {
    "ubl_price_1e30": (price_of_first_line(b"1e30"), "cbc:PriceAmount", "or more"),
    "ubl_price_beyond_decimal_range": (
        price_of_first_line(b"1E+999999"),
        "cbc:PriceAmount",
        "or more",
    ),
    "ubl_doctype": (
        UBL.read_bytes().replace(b"?>", b'?>\n<!DOCTYPE Invoice [<!ENTITY a "b">]>', 1),
        "factuur.xml",
        "DOCTYPE",
    ),
    "ubl_nul_character": (
        UBL.read_bytes().replace(b"<cbc:ID>", b"<cbc:ID>&#0;", 1),
        "line 19",
        "not well-formed",
    ),
}


@pytest.mark.parametrize("case", BAD_UBL)
def test_a_bad_ubl_file_is_refused_naming_where_and_imports_nothing(case, seller):
    content, where, what = BAD_UBL[case]
    with pytest.raises(ubl_import.UblImportError) as refused:
        ubl_import.import_files(
            [("factuur.xml", content)], organization=seller, acting_user=None, today=TODAY
        )
    message = str(refused.value)
    assert message.startswith("factuur.xml") and where in message and what in message, message
    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists()


def test_a_bad_ubl_file_is_refused_on_the_upload_page(seller):
    client = login(MembershipFactory(organization=seller).user)
    content = BAD_UBL["ubl_price_beyond_decimal_range"][0]
    page = client.post(
        reverse("documents:import_ubl"), {"files": SimpleUploadedFile("factuur.xml", content)}
    )
    assert page.status_code == 422
    assert "cbc:PriceAmount" in page.content.decode()
    assert not Invoice.objects.exists() and not Payment.objects.exists()


@pytest.mark.parametrize("amount", ["1E+30", "1E+9999999", "12.345"])
def test_a_payment_beyond_its_column_is_refused_by_the_service(organization, amount):
    from decimal import Decimal

    from tegoed.invoices import services as invoice_services

    with pytest.raises(invoice_services.LedgerError, match="whole cents"):
        invoice_services.record_payment(
            organization=organization, amount=Decimal(amount),
            received_on=TODAY, acting_user=None,
        )  # fmt: skip
    assert not Payment.objects.exists()

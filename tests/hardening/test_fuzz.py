"""Every importer, fed real files mutated by a seeded mutator: each ends in a clean import or in
an error that names the file — never another exception — and a refused file leaves no row.

The mutations are what the hardening round found in real damage: flipped and dropped bytes,
cut files, repeated spans, and the values that broke readers before (NUL, undefined
Windows-1252 bytes, huge and exotic numbers, quotes and separators, long fields).
"""

import datetime
import random
from pathlib import Path

import pytest

from tegoed.audit.models import AuditEvent
from tegoed.banking import services as banking
from tegoed.banking.models import BankEntry, StatementImport
from tegoed.common.tabular import ImportFailed
from tegoed.customers import csv_import as customer_csv
from tegoed.customers.models import Customer
from tegoed.documents import ubl_import
from tegoed.domain.errors import DomainError
from tegoed.invoices import csv_import as invoice_csv
from tegoed.invoices.models import Allocation, Invoice, Payment
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
FILES = Path(__file__).resolve().parents[1] / "banking" / "files"
TODAY = datetime.date(2026, 3, 10)
MUTANTS = 30  # per seed file; the seeds are fixed, so a failure is reproduced exactly

INSERTS = (
    b"\x00", b"\x81", b"\x8d", b"\x9d", b"\xff", b"\xef\xbb\xbf", b"\r\n", b"\n", b'"', b";",
    b",", b"<", b"&#0;", b"]]>", b"1E+999999", b"1e30", b"NaN", b"-", b"9" * 31,
    b"920000000000000,00", b"0.001", b"x" * 5000, b"<!DOCTYPE x>", b":61:", b":86:", b":20:",
)  # fmt: skip


def mutate(data: bytes, rng: random.Random) -> bytes:
    for _step in range(rng.randint(1, 3)):
        at = rng.randrange(len(data) + 1)
        kind = rng.randrange(6)
        if kind == 0 and data:
            data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
        elif kind == 1:
            data = data[:at] + rng.choice(INSERTS) + data[at:]
        elif kind == 2:
            data = data[:at] + data[at + rng.randint(1, 40) :]
        elif kind == 3:
            data = data[:at]
        elif kind == 4:
            end = min(len(data), at + rng.randint(1, 400))
            data = data[:end] + data[at:end] + data[end:]
        else:
            # A number where a number stands, replaced by one of the kinds that broke readers.
            digits = [i for i in range(len(data)) if 48 <= data[i] <= 57]
            if digits:
                where = rng.choice(digits)
                data = data[:where] + rng.choice(INSERTS[14:21]) + data[where + 1 :]
    return data


def rows() -> dict[str, int]:
    models = (StatementImport, BankEntry, Invoice, Allocation, Payment, Customer, AuditEvent)
    return {model.__name__: model.objects.count() for model in models}


def outcome(run, name: str, content: bytes, errors: tuple[type[Exception], ...]) -> None:
    before = rows()
    try:
        run(name, content)
    except errors as error:
        assert name in str(error), f"the error does not name the file: {error}"
        assert len(str(error)) < 6000
        assert rows() == before, f"a refused file left rows: {error}"


def statement_runner(organization, tmp_path):
    def run(name, content):
        path = tmp_path / name
        path.write_bytes(content)
        banking.import_statement(
            organization=organization, path=path, acting_user=None, today=TODAY, file_name=name
        )

    return run


def tabular_runner(importer, organization, tmp_path):
    def run(name, content):
        path = tmp_path / name
        path.write_bytes(content)
        importer.apply(importer.plan(path, organization), acting_user=None)

    return run


STATEMENTS = [
    FIXTURES / "camt" / "moiristo-camt.xml",
    FILES / "camt053-v08.xml",
    FILES / "camt054.xml",
    FIXTURES / "mt940" / "jejik-ing.sta",
    FIXTURES / "mt940" / "asnb.940.txt",
    FILES / "rabobank-structured.sta",
    FILES / "ing.csv",
    FILES / "rabobank.csv",
    FILES / "abnamro.tab",
]
INVOICES = (
    "Factuurnummer;Klantnummer;Klantnaam;Soort klant;E-mail;Factuurdatum;Vervaldatum;"
    "Omschrijving;Aantal;Prijs;BTW\n"
    "F-1;K1;Bakker B.V.;bedrijf;anna@bakker.example;01-02-2026;03-03-2026;Brood;10;2,50;9\n"
    "F-1;K1;;;;01-02-2026;03-03-2026;Taart;1;1.234,56;21\n"
    "F-2;K2;Piet Jansen;particulier;piet@example.com;2026-02-02;;Les;1;45;21\n"
).encode("cp1252")
CUSTOMERS = (
    b"Debiteurnummer;Naam;Soort;Straat;Postcode;Plaats;KvK;Betalingstermijn;Kredietlimiet;"
    b"E-mail;Rekeningnummer;Labels\n"
    b"D1;Bakker B.V.;bedrijf;Markt 1;2801 AB;Gouda;12345678;30;5.000,00;anna@bakker.example;"
    b"NL91 ABNA 0417 1643 00;horeca, vast\n"
    b"D2;Piet Jansen;particulier;Laan 2;1000 AA;Amsterdam;;14;;piet@example.com;;\n"
)


@pytest.mark.parametrize("seed_file", STATEMENTS, ids=lambda path: path.name)
def test_mutated_statements_import_cleanly_or_are_refused_whole(seed_file, tmp_path):
    organization = OrganizationFactory()
    run = statement_runner(organization, tmp_path)
    rng = random.Random(seed_file.name)
    original = seed_file.read_bytes()
    for number in range(MUTANTS):
        outcome(run, f"m{number}{seed_file.suffix}", mutate(original, rng), (DomainError,))


@pytest.mark.parametrize(
    ("importer", "seed"), [(invoice_csv, INVOICES), (customer_csv, CUSTOMERS)],
    ids=["invoices", "customers"],
)  # fmt: skip
def test_mutated_spreadsheets_import_cleanly_or_are_refused_whole(importer, seed, tmp_path):
    organization = OrganizationFactory()
    run = tabular_runner(importer, organization, tmp_path)
    rng = random.Random(importer.__name__)
    for number in range(MUTANTS):
        outcome(run, f"m{number}.csv", mutate(seed, rng), (ImportFailed,))


@pytest.mark.parametrize("seed_file", ["logius-nlcius.xml", "logius-peppol.xml"])
def test_mutated_ubl_invoices_import_cleanly_or_are_refused_whole(seed_file):
    # The seller of the Logius examples, so that their invoices are this organization's.
    organization = OrganizationFactory(kvk_number="32141305", vat_number="NL820098395B01")
    rng = random.Random(seed_file)
    original = (FIXTURES / "ubl" / seed_file).read_bytes()

    def run(name, content):
        ubl_import.import_files(
            [(name, content)], organization=organization, acting_user=None, today=TODAY
        )

    for number in range(MUTANTS):
        outcome(run, f"m{number}.xml", mutate(original, rng), (ubl_import.UblImportError,))

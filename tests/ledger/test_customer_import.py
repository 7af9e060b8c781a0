from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tegoed.audit.models import AuditEvent
from tegoed.common.tabular import ImportFailed
from tegoed.customers import csv_import
from tegoed.customers.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

DEBTORS = (
    "Debiteurnummer;Naam;Soort;Straat;Postcode;Plaats;KvK;BTW-nummer;Betalingstermijn;"
    "Kredietlimiet;E-mail;Contactpersoon;Rekeningnummer;Labels\n"
    "D1;Bakker B.V.;bedrijf;Markt 1;2801 AB;Gouda;12345678;NL004495445B01;30;5.000,00;"
    "anna@bakker.example;Anna Bakker;NL91 ABNA 0417 1643 00;horeca, vast\n"
    "D2;Piet Jansen;particulier;Laan 2;1000 AA;Amsterdam;;;14;;piet@example.com;;;\n"
)


def write(tmp_path: Path, text: str, name: str = "debiteuren.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_debtor_list_creates_customers_with_contact_iban_and_tags(tmp_path, organization):
    call_command("import_customers", str(write(tmp_path, DEBTORS)), organization=organization.slug)
    bakker = Customer.objects.get(organization=organization, number="D1")
    assert (bakker.kind, bakker.payment_term_days, bakker.credit_limit) == (
        "business",
        30,
        Decimal("5000.00"),
    )
    assert bakker.contacts.get().email == "anna@bakker.example"
    assert bakker.bank_accounts.get().iban == "NL91ABNA0417164300"
    assert sorted(bakker.tags.values_list("name", flat=True)) == ["horeca", "vast"]
    assert Customer.objects.get(number="D2").kind == "consumer"


def test_importing_again_changes_nothing_and_a_changed_row_updates(tmp_path, organization):
    path = write(tmp_path, DEBTORS)
    call_command("import_customers", str(path), organization=organization.slug)
    events = AuditEvent.objects.count()
    assert csv_import.plan(path, organization).changes_nothing
    call_command("import_customers", str(path), organization=organization.slug)
    assert AuditEvent.objects.count() == events

    moved = write(
        tmp_path,
        DEBTORS.replace("Laan 2;1000 AA;Amsterdam", "Gracht 9;1000 AA;Amsterdam"),
        "v2.csv",
    )
    plan = csv_import.plan(moved, organization)
    assert [(c.number, d) for c, _row, d in plan.changed] == [("D2", {"street": "Gracht 9"})]
    csv_import.apply(plan, acting_user=None)
    assert Customer.objects.get(number="D2").street == "Gracht 9"


def test_invalid_identifiers_refuse_the_whole_file(tmp_path, organization):
    broken = DEBTORS.replace("12345678", "1234").replace(
        "NL91 ABNA 0417 1643 00", "NL00 ABNA 0417 1643 00"
    )
    with pytest.raises(ImportFailed) as failed:
        csv_import.plan(write(tmp_path, broken), organization)
    assert {(e.line, e.column) for e in failed.value.errors} == {(2, "kvk_number"), (2, "iban")}
    with pytest.raises(CommandError, match=r"debiteuren\.csv, line 2, column kvk_number"):
        call_command(
            "import_customers", str(write(tmp_path, broken)), organization=organization.slug
        )
    assert not Customer.objects.exists()


def test_a_number_twice_in_the_file_is_an_error(tmp_path, organization):
    text = "customer_number,name\nX1,A\nX1,B\n"
    with pytest.raises(ImportFailed, match="X1 appears twice"):
        csv_import.plan(write(tmp_path, text), organization)


def test_customers_of_another_organization_are_not_touched(tmp_path, organization):
    stranger = CustomerFactory(number="D1", name="Other")
    call_command("import_customers", str(write(tmp_path, DEBTORS)), organization=organization.slug)
    stranger.refresh_from_db()
    assert stranger.name == "Other"
    assert Customer.objects.filter(number="D1").count() == 2

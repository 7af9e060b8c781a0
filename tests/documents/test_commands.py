"""The command-line interface: invoice-pdf, invoice-ubl, import-ubl, sepa-export."""

import datetime
import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from lxml import etree

from tegoed.documents import services
from tegoed.invoices.models import Invoice
from tests.documents.reading import pdf_text
from tests.documents.ubl_rules import failures
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "ubl"


def test_invoice_pdf(bakery_invoice, tmp_path):
    output = tmp_path / "factuur.pdf"
    call_command(
        "invoice_pdf",
        bakery_invoice.number,
        organization=bakery_invoice.organization.slug,
        output=str(output),
        stderr=io.StringIO(),
    )
    assert "bij ons te zijn ontvangen" in pdf_text(output.read_bytes())


def test_invoice_pdf_of_an_unknown_number(bakery_invoice):
    with pytest.raises(CommandError, match="No invoice 'X-1'"):
        call_command("invoice_pdf", "X-1", organization=bakery_invoice.organization.slug)


@pytest.mark.parametrize("profile", ["peppol", "nlcius"])
def test_invoice_ubl(bakery_invoice, tmp_path, profile):
    output = tmp_path / "factuur.xml"
    call_command(
        "invoice_ubl",
        bakery_invoice.number,
        organization=bakery_invoice.organization.slug,
        profile=profile,
        output=str(output),
        stderr=io.StringIO(),
    )
    xml = output.read_bytes()
    assert etree.fromstring(xml).findtext("{*}ID") == bakery_invoice.number
    assert failures(xml, "en16931") == []


def test_import_ubl_dry_run_then_for_real():
    organization = OrganizationFactory(vat_number="NL820098395B01")
    files = [str(FIXTURES / "logius-nlcius.xml"), str(FIXTURES / "cef-ubl-tc434-example2.xml")]
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"example2.xml: issued by Salescompany ltd\. \(NO123"):
        call_command("import_ubl", *files, organization=organization.slug, stdout=out)

    out = io.StringIO()
    call_command("import_ubl", files[0], organization=organization.slug, dry_run=True, stdout=out)
    assert "Dry run, nothing booked: 1 imported" in out.getvalue()
    assert not Invoice.objects.filter(organization=organization).exists()

    out = io.StringIO()
    call_command("import_ubl", files[0], organization=organization.slug, stdout=out)
    assert "Factuurscenario1: Logius, EUR 3926.50" in out.getvalue()
    assert Invoice.objects.filter(organization=organization, number="Factuurscenario1").exists()


def test_sepa_export(bakery_invoice, tmp_path):
    mandate = services.add_mandate(
        customer=bakery_invoice.customer,
        reference="M-1",
        signed_on=datetime.date(2025, 1, 1),
        iban="NL44RABO0123456789",
        acting_user=None,
    )
    services.schedule_direct_debit(
        invoice=bakery_invoice, mandate=mandate, acting_user=None, today=datetime.date(2026, 1, 4)
    )
    output = tmp_path / "incasso.xml"
    errors = io.StringIO()
    with time_machine.travel(datetime.datetime(2026, 1, 15, 9, tzinfo=datetime.UTC), tick=False):
        call_command(
            "sepa_export",
            organization=bakery_invoice.organization.slug,
            collection_date=datetime.date(2026, 1, 20),
            output=str(output),
            stderr=errors,
        )
    assert "1 debits, EUR 181.33, collected on 2026-01-20" in errors.getvalue()
    assert b"<MndtId>M-1</MndtId>" in output.read_bytes()

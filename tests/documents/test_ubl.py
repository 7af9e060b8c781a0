"""UBL e-invoices: export passes the official rules per profile, real files import, round trip."""

import base64
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from tegoed.documents import queries, rendering, ubl_export, ubl_import
from tegoed.documents.ubl_import import UblImportError
from tegoed.invoices import services as invoice_services
from tegoed.invoices.models import Invoice, InvoiceKind
from tegoed.invoices.queries import balance_of
from tests.documents.reading import pdf_text
from tests.documents.ubl_rules import failures
from tests.factories import ContactFactory, CustomerFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "ubl"
TODAY = datetime.date(2026, 3, 1)
NS = ubl_import.NS


def exported(invoice, profile):
    document = queries.invoice_document(invoice)
    return ubl_export.export(document, profile=profile, pdf=rendering.render_invoice(document))


@pytest.mark.parametrize("profile", ["peppol", "nlcius"])
def test_exported_invoice_passes_the_rules_of_its_profile(bakery_invoice, profile):
    xml = exported(bakery_invoice, profile)

    assert failures(xml, "en16931") == []
    if profile == "nlcius":
        assert failures(xml, "si-ubl") == []
    else:
        # A Peppol document is not an SI-UBL one: the Dutch rules reject its CustomizationID.
        assert any("SI-V20-INV-R000" in failure for failure in failures(xml, "si-ubl"))


@pytest.mark.parametrize("profile", ["peppol", "nlcius"])
def test_exported_credit_note_passes_the_rules(bakery_invoice, profile):
    credit_note = invoice_services.credit_invoice(
        invoice=bakery_invoice, acting_user=None, today=datetime.date(2026, 1, 10), reason="Retour"
    )
    xml = exported(credit_note, profile)
    root = etree.fromstring(xml)

    assert etree.QName(root).localname == "CreditNote"
    assert (
        root.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=NS)
        == bakery_invoice.number
    )
    assert failures(xml, "en16931") == []
    if profile == "nlcius":
        assert failures(xml, "si-ubl") == []


def test_no_si_ubl_invoice_for_a_customer_without_kvk(consumer_invoice):
    # BR-NL-10: a Dutch customer must be named by KvK (or OIN); consumers have neither.
    with pytest.raises(ubl_export.UblExportError, match="BR-NL-10"):
        exported(consumer_invoice, "nlcius")


def test_consumer_invoice_for_peppol_uses_the_e_mail_address(consumer_invoice):
    xml = exported(consumer_invoice, "peppol")
    endpoint = etree.fromstring(xml).find(
        "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", namespaces=NS
    )
    assert endpoint.get("schemeID") == "EM" and "@" in endpoint.text
    assert failures(xml, "en16931") == []


def test_the_rules_catch_a_broken_total(bakery_invoice):
    xml = exported(bakery_invoice, "nlcius").replace(
        b'<cbc:PayableAmount currencyID="EUR">181.33<',
        b'<cbc:PayableAmount currencyID="EUR">181.34<',
    )
    assert any("BR-CO-16" in failure for failure in failures(xml, "en16931"))


def test_the_pdf_travels_inside(bakery_invoice):
    root = etree.fromstring(exported(bakery_invoice, "peppol"))
    binary = root.find(
        "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
        namespaces=NS,
    )
    assert binary.get("mimeCode") == "application/pdf"
    assert binary.get("filename") == f"{bakery_invoice.number}.pdf"
    assert bakery_invoice.number in pdf_text(base64.b64decode(binary.text))


def test_round_trip_gives_the_same_invoice(bakery_invoice):
    xml = exported(bakery_invoice, "nlcius")
    other = OrganizationFactory(
        vat_number=bakery_invoice.organization.vat_number,
        kvk_number=bakery_invoice.organization.kvk_number,
    )

    result = ubl_import.import_files(
        [("bakery.xml", xml)], organization=other, acting_user=None, today=TODAY
    )

    (copy,) = result.imported
    assert result.new_customers == [bakery_invoice.customer.name]
    original_lines = list(
        bakery_invoice.lines.values_list(
            "description", "quantity", "unit_price", "vat_rate", "net_amount"
        )
    )
    copied_lines = list(
        copy.lines.values_list("description", "quantity", "unit_price", "vat_rate", "net_amount")
    )
    assert copied_lines == original_lines
    for field in (
        "number",
        "payment_reference",
        "issue_date",
        "due_date",
        "currency",
        "subtotal",
        "vat_total",
        "total",
        "customer_reference",
    ):
        assert getattr(copy, field) == getattr(bakery_invoice, field), field
    assert copy.customer.vat_number == bakery_invoice.customer.vat_number
    assert copy.customer.kvk_number == bakery_invoice.customer.kvk_number
    assert copy.lifecycle == "issued"


def _organization_for(seller_vat: str, kvk: str = ""):
    return OrganizationFactory(vat_number=seller_vat, kvk_number=kvk)


def _known_customer(organization, name: str):
    customer = CustomerFactory(organization=organization, name=name)
    ContactFactory(customer=customer, email="crediteuren@klant.example")
    return customer


@pytest.mark.parametrize(
    ("file", "seller_vat", "known_customer", "number", "total", "kind"),
    [
        ("logius-nlcius.xml", "NL820098395B01", None, "Factuurscenario1", "3926.50", "invoice"),
        (
            "logius-peppol.xml",
            "NL820098395B01",
            "Min. van RegistrationName",
            "P01",
            "3926.50",
            "invoice",
        ),
        (
            "cef-ubl-tc434-example1.xml",
            "NL820098395B01",
            "ODIN 59",
            "12115118",
            "250.33",
            "invoice",
        ),
        ("cef-ubl-tc434-example2.xml", "NO123456789MVA", None, "TOSL108", "1801.78", "invoice"),
        (
            "cef-ubl-tc434-creditnote1.xml",
            "BE0000000196",
            None,
            "018304 / 28865",
            "100.11",
            "credit_note",
        ),
    ],
)
def test_real_examples_import(file, seller_vat, known_customer, number, total, kind):
    organization = _organization_for(seller_vat)
    if known_customer:
        _known_customer(organization, known_customer)

    result = ubl_import.import_files(
        [FIXTURES / file], organization=organization, acting_user=None, today=TODAY
    )

    (invoice,) = result.imported
    assert invoice.number == number
    assert invoice.total == Decimal(total)
    assert invoice.kind == kind
    assert invoice.lifecycle == "issued"
    assert invoice.lines.count() >= 1


def test_prepaid_amount_becomes_a_payment():
    organization = _organization_for("NO123456789MVA")
    ubl_import.import_files(
        [FIXTURES / "cef-ubl-tc434-example2.xml"],
        organization=organization,
        acting_user=None,
        today=TODAY,
    )
    invoice = Invoice.objects.get(organization=organization, number="TOSL108")
    assert invoice.currency == "NOK"
    assert balance_of(invoice).paid == Decimal("1000.00")
    assert balance_of(invoice).open == Decimal("801.78")


def test_importing_again_changes_nothing():
    organization = _organization_for("NL820098395B01")
    path = FIXTURES / "logius-nlcius.xml"
    ubl_import.import_files([path], organization=organization, acting_user=None, today=TODAY)
    again = ubl_import.import_files(
        [path], organization=organization, acting_user=None, today=TODAY
    )
    assert again.imported == [] and again.unchanged == ["Factuurscenario1"]
    assert Invoice.objects.filter(organization=organization).count() == 1


def test_dry_run_books_nothing():
    organization = _organization_for("NL820098395B01")
    result = ubl_import.import_files(
        [FIXTURES / "logius-nlcius.xml"],
        organization=organization,
        acting_user=None,
        today=TODAY,
        dry_run=True,
    )
    assert len(result.imported) == 1
    assert not Invoice.objects.filter(organization=organization).exists()


def test_one_bad_file_imports_nothing(tmp_path):
    organization = _organization_for("NL820098395B01")
    broken = tmp_path / "broken.xml"
    broken.write_bytes(
        (FIXTURES / "logius-peppol.xml")
        .read_bytes()
        .replace(b"3926.50</cbc:TaxInclusiveAmount>", b"3926.51</cbc:TaxInclusiveAmount>")
    )
    with pytest.raises(UblImportError) as raised:
        ubl_import.import_files(
            [FIXTURES / "logius-nlcius.xml", broken],
            organization=organization,
            acting_user=None,
            today=TODAY,
        )
    message = str(raised.value)
    assert message.startswith("broken.xml line ")
    assert "TaxInclusiveAmount" in message and "3926.50" in message and "3926.51" in message
    assert not Invoice.objects.filter(organization=organization).exists()


def test_a_refusal_late_in_the_batch_rolls_back_the_earlier_files(tmp_path):
    organization = _organization_for("NL820098395B01")
    # The second file's customer is unknown and has no e-mail address: refused while booking.
    with pytest.raises(UblImportError, match=r"ODIN 59.*e-mail"):
        ubl_import.import_files(
            [FIXTURES / "logius-nlcius.xml", FIXTURES / "cef-ubl-tc434-example1.xml"],
            organization=organization,
            acting_user=None,
            today=TODAY,
        )
    assert not Invoice.objects.filter(organization=organization).exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"<Invoice", "not well-formed XML"),
        (b"<root/>", "not a UBL invoice"),
    ],
)
def test_unreadable_files_are_named(content, expected):
    organization = _organization_for("NL820098395B01")
    with pytest.raises(UblImportError, match=f"upload.xml.*{expected}"):
        ubl_import.import_files(
            [("upload.xml", content)], organization=organization, acting_user=None, today=TODAY
        )


def test_a_file_from_another_company_is_refused():
    organization = _organization_for("NL004495445B01", kvk="12345678")
    with pytest.raises(UblImportError, match=r"issued by Leverancier B\.V\."):
        ubl_import.import_files(
            [FIXTURES / "logius-nlcius.xml"],
            organization=organization,
            acting_user=None,
            today=TODAY,
        )


def test_a_bad_quantity_names_its_element(tmp_path):
    organization = _organization_for("NL820098395B01")
    path = tmp_path / "quantity.xml"
    content = (FIXTURES / "logius-nlcius.xml").read_bytes()
    start = content.index(b"<cbc:InvoicedQuantity")
    end = content.index(b"</cbc:InvoicedQuantity>", start)
    opening_end = content.index(b">", start) + 1
    path.write_bytes(content[:opening_end] + b"veel" + content[end:])
    with pytest.raises(
        UblImportError,
        match=(
            r"quantity.xml line \d+ \(/doc:Invoice/cac:InvoiceLine\[1\]/cbc:InvoicedQuantity\):"
            r" 'veel' is not a number"
        ),
    ):
        ubl_import.import_files([path], organization=organization, acting_user=None, today=TODAY)


def test_imported_credit_note_refers_to_a_known_invoice(bakery_invoice):
    credit_note = invoice_services.credit_invoice(
        invoice=bakery_invoice, acting_user=None, today=datetime.date(2026, 1, 10), reason="Retour"
    )
    xml = exported(credit_note, "nlcius")
    credit_note_number = credit_note.number
    # Import into the same organization after removing nothing: the number is already there.
    result = ubl_import.import_files(
        [("cn.xml", xml)], organization=bakery_invoice.organization, acting_user=None, today=TODAY
    )
    assert result.unchanged == [credit_note_number]
    assert (
        Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE, number=credit_note_number).count() == 1
    )


@pytest.mark.parametrize("profile", ["peppol", "nlcius"])
def test_direct_debit_invoice_passes_the_rules(bakery_invoice, profile):
    from tegoed.documents import services

    mandate = services.add_mandate(
        customer=bakery_invoice.customer,
        reference="M-UBL",
        signed_on=datetime.date(2025, 1, 1),
        iban="NL44RABO0123456789",
        acting_user=None,
    )
    services.schedule_direct_debit(
        invoice=bakery_invoice, mandate=mandate, acting_user=None, today=datetime.date(2026, 1, 4)
    )
    xml = exported(bakery_invoice, profile)
    root = etree.fromstring(xml)

    assert root.findtext("cac:PaymentMeans/cbc:PaymentMeansCode", namespaces=NS) == "59"
    assert root.findtext("cac:PaymentMeans/cac:PaymentMandate/cbc:ID", namespaces=NS) == "M-UBL"
    creditor = root.find(
        "cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID", namespaces=NS
    )
    assert (creditor.text, creditor.get("schemeID")) == ("NL69ZZZ123456780000", "SEPA")
    assert failures(xml, "en16931") == []
    if profile == "nlcius":
        assert failures(xml, "si-ubl") == []

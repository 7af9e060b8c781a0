"""Invoice and credit-note PDFs: read back the text, decode the payment QR, keep the pages."""

import dataclasses
import datetime
from decimal import Decimal

import pytest

from tegoed.documents import queries, rendering
from tegoed.documents.models import DocumentSettings, TextBlock
from tegoed.invoices import services as invoice_services
from tests.documents.conftest import EXPECTED_BAKERY_TOTAL
from tests.documents.reading import epc_fields, page_count, pdf_text, qr_payloads, render_pages

pytestmark = pytest.mark.django_db


def test_dutch_invoice_states_amounts_dates_reference_and_due_date(bakery_invoice):
    assert bakery_invoice.total == EXPECTED_BAKERY_TOTAL
    pdf = rendering.render_invoice(queries.invoice_document(bakery_invoice))
    text = pdf_text(pdf)

    assert page_count(pdf) == 1
    assert "Factuur" in text
    assert bakery_invoice.number in text
    assert "4 januari 2026" in text  # issue date
    assert "De betaling dient vóór 3 februari 2026 bij ons te zijn ontvangen." in text
    assert "Betalingstermijn: 30 dagen na factuurdatum." in text
    assert bakery_invoice.payment_reference in text
    assert "PO-7781" in text
    # Lines, VAT per rate and totals in Dutch notation.
    assert "€ 54,00" in text and "€ 73,50" in text and "€ 35,00" in text
    assert "Btw 9% over € 127,50 € 11,48" in text
    assert "Btw 21% over € 35,00 € 7,35" in text
    assert "Totaal te betalen € 181,33" in text
    # Business customer: commercial interest and the €40 minimum.
    assert "6:119a BW" in text and "€ 40" in text
    # Letterhead and legal identity.
    assert "KvK 12345678" in text and "NL004495445B01" in text
    assert "NL91 ABNA 0417 1643 00" in text


def test_invoice_qr_code_decodes_to_the_epc_payment(bakery_invoice):
    pdf = rendering.render_invoice(queries.invoice_document(bakery_invoice))
    pages = render_pages(pdf, "invoice-nl-business")

    payloads = qr_payloads(pages[0])
    assert len(payloads) == 1
    fields = epc_fields(payloads[0])
    assert fields["service_tag"] == "BCD"
    assert fields["identification"] == "SCT"
    assert fields["name"] == "Bakkerij De Gouden Korst B.V."
    assert fields["iban"] == "NL91ABNA0417164300"
    assert fields["bic"] == "ABNANL2A"
    assert fields["amount"] == "EUR181.33"
    assert fields["reference"] == bakery_invoice.payment_reference
    assert fields["reference"].startswith("RF")


def test_english_consumer_invoice(consumer_invoice):
    pdf = rendering.render_invoice(queries.invoice_document(consumer_invoice))
    text = pdf_text(pdf)
    render_pages(pdf, "invoice-en-consumer")

    assert "Invoice" in text
    assert "Payment must reach us before 3 February 2026." in text
    assert "Payment term: 30 days from the invoice date." in text
    assert "4 January 2026" in text
    assert "Total due €1,493.82" in text  # 1,234.56 + 21 % VAT 259.26
    assert consumer_invoice.payment_reference in text
    # Consumer: no automatic costs; a fourteen-day term first.
    assert "fourteen days" in text and "6:119 Dutch Civil Code" in text
    assert "6:119a" not in text


def test_credit_note_has_no_payment_request(bakery_invoice):
    credit_note = invoice_services.credit_invoice(
        invoice=bakery_invoice,
        acting_user=None,
        today=datetime.date(2026, 1, 10),
        reason="Taarten niet geleverd",
        lines=[
            invoice_services.LineInput(
                "Taarten op bestelling", Decimal("3"), Decimal("24.50"), Decimal("9")
            )
        ],
    )
    pdf = rendering.render_invoice(queries.invoice_document(credit_note))
    text = pdf_text(pdf)
    pages = render_pages(pdf, "credit-note-nl")

    assert "Creditnota" in text
    assert credit_note.number in text
    assert f"corrigeert factuur {bakery_invoice.number}" in text
    assert "Totaal te crediteren € 80,12" in text  # 73.50 + 9 % 6.62
    assert "bij ons te zijn ontvangen" not in text
    assert "Klopt er iets niet op deze factuur" not in text
    assert "Vervaldatum" not in text and credit_note.payment_reference not in text
    assert qr_payloads(pages[0]) == []


def test_organization_wording_and_colours_are_used(bakery_invoice):
    organization = bakery_invoice.organization
    DocumentSettings.objects.create(organization=organization, primary_colour="#7a1f1f")
    TextBlock.objects.create(
        organization=organization,
        language="nl",
        key="invoice.closing",
        text="Bedankt voor uw bestelling bij {creditor_name}!",
    )
    document = queries.invoice_document(bakery_invoice)
    text = pdf_text(rendering.render_invoice(document))

    assert document.look.primary_colour == "#7a1f1f"
    assert "Bedankt voor uw bestelling bij Bakkerij De Gouden Korst B.V.!" in text


def test_a_long_invoice_flows_onto_more_pages(bakery_invoice):
    document = queries.invoice_document(bakery_invoice)
    many = dataclasses.replace(document, lines=document.lines * 30)
    pdf = rendering.render_invoice(many)
    assert page_count(pdf) >= 2
    assert "Pagina 2 / " in pdf_text(pdf)


def test_the_organizations_logo_is_printed(bakery_invoice, tmp_path, settings):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    logo = tmp_path / "logos" / "korst.png"
    logo.parent.mkdir()
    Image.new("RGB", (300, 100), (200, 120, 20)).save(logo)
    organization = bakery_invoice.organization
    organization.logo = "logos/korst.png"
    organization.save()

    document = queries.invoice_document(bakery_invoice)
    pdf = rendering.render_invoice(document)
    pages = render_pages(pdf, "invoice-nl-logo")

    assert document.look.logo_path == str(logo)
    # The logo's orange shows in the top left corner of the page.
    image = Image.open(pages[0]).convert("RGB")
    corner = image.crop((0, 0, image.width // 3, image.height // 8))
    assert (200, 120, 20) in {colour for _count, colour in corner.getcolors(100000)}
    # With a logo the name is printed beside it, still readable.
    assert "Bakkerij De Gouden Korst B.V." in pdf_text(pdf)

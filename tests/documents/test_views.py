"""Download buttons, the UBL import page and the document settings page."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tegoed.accounts.models import Role
from tegoed.documents.models import DocumentSettings, TextBlock
from tegoed.invoices.models import Invoice
from tests.documents.reading import pdf_text
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "ubl"


def client_for(organization, role=Role.CREDIT_CONTROLLER) -> Client:
    client = Client()
    client.force_login(MembershipFactory(organization=organization, role=role).user)
    return client


def test_pdf_and_ubl_downloads(bakery_invoice):
    client = client_for(bakery_invoice.organization)

    pdf = client.get(reverse("documents:invoice_pdf", args=[bakery_invoice.public_id]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert bakery_invoice.number in pdf_text(pdf.content)

    ubl = client.get(
        reverse("documents:invoice_ubl", args=[bakery_invoice.public_id]), {"profile": "nlcius"}
    )
    assert ubl.status_code == 200
    assert "attachment" in ubl["Content-Disposition"]
    assert b"urn:fdc:nen.nl:nlcius:v1.0" in ubl.content


def test_another_organization_gets_404(bakery_invoice):
    stranger = client_for(OrganizationFactory())
    url = reverse("documents:invoice_pdf", args=[bakery_invoice.public_id])
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


def test_ubl_import_page(seller):
    organization = OrganizationFactory(vat_number="NL820098395B01")
    client = client_for(organization)
    url = reverse("documents:import_ubl")
    assert client.get(url).status_code == 200

    good = SimpleUploadedFile("nlcius.xml", (FIXTURES / "logius-nlcius.xml").read_bytes())
    bad = SimpleUploadedFile("broken.xml", b"<Invoice")
    refused = client.post(url, {"files": [good, bad]})
    assert refused.status_code == 422
    assert "broken.xml line 1: not well-formed XML" in refused.content.decode()
    assert not Invoice.objects.filter(organization=organization).exists()

    good = SimpleUploadedFile("nlcius.xml", (FIXTURES / "logius-nlcius.xml").read_bytes())
    imported = client.post(url, {"files": [good]})
    assert imported.status_code == 200
    assert Invoice.objects.filter(organization=organization, number="Factuurscenario1").exists()


def test_read_only_users_cannot_import(seller):
    client = client_for(seller, role=Role.READ_ONLY)
    assert client.get(reverse("documents:import_ubl")).status_code == 403


def test_settings_page_saves_colours_and_wording(seller):
    client = client_for(seller, role=Role.OWNER)
    url = reverse("documents:settings")
    page = client.get(url, {"language": "nl"})
    assert page.status_code == 200
    assert "De betaling dient vóór {due_date}" in page.content.decode()

    data = {
        "primary_colour": "#7a1f1f",
        "accent_colour": "#f5eeee",
        "signatory": "Marieke Jansen",
        "show_payment_qr": "on",
        "pre_notification_days": "14",
        "block-invoice.closing": "Vragen? Bel {contact}.",
        "block-reminder_1.subject": "",
    }
    saved = client.post(f"{url}?language=nl", data)
    assert saved.status_code == 302
    assert DocumentSettings.objects.get(organization=seller).primary_colour == "#7a1f1f"
    assert TextBlock.objects.get(organization=seller, key="invoice.closing").text == (
        "Vragen? Bel {contact}."
    )
    # Blocks left as the default are not stored.
    assert TextBlock.objects.filter(organization=seller).count() == 1

    refused = client.post(f"{url}?language=nl", {**data, "block-invoice.closing": "{password}"})
    assert refused.status_code == 200
    assert "unknown value {password}" in refused.content.decode()

    preview = client.get(reverse("documents:preview", args=["reminder-1"]), {"language": "nl"})
    assert preview.status_code == 200
    assert "Marieke Jansen" in pdf_text(preview.content)


def test_direct_debit_from_mandate_to_bank_file(bakery_invoice, monkeypatch):
    import datetime

    import tegoed.documents.views as views

    monkeypatch.setattr(views, "today", lambda request: datetime.date(2026, 1, 5))
    customer = bakery_invoice.customer
    client = client_for(bakery_invoice.organization)

    mandates_url = reverse("documents:mandates", args=[customer.public_id])
    added = client.post(
        mandates_url,
        {
            "reference": "M-42",
            "signed_on": "2025-12-01",
            "iban": "NL44 RABO 0123 4567 89",
            "recurrence": "recurring",
            "scheme": "CORE",
        },
    )
    assert added.status_code == 302
    refused = client.post(
        mandates_url,
        {
            "reference": "M-43",
            "signed_on": "2025-12-01",
            "iban": "NL00RABO0123456789",
            "recurrence": "recurring",
            "scheme": "CORE",
        },
    )
    assert "not valid" in refused.content.decode()
    mandate = customer.mandates.get()

    schedule_url = reverse("documents:schedule_direct_debit", args=[bakery_invoice.public_id])
    page = client.get(schedule_url)
    assert "19 januari 2026" in page.content.decode()  # the first date the notice allows
    too_early = client.post(schedule_url, {"mandate": mandate.pk, "collection_date": "2026-01-12"})
    assert "too early" in too_early.content.decode()
    planned = client.post(schedule_url, {"mandate": mandate.pk, "collection_date": ""})
    assert planned.status_code == 302
    pdf = client.get(reverse("documents:invoice_pdf", args=[bakery_invoice.public_id]))
    assert "19 januari 2026 automatisch af" in pdf_text(pdf.content)

    monkeypatch.setattr(views, "today", lambda request: datetime.date(2026, 1, 15))
    export = client.post(
        reverse("documents:sepa_export"), {"collection_date": "2026-01-19", "scheme": "CORE"}
    )
    assert export.status_code == 200
    assert export["Content-Type"] == "application/xml"
    assert b"<MndtId>M-42</MndtId>" in export.content
    empty = client.post(
        reverse("documents:sepa_export"), {"collection_date": "2026-01-19", "scheme": "CORE"}
    )
    assert "Op die datum valt niets te incasseren." in empty.content.decode()


def test_an_issued_invoice_keeps_what_was_sent(bakery_invoice):
    """Editing the customer or the organization afterwards changes neither the PDF nor the
    name and address the invoice page shows; the e-invoice says what the PDF says."""
    client = client_for(bakery_invoice.organization)
    url = reverse("documents:invoice_pdf", args=[bakery_invoice.public_id])
    sent = client.get(url).content
    customer, organization = bakery_invoice.customer, bakery_invoice.organization
    customer.name, customer.street = "Restaurant De Nieuwe Hoek B.V.", "Marktplein 1"
    customer.save()
    organization.legal_name, organization.iban = "Andere Naam B.V.", "NL20INGB0001234567"
    organization.save()

    assert client.get(url).content == sent
    assert "Café Het Hoekje" in pdf_text(sent) and "Kerkplein 3" in pdf_text(sent)
    page = client.get(bakery_invoice.get_absolute_url()).content.decode()
    assert "Café Het Hoekje V.O.F." in page and "Kerkplein 3" in page
    assert "Restaurant De Nieuwe Hoek B.V." in page  # said as the customer's name today
    ubl = client.get(reverse("documents:invoice_ubl", args=[bakery_invoice.public_id])).content
    assert b"Het Hoekje" in ubl and b"Bakkerij De Gouden Korst" in ubl
    assert b"Nieuwe Hoek" not in ubl and b"NL20INGB0001234567" not in ubl

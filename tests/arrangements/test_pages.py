"""The agreements page and the dispute list: forms to services, access per organization, and a
look in Chromium at phone and desktop width."""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from tegoed.accounts.models import Role
from tegoed.arrangements.models import Arrangement, Dispute, Promise
from tegoed.collections.models import Agency, Handover
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    MembershipFactory,
    OrganizationFactory,
    issued_invoice,
)

TODAY = datetime.date(2026, 3, 16)
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("tegoed.arrangements.views.today", lambda request: TODAY)


@pytest.fixture
def late(organization):
    customer = CustomerFactory(organization=organization, name="Bouwbedrijf De Vries B.V.")
    ContactFactory(customer=customer)
    invoice = issued_invoice(customer, "1234.56", issue_date=datetime.date(2026, 1, 5))
    return customer, invoice


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_each_form_records_through_its_service(organization, member, late):
    customer, invoice = late
    client = login(member)
    base = f"/arrangements/customers/{customer.public_id}"
    response = client.post(
        f"{base}/promise/",
        {
            "promise-invoice": invoice.pk,
            "promise-pay_by": "2026-03-20",
            "promise-amount": "500,00",
            "promise-channel": "call",
        },
    )
    assert response.status_code == 302
    assert Promise.objects.get().amount == Decimal("500.00")
    response = client.post(
        f"{base}/arrangement/",
        {
            "arrangement-invoices": [invoice.pk],
            "arrangement-count": "2",
            "arrangement-first_due_on": "2026-04-01",
            "arrangement-channel": "call",
        },
    )
    assert response.status_code == 302
    assert Arrangement.objects.get().instalments.count() == 2
    client.post(
        f"{base}/dispute/",
        {"dispute-invoice": invoice.pk, "dispute-reason": "quality", "dispute-channel": "email"},
    )
    dispute = Dispute.objects.get()
    response = client.post(
        f"/arrangements/disputes/{dispute.pk}/resolve/",
        {
            f"resolve-{dispute.pk}-outcome": "rejected",
            f"resolve-{dispute.pk}-pay_by": "2026-03-30",
            f"resolve-{dispute.pk}-note": "Geleverd zoals besteld.",
        },
    )
    dispute.refresh_from_db()
    assert (dispute.outcome, dispute.pay_by) == ("rejected", datetime.date(2026, 3, 30))
    page = client.get(f"{base}/").content.decode()
    assert "Geleverd zoals besteld." in page and "€\xa01.234,56 open" in page


def test_a_proof_of_payment_is_uploaded_with_the_dispute(organization, member, late):
    from django.core.files.uploadedfile import SimpleUploadedFile

    customer, invoice = late
    response = login(member).post(
        f"/arrangements/customers/{customer.public_id}/dispute/",
        {
            "dispute-invoice": invoice.pk,
            "dispute-reason": "already_paid",
            "dispute-channel": "email",
            "dispute-proof": SimpleUploadedFile("betaling.pdf", b"%PDF-1.4 proof"),
        },
        follow=True,
    )
    assert "betaling.pdf" in response.content.decode()
    assert bytes(Dispute.objects.get().proof) == b"%PDF-1.4 proof"


def test_a_bankruptcy_is_recorded_from_the_page(organization, member, late):
    customer, _invoice = late
    response = login(member).post(
        f"/arrangements/customers/{customer.public_id}/insolvency/",
        {
            "insolvency-kind": "bankruptcy",
            "insolvency-declared_on": "2026-03-10",
            "insolvency-trustee": "mr. J. Bakker",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "mr. J. Bakker" in page and "€\xa01.234,56" in page
    assert customer.insolvencies.get().principal == Decimal("1234.56")


def test_an_arrangement_that_breaks_the_limits_shows_why(organization, member, late):
    customer, invoice = late
    response = login(member).post(
        f"/arrangements/customers/{customer.public_id}/arrangement/",
        {
            "arrangement-invoices": [invoice.pk],
            "arrangement-count": "60",
            "arrangement-first_due_on": "2026-04-01",
            "arrangement-channel": "call",
        },
    )
    assert response.status_code == 400
    assert (
        "below the minimum" in response.content.decode() or "minimum" in response.content.decode()
    )
    assert not Arrangement.objects.exists()


def test_a_disputed_invoice_is_handed_over_only_when_ticked(organization, member, late):
    customer, invoice = late
    agency = Agency.objects.create(organization=organization, kind="bailiff", name="Deurwaarder")
    client = login(member)
    base = f"/arrangements/customers/{customer.public_id}"
    client.post(
        f"{base}/dispute/",
        {"dispute-invoice": invoice.pk, "dispute-reason": "quality", "dispute-channel": "call"},
    )
    response = client.post(
        f"{base}/handover/", {"handover-invoices": [invoice.pk], "handover-agency": agency.pk}
    )
    assert response.status_code == 400
    assert f"Tegen factuur {invoice.number} loopt een bezwaar" in response.content.decode()
    response = client.post(
        f"{base}/handover/",
        {
            "handover-invoices": [invoice.pk],
            "handover-agency": agency.pk,
            "handover-confirm_disputed": "on",
        },
    )
    assert response.status_code == 302 and Handover.objects.count() == 1


def test_another_organization_reaches_nothing_and_read_only_changes_nothing(organization, late):
    customer, invoice = late
    stranger = login(MembershipFactory(organization=OrganizationFactory()).user)
    assert stranger.get(f"/arrangements/customers/{customer.public_id}/").status_code == 404
    response = stranger.post(
        f"/arrangements/customers/{customer.public_id}/dispute/",
        {"dispute-invoice": invoice.pk, "dispute-reason": "quality", "dispute-channel": "call"},
    )
    assert response.status_code == 404
    reader = login(MembershipFactory(organization=organization, role=Role.READ_ONLY).user)
    assert reader.get(f"/arrangements/customers/{customer.public_id}/").status_code == 200
    response = reader.post(
        f"/arrangements/customers/{customer.public_id}/dispute/",
        {"dispute-invoice": invoice.pk, "dispute-reason": "quality", "dispute-channel": "call"},
    )
    assert response.status_code == 403
    assert not Dispute.objects.exists()


def test_the_arrangement_terms_are_set_on_their_page_for_the_own_organization(organization, member):
    from tegoed.arrangements.models import ArrangementTerms

    other = OrganizationFactory()
    page = login(member).get("/arrangements/terms/")
    assert page.status_code == 200 and 'name="waive_interest"' in page.content.decode()
    refused = login(member).post(
        "/arrangements/terms/",
        {
            "minimum_instalment": "25,00",
            "maximum_months": "0",
            "grace_days": "7",
            "remind_days_before": "3",
        },
    )
    assert refused.status_code == 422 and not ArrangementTerms.objects.exists()
    saved = login(member).post(
        "/arrangements/terms/",
        {
            "minimum_instalment": "50,00",
            "maximum_months": "12",
            "grace_days": "10",
            "remind_days_before": "2",
            "waive_interest": "on",
        },
    )
    assert saved.status_code == 302
    terms = ArrangementTerms.objects.get()
    assert terms.organization == organization
    assert (terms.minimum_instalment, terms.maximum_months, terms.grace_days) == (
        Decimal("50.00"),
        12,
        10,
    )
    assert terms.waive_interest and not ArrangementTerms.objects.filter(organization=other).exists()
    reader = login(MembershipFactory(organization=organization, role=Role.READ_ONLY).user)
    assert reader.post("/arrangements/terms/", {"maximum_months": "1"}).status_code == 403


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
@pytest.mark.django_db(transaction=True)
def test_a_credit_controller_agrees_an_arrangement_in_the_browser(live_server, db):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    organization = OrganizationFactory(legal_name="Van Dijk Installatietechniek B.V.")
    user = MembershipFactory(organization=organization, role=Role.OWNER).user
    customer = CustomerFactory(organization=organization, name="Bouwbedrijf De Vries B.V.")
    ContactFactory(customer=customer)
    invoice = issued_invoice(customer, "1234.56", issue_date=datetime.date(2026, 1, 5))
    issued_invoice(customer, "300.00", issue_date=datetime.date(2026, 2, 5))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill("correct horse battery")
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}{customer.get_absolute_url()}")
        page.get_by_role("link", name="Afspraken").click()
        page.wait_for_url("**/arrangements/customers/**")
        page.get_by_text("Regeling afspreken").click()
        page.locator("#arrangements").get_by_label(f"{invoice.number} · € 1.234,56 open").check()
        page.get_by_label("Termijnen").fill("4")
        page.get_by_label("Eerste termijn op").fill("2026-04-01")
        page.get_by_role("button", name="Afspreken en bevestiging versturen").click()
        page.wait_for_url("**/arrangements/customers/**")
        text = page.locator("#arrangements").inner_text().replace("\xa0", " ")
        assert "€ 308,64" in text and "Lopend" in text
        page.locator("#disputes summary").click()
        page.locator("#disputes").get_by_label("Factuur").select_option(str(invoice.pk))
        page.locator("#disputes").get_by_label("Reden").select_option("quality")
        page.get_by_label("Wat de klant zegt").fill("De leidingen lekken.")
        page.get_by_role("button", name="Bezwaar opslaan").click()
        page.wait_for_url("**/arrangements/customers/**")
        assert "De leidingen lekken." in page.locator("#disputes").inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "agreements-desktop.png"), full_page=True)
        phone = browser.new_page(
            viewport={"width": 390, "height": 844}, is_mobile=True, locale="nl-NL"
        )
        phone.context.add_cookies(page.context.cookies())
        for path, name in (
            (f"/arrangements/customers/{customer.public_id}/", "agreements"),
            ("/arrangements/disputes/", "disputes"),
        ):
            phone.goto(f"{live_server.url}{path}")
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{name} scrolls sideways at phone width ({width}px)"
            phone.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
        browser.close()


def test_a_summons_and_the_agencys_money_are_recorded_in_the_browser(live_server, db):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    from tegoed.collections import services as collections

    organization = OrganizationFactory(legal_name="Van Dijk Installatietechniek B.V.")
    user = MembershipFactory(organization=organization, role=Role.OWNER).user
    customer = CustomerFactory(organization=organization, name="Bouwbedrijf De Vries B.V.")
    invoice = issued_invoice(customer, "1234.56", issue_date=datetime.date(2026, 1, 5))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill("correct horse battery")
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/arrangements/customers/{customer.public_id}/")
        handovers = page.locator("#handovers")
        handovers.get_by_text("Bureau of deurwaarder toevoegen").click()
        handovers.get_by_label("Naam").fill("Incasso Noord")
        handovers.get_by_label("Vergoeding, percentage").fill("15")
        handovers.get_by_role("button", name="Toevoegen").click()
        page.wait_for_url("**/arrangements/customers/**")
        agency = Agency.objects.get(organization=organization)
        assert (agency.name, agency.fee_percent) == ("Incasso Noord", Decimal("15.00"))
        collections.hand_over(
            organization,
            customer=customer,
            invoices=[invoice],
            agency=agency,
            today=datetime.date(2026, 3, 2),
        )
        page.reload()
        handovers.get_by_text("Volgende fase vastleggen").click()
        handovers.get_by_label("Fase").select_option("summons")
        handovers.get_by_label("Datum").fill("2026-03-10")
        handovers.get_by_label("Kosten").fill("102,50")
        page.get_by_role("button", name="Fase vastleggen").click()
        page.wait_for_url("**/arrangements/customers/**")
        handovers.get_by_text("Boek wat het incassobureau inde").click()
        handovers.get_by_label("Ontvangen op").fill("2026-03-12")
        handovers.get_by_label(f"Geïnd op {invoice.number}").fill("500,00")
        handovers.get_by_label("Vergoeding van het incassobureau").fill("75,00")
        page.get_by_role("button", name="Geïnd bedrag boeken").click()
        page.wait_for_url("**/arrangements/customers/**")
        text = handovers.inner_text().replace("\xa0", " ")
        assert "Dagvaarding" in text and "€ 102,50" in text
        assert "€ 500,00 geïnd, vergoeding € 75,00" in text
        ARTIFACTS.mkdir(exist_ok=True)
        handovers.screenshot(path=str(ARTIFACTS / "handover-stages-desktop.png"))
        phone = browser.new_page(
            viewport={"width": 390, "height": 844}, is_mobile=True, locale="nl-NL"
        )
        phone.context.add_cookies(page.context.cookies())
        phone.goto(f"{live_server.url}/arrangements/customers/{customer.public_id}/#handovers")
        phone.locator("#handovers summary").first.click()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the hand-over scrolls sideways at phone width ({width}px)"
        phone.locator("#handovers").screenshot(path=str(ARTIFACTS / "handover-stages-phone.png"))
        browser.close()

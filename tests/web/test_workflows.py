"""Whole workflows of a credit controller in headless Chromium, at desktop and phone width.

Each test walks one task from the screen as a user would and leaves screenshots in
test-artifacts/ (workflow-*.png) for a person to look at.
"""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tegoed.accounts.models import Role
from tegoed.invoices import queries
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    MembershipFactory,
    OrganizationFactory,
    issued_invoice,
)
from tests.web.browsing import log_in, needs_chromium, on_phone, shoot
from tests.web.conftest import TODAY

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]


def plain(text: str) -> str:
    return text.replace("\xa0", " ")


@pytest.fixture
def owner():
    organization = OrganizationFactory(
        legal_name="Van Dijk Installatietechniek B.V.", iban="NL91ABNA0417164300"
    )
    return MembershipFactory(organization=organization, role=Role.OWNER).user


def test_an_overpayment_is_applied_as_credit_to_another_invoice(live_server, browser, owner):
    organization = owner.memberships.get().organization
    customer = CustomerFactory(organization=organization, name="Bouwbedrijf De Vries B.V.")
    ContactFactory(customer=customer, name="Anna de Vries")
    first = issued_invoice(customer, "100.00", issue_date=TODAY - datetime.timedelta(days=40))
    issued_invoice(customer, "80.00", issue_date=TODAY - datetime.timedelta(days=35))
    third = issued_invoice(customer, "50.00", issue_date=TODAY - datetime.timedelta(days=31))

    page = log_in(browser, live_server, owner)
    page.goto(f"{live_server.url}{first.get_absolute_url()}")
    payment_form = page.locator("form", has=page.get_by_role("button", name="Betaling boeken"))
    payment_form.get_by_label("Bedrag").fill("150,00")
    page.get_by_role("button", name="Betaling boeken").click()
    expect(page.locator("#ledger")).to_contain_text("150,00")
    shoot(page, "workflow-overpayment-invoice-desktop")

    page.get_by_role("link", name="Bouwbedrijf De Vries B.V.").first.click()
    page.wait_for_url("**/customers/**")
    assert plain(page.locator("#customer-credit").inner_text()) == "€ 50,00"
    proposal = page.locator("form.proposal").first
    assert "Zelfde bedrag" in proposal.inner_text() and third.number in proposal.inner_text()
    shoot(page, "workflow-overpayment-customer-desktop")
    customer_path = page.url.replace(live_server.url, "")
    on_phone(browser, live_server, page, {"workflow-overpayment-customer": customer_path})

    proposal.get_by_role("button", name=f"Verrekenen met {third.number}").click()
    page.wait_for_url("**/customers/**")
    assert f"€ 50,00 tegoed verrekend met {third.number}" in plain(page.inner_text("main"))
    assert page.locator("#customer-credit").count() == 0
    assert queries.balance_of(third).state == "paid"
    assert queries.credit_of(customer) == []
    assert plain(page.locator("#customer-open").inner_text()) == "€ 80,00"
    shoot(page, "workflow-overpayment-applied-desktop")
    statement = plain(page.locator("#statement-title").locator("..").locator("..").inner_text())
    assert (
        "€ 80,00" in statement
        and Decimal("80.00")
        == queries.balance_of(customer.invoices.exclude(pk__in=[first.pk, third.pk]).get()).open
    )


def test_a_draft_is_saved_issued_and_partly_credited(live_server, browser, owner):
    organization = owner.memberships.get().organization
    customer = CustomerFactory(organization=organization, name="Café Het Hoekje V.O.F.")
    ContactFactory(customer=customer, name="Jan Hoek")

    page = log_in(browser, live_server, owner)
    page.get_by_role("link", name="Facturen", exact=True).click()
    page.get_by_role("link", name="Nieuwe factuur").click()
    choose_customer(page, customer)
    page.get_by_label("Omschrijving (regel 1)").fill("Onderhoud cv-ketel")
    page.get_by_label("Aantal (regel 1)").fill("2")
    page.get_by_label("Prijs per eenheid (regel 1)").fill("65,00")
    shoot(page, "workflow-draft-new-desktop")
    page.get_by_role("button", name="Concept opslaan").click()
    # Not a blank page: the invoice page with its check before issuing.
    page.wait_for_url("**/invoices/*-*/")
    assert page.get_by_role("heading", name="Voor het versturen").is_visible()
    assert "Concept opgeslagen" in page.inner_text("main")
    assert customer.invoices.count() == 1

    page.get_by_role("button", name="Factuur versturen").click()
    expect(page.locator("main")).to_contain_text("verstuurd")
    invoice = customer.invoices.get()
    assert not invoice.is_draft and invoice.total == Decimal("157.30")
    invoice_path = invoice.get_absolute_url()

    page.get_by_text("Factuur crediteren").click()
    page.get_by_label("Reden").first.fill("Eén uur niet gewerkt")
    page.get_by_label("Onderhoud cv-ketel").fill("1")
    shoot(page, "workflow-credit-form-desktop")
    page.get_by_role("button", name="Creditnota versturen").click()
    expect(page.locator(".messages")).to_contain_text("Creditnota")
    assert "van € 78,65 verstuurd" in plain(page.inner_text("main"))
    assert plain(page.locator("#invoice-open").inner_text()) == "€ 78,65"
    assert "Eén uur niet gewerkt" in page.inner_text("main")  # in the audit trail, as a sentence
    shoot(page, "workflow-partly-credited-desktop")
    note = invoice.credit_notes.get()
    on_phone(
        browser,
        live_server,
        page,
        {
            "workflow-draft-new": "/invoices/new/",
            "workflow-partly-credited": invoice_path,
            "workflow-credit-note": note.get_absolute_url(),
        },
    )


def choose_customer(page, customer) -> None:
    """Type part of the name and take the suggestion, as from the browser's list."""
    field = page.locator("#id_customer")
    field.press_sequentially(customer.name.split()[1][:4], delay=30)
    suggestion = page.locator("#customer-suggestions option").filter(has_text=customer.city)
    expect(suggestion).to_have_count(1)
    shoot(page, "workflow-draft-customer-picker-desktop")
    field.fill(suggestion.get_attribute("value"))


def test_organization_settings_are_changed_from_the_navigation(live_server, browser, owner):
    organization = owner.memberships.get().organization
    customer = CustomerFactory(organization=organization)
    sent = issued_invoice(customer, "100.00", issue_date=TODAY - datetime.timedelta(days=3))

    page = log_in(browser, live_server, owner)
    page.get_by_text("Meer", exact=True).click()
    page.get_by_role("link", name="Organisatie en leden").click()
    page.get_by_label("Voorvoegsel factuurnummer").fill("VD")
    page.get_by_label("Statutaire naam").fill("Van Dijk Techniek B.V.")
    shoot(page, "workflow-settings-desktop")
    page.get_by_role("button", name="Instellingen opslaan").click()
    expect(page.locator(".messages")).to_contain_text("nieuwe facturen")
    on_phone(browser, live_server, page, {"workflow-settings": "/accounts/settings/"})

    # A new invoice, made and sent from the screen, uses the new settings.
    page.goto(f"{live_server.url}/invoices/new/")
    choose_customer(page, customer)
    page.get_by_label("Omschrijving (regel 1)").fill("Nazorg")
    page.get_by_label("Prijs per eenheid (regel 1)").fill("50,00")
    page.get_by_role("button", name="Concept opslaan").click()
    page.wait_for_url("**/invoices/*-*/")
    page.get_by_role("button", name="Factuur versturen").click()
    expect(page.locator("main")).to_contain_text("VD2026-")
    shoot(page, "workflow-settings-new-invoice-desktop")
    later = customer.invoices.exclude(pk=sent.pk).get()
    assert later.number.startswith("VD2026-")
    assert later.organization_as_issued["legal_name"] == "Van Dijk Techniek B.V."
    sent.refresh_from_db()
    assert sent.organization_as_issued["legal_name"] == "Van Dijk Installatietechniek B.V."

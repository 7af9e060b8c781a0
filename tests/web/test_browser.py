"""End to end in headless Chromium: log in, filter overdue invoices, open a customer, record a
payment and see the balance change. Screenshots at phone and desktop width go to
test-artifacts/ (kept by CI as artifacts)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tegoed.accounts.models import Role
from tests.factories import ContactFactory, CustomerFactory, MembershipFactory, issued_invoice
from tests.web.browsing import needs_chromium, shoot
from tests.web.conftest import TODAY

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.mark.django_db(transaction=True)
def test_credit_controller_records_a_payment_and_sees_the_balance_change(live_server, browser):
    from tests.factories import OrganizationFactory

    organization = OrganizationFactory(legal_name="Van Dijk Installatietechniek B.V.")
    user = MembershipFactory(organization=organization, role=Role.OWNER).user
    late = CustomerFactory(organization=organization, name="Bouwbedrijf De Vries B.V.")
    ContactFactory(customer=late, name="Anna de Vries")
    today = TODAY  # the clock the views see (tests/web/conftest.py)
    issued_invoice(late, "1234.56", issue_date=today - datetime.timedelta(days=75),
                   due_date=today - datetime.timedelta(days=45))  # fmt: skip
    issued_invoice(late, "300.00", issue_date=today - datetime.timedelta(days=3))
    punctual = CustomerFactory(organization=organization, name="Op Tijd Techniek B.V.")
    issued_invoice(punctual, "80.00", issue_date=today - datetime.timedelta(days=2))

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    refused = []  # what the Content-Security-Policy blocked: htmx and the charts need nothing
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill("correct horse battery")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    shoot(page, "dashboard-desktop")

    # Filter overdue invoices: htmx swaps the results without a reload.
    page.get_by_role("link", name="Facturen", exact=True).click()
    page.get_by_label("Alleen vervallen").check()
    # Waited for with locators: the page's Content-Security-Policy forbids evaluating text.
    expect(page.locator("#results")).not_to_contain_text("Op Tijd")
    rows = page.locator("#results tbody tr")
    assert rows.count() == 1
    assert "Bouwbedrijf De Vries" in rows.first.inner_text()
    assert "overdue=on" in page.url
    shoot(page, "invoices-overdue-desktop")

    # Open the overdue invoice, then its customer, then back to the invoice.
    rows.first.get_by_role("link").first.click()
    page.wait_for_url("**/invoices/*-*/")
    invoice_url = page.url
    page.get_by_role("link", name="Bouwbedrijf De Vries B.V.").click()
    page.wait_for_url("**/customers/**")
    assert page.locator("#customer-open").inner_text().replace("\xa0", " ") == "€ 1.534,56"
    shoot(page, "customer-desktop")
    page.goto(invoice_url)

    # Record a partial payment: the ledger part updates in place.
    payment_form = page.locator("form", has=page.get_by_role("button", name="Betaling boeken"))
    payment_form.get_by_label("Bedrag").fill("234,56")
    page.get_by_role("button", name="Betaling boeken").click()
    expect(page.locator("#invoice-open")).to_have_text(re.compile(r"€\s1\.000,00"))
    ledger_text = page.locator("#ledger").inner_text().replace("\xa0", " ")
    assert "Betaling van € 234,56 geboekt" in ledger_text
    shoot(page, "invoice-after-payment-desktop")

    # Back on the customer page the balance is lower.
    page.get_by_role("link", name="Bouwbedrijf De Vries B.V.").click()
    page.wait_for_url("**/customers/**")
    assert page.locator("#customer-open").inner_text().replace("\xa0", " ") == "€ 1.300,00"

    # Phone width: the same pages stay usable.
    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, locale="nl-NL")
    phone.context.add_cookies(page.context.cookies())
    for path, name in (("/", "dashboard"), ("/invoices/?overdue=on", "invoices-overdue"),
                       (page.url.replace(live_server.url, ""), "customer")):  # fmt: skip
        phone.goto(f"{live_server.url}{path}")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name} scrolls sideways at phone width ({width}px)"
        shoot(phone, f"{name}-phone")
    assert refused == []

"""In headless Chromium: upload the bank's intraday notification, see it matched and shown as
notified, not booked; screenshots at phone and desktop width go to test-artifacts/."""

import datetime

import pytest

from tegoed.accounts.models import Role
from tests.banking.test_camt_versions import document, entry_xml
from tests.factories import ContactFactory, CustomerFactory, MembershipFactory, issued_invoice
from tests.web.browsing import CHROMIUM, shoot
from tests.web.conftest import TODAY

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium"),
]


@pytest.mark.django_db(transaction=True)
def test_an_intraday_notification_is_shown_as_notified(live_server, browser, tmp_path):
    from tests.factories import OrganizationFactory

    organization = OrganizationFactory(legal_name="Van Dijk Installatietechniek B.V.")
    user = MembershipFactory(organization=organization, role=Role.OWNER).user
    customer = CustomerFactory(organization=organization, name="Bouwbedrijf De Vries B.V.")
    ContactFactory(customer=customer)
    invoice = issued_invoice(customer, "1234.56", issue_date=TODAY - datetime.timedelta(days=40))
    older = issued_invoice(customer, "80.00", issue_date=TODAY - datetime.timedelta(days=50))
    notification = tmp_path / "camt054-intraday.xml"
    notification.write_bytes(
        document(
            "054",
            10,
            entry_xml(10, status="INFO", reference="N-0930", amount="1234.56",
                      text=f"Factuur {invoice.number}", booked_on=TODAY.isoformat())
            + entry_xml(10, status="PDNG", reference="N-0910", amount="80.00",
                        text=f"Factuur {older.number}", end_to_end="E2E-80",
                        booked_on=(TODAY - datetime.timedelta(days=7)).isoformat())
            + entry_xml(10, status="FUTR", reference="F-1", amount="19.95", end_to_end="E2E-F"),
        )
    )  # fmt: skip

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill("correct horse battery")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/bank/")
    page.set_input_files("input[type=file]", str(notification))
    page.get_by_role("button", name="Inlezen en koppelen").click()
    page.wait_for_load_state()
    body = page.locator("body").inner_text()
    assert "2 betalingen door de bank gemeld, nog niet geboekt" in body
    assert "Post F-1 (19,95) is niet gekoppeld: de status FUTR" in body
    section = page.get_by_role("region", name="Door de bank gemeld, nog niet geboekt")
    assert section.is_visible()
    assert invoice.number in section.inner_text()
    assert section.get_by_text("te laat").count() == 1
    shoot(page, "bank-notified-desktop")

    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="nl-NL")
    phone.context.add_cookies(page.context.cookies())
    phone.goto(page.url)
    shoot(phone, "bank-notified-phone")

    # The notification's own page: what the bank said, the invoice, and the way to set it aside.
    page.get_by_role("link", name="9 mrt 2026").click()
    page.wait_for_load_state()
    assert page.get_by_text("gemeld, nog niet geboekt", exact=True).is_visible()
    assert page.get_by_role("button", name="Deze melding opzijzetten").is_visible()
    assert page.get_by_role("button", name="Akkoord").count() == 0
    assert page.get_by_text(
        "Op 14 maart 2026 nog niet geboekt: vraag het na bij de bank."
    ).is_visible()
    shoot(page, "bank-notified-entry-desktop")
    phone.goto(page.url)
    shoot(phone, "bank-notified-entry-phone")

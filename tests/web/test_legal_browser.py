"""In headless Chromium: the claims nearing limitation on the dashboard and their full list,
and an invoice's claim with the interest on the costs, switched to simple interest. Shot at
phone and desktop width (test-artifacts/)."""

import datetime

import pytest
from playwright.sync_api import expect

from tegoed.accounts.models import Role
from tegoed.claims.models import SimpleInterest
from tests.factories import CustomerFactory, MembershipFactory, issued_invoice
from tests.web.browsing import log_in, needs_chromium, on_phone, shoot

pytestmark = [pytest.mark.browser, needs_chromium]
D = datetime.date


@pytest.mark.django_db(transaction=True)
def test_limitation_on_the_dashboard_and_simple_interest_on_a_claim(live_server, browser):
    from tests.factories import OrganizationFactory

    organization = OrganizationFactory(legal_name="Van Dijk Installatietechniek B.V.")
    user = MembershipFactory(organization=organization, role=Role.OWNER).user
    old = CustomerFactory(organization=organization, name="Bouwbedrijf De Vries B.V.")
    near = issued_invoice(old, "845.00", issue_date=D(2021, 3, 1))  # due 31 March 2021
    late = issued_invoice(old, "1234.56", issue_date=D(2026, 1, 5), due_date=D(2026, 2, 4))
    other = OrganizationFactory(legal_name="Ander B.V.")
    issued_invoice(CustomerFactory(organization=other), "99.00", issue_date=D(2021, 3, 1))

    page = log_in(browser, live_server, user)
    card = page.get_by_role("region", name="Verjaring binnen 6 maanden")
    expect(card).to_contain_text(near.number)
    expect(card).to_contain_text("31 mrt 2026")
    expect(card).not_to_contain_text("99,00")
    shoot(page, "limitation-dashboard-desktop")
    card.get_by_role("link", name="De lijst met de grondslag van elke vordering").click()
    expect(page.get_by_role("heading", name="Vorderingen die binnenkort verjaren")).to_be_visible()
    expect(page.locator("table")).to_contain_text("art. 3:307 BW, vanaf de dag na de vervaldatum")
    shoot(page, "limitation-list-desktop")

    page.goto(f"{live_server.url}{late.get_absolute_url()}")
    claim = page.locator("#claim")
    expect(claim).to_contain_text("Rente over de kosten")
    expect(claim).to_contain_text("elk jaar, op de verjaardag (art. 6:119 lid 2 BW)")
    page.get_by_label("Enkelvoudige rente op grond van").select_option("judgment")
    page.get_by_role("button", name="Enkelvoudige rente instellen").click()
    expect(page.locator("#claim")).to_contain_text(
        "enkelvoudige rente, zoals de overeenkomst of een vonnis bepaalt"
    )
    assert SimpleInterest.objects.get(invoice=late).source == "judgment"
    shoot(page, "claim-simple-interest-desktop")
    on_phone(
        browser,
        live_server,
        page,
        {
            "limitation-dashboard": "/",
            "limitation-list": "/reports/limitation/",
            "claim-simple-interest": late.get_absolute_url(),
        },
    )

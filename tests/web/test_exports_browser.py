"""In headless Chromium: the lists link their files with the filters of the page, the aging per
customer nets credit, and the pages fit a phone."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tegoed.accounts.models import Role
from tegoed.invoices import services
from tests.factories import CustomerFactory, MembershipFactory, OrganizationFactory, issued_invoice
from tests.web.browsing import log_in, needs_chromium, on_phone, shoot
from tests.web.conftest import TODAY

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]


def test_a_filtered_list_is_downloaded_and_aging_nets_credit(live_server, browser):
    organization = OrganizationFactory(legal_name="Van Dijk Installatietechniek B.V.")
    owner = MembershipFactory(organization=organization, role=Role.OWNER).user
    late = CustomerFactory(organization=organization, name="Bouwbedrijf De Vries B.V.")
    paid_up = CustomerFactory(organization=organization, name="Café Het Hoekje V.O.F.")
    overdue = issued_invoice(late, "1234.56", issue_date=TODAY - datetime.timedelta(days=75))
    issued_invoice(late, "300.00", issue_date=TODAY - datetime.timedelta(days=5))
    settled = issued_invoice(paid_up, "80.00", issue_date=TODAY - datetime.timedelta(days=20))
    services.record_payment(
        organization=organization, amount=Decimal("100.00"), received_on=TODAY,
        acting_user=None, customer=paid_up, allocate_to=[(settled, Decimal("80.00"))],
    )  # fmt: skip

    page = log_in(browser, live_server, owner)
    page.goto(f"{live_server.url}/invoices/?overdue=on")
    expect(page.get_by_role("link", name="CSV")).to_be_visible()
    shoot(page, "export-invoices-desktop")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [overdue.number, "Totaal"]
    assert rows[-1][8] == "1234.56"

    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="Ouderdom per klant, min tegoed").click()
    table = page.locator("table.aging-table")
    expect(table).to_contain_text("Bouwbedrijf De Vries B.V.")
    hoekje = table.locator("tr", has_text="Café Het Hoekje").inner_text().replace("\xa0", " ")
    assert hoekje.split("\t")[-3:] == ["€ 0,00", "€ 20,00", "€ -20,00"]
    shoot(page, "export-aging-desktop")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename == f"ouderdom-{TODAY.isoformat()}.xlsx"

    page.goto(f"{live_server.url}/customers/")
    expect(page.locator("main")).to_contain_text("€ 20,00".replace(" ", "\xa0"))
    shoot(page, "export-customers-desktop")
    page.goto(f"{live_server.url}/bank/")
    shoot(page, "export-bank-desktop")
    on_phone(
        browser,
        live_server,
        page,
        {
            "export-aging": "/reports/aging/",
            "export-invoices": "/invoices/?overdue=on",
            "export-customers": "/customers/",
            "export-bank": "/bank/",
        },
    )

"""End to end in headless Chromium: small amounts written off in one go, a settlement waiting
for approval, a quote made into an invoice, the discount in the settings. Screenshots at phone
and desktop width go to test-artifacts/."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tegoed.collections import settlements
from tegoed.dunning import run, services
from tegoed.invoices import services as ledger
from tegoed.invoices.models import Invoice, InvoiceKind
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    MembershipFactory,
    OrganizationFactory,
    issued_invoice,
    line,
)
from tests.web.browsing import PHONE, shoot
from tests.web.conftest import TODAY
from tests.web.test_browser import pytestmark  # noqa: F401
from tests.web.test_reminders_browser import signed_in

D = Decimal


def books():
    organization = OrganizationFactory(legal_name="Van Dijk Installatietechniek B.V.")
    controller = MembershipFactory(organization=organization).user
    config = services.ensure_defaults(organization)
    config.minimum_open_amount = D("25.00")
    config.save()
    small = CustomerFactory(organization=organization, name="Kapsalon Knip & Zo")
    issued_invoice(small, "18.50", issue_date=datetime.date(2026, 1, 5))
    issued_invoice(small, "12.10", issue_date=datetime.date(2026, 1, 12))
    run.run_dunning(organization, today=datetime.date(2026, 3, 11))
    late = CustomerFactory(organization=organization, name="Bouwbedrijf De Vries B.V.")
    first = issued_invoice(late, "2400.00", issue_date=datetime.date(2026, 1, 5))
    second = issued_invoice(late, "600.00", issue_date=datetime.date(2026, 1, 12))
    settlements.propose_settlement(
        organization, customer=late, user=controller, today=TODAY, invoices=[first, second],
        amount=D("1500.00"), reason="Omzet ingestort; een rechtszaak kost meer dan dit oplevert",
        pay_by=TODAY + datetime.timedelta(days=14),
    )  # fmt: skip
    ContactFactory(customer=late)
    draft = ledger.save_draft_invoice(
        organization=organization, customer=late, acting_user=None, kind=InvoiceKind.QUOTE,
        lines=[line("4500.00", vat_rate="21", description="Nieuwe cv-installatie")],
        issue_date=TODAY, due_date=TODAY + datetime.timedelta(days=30),
    )  # fmt: skip
    quote = ledger.issue_invoice(invoice=draft, acting_user=None, today=TODAY)
    return {"organization": organization, "user": controller, "late": late, "quote": quote}


@pytest.mark.django_db(transaction=True)
def test_write_off_small_amounts_settle_for_less_and_make_an_invoice_of_a_quote(
    live_server, browser
):
    found = books()
    url = live_server.url
    for width, height, suffix in (
        (1280, 900, "desktop"),
        (PHONE["width"], PHONE["height"], "phone"),
    ):
        page = signed_in(browser, live_server, found["user"], width=width, height=height)
        page.goto(f"{url}/reminders/write-offs/")
        expect(page.get_by_role("heading", name="Kleine bedragen afboeken")).to_be_visible()
        expect(page.locator("main")).to_contain_text("art. 29 Wet OB 1968")
        shoot(page, f"small-write-offs-{suffix}")
        page.goto(f"{url}/arrangements/customers/{found['late'].public_id}/#settlements")
        settlement = page.locator("#settlements")
        expect(settlement).to_contain_text("Wacht op goedkeuring")
        settlement.locator("summary").get_by_text("Schikking voorstellen").click()
        shoot(page, f"settlements-{suffix}")
        page.goto(f"{url}{found['quote'].get_absolute_url()}")
        expect(page.get_by_role("heading", name="Offerte")).to_be_visible()
        shoot(page, f"quote-{suffix}")
        page.goto(f"{url}/invoices/new/?kind=pro_forma")
        shoot(page, f"draft-kind-{suffix}")
        page.goto(f"{url}/accounts/settings/")
        expect(page.get_by_label("Betalingskorting (%)")).to_be_visible()
        shoot(page, f"settings-discount-{suffix}")
        page.goto(f"{url}/customers/{found['late'].public_id}/edit/")
        expect(page.get_by_label("Korting bij betaling binnen (dagen)")).to_be_visible()
        shoot(page, f"customer-discount-{suffix}")
        page.close()

    page = signed_in(browser, live_server, found["user"], width=1280, height=900)
    # Both small amounts are ticked; one press writes them off.
    page.goto(f"{url}/reminders/write-offs/")
    page.get_by_role("button", name="Afboeken wat is aangevinkt").click()
    expect(page.locator(".messages")).to_contain_text("2 bedragen afgeboekt")
    assert Invoice.objects.filter(state="written_off").count() == 2

    # Above the controller's limit: approving is refused with the limit named.
    page.goto(f"{url}/arrangements/customers/{found['late'].public_id}/")
    page.get_by_role("button", name="Goedkeuren: € 1.500,00 opgeven").click()
    expect(page.locator(".messages")).to_contain_text("goedkeuringslimiet")

    page.goto(f"{url}{found['quote'].get_absolute_url()}")
    page.get_by_role("button", name="Maak hier een factuur van").click()
    expect(page.locator(".messages")).to_contain_text("Conceptfactuur gemaakt van")
    made = Invoice.objects.get(made_from=found["quote"])
    assert made.is_draft and made.kind == InvoiceKind.INVOICE

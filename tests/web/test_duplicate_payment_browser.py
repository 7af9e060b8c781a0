"""In headless Chromium: a customer pays the same invoice twice; the second payment waits in
the bank queue as a possible duplicate, is kept as credit on the customer, and the refund is
recorded there. At desktop and phone width (the queue and the entry must fit a phone)."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tegoed.accounts.models import Role
from tegoed.banking.models import BankEntry, EntryStatus
from tegoed.invoices import queries
from tegoed.invoices.models import Refund
from tests.banking.test_views import statement
from tests.factories import CustomerFactory, MembershipFactory, OrganizationFactory, issued_invoice
from tests.web.browsing import log_in, needs_chromium, on_phone, shoot

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]


def plain(text: str) -> str:
    return text.replace("\xa0", " ")


def test_a_payment_made_twice_is_reviewed_kept_as_credit_and_refunded(
    live_server, browser, tmp_path
):
    organization = OrganizationFactory(legal_name="Van Dijk Installatietechniek B.V.")
    owner = MembershipFactory(organization=organization, role=Role.OWNER).user
    customer = CustomerFactory(organization=organization, name="Bakker Bouw B.V.", number="D100")
    first = issued_invoice(customer, "121.00", issue_date=datetime.date(2026, 2, 1))
    second = issued_invoice(customer, "250.00", issue_date=datetime.date(2026, 2, 2))
    books = {"first": first, "second": second}
    monday = tmp_path / "maandag.sta"
    monday.write_bytes(statement(books))
    wednesday = tmp_path / "woensdag.sta"
    wednesday.write_text(
        statement(books)
        .decode()
        .replace(":61:2603090309C121", ":61:2603110311C121")
        .replace("//V1", "//V9")
        .replace(":20:S1", ":20:S2")
    )

    page = log_in(browser, live_server, owner)
    page.get_by_role("link", name="Bank", exact=True).click()
    for file in (monday, wednesday):
        page.set_input_files("input[type=file]", str(file))
        page.get_by_role("button", name="Inlezen en koppelen").click()
        expect(page.locator(".messages")).to_contain_text(file.name)
    assert queries.balance_of(first).state == "paid"
    repeat = BankEntry.objects.get(entry_id="V9")
    assert repeat.status == EntryStatus.SUGGESTED and repeat.payment is None
    shoot(page, "workflow-duplicate-queue-desktop")

    page.get_by_role("link", name="11 mrt 2026").click()
    main = page.locator("main")
    expect(main).to_contain_text("mogelijk twee keer betaald")
    assert "9 maart 2026" in main.inner_text()
    shoot(page, "workflow-duplicate-entry-desktop")
    entry_path = page.url.replace(live_server.url, "")
    on_phone(
        browser,
        live_server,
        page,
        {"workflow-duplicate-queue": "/bank/", "workflow-duplicate-entry": entry_path},
    )
    page.get_by_role("button", name="Akkoord").first.click()
    expect(page.locator(".messages")).to_be_visible()
    repeat.refresh_from_db()
    assert repeat.status == EntryStatus.CONFIRMED
    assert repeat.payment.allocations.count() == 0
    # Not an overpayment of the second invoice: it is still open in full.
    assert queries.balance_of(second).open == Decimal("250.00")

    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    credit = page.locator("#credit")
    assert plain(page.locator("#customer-credit").inner_text()) == "€ 121,00"
    credit.get_by_text("Terugbetaling boeken", exact=True).first.click()
    refund = credit.locator("details", has_text="Terugbetaald op")
    refund.get_by_label("Bedrag").fill("121,00")
    refund.get_by_label("Terugbetaald op").fill("2026-03-12")
    refund.get_by_label("Reden").fill("Twee keer betaald")
    shoot(page, "workflow-duplicate-refund-desktop")
    refund.get_by_role("button", name="Terugbetaling boeken").click()
    expect(page.locator(".messages")).to_contain_text("121,00")
    assert page.locator("#customer-credit").count() == 0
    assert Refund.objects.get().amount == Decimal("121.00")
    assert queries.credit_of(customer) == []
    shoot(page, "workflow-duplicate-refunded-desktop")
    on_phone(
        browser,
        live_server,
        page,
        {"workflow-duplicate-refunded": customer.get_absolute_url()},
    )

import datetime
import os

import pytest
from django.test import Client

from tests.factories import (
    ContactFactory,
    CustomerFactory,
    MembershipFactory,
    OrganizationFactory,
    issued_invoice,
)

# The demo's fixed clock: every test sees the same "today".
TODAY = datetime.date(2026, 3, 16)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    import tegoed.accounts.current as current

    monkeypatch.setattr(current, "today", lambda request: TODAY)
    for module in (
        "tegoed.reports.views",
        "tegoed.customers.views",
        "tegoed.invoices.views",
        "tegoed.banking.views",
    ):
        monkeypatch.setattr(f"{module}.today", lambda request: TODAY)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def controller(organization):
    return MembershipFactory(organization=organization).user


@pytest.fixture
def client_a(controller):
    return login(controller)


@pytest.fixture
def ledger(organization):
    """Two customers: one with an overdue invoice of 1.234,56 and one with a paid-up history."""
    late = CustomerFactory(organization=organization, name="Bouwbedrijf De Vries B.V.")
    ContactFactory(customer=late)
    overdue = issued_invoice(
        late, "1234.56", issue_date=datetime.date(2026, 1, 5), due_date=datetime.date(2026, 2, 4)
    )
    current = issued_invoice(
        late, "300.00", issue_date=datetime.date(2026, 3, 10), due_date=datetime.date(2026, 4, 9)
    )
    return {"customer": late, "overdue": overdue, "current": current}


@pytest.fixture
def other_organization(db):
    """Organization B, with a customer, a contact and an invoice user A must never reach."""
    organization = OrganizationFactory(slug="other", legal_name="Ander Bedrijf B.V.")
    customer = CustomerFactory(organization=organization, name="Klant van B")
    contact = ContactFactory(customer=customer)
    invoice = issued_invoice(customer, "99.00")
    return {
        "organization": organization,
        "customer": customer,
        "contact": contact,
        "invoice": invoice,
    }


@pytest.fixture
def browser():
    """Headless Debian chromium (tests/web/browsing.py)."""
    # Playwright's sync API runs an event loop; Django's async-unsafe guard must allow the
    # test's own database calls around it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    from tests.web.browsing import CHROMIUM

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()

"""The claim as of today on the overdue invoice's page and on the customer's page."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tegoed.accounts.models import Role
from tegoed.audit.models import AuditEvent
from tegoed.claims import queries
from tegoed.invoices import services
from tests.factories import MembershipFactory
from tests.web.browsing import CHROMIUM, shoot
from tests.web.conftest import TODAY, login
from tests.web.test_pages import text as page_html

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as read: tags gone, white space single."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", page_html(response)))


def test_an_overdue_invoice_shows_its_claim_with_periods_and_limitation(client_a, ledger):
    page = text(client_a.get(ledger["overdue"].get_absolute_url()))
    assert "Vordering per 16 maart 2026" in page
    # 40 days at 10.15 % on 1,234.56; the scale on it (15 %); both added to the principal.
    assert "Rente tot vandaag €\xa013,73" in page
    assert "Incassokosten €\xa0185,18" in page
    # The costs bear 6:119 interest from 6 February: 39 days × 4 % on 185.18.
    assert "Rente over de kosten €\xa00,79" in page
    assert "Totaal verschuldigd €\xa01.434,26" in page
    assert "elk jaar, op de verjaardag (art. 6:119 lid 2 BW)" in page
    assert "5 februari 2026 (art. 6:119a BW)" in page
    assert "10,15%" in page
    assert "Verjaard na 4 februari 2031" in page


def test_an_invoice_not_yet_due_shows_no_claim(client_a, ledger):
    assert "Vordering per" not in text(client_a.get(ledger["current"].get_absolute_url()))


def test_the_customer_page_shows_the_claim_and_how_a_payment_was_applied(client_a, ledger):
    overdue = ledger["overdue"]
    services.record_payment(
        organization=overdue.organization,
        customer=overdue.customer,
        amount=Decimal("400.00"),
        received_on=datetime.date(2026, 3, 1),
        acting_user=None,
        allocate_to=[(overdue, Decimal("400.00"))],
    )
    page = text(client_a.get(ledger["customer"].get_absolute_url()))
    claim = queries.claim_of(ledger["customer"], on=TODAY)
    payment = claim.invoices[0].payments[0]
    assert (payment.costs, payment.interest) == (Decimal("185.18"), Decimal("8.58"))
    assert "Betalingen gaan eerst naar de kosten" in page
    # The payment of 400.00 to costs, interest, principal:
    assert "€\xa0400,00 €\xa0185,18 €\xa08,58 €\xa0206,24" in page
    assert claim.invoices[0].principal_outstanding == Decimal("1028.32")
    assert "Hoofdsom €\xa01.328,32" in page  # with the 300.00 not yet due
    assert claim.invoices[1].interest is None  # the invoice not yet due carries nothing


def test_a_consumer_page_says_what_a_14_day_letter_would_add(client_a, organization):
    from tests.factories import CustomerFactory, issued_invoice

    consumer = CustomerFactory(organization=organization, kind="consumer", name="J. de Vries")
    issued_invoice(consumer, "234.79", due_date=datetime.date(2026, 3, 1))
    issued_invoice(consumer, "512.00", due_date=datetime.date(2026, 4, 1))
    page = text(client_a.get(consumer.get_absolute_url()))
    assert "Een veertiendagenbrief die vandaag uitgaat, noemt €\xa040,00 incassokosten" in page
    assert "Nog geen rente" in page
    assert "Verjaring: twee jaar" in page


def test_another_organization_never_sees_the_claim(client_a, other_organization):
    response = client_a.get(
        reverse("invoices:detail", args=[other_organization["invoice"].public_id])
    )
    assert response.status_code == 404


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
@pytest.mark.django_db(transaction=True)
def test_the_claim_reads_well_on_a_phone_and_a_desktop(live_server, browser, organization):
    from tests.factories import ContactFactory, CustomerFactory, issued_invoice

    user = MembershipFactory(organization=organization, role=Role.OWNER).user
    late = CustomerFactory(organization=organization, name="Bouwbedrijf De Vries B.V.")
    ContactFactory(customer=late)
    old = issued_invoice(
        late, "2000.00", issue_date=datetime.date(2024, 10, 1), due_date=datetime.date(2024, 10, 31)
    )
    issued_invoice(
        late, "1234.56", issue_date=datetime.date(2026, 1, 5), due_date=datetime.date(2026, 2, 4)
    )
    issued_invoice(late, "300.00", issue_date=datetime.date(2026, 3, 10))
    services.record_payment(
        organization=organization,
        customer=late,
        amount=Decimal("750.00"),
        received_on=datetime.date(2025, 6, 2),
        acting_user=None,
        allocate_to=[(old, Decimal("750.00"))],
    )
    client = login(user)
    cookie = client.cookies["sessionid"].value
    for width, height, label in ((1280, 900, "desktop"), (390, 844, "phone")):
        page = browser.new_page(
            viewport={"width": width, "height": height}, is_mobile=width < 500, locale="nl-NL"
        )
        page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
        for url, name in (
            (late.get_absolute_url(), "customer"),
            (old.get_absolute_url(), "invoice"),
        ):
            page.goto(f"{live_server.url}{url}")
            claim = page.locator("#claim")
            assert "Vordering per 16 maart 2026" in claim.inner_text()
            page.locator("#claim details summary").first.click()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            claim.scroll_into_view_if_needed()
            shoot(page, f"claim-{name}-{label}")
        page.goto(f"{live_server.url}{reverse('claims:terms')}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shoot(page, f"claim-terms-{label}")
        page.close()


def test_the_organization_agrees_its_own_clause_and_the_claim_follows(client_a, ledger):
    url = reverse("claims:terms")
    assert "Zonder eigen beding" in text(client_a.get(url))
    refused = client_a.post(url, {"costs_clause_percent": "10", "costs_clause_minimum": "25"})
    assert refused.status_code == 422
    assert "minstens 40" in refused.content.decode()
    saved = client_a.post(
        url, {"costs_clause_percent": "10", "costs_clause_minimum": "40"}, follow=True
    )
    assert "De vorderingsvoorwaarden zijn opgeslagen." in text(saved)
    claim = queries.claim_of(ledger["customer"], on=TODAY)
    assert claim.invoices[0].costs == Decimal("123.46")  # 10 % of 1,234.56
    event = AuditEvent.objects.get(action="claims.terms_changed")
    assert "10 %, at least 40" in event.summary


def test_read_only_may_not_change_the_claim_terms(organization):
    reader = MembershipFactory(organization=organization, role=Role.READ_ONLY).user
    assert login(reader).post(reverse("claims:terms"), {}).status_code == 403

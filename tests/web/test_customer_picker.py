"""The customer picker of the invoice form: suggestions from part of a name, number or city,
only the organization's own customers, and a search that works without JavaScript."""

import pytest
from django.urls import reverse

from tegoed.accounts.models import Role
from tests.factories import CustomerFactory, MembershipFactory, OrganizationFactory
from tests.web.conftest import login
from tests.web.test_pages import draft_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers(organization):
    return {
        "vries": CustomerFactory(
            organization=organization, number="D-1001", name="Bouwbedrijf De Vries B.V.",
            city="Utrecht",
        ),
        "vriesland": CustomerFactory(
            organization=organization, number="D-1002", name="Friesland Vries Dakwerken",
            city="Leeuwarden",
        ),
        "hoekje": CustomerFactory(
            organization=organization, number="C-0077", name="Café Het Hoekje V.O.F.",
            city="Delft",
        ),
    }  # fmt: skip


def suggested(client, term: str) -> str:
    response = client.get(reverse("customers:suggestions"), {"customer": term})
    assert response.status_code == 200
    return response.content.decode()


def test_suggestions_match_name_number_and_city_of_the_own_organization(client_a, customers):
    CustomerFactory(organization=OrganizationFactory(), name="De Vries Elders", city="Utrecht")

    by_name = suggested(client_a, "vries")
    assert 'value="D-1001 · Bouwbedrijf De Vries B.V."' in by_name
    assert 'value="D-1002 · Friesland Vries Dakwerken"' in by_name
    assert "Elders" not in by_name and "Hoekje" not in by_name
    by_city = suggested(client_a, "delf")
    assert 'value="C-0077 · Café Het Hoekje V.O.F."' in by_city and "Vries" not in by_city
    by_number = suggested(client_a, "d-100")
    assert by_number.count("<option") == 2
    assert suggested(client_a, "").count("<option") == 0
    assert "&lt;" not in suggested(client_a, "<script>")  # nothing found, nothing echoed


def test_a_salesperson_is_offered_only_the_customers_they_look_after(organization, customers):
    seller = MembershipFactory(organization=organization, role=Role.SALES).user
    customers["vries"].sales_owner = seller
    customers["vries"].save()
    page = suggested(login(seller), "vries")
    assert "Bouwbedrijf De Vries" in page and "Friesland" not in page


def test_the_form_takes_a_unique_part_of_a_name_and_asks_when_several_match(
    client_a, organization, customers
):
    url = reverse("invoices:create")
    ambiguous = client_a.post(url, draft_data("Vries")).content.decode()
    assert "Meerdere klanten passen bij “Vries”; kies er een uit de lijst." in ambiguous
    # Without JavaScript the browser's own list offers the matches.
    assert 'list="customer-suggestions"' in ambiguous
    assert '<option value="D-1001 · Bouwbedrijf De Vries B.V.">Utrecht</option>' in ambiguous
    none = client_a.post(url, draft_data("Zuiderzee")).content.decode()
    assert "Geen klant heeft “Zuiderzee” in naam, nummer of plaats." in none

    assert client_a.post(url, draft_data("hoekje")).status_code == 302
    assert client_a.post(url, draft_data("D-1002 · Friesland Vries Dakwerken")).status_code == 302
    drafts = organization.invoices.filter(lifecycle="draft").order_by("pk")
    assert [draft.customer for draft in drafts] == [customers["hoekje"], customers["vriesland"]]
    edit = client_a.get(reverse("invoices:edit", args=[drafts[0].public_id])).content.decode()
    assert 'value="C-0077 · Café Het Hoekje V.O.F."' in edit


def test_another_organizations_customer_cannot_be_picked(client_a, organization, customers):
    stranger = CustomerFactory(organization=OrganizationFactory(), number="X-1", name="Elders BV")
    url = reverse("invoices:create")
    for typed in ("X-1", "Elders", "X-1 · Elders BV"):
        page = client_a.post(url, draft_data(typed)).content.decode()
        assert 'aria-invalid="true"' in page
    assert not stranger.invoices.exists()

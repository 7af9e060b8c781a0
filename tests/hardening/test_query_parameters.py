"""Query parameters no list can answer give the first page (or a form error), never a 500."""

import pytest
from django.urls import reverse

from tests.factories import CustomerFactory, MembershipFactory, issued_invoice
from tests.web.conftest import login

pytestmark = pytest.mark.django_db

QUERIES = (
    "page=99999999999999999999",
    "page=-3",
    "sort=total&after=NaN~1",
    "sort=total&after=Infinity~1",
    "sort=total&after=1E%2B999999~1",
    "sort=-total&after=5~99999999999999999999999",
    "amount_min=1E%2B999999",
    "amount_max=NaN",
)


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("page", ["invoices:list", "customers:list", "banking:queue"])
def test_an_impossible_query_answers_the_first_page(page, query, organization):
    customer = CustomerFactory(organization=organization)
    issued_invoice(customer, "10.00")
    client = login(MembershipFactory(organization=organization).user)
    response = client.get(f"{reverse(page)}?{query}")
    assert response.status_code == 200
    # The lists show the customer's invoice or the customer; the queue its upload form.
    shown = b'name="file"' if page == "banking:queue" else customer.name.encode()
    assert shown in response.content

"""Customer credit (a payment not applied, a credit note larger than what was open, less what
was refunded) lowers what the screens say is owed: the dashboard's total and DSO, the customer's
statement, the customer list and the aging per customer, each by the same amount."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tegoed.invoices import queries, services
from tests.factories import CustomerFactory, issued_invoice, line
from tests.web.conftest import TODAY

pytestmark = pytest.mark.django_db
DAY = TODAY - datetime.timedelta(days=2)


def test_every_figure_nets_the_same_credit(client_a, organization):
    customer = CustomerFactory(organization=organization, name="Bouwbedrijf De Vries B.V.")
    paid = issued_invoice(customer, "100.00", issue_date=TODAY - datetime.timedelta(days=60))
    overdue = issued_invoice(customer, "400.00", issue_date=TODAY - datetime.timedelta(days=45))
    # 150 received for an invoice of 100: 50 credit; then a credit note of 30 on the paid
    # invoice (nothing left to take it): 80 credit; 10 refunded: 70.
    payment = services.record_payment(
        organization=organization, amount=Decimal("150.00"), received_on=DAY, acting_user=None,
        customer=customer, allocate_to=[(paid, Decimal("100.00"))],
    )  # fmt: skip
    services.credit_invoice(
        invoice=paid, acting_user=None, today=DAY, reason="Korting",
        lines=[line("30.00", vat_rate="0")],
    )  # fmt: skip
    services.refund_credit(source=payment, amount=Decimal("10.00"), refunded_on=DAY,
                           acting_user=None)  # fmt: skip
    credit = Decimal("70.00")
    assert queries.unapplied_credit_total(organization) == credit
    assert queries.credit_by_customer(organization) == {customer.pk: credit}
    net = Decimal("400.00") - credit

    dashboard = client_a.get(reverse("reports:dashboard"))
    assert dashboard.context["credit"] == credit and dashboard.context["net_open"] == net
    sales = dashboard.context["sales"]  # 500 invoiced less 30 credited in the last 90 days
    assert sales == Decimal("470.00")
    assert dashboard.context["dso"] == int(net / sales * 90)
    assert "€\xa070,00" in dashboard.content.decode()

    page = client_a.get(customer.get_absolute_url(), {"since": "2025-01-01"})
    assert page.context["closing"] == net  # the statement's balance

    listed = client_a.get(reverse("customers:list"))
    (row,) = listed.context["rows"]
    assert row[1:] == (Decimal("400.00"), Decimal("400.00"), credit)

    (aged,) = client_a.get(reverse("reports:aging")).context["rows"]
    assert (aged.open, aged.credit, aged.net) == (Decimal("400.00"), credit, net)
    assert overdue.due_date < TODAY

"""The claim from the ledger (tegoed.claims.queries), `tegoed claim` and `tegoed limitation`."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tegoed.claims import queries
from tegoed.claims.models import ClaimTerms
from tegoed.invoices import services as invoice_services
from tests.factories import CustomerFactory, OrganizationFactory, issued_invoice

pytestmark = pytest.mark.django_db
D = Decimal
ON = datetime.date(2026, 3, 1)


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def business():
    organization = OrganizationFactory(slug="bakkerij")
    return CustomerFactory(organization=organization, number="D100", kind="business")


def pay(invoice, amount, day):
    invoice_services.record_payment(
        organization=invoice.organization,
        customer=invoice.customer,
        amount=D(amount),
        received_on=day,
        acting_user=None,
        allocate_to=[(invoice, D(amount))],
    )


def test_the_claim_applies_a_booked_payment_to_costs_interest_then_principal(business):
    invoice = issued_invoice(business, "1000.00", issue_date=datetime.date(2026, 1, 1))
    pay(invoice, "300", datetime.date(2026, 2, 15))
    result = queries.claim_of(business, on=ON)
    line = result.invoices[0]
    assert line.number == invoice.number
    assert [(p.costs, p.interest, p.principal) for p in line.payments] == [
        (D("150.00"), D("4.17"), D("145.83"))
    ]
    assert (result.principal, result.interest, result.costs) == (D("854.17"), D("3.33"), D("0"))
    # The costs bore 6:119 interest from 2 February until the payment reached them.
    assert (line.costs_interest.start, line.costs_interest.end) == (
        datetime.date(2026, 2, 2),
        datetime.date(2026, 3, 1),
    )
    assert result.costs_interest == D("0.23")  # 14 days × 4 % on 150.00
    assert result.total == D("857.73")  # the ledger says 700.00 open: 6:44 puts costs first


def test_the_claim_covers_open_invoices_less_credit_and_takes_the_contract_date(business):
    old = issued_invoice(business, "500.00", issue_date=datetime.date(2026, 1, 1))
    invoice_services.write_off(
        invoice=old, acting_user=None, today=ON, reason="discount agreed", amount=D("100")
    )
    paid = issued_invoice(business, "80.00", issue_date=datetime.date(2026, 1, 1))
    pay(paid, "80.00", datetime.date(2026, 1, 20))
    result = queries.claim_of(business, on=ON)
    assert [(line.number, line.principal) for line in result.invoices] == [(old.number, D("400"))]
    old.contract_date = datetime.date(2012, 1, 1)
    old.save()
    periods = queries.claim_of(business, on=ON).invoices[0].interest.periods
    assert {p.rate for p in periods} == {D("9.15")}  # ECB 2.15 + 7 for a contract of 2012


def test_an_organization_clause_replaces_the_scale(business):
    issued_invoice(business, "1000.00", issue_date=datetime.date(2026, 1, 1))
    assert queries.claim_of(business, on=ON).costs == D("150.00")
    ClaimTerms.objects.create(organization=business.organization, costs_clause_percent=D("10"))
    assert queries.claim_of(business, on=ON).costs == D("100.00")


def test_claim_command_json(business):
    invoice = issued_invoice(business, "1000.00", issue_date=datetime.date(2026, 1, 1))
    result = json.loads(
        run("claim", "D100", "--organization=bakkerij", "--date=2026-03-01", "--json")
    )
    assert (result["customer"], result["date"], result["total"]) == (
        "D100",
        "2026-03-01",
        "1158.52",  # with 0.46 interest on the 150.00 costs from 2 February
    )
    line = result["invoices"][0]
    assert (line["number"], line["interest_from"], line["costs"]) == (
        invoice.number,
        "2026-02-01",
        "150.00",
    )
    assert line["interest"]["periods"][0]["rate"] == "10.15"
    assert line["limitation"]["last_day"] == "2031-01-31"
    assert result["limitation_last_day"] == "2031-01-31"
    text = run("claim", "D100", "--organization=bakkerij", "--date=2026-03-01")
    assert invoice.number in text and "1158.52" in text
    assert "EUR 0.46 rente over de incassokosten (art. 6:119 BW)" in text
    assert result["costs_interest"] == line["outstanding"]["costs_interest"] == "0.46"
    assert line["costs_interest"]["periods"][0]["rate"] == "4.00"
    with pytest.raises(CommandError, match="No customer 'D999'"):
        run("claim", "D999", "--organization=bakkerij")


def test_limitation_command_json():
    assert json.loads(run("limitation", "--due=2020-03-31", "--json")) == {"last_day": "2025-03-31"}
    interrupted = run(
        "limitation", "--due=2021-03-31", "--interrupted", "2024-06-10", "2025-01-01", "--json"
    )
    assert json.loads(interrupted) == {"last_day": "2030-01-01"}
    sale = run("limitation", "--due=2024-02-28", "--kind=consumer-sale", "--json")
    assert json.loads(sale) == {"last_day": "2026-02-28"}
    with pytest.raises(CommandError, match="--due: '31-03-2020' is not a date"):
        run("limitation", "--due=31-03-2020")


def test_a_letter_claims_the_costs_the_claim_shows(business):
    from tegoed.documents import queries as documents

    issued_invoice(business, "1000.00", issue_date=datetime.date(2026, 1, 1))
    ClaimTerms.objects.create(organization=business.organization, costs_clause_percent=D("10"))
    demand = documents.letter_for("formal_demand", business, today=ON)
    assert demand.collection_costs == queries.claim_of(business, on=ON).costs == D("100.00")

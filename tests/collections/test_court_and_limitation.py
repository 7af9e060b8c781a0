"""The court through the daily run: a summons moves limitation, a judgment starts twenty years
and its own interest; the claims nearing limitation on the dashboard."""

import datetime
from decimal import Decimal

import pytest

from tegoed.claims import history
from tegoed.claims.models import SimpleInterest
from tegoed.claims.queries import claim_of
from tegoed.collections import services
from tegoed.collections.models import Agency, StageKind
from tegoed.dunning.models import InvoiceStep
from tests.arrangements.conftest import live
from tests.factories import CustomerFactory, issued_invoice

D = datetime.date


@pytest.fixture
def handed_over(organization):
    """An invoice of 1,000 due 4 February, handed over on 2 March without a reminder sent."""
    customer = CustomerFactory(organization=organization, name="Bouwbedrijf Smit")
    invoice = issued_invoice(customer, "1000.00", issue_date=D(2026, 1, 5))
    agency = Agency.objects.create(organization=organization, kind="bailiff", name="Deurwaarder")
    handover = services.hand_over(
        organization, customer=customer, invoices=[invoice], agency=agency, today=D(2026, 3, 2)
    )
    return handover, invoice


def line_of(invoice, on):
    return claim_of(invoice.customer, on=on, invoices=[invoice]).invoices[0]


def test_a_summons_then_a_judgment_move_limitation_and_start_the_judgment_interest(
    organization, handed_over
):
    handover, invoice = handed_over
    assert line_of(invoice, D(2026, 5, 1)).limitation.last_day == D(2031, 2, 4)
    live(organization, D(2026, 3, 2), D(2026, 5, 12))
    services.record_stage(
        handover, kind=StageKind.SUMMONS, on=D(2026, 5, 12), costs=Decimal("105.36"),
        today=D(2026, 5, 12),
    )  # fmt: skip
    # The summons interrupts (art. 3:316 BW): five years from the next day.
    assert line_of(invoice, D(2026, 5, 13)).limitation.last_day == D(2031, 5, 12)
    stood = line_of(invoice, D(2026, 6, 2))
    assert (stood.costs, stood.costs_interest_outstanding > 0) == (Decimal("150.00"), True)
    live(organization, D(2026, 5, 13), D(2026, 6, 2))
    services.record_stage(
        handover, kind=StageKind.JUDGMENT, on=D(2026, 6, 2), today=D(2026, 6, 2),
        awarded=Decimal("1250.00"),
    )  # fmt: skip
    services.record_remittance(
        handover, received_on=D(2026, 6, 20), collected=[(invoice, Decimal("600.00"))]
    )
    live(organization, D(2026, 6, 3), D(2026, 6, 30))
    assert not InvoiceStep.objects.filter(invoice=invoice).exists()  # held all along
    line = line_of(invoice, D(2026, 6, 30))
    # Twenty years to enforce the judgment (art. 3:324 BW).
    assert (line.limitation.last_day, line.limitation.basis) == (
        D(2046, 6, 2),
        "art. 3:324 lid 1 BW",
    )
    # The award is the principal from 3 June; the agency's 600 goes to its interest first
    # (18 days × 10.15 % on 1,250.00 = 6.26), then the principal.
    assert (line.judgment.on, line.judgment.awarded, line.interest_from) == (
        D(2026, 6, 2),
        Decimal("1250.00"),
        D(2026, 6, 3),
    )
    assert [(p.interest, p.principal) for p in line.payments] == [
        (Decimal("6.26"), Decimal("593.74"))
    ]
    assert line.principal_outstanding == Decimal("656.26")
    assert (line.costs, line.costs_interest) == (Decimal("0"), None)  # inside the award
    # 10 days × 10.15 % on 656.26.
    assert line.interest_outstanding == Decimal("1.82")


def test_a_judgment_without_an_amount_awards_the_claim_and_may_say_simple_interest(
    organization, handed_over
):
    handover, invoice = handed_over
    stood = line_of(invoice, D(2026, 6, 2))
    services.record_stage(
        handover, kind=StageKind.JUDGMENT, on=D(2026, 6, 2), today=D(2026, 6, 2),
        simple_interest=True,
    )  # fmt: skip
    assert SimpleInterest.objects.get(invoice=invoice).source == "judgment"
    line = line_of(invoice, D(2028, 6, 30))
    assert line.judgment.awarded == stood.total
    assert line.simple_interest and not line.interest.capitalisations
    with pytest.raises(services.HandoverError, match="Only a judgment"):
        services.record_stage(
            handover, kind=StageKind.SEIZURE, on=D(2026, 6, 3), today=D(2026, 6, 3),
            awarded=Decimal("10.00"),
        )  # fmt: skip


def test_the_claims_nearing_limitation_are_the_organizations_own(organization, member):
    from tests.factories import OrganizationFactory

    today = D(2026, 3, 2)
    near = issued_invoice(CustomerFactory(organization=organization), "100.00",
                          issue_date=D(2021, 3, 1))  # fmt: skip
    issued_invoice(CustomerFactory(organization=organization), "100.00", issue_date=D(2022, 3, 1))
    other = OrganizationFactory()
    issued_invoice(CustomerFactory(organization=other), "100.00", issue_date=D(2021, 3, 1))
    found = history.nearing_limitation(organization, today=today, months=6)
    assert [(invoice.number, result.last_day) for invoice, result in found] == [
        (near.number, D(2026, 3, 31))
    ]
    assert history.nearing_limitation(organization, today=D(2026, 1, 2), months=1) == []

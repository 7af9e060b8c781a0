"""Amounts a money column cannot hold are refused with a sentence, not an arithmetic error."""

import datetime
from decimal import Decimal

import pytest

from tegoed.arrangements import services as arrangements
from tegoed.arrangements.models import Dispute, DisputeOutcome, Promise
from tegoed.collections import services
from tegoed.collections.models import Agency, Remittance, Stage, StageKind
from tests.factories import CustomerFactory, issued_invoice

D = datetime.date
TODAY = D(2026, 3, 2)
HUGE = ["1E+30", "1E+9999999", "12.345", "NaN"]


@pytest.fixture
def invoice(organization):
    customer = CustomerFactory(organization=organization)
    return issued_invoice(customer, "600.00", issue_date=D(2026, 1, 5))


@pytest.fixture
def handover(organization, invoice):
    agency = Agency.objects.create(organization=organization, kind="agency", name="Incasso")
    return services.hand_over(
        organization, customer=invoice.customer, invoices=[invoice], agency=agency, today=TODAY
    )


@pytest.mark.parametrize("amount", HUGE)
def test_a_promise_of_an_impossible_amount_is_refused(organization, invoice, amount):
    with pytest.raises(arrangements.ArrangementError, match="whole cents"):
        arrangements.promise_to_pay(
            organization, customer=invoice.customer, invoice=invoice, amount=Decimal(amount),
            pay_by=D(2026, 3, 10), channel="call", today=TODAY,
        )  # fmt: skip
    assert not Promise.objects.exists()


@pytest.mark.parametrize("amount", HUGE)
def test_a_credit_of_an_impossible_amount_is_refused(organization, invoice, amount):
    dispute = arrangements.open_dispute(
        organization, customer=invoice.customer, invoice=invoice, reason="quality",
        channel="call", today=TODAY,
    )  # fmt: skip
    with pytest.raises(arrangements.ArrangementError, match="whole cents"):
        arrangements.resolve_dispute(
            dispute, outcome=DisputeOutcome.CREDITED, credit_amount=Decimal(amount), today=TODAY
        )
    dispute.refresh_from_db()
    assert dispute.outcome == DisputeOutcome.OPEN and not Dispute.objects.filter(
        credit_note__isnull=False
    )


@pytest.mark.parametrize("amount", HUGE)
def test_stage_costs_or_a_fee_of_an_impossible_amount_are_refused(handover, invoice, amount):
    with pytest.raises(services.HandoverError, match="whole cents"):
        services.record_stage(
            handover, kind=StageKind.SUMMONS, on=TODAY, costs=Decimal(amount), today=TODAY
        )
    with pytest.raises(services.HandoverError, match="at most what was collected"):
        services.record_remittance(
            handover, received_on=TODAY, collected=[(invoice, Decimal("100.00"))],
            fee=Decimal(amount),
        )  # fmt: skip
    assert list(Stage.objects.values_list("kind", flat=True)) == [StageKind.HANDED_OVER]
    assert not Remittance.objects.exists()


@pytest.mark.parametrize("amount", HUGE)
def test_a_remittance_of_an_impossible_amount_is_refused(handover, invoice, amount):
    with pytest.raises(services.HandoverError, match="whole cents"):
        services.record_remittance(
            handover, received_on=TODAY, collected=[(invoice, Decimal(amount))]
        )
    assert not Remittance.objects.exists()

"""Interest when an arrangement breaks, with and without the organization's waiver, and a
consumer's 14-day letter inside the arrangement's interest, lived through the daily run."""

import datetime
from decimal import Decimal

import pytest

from tegoed.arrangements import plans
from tegoed.arrangements.models import ArrangementState, ArrangementTerms
from tegoed.arrangements.services import ArrangementError
from tegoed.claims.queries import claim_of
from tegoed.domain import default_notice
from tegoed.dunning.models import InvoiceStep
from tests.arrangements.conftest import live
from tests.factories import CustomerFactory, issued_invoice

D = datetime.date


def broken(organization, member, *, waive: bool):
    """300.00 due 4 February; an arrangement on 11 February never paid breaks on 5 March."""
    ArrangementTerms.objects.create(organization=organization, waive_interest=waive)
    customer = CustomerFactory(organization=organization, language="en")
    invoice = issued_invoice(customer, "300.00", issue_date=D(2026, 1, 5))
    live(organization, D(2026, 2, 9), D(2026, 2, 10))
    arrangement = plans.agree_arrangement(
        organization, customer=customer, invoices=[invoice], channel="call", user=member,
        today=D(2026, 2, 11), count=3, first_due_on=D(2026, 2, 25),
    )  # fmt: skip
    live(organization, D(2026, 2, 11), D(2026, 4, 30))
    arrangement.refresh_from_db()
    assert (arrangement.state, arrangement.ended_on) == (ArrangementState.BROKEN, D(2026, 3, 5))
    assert arrangement.waives_interest is waive
    return invoice


@pytest.mark.parametrize("waive", [False, True])
def test_a_broken_arrangement_claims_interest_from_the_original_due_date_unless_waived(
    organization, member, waive
):
    invoice = broken(organization, member, waive=waive)
    line = claim_of(invoice.customer, on=D(2026, 4, 30), invoices=[invoice]).invoices[0]
    if waive:
        # Nothing for the time before it broke; from the next day on, as the law gives.
        assert line.interest_from == D(2026, 3, 6)
        assert line.interest.periods[0].days == 56  # 6 March through 30 April
    else:
        assert line.interest_from == D(2026, 2, 5)
        assert line.interest.periods[0].days == 85  # 5 February through 30 April
    assert line.costs == Decimal("45.00")  # the costs are not waived
    # The schedule resumed; a step that claims interest states the claim's figure.
    claiming = InvoiceStep.objects.filter(invoice=invoice, interest__gt=0).order_by("decided_on")
    step = claiming.first()
    on_the_day = claim_of(invoice.customer, on=step.decided_on, invoices=[invoice]).invoices[0]
    assert step.interest == on_the_day.interest_outstanding + on_the_day.costs_interest_outstanding
    assert (on_the_day.interest_from == D(2026, 3, 6)) is waive


def test_a_consumers_arrangement_takes_interest_and_costs_from_the_14_day_letter(
    organization, member
):
    customer = CustomerFactory(organization=organization, kind="consumer", language="en")
    invoice = issued_invoice(customer, "300.00", issue_date=D(2026, 1, 5))  # due 4 Feb
    live(organization, D(2026, 2, 5), D(2026, 3, 20))
    with pytest.raises(ArrangementError, match="only after the term of a 14-day letter"):
        plans.agree_arrangement(
            organization, customer=customer, invoices=[invoice], channel="call",
            today=D(2026, 3, 20), count=3, with_interest=True, with_costs=True,
        )  # fmt: skip
    sent_on = InvoiceStep.objects.get(invoice=invoice, kind="consumer_notice").decided_on
    due_from = default_notice.dates(sent_on).costs_due_from
    live(organization, D(2026, 3, 21), due_from)
    arrangement = plans.agree_arrangement(
        organization, customer=customer, invoices=[invoice], channel="call",
        today=due_from + datetime.timedelta(days=10), count=3, with_interest=True,
        with_costs=True,
    )  # fmt: skip
    line = claim_of(customer, on=arrangement.agreed_on, invoices=[invoice]).invoices[0]
    # In default from the day after the letter's term: interest from then, the costs owed.
    assert line.interest_from == due_from
    assert arrangement.costs == Decimal("45.00")
    assert arrangement.interest == line.interest_outstanding + line.costs_interest_outstanding
    assert arrangement.interest > 0

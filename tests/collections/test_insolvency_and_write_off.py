"""A bankrupt customer, and a claim written off: both stop the daily run for good."""

import datetime
from decimal import Decimal

import pytest

from tegoed.collections import services
from tegoed.collections.dossier import claim_with_history
from tegoed.collections.models import Handover, StageKind
from tegoed.dunning.models import InvoiceStep
from tegoed.invoices import services as invoice_services
from tests.arrangements.conftest import live
from tests.factories import CustomerFactory, issued_invoice

D = datetime.date


def test_bankruptcy_stops_reminders_and_fixes_the_claim_on_the_day_declared(organization, member):
    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "2000.00", issue_date=D(2026, 1, 5))  # due 4 Feb
    issued_invoice(customer, "150.00", issue_date=D(2026, 3, 20))  # after the declaration
    live(organization, D(2026, 2, 9), D(2026, 3, 1))
    steps = InvoiceStep.objects.filter(invoice=invoice).count()
    insolvency = services.record_insolvency(
        organization,
        customer=customer,
        kind="bankruptcy",
        declared_on=D(2026, 3, 2),
        trustee="mr. J. Bakker, curator",
        reference="C/16/26/123 F",
        user=member,
        today=D(2026, 3, 3),
    )
    on_the_day = claim_with_history(customer, [invoice], D(2026, 3, 2))
    # The interest to file includes that on the costs (art. 6:119 BW).
    assert on_the_day.costs_interest > 0
    assert (insolvency.principal, insolvency.interest, insolvency.costs) == (
        Decimal("2000.00"),
        on_the_day.interest + on_the_day.costs_interest,
        on_the_day.costs,
    )
    assert Decimal("0") < insolvency.interest < Decimal("30")  # 26 days of commercial interest
    live(organization, D(2026, 3, 3), D(2026, 7, 31))
    # Not a single step more, for the old invoice nor for the one issued after.
    assert InvoiceStep.objects.filter(invoice__customer=customer).count() == steps
    services.file_claim(insolvency, filed_on=D(2026, 3, 10), user=member)
    insolvency.refresh_from_db()
    assert insolvency.filed_on == D(2026, 3, 10)
    with pytest.raises(services.HandoverError, match="past"):
        services.record_insolvency(
            organization, customer=customer, kind="wsnp", declared_on=D(2026, 9, 1),
            today=D(2026, 8, 1),
        )  # fmt: skip


def test_what_the_agency_could_not_collect_is_written_off_and_never_chased_again(
    organization, member
):
    from tegoed.collections.models import Agency

    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "800.00", issue_date=D(2026, 1, 5))
    live(organization, D(2026, 2, 9), D(2026, 4, 20))
    agency = Agency.objects.create(organization=organization, kind="agency", name="Incasso BV")
    handover = services.hand_over(
        organization, customer=customer, invoices=[invoice], agency=agency, today=D(2026, 4, 21)
    )
    services.record_remittance(
        handover, received_on=D(2026, 6, 1), collected=[(invoice, Decimal("500.00"))],
        fee=Decimal("75.00"),
    )  # fmt: skip
    services.record_stage(handover, kind=StageKind.CLOSED, on=D(2026, 6, 15), today=D(2026, 6, 15))
    invoice_services.write_off(
        invoice=invoice, acting_user=member, today=D(2026, 6, 15),
        reason="Niet te innen volgens Incasso BV",
    )  # fmt: skip
    invoice.refresh_from_db()
    assert (invoice.open_amount, invoice.written_off) == (Decimal("0.00"), Decimal("300.00"))
    steps = InvoiceStep.objects.filter(invoice=invoice).count()
    live(organization, D(2026, 6, 15), D(2026, 8, 31))
    assert InvoiceStep.objects.filter(invoice=invoice).count() == steps
    assert Handover.objects.get().stage == StageKind.CLOSED

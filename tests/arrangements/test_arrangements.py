"""Payment arrangements, lived day by day through the daily run."""

import datetime
from decimal import Decimal

import pytest

from tegoed.arrangements import plans
from tegoed.arrangements.models import Arrangement, ArrangementState, ArrangementTerms
from tegoed.arrangements.services import ArrangementError
from tegoed.dunning.models import Hold, InvoiceStep, Message
from tests.arrangements.conftest import live
from tests.arrangements.test_promises_and_disputes import pay, steps_of
from tests.documents.reading import pdf_text
from tests.factories import CustomerFactory, issued_invoice

D = datetime.date


@pytest.fixture
def invoice(organization):
    customer = CustomerFactory(organization=organization, language="en")
    return issued_invoice(customer, "300.00", issue_date=D(2026, 1, 5))  # due 4 Feb


def agree(invoice, member, **options):
    return plans.agree_arrangement(
        invoice.organization,
        customer=invoice.customer,
        invoices=[invoice],
        channel="call",
        user=member,
        today=D(2026, 2, 11),
        **({"count": 3, "first_due_on": D(2026, 2, 25)} | options),
    )


def kinds(customer, *, internal=False) -> list[tuple[datetime.date, str]]:
    return list(
        Message.objects.filter(customer=customer, internal=internal)
        .order_by("send_on", "id")
        .values_list("send_on", "kind")
    )


def test_an_arrangement_kept_reminds_before_each_instalment_and_closes_when_paid(
    organization, invoice, member
):
    live(organization, D(2026, 2, 9), D(2026, 2, 10))
    arrangement = agree(invoice, member)
    assert [(row.due_on, row.amount) for row in arrangement.instalments.all()] == [
        (D(2026, 2, 25), Decimal("100.00")),
        (D(2026, 3, 25), Decimal("100.00")),
        (D(2026, 4, 25), Decimal("100.00")),
    ]
    confirmation = Message.objects.get(kind="arrangement")
    assert confirmation.channel == "email"
    assert confirmation.recipients == [invoice.customer.contacts.get().email]
    (letter,) = confirmation.attachments.all()
    text = pdf_text(bytes(letter.content))
    assert "25 February 2026" in text and "25 April 2026" in text and "100.00" in text
    for day in (D(2026, 2, 25), D(2026, 3, 24), D(2026, 4, 25)):
        pay(invoice, "100.00", day)
    live(organization, D(2026, 2, 11), D(2026, 5, 31))
    arrangement.refresh_from_db()
    assert (arrangement.state, arrangement.ended_on) == (ArrangementState.COMPLETED, D(2026, 4, 25))
    # Reminded three days before each instalment, except the one paid early; nothing chased.
    assert kinds(invoice.customer) == [
        (D(2026, 2, 10), "reminder"),
        (D(2026, 2, 11), "arrangement"),
        (D(2026, 2, 22), "instalment_due"),
        (D(2026, 3, 22), "instalment_due"),
        (D(2026, 4, 22), "instalment_due"),
    ]
    assert steps_of(invoice) == [(D(2026, 2, 10), "reminder_1")]


def test_a_missed_instalment_alerts_then_breaks_the_arrangement_and_the_schedule_resumes(
    organization, invoice, member
):
    live(organization, D(2026, 2, 9), D(2026, 2, 10))
    arrangement = agree(invoice, member)
    pay(invoice, "100.00", D(2026, 2, 24))
    pay(invoice, "40.00", D(2026, 3, 25))
    live(organization, D(2026, 2, 11), D(2026, 4, 1))
    arrangement.refresh_from_db()
    assert arrangement.state == ArrangementState.ACTIVE
    assert kinds(invoice.customer)[-1] == (D(2026, 3, 26), "instalment_missed")
    alert = Message.objects.get(internal=True, kind="instalment_missed")
    assert alert.recipients == [member.email]
    assert (
        "60.00" in alert.text
        and "1 April 2026" in Message.objects.get(internal=False, kind="instalment_missed").text
    )
    assert steps_of(invoice) == [(D(2026, 2, 10), "reminder_1")]
    # Seven days of grace after 25 March; on 2 April it breaks.
    live(organization, D(2026, 4, 2), D(2026, 4, 2))
    arrangement.refresh_from_db()
    assert (arrangement.state, arrangement.ended_on) == (ArrangementState.BROKEN, D(2026, 4, 2))
    assert kinds(invoice.customer)[-1] == (D(2026, 4, 2), "arrangement_broken")
    assert Hold.objects.get(reason="arrangement").lifted_on == D(2026, 4, 2)
    # The original schedule resumes where it stood, the days under the arrangement not counted.
    live(organization, D(2026, 4, 3), D(2026, 4, 30))
    codes = [code for _day, code in steps_of(invoice)]
    assert codes[:2] == ["reminder_1", "reminder_2"]
    assert InvoiceStep.objects.filter(invoice=invoice, decided_on__lt=D(2026, 4, 3)).count() == 1


def test_an_arrangement_that_does_not_add_up_is_refused_with_the_difference(
    organization, invoice, member
):
    with pytest.raises(ArrangementError, match=r"290\.00, not to the 300\.00 owed: 10\.00 short"):
        agree(
            invoice,
            member,
            count=None,
            first_due_on=None,
            instalments=[(D(2026, 3, 1), Decimal("145.00")), (D(2026, 4, 1), Decimal("145.00"))],
        )
    assert not Arrangement.objects.exists() and not Hold.objects.exists()


def test_the_organization_limits_are_kept(organization, invoice, member):
    ArrangementTerms.objects.create(
        organization=organization, minimum_instalment=Decimal("120.00"), maximum_months=3
    )
    with pytest.raises(ArrangementError, match=r"below the minimum of 120\.00"):
        agree(invoice, member)
    with pytest.raises(ArrangementError, match="after the 3 months allowed"):
        agree(invoice, member, count=2, first_due_on=D(2026, 4, 20))
    agree(invoice, member, count=2, first_due_on=D(2026, 3, 1))
    with pytest.raises(ArrangementError, match="already in a running arrangement"):
        agree(invoice, member, count=2, first_due_on=D(2026, 3, 1))


def test_interest_and_costs_can_be_part_of_the_arrangement(organization, invoice, member):
    arrangement = agree(invoice, member, with_interest=True, with_costs=True)
    assert arrangement.interest > 0
    assert arrangement.costs == Decimal("45.00")  # 15 % of 300, at least 40 euros
    assert arrangement.total == Decimal("300.00") + arrangement.interest + Decimal("45.00")
    assert sum(row.amount for row in arrangement.instalments.all()) == arrangement.total

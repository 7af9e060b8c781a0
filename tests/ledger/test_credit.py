"""Customer credit: an overpayment or a credit note larger than what was open is applied to
another invoice or refunded, and the statement, the dashboard and the DSO net it."""

import datetime
from decimal import Decimal

import pytest

from tegoed.domain import credit
from tegoed.invoices import queries, services
from tests.factories import CustomerFactory, issued_invoice, line

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 16)


def overpaid(customer):
    """Invoice A of 100 paid with 150: 50 is credit. Invoice B of 50 and C of 80 are open."""
    first = issued_invoice(customer, "100.00")
    second = issued_invoice(customer, "80.00", issue_date=datetime.date(2026, 2, 1))
    third = issued_invoice(customer, "50.00", issue_date=datetime.date(2026, 2, 10))
    payment = services.record_payment(
        organization=customer.organization, amount=Decimal("150.00"), received_on=DAY,
        acting_user=None, customer=customer, allocate_to=[(first, Decimal("100.00"))],
    )  # fmt: skip
    return payment, second, third


def test_the_rest_of_a_payment_is_credit_that_can_be_applied(customer):
    payment, second, third = overpaid(customer)
    assert queries.credit_of(customer) == [(payment, Decimal("50.00"))]
    # The proposal prefers the invoice of exactly the same amount.
    applications = credit.propose(
        [credit.Credit("p", Decimal("50.00"))],
        [credit.Due(i.number, i.open_amount, i.due_date) for i in (second, third)],
    )
    assert applications == (credit.Application("p", third.number, Decimal("50.00"), exact=True),)
    services.apply_credit(
        source=payment, invoice=third, amount=Decimal("50.00"), acting_user=None, today=DAY
    )
    assert queries.balance_of(third).state == "paid"
    assert queries.credit_of(customer) == []
    with pytest.raises(services.LedgerError):
        services.apply_credit(
            source=payment, invoice=second, amount=Decimal("0.01"), acting_user=None, today=DAY
        )


def test_a_credit_note_larger_than_what_was_open_is_credit(customer):
    first = issued_invoice(customer, "100.00")
    services.record_payment(
        organization=customer.organization, amount=Decimal("100.00"), received_on=DAY,
        acting_user=None, customer=customer, allocate_to=[(first, Decimal("100.00"))],
    )  # fmt: skip
    note = services.credit_invoice(
        invoice=first, acting_user=None, today=DAY, reason="Retour",
        lines=[line("40.00", vat_rate="0")],
    )  # fmt: skip
    other = issued_invoice(customer, "100.00", issue_date=datetime.date(2026, 3, 1))
    assert queries.credit_of(customer) == [(note, Decimal("40.00"))]
    services.apply_credit(
        source=note, invoice=other, amount=Decimal("30.00"), acting_user=None, today=DAY
    )
    assert queries.balance_of(other).open == Decimal("70.00")
    refund = services.refund_credit(
        source=note, amount=Decimal("10.00"), refunded_on=DAY, acting_user=None,
        to_iban="NL91 ABNA 0417 1643 00", reason="Rest terug",
    )  # fmt: skip
    assert refund.to_iban == "NL91ABNA0417164300"
    assert queries.credit_of(customer) == []
    with pytest.raises(services.LedgerError):
        services.refund_credit(
            source=note, amount=Decimal("0.01"), refunded_on=DAY, acting_user=None
        )


def test_credit_cannot_pay_another_customers_invoice(customer):
    payment, _second, _third = overpaid(customer)
    stranger = issued_invoice(CustomerFactory(organization=customer.organization), "50.00")
    with pytest.raises(services.LedgerError):
        services.apply_credit(
            source=payment, invoice=stranger, amount=Decimal("50.00"), acting_user=None,
            today=DAY,
        )  # fmt: skip


def test_the_organization_credit_total_nets_payments_notes_and_refunds(customer):
    payment, _second, _third = overpaid(customer)
    assert queries.unapplied_credit_total(customer.organization) == Decimal("50.00")
    services.refund_credit(
        source=payment, amount=Decimal("20.00"), refunded_on=DAY, acting_user=None
    )
    assert queries.unapplied_credit_total(customer.organization) == Decimal("30.00")
    _opening, _documents, _payments, _write_offs, refunds = queries.statement_bookings(
        customer, since=datetime.date(2026, 1, 1)
    )
    assert [refund.amount for refund in refunds] == [Decimal("20.00")]

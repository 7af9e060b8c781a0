"""The early-payment discount: offered per VAT rate, taken in time, recognised by the matcher."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tegoed.domain import discount, matching, vat
from tegoed.domain.statement import Entry

D = Decimal
ISSUED = date(2026, 3, 2)


def test_the_discount_is_a_percentage_of_each_rate_with_its_vat():
    offered = discount.terms(
        D("2"), 10, [(D("21"), D("100.00")), (D("9"), D("50.00"))],
        issue_date=ISSUED, due_date=ISSUED + timedelta(days=30),
    )  # fmt: skip
    # 2 % of 100.00 at 21 % is 2.00 + 0.42; of 50.00 at 9 % 1.00 + 0.09.
    assert offered.per_rate == ((D("21"), D("2.00")), (D("9"), D("1.00")))
    assert offered.amount == D("3.51")
    assert offered.last_day == date(2026, 3, 12)


def test_the_period_never_runs_beyond_the_due_date():
    offered = discount.terms(
        D("1"), 10, [(D("21"), D("100.00"))], issue_date=ISSUED, due_date=date(2026, 3, 9)
    )
    assert offered.last_day == date(2026, 3, 9)


def test_no_percentage_or_nothing_to_discount_offers_nothing():
    lines = [(D("21"), D("100.00"))]
    assert discount.terms(D("0"), 10, lines, issue_date=ISSUED, due_date=None) is None
    assert discount.terms(None, 10, lines, issue_date=ISSUED, due_date=None) is None
    assert (
        discount.terms(D("2"), 10, [(D("21"), D("0.20"))], issue_date=ISSUED, due_date=None) is None
    )


def test_a_payment_counts_in_time_up_to_the_grace_days_after_the_last_day():
    last = date(2026, 4, 2)  # Thursday before Easter: the money arrives on Tuesday 7 April
    assert discount.in_time(date(2026, 4, 7), last)
    assert not discount.in_time(last + timedelta(days=discount.GRACE_DAYS + 1), last)


def test_only_the_discount_left_open_while_it_may_be_taken_is_pending():
    last = date(2026, 3, 12)
    assert discount.pending(D("2.42"), D("2.42"), last, date(2026, 3, 15))
    assert not discount.pending(D("2.42"), D("2.42"), last, date(2026, 3, 18))
    assert not discount.pending(D("121.00"), D("2.42"), last, date(2026, 3, 5))
    assert not discount.pending(D("0.00"), D("2.42"), last, date(2026, 3, 5))


@given(
    st.lists(
        st.tuples(
            st.sampled_from([D("21"), D("9"), D("0")]),
            st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2),
        ),
        min_size=1,
        max_size=3,
        unique_by=lambda row: row[0],
    ),
    st.sampled_from([D("1"), D("1.5"), D("2"), D("3")]),
)
def test_the_discount_is_the_total_of_its_credit_note_and_less_than_the_invoice(rows, percentage):
    offered = discount.terms(percentage, 10, rows, issue_date=ISSUED, due_date=None)
    invoice = vat.compute(vat.Line(D("1"), taxable, rate) for rate, taxable in rows).total
    if offered is None:
        return
    note = vat.compute(vat.Line(D("1"), taxable, rate) for rate, taxable in offered.per_rate)
    assert note.total == offered.amount
    assert D("0") < offered.amount < invoice


def _item(amount, discount_amount, until, percentage="2"):
    return matching.OpenItem(
        "F2026-00007", "C1", D(amount), customer_name="Bakker Bouw B.V.",
        customer_ibans=("NL91ABNA0417164300",), issue_date=ISSUED, due_date=date(2026, 4, 1),
        discount_percentage=D(percentage), discount=D(discount_amount), discount_until=until,
    )  # fmt: skip


def _entry(amount, on, text="factuur F2026-00007"):
    return Entry(
        "E1", D(amount), True, on, value_date=on, remittance_text=text,
        counterparty_iban="NL91ABNA0417164300", counterparty_name="Bakker Bouw",
    )  # fmt: skip


def test_the_matcher_takes_the_invoices_own_discount_paid_in_time():
    outcome, = matching.propose([_entry("118.58", date(2026, 3, 16))],
                                [_item("121.00", "2.42", date(2026, 3, 12))])  # fmt: skip
    assert outcome.status == matching.MATCHED
    assert matching.DISCOUNT in outcome.flags
    assert outcome.allocations == (matching.Allocation("F2026-00007", D("118.58")),)
    assert "2% early-payment discount" in outcome.reason


def test_the_discounted_amount_after_the_period_is_a_part_payment():
    outcome, = matching.propose([_entry("118.58", date(2026, 3, 20))],
                                [_item("121.00", "2.42", date(2026, 3, 12))])  # fmt: skip
    assert matching.DISCOUNT not in outcome.flags
    assert matching.SHORT in outcome.flags


def test_a_discount_the_invoice_did_not_offer_to_the_cent_is_not_taken():
    # 2 % of 121.00 would be 2.42; the invoice offers 1 % (1.21).
    outcome, = matching.propose([_entry("118.58", date(2026, 3, 5))],
                                [_item("121.00", "1.21", date(2026, 3, 12), "1")])  # fmt: skip
    assert matching.DISCOUNT not in outcome.flags


def test_the_payer_alone_finds_the_invoice_by_its_own_discount():
    outcome, = matching.propose([_entry("118.58", date(2026, 3, 10), text="betaling")],
                                [_item("121.00", "2.42", date(2026, 3, 12))])  # fmt: skip
    assert outcome.status == matching.SUGGESTED
    assert matching.DISCOUNT in outcome.flags

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tegoed.domain import vat

D = Decimal


def test_vat_is_rounded_once_per_rate_not_per_line():
    # Three lines of 0.10 at 21 %: per line 0.021 → 0.02 each (0.06); per rate 0.30 → 0.06.
    # Ten lines show the difference: per line 0.20, per rate 0.21.
    totals = vat.compute([vat.Line(D("1"), D("0.10"), D("21"))] * 10)
    assert totals.subtotal == D("1.00")
    assert totals.vat_total == D("0.21")
    assert totals.total == D("1.21")


def test_breakdown_per_rate_highest_first():
    totals = vat.compute(
        [
            vat.Line(D("2"), D("10.00"), D("9")),
            vat.Line(D("1"), D("100.00"), D("21")),
            vat.Line(D("1"), D("5.00"), D("0")),
        ]
    )
    assert [(row.rate, row.taxable, row.vat) for row in totals.breakdown] == [
        (D("21"), D("100.00"), D("21.00")),
        (D("9"), D("20.00"), D("1.80")),
        (D("0"), D("5.00"), D("0.00")),
    ]
    assert totals.total == D("147.80")


def test_line_amount_is_quantity_times_price_rounded_half_up():
    assert vat.Line(D("3"), D("0.335"), D("21")).net_amount == D("1.01")  # 1.005 → 1.01


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=1000),
            st.integers(min_value=0, max_value=10**7),
            st.sampled_from(["0", "9", "21"]),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_total_is_subtotal_plus_vat_and_vat_per_rate_is_within_half_a_cent(rows):
    lines = [vat.Line(D(q), D(cents) / 100, D(rate)) for q, cents, rate in rows]
    totals = vat.compute(lines)
    assert totals.total == totals.subtotal + totals.vat_total
    for row in totals.breakdown:
        assert abs(row.vat - row.taxable * row.rate / 100) <= D("0.005")

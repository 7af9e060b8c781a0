"""Properties of the interest, collection-cost and appropriation rules (hypothesis)."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tegoed.domain import appropriation, collection_costs, interest, jurisdictions

D = Decimal
NL_COMMERCIAL = jurisdictions.interest_rule("NL", "commercial")
NL_CONSUMER = jurisdictions.interest_rule("NL", "consumer")
NL_COSTS = jurisdictions.costs_rule("NL", "consumer")

principals = st.integers(min_value=1, max_value=10**9).map(lambda cents: D(cents) / 100)
starts = st.dates(min_value=date(2003, 1, 1), max_value=date(2025, 12, 31))
lengths = st.integers(min_value=0, max_value=4000)
rules = st.sampled_from([NL_COMMERCIAL, NL_CONSUMER])


@settings(max_examples=60, deadline=None)
@given(rules, principals, starts, lengths, st.integers(min_value=1, max_value=400))
def test_interest_never_decreases_with_more_days(rule, principal, start, days, extra):
    end = start + timedelta(days=days)
    shorter = interest.compute(principal, start, end, rule=rule)
    longer = interest.compute(principal, start, end + timedelta(days=extra), rule=rule)
    assert longer.total >= shorter.total


@settings(max_examples=60, deadline=None)
@given(rules, principals, principals, starts, lengths)
def test_interest_never_decreases_with_a_larger_principal(rule, first, second, start, days):
    small, large = sorted((first, second))
    end = start + timedelta(days=days)
    assert (
        interest.compute(large, start, end, rule=rule).total
        >= interest.compute(small, start, end, rule=rule).total
    )


@settings(max_examples=60, deadline=None)
@given(principals, starts, st.integers(min_value=2, max_value=3000), st.data())
def test_splitting_a_period_changes_the_total_by_at_most_one_rounding(principal, start, days, data):
    """A zero payment splits the period it falls in; simple interest keeps the bases equal."""
    rule = replace(NL_COMMERCIAL, compounding=interest.Compounding.NONE)
    end = start + timedelta(days=days)
    split_on = data.draw(st.dates(min_value=start, max_value=end - timedelta(days=1)))
    whole = interest.compute(principal, start, end, rule=rule)
    split = interest.compute(
        principal, start, end, rule=rule, payments=[interest.Payment(split_on, D(0))]
    )
    assert len(split.periods) <= len(whole.periods) + 1
    assert abs(split.total - whole.total) <= D("0.01")


@settings(max_examples=60, deadline=None)
@given(principals, principals)
def test_the_scale_is_monotone_and_between_its_minimum_and_maximum(first, second):
    small, large = sorted((first, second))
    low = collection_costs.compute(small, rule=NL_COSTS).amount
    high = collection_costs.compute(large, rule=NL_COSTS).amount
    assert D("40") <= low <= high <= D("6775")


@settings(max_examples=60, deadline=None)
@given(
    principals,
    st.lists(
        st.tuples(st.integers(0, 10**6), st.booleans(), st.integers(0, 20), st.integers(0, 3)),
        min_size=1,
        max_size=6,
    ),
)
def test_a_payment_is_never_divided_beyond_what_is_owed(amount, rows):
    debts = [
        appropriation.Debt(
            str(i), D(0), D(0), D(cents) / 100, due, D(burden), date(2025, 1, 1 + age)
        )
        for i, (cents, due, burden, age) in enumerate(rows)
    ]
    shares, left = appropriation.over_claims(amount, debts)
    assert sum(s.amount for s in shares) + left == amount
    owed = {d.key: d.outstanding for d in debts}
    assert all(0 < s.amount <= owed[s.key] for s in shares)
    assert left == 0 or sum(s.amount for s in shares) == sum(owed.values())

"""Appropriation of payments: art. 6:43 and 6:44 BW."""

from datetime import date
from decimal import Decimal

from tegoed.domain import appropriation

D = Decimal


def debt(key, outstanding, *, due=True, burden="8", arose_on=date(2025, 1, 1)):
    return appropriation.Debt(key, D(0), D(0), D(outstanding), due, D(burden), arose_on)


def test_due_claims_before_claims_not_yet_due():
    shares, left = appropriation.over_claims(
        D("100"), [debt("later", "100", due=False, burden="20"), debt("due", "60")]
    )
    assert [(s.key, s.amount) for s in shares] == [("due", D("60")), ("later", D("40"))]
    assert left == 0


def test_the_most_burdensome_then_the_oldest():
    debts = [
        debt("old-low", "50", burden="4", arose_on=date(2024, 1, 1)),
        debt("new-high", "50", burden="12", arose_on=date(2025, 1, 1)),
        debt("old-high", "50", burden="12", arose_on=date(2024, 6, 1)),
    ]
    shares, _ = appropriation.over_claims(D("120"), debts)
    assert [(s.key, s.amount) for s in shares] == [
        ("old-high", D("50")),
        ("new-high", D("50")),
        ("old-low", D("20")),
    ]


def test_equal_burden_and_age_pro_rata():
    shares, _ = appropriation.over_claims(D("100"), [debt("a", "300"), debt("b", "100")])
    assert [(s.key, s.amount) for s in shares] == [("a", D("75.00")), ("b", D("25.00"))]


def test_a_designation_comes_first_and_the_rest_follows_the_law():
    shares, left = appropriation.over_claims(
        D("100"), [debt("a", "30", burden="12"), debt("b", "50", burden="2")], designated="b"
    )
    assert [(s.key, s.amount) for s in shares] == [("b", D("50")), ("a", D("30"))]
    assert left == D("20")


def test_within_one_claim_costs_then_interest_then_principal():
    split = appropriation.within_claim(
        D("60"), costs=D("40"), interest=D("15"), principal=D("1000")
    )
    assert (split.costs, split.interest, split.principal, split.unapplied) == (
        D("40"),
        D("15"),
        D("5"),
        D("0"),
    )

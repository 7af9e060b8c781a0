"""Collection costs: the Besluit BIK scale (docs/legal.md §2.3) and the fixed sums abroad."""

from decimal import Decimal

import pytest

from tegoed.domain import collection_costs, jurisdictions
from tegoed.domain.errors import DomainError

D = Decimal
NL_CONSUMER = jurisdictions.costs_rule("NL", "consumer")
VAT_21 = collection_costs.VatClaim(D("21"), True, True, True)


@pytest.mark.parametrize(
    ("principal", "costs", "with_vat"),
    [
        ("100.00", "40.00", "48.40"),
        ("266.67", "40.00", "48.40"),
        ("267.00", "40.05", "48.46"),
        ("1000.00", "150.00", "181.50"),
        ("1234.56", "185.18", "224.07"),
        ("2500.00", "375.00", "453.75"),
        ("3000.00", "425.00", "514.25"),
        ("5000.00", "625.00", "756.25"),
        ("6000.00", "675.00", "816.75"),  # maxvandaag.nl
        ("10000.00", "875.00", "1058.75"),  # das.nl
        ("200000.00", "2775.00", "3357.75"),
        ("300000.00", "3275.00", "3962.75"),
        ("1000000.00", "6775.00", "8197.75"),
        ("2000000.00", "6775.00", "8197.75"),
    ],
)
def test_the_statutory_scale(principal, costs, with_vat):
    """Besluit BIK art. 2, the table of legal.md §2.3."""
    plain = collection_costs.compute(D(principal), rule=NL_CONSUMER)
    assert plain.amount == D(costs)
    assert plain.vat == 0
    taxed = collection_costs.compute(D(principal), rule=NL_CONSUMER, vat=VAT_21)
    assert taxed.total == D(with_vat)


def test_the_scale_shows_its_brackets():
    result = collection_costs.compute(D("10000"), rule=NL_CONSUMER)
    assert [(b.percent, b.portion, b.amount) for b in result.brackets] == [
        (D("15"), D("2500"), D("375.00")),
        (D("10"), D("2500"), D("250.00")),
        (D("5"), D("5000"), D("250.00")),
    ]


def test_minimum_and_maximum_are_marked():
    assert collection_costs.compute(D("100"), rule=NL_CONSUMER).minimum_applied
    top = collection_costs.compute(D("2000000"), rule=NL_CONSUMER)
    assert top.maximum_applied
    assert top.scale_amount == D("11775.00")


def test_claims_in_one_letter_are_added_together():
    """Art. 6:96 lid 7 BW: two rents of €1,000 in one letter: 15 % of €2,000, not 2 × €150."""
    result = collection_costs.compute([D("1000"), D("1000")], rule=NL_CONSUMER)
    assert result.amount == D("300.00")
    assert result.shares == (D("150.00"), D("150.00"))
    separate = collection_costs.compute([D("100"), D("100")], rule=NL_CONSUMER)
    assert separate.amount == D("40.00")  # one minimum for the letter, not two


def test_vat_needs_all_three_conditions():
    missing = collection_costs.VatClaim(D("21"), True, False, True)
    with pytest.raises(DomainError, match="cannot deduct"):
        collection_costs.compute(D("1000"), rule=NL_CONSUMER, vat=missing)


@pytest.mark.parametrize(
    ("principal", "costs"), [("100", "40.00"), ("1000", "150.00"), ("10000", "875.00")]
)
def test_a_dutch_business_debtor_owes_the_scale_by_default(principal, costs):
    """Besluit BIK art. 1 and 2 for every contractual money claim (HR 10 July 2015,
    ECLI:NL:HR:2015:1868); at least €40 (art. 6:96 lid 4 BW)."""
    rule = jurisdictions.costs_rule("NL", "business")
    assert collection_costs.compute(D(principal), rule=rule).amount == D(costs)


def test_the_fixed_40_is_per_invoice_not_per_letter():
    """CJEU C-585/20 BFF Finance Iberia (ECLI:EU:C:2022:806), C-78/22: three invoices of €500
    owe at least €40 each, not €40 in all."""
    three = [D("500")] * 3
    dutch = collection_costs.compute(three, rule=jurisdictions.costs_rule("NL", "business"))
    assert (dutch.amount, dutch.shares) == (D("225.00"), (D("75.00"),) * 3)
    belgian = collection_costs.compute(three, rule=jurisdictions.costs_rule("BE", "business"))
    assert (belgian.amount, belgian.shares) == (D("120"), (D("40"),) * 3)
    small = collection_costs.compute(
        [D("100")] * 3, rule=jurisdictions.costs_rule("NL", "business")
    )
    assert small.amount == D("120.00")


def test_a_business_contract_may_agree_a_percentage_per_invoice():
    agreed = collection_costs.agreed_percentage("NL", D("15"), minimum=D("40"))
    result = collection_costs.compute([D("10000"), D("100")], rule=agreed)
    assert result.shares == (D("1500.00"), D("40.00"))
    assert any("moderated" in note for note in result.notes)


def test_nothing_owed_means_no_costs():
    result = collection_costs.compute(D("0"), rule=NL_CONSUMER)
    assert result.amount == 0


@pytest.mark.parametrize(
    ("principal", "fixed_sum"),
    [("999.99", "40"), ("1000", "70"), ("9999.99", "70"), ("10000", "100")],
)
def test_uk_fixed_sums_per_debt(principal, fixed_sum):
    rule = jurisdictions.costs_rule("UK", "business")
    result = collection_costs.compute(D(principal), rule=rule)
    assert result.amount == D(fixed_sum)
    assert result.currency == "GBP"


def test_uk_fixed_sums_are_per_debt_not_per_letter():
    rule = jurisdictions.costs_rule("UK", "business")
    result = collection_costs.compute([D("500"), D("5000")], rule=rule)
    assert result.shares == (D("40"), D("70"))
    assert result.amount == D("110")


@pytest.mark.parametrize(
    ("balance", "maximum"),
    [
        ("100", "20.00"),
        ("150", "20.00"),
        ("150.01", "30.00"),
        ("300", "45.00"),
        ("500", "65.00"),
        ("1000", "90.00"),
        ("100000", "2000"),
    ],
)
def test_belgian_consumer_damage_clause_caps(balance, maximum):
    """Boek XIX WER (legal.md §7.2, ☑️)."""
    rule = jurisdictions.costs_rule("BE", "consumer")
    assert collection_costs.compute(D(balance), rule=rule).amount == D(maximum)


@pytest.mark.parametrize("code", ["EU", "BE", "DE"])
def test_business_debtors_abroad_owe_40(code):
    rule = jurisdictions.costs_rule(code, "business")
    assert collection_costs.compute(D("25000"), rule=rule).amount == D("40")


def test_an_unknown_jurisdiction_is_named():
    with pytest.raises(DomainError, match="unknown jurisdiction 'FR'"):
        jurisdictions.costs_rule("FR", "consumer")

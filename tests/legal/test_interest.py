"""Statutory and agreed interest, against public worked examples (docs/legal.md §1, §8).

Only rate rows marked ✅ or ☑️ in legal.md are asserted; a computation that touches another
row is asserted to say "rate unverified" instead.
"""

from datetime import date
from decimal import Decimal

import pytest

from tegoed.domain import interest, jurisdictions, limitation, rate_table
from tegoed.domain.errors import DomainError
from tegoed.domain.rate_table import CARRIED_FORWARD, SINGLE_SOURCE, Rate

D = Decimal
NL_CONSUMER = jurisdictions.interest_rule("NL", "consumer")
NL_COMMERCIAL = jurisdictions.interest_rule("NL", "commercial")


def amounts(breakdown):
    return [p.amount for p in breakdown.periods]


@pytest.mark.parametrize(
    ("rule", "principal", "start", "end", "total"),
    [
        # rentetool docs/05_testcase3.md, claim V2kHRS: their end date 16-01-2026 is
        # exclusive, so the last day of interest is 15-01-2026.
        (NL_COMMERCIAL, "2000", date(2015, 11, 11), date(2026, 1, 15), "2820.43"),
        # The same claim through 16-01-2026 inclusive (legal.md §8).
        (NL_COMMERCIAL, "2000", date(2015, 11, 11), date(2026, 1, 16), "2821.75"),
        # schuldinfo.nl/?id=49: €1,000 at 2 % from 1 Sep 2016 "to 1 Jan 2018" = €26.82.
        (NL_CONSUMER, "1000", date(2016, 9, 1), date(2017, 12, 31), "26.82"),
        # legal.md §1.4, B2B: €10,000 due 2024-03-31, paid 2025-09-30 (inclusive).
        (NL_COMMERCIAL, "10000", date(2024, 4, 1), date(2025, 9, 30), "1802.20"),
        # rentetool docs/08_expertcontrole.md: €1,648.58 from 12-12-2014 to 29-05-2015
        # (exclusive) = 20 days at 3 % (2.71) + 148 days at 2 % (13.37).
        (NL_CONSUMER, "1648.58", date(2014, 12, 12), date(2015, 5, 28), "16.08"),
    ],
    ids=["rentetool-V2kHRS", "V2kHRS-inclusive", "schuldinfo", "legal-md-b2b", "expertcontrole"],
)
def test_worked_examples(rule, principal, start, end, total):
    result = interest.compute(D(principal), start, end, rule=rule)
    assert result.total == D(total)
    assert not result.rate_unverified


def test_worked_example_b2b_shows_each_period_and_the_capitalisation():
    result = interest.compute(D("10000"), date(2024, 4, 1), date(2025, 9, 30), rule=NL_COMMERCIAL)
    lines = [(p.start, p.end, p.days, p.rate, p.base, p.amount) for p in result.periods]
    assert lines == [
        (date(2024, 4, 1), date(2024, 6, 30), 91, D("12.50"), D("10000"), D("311.64")),
        (date(2024, 7, 1), date(2024, 12, 31), 184, D("12.25"), D("10000"), D("617.53")),
        (date(2025, 1, 1), date(2025, 3, 31), 90, D("11.15"), D("10000"), D("274.93")),
        (date(2025, 4, 1), date(2025, 6, 30), 91, D("11.15"), D("11204.10"), D("311.46")),
        (date(2025, 7, 1), date(2025, 9, 30), 92, D("10.15"), D("11204.10"), D("286.64")),
    ]
    assert [(c.on, c.amount, c.base) for c in result.capitalisations] == [
        (date(2025, 4, 1), D("1204.10"), D("11204.10"))
    ]
    assert {p.basis for p in result.periods} == {"art. 6:119a BW"}


def test_expertcontrole_splits_the_period_where_the_consumer_rate_changes():
    result = interest.compute(D("1648.58"), date(2014, 12, 12), date(2015, 5, 28), rule=NL_CONSUMER)
    assert [(p.days, p.rate, p.amount) for p in result.periods] == [
        (20, D("3"), D("2.71")),
        (148, D("2"), D("13.37")),
    ]


def test_schuldinfo_capitalises_on_the_anniversary_not_on_new_year():
    result = interest.compute(D("1000"), date(2016, 9, 1), date(2017, 12, 31), rule=NL_CONSUMER)
    assert [(c.on, c.amount) for c in result.capitalisations] == [(date(2017, 9, 1), D("20.00"))]
    assert result.periods[-1].base == D("1020.00")
    assert result.periods[-1].amount == D("6.82")


def test_v2khrs_capitalises_ten_times_and_ends_on_the_last_day():
    result = interest.compute(D("2000"), date(2015, 11, 11), date(2026, 1, 15), rule=NL_COMMERCIAL)
    assert [c.on for c in result.capitalisations] == [date(y, 11, 11) for y in range(2016, 2026)]
    assert result.periods[-1].end == date(2026, 1, 15)
    assert sum(p.days for p in result.periods) == (date(2026, 1, 16) - date(2015, 11, 11)).days
    assert result.principal_outstanding + result.interest_outstanding == D("4820.43")


def test_rentetool_testcase_3_three_claims_and_designated_payments():
    """rentetool docs/05_testcase3.md; their payment dates are the first day on the new base.

    Tegoed counts the payment day itself on the old amount (6:119a "tot en met"), so their
    payment of 12-12-2014 is one credited on 11-12-2014 here, and so on.
    """
    claims = [
        interest.Claim(
            "V3kWRS",
            D("3000"),
            date(2014, 5, 29),
            NL_CONSUMER,
            costs=(interest.Cost(D("100"), date(2014, 5, 29)),),
        ),
        interest.Claim("V1kWR+1", D("1000"), date(2015, 5, 6), NL_CONSUMER, surcharge=D("2")),
        interest.Claim(
            "V2kHRS",
            D("2000"),
            date(2015, 11, 11),
            NL_COMMERCIAL,
            costs=(interest.Cost(D("400"), date(2015, 11, 11)),),
        ),
    ]
    payments = [
        interest.Payment(date(2014, 12, 11), D("1500"), claim="V3kWRS"),
        interest.Payment(date(2015, 9, 27), D("2500"), claim="V3kWRS"),
    ]
    statement = interest.compute_claims(claims, date(2026, 1, 15), payments=payments)
    first, second, third = statement.claims
    assert [(p.costs, p.interest, p.principal) for p in first.payments] == [
        (D("100.00"), D("48.58"), D("1351.42")),
        (D("0.00"), D("11.13"), D("1664.66")),
    ]
    assert first.total == D("75.79")
    assert first.outstanding == 0
    # The rest of D2500 goes to the only other claim that is due (6:43 lid 2).
    assert [(s.key, s.amount) for s in statement.payments[1].shares] == [
        ("V3kWRS", D("1675.79")),
        ("V1kWR+1", D("824.21")),
    ]
    assert [(p.interest, p.principal) for p in second.payments] == [(D("15.89"), D("808.32"))]
    # V1kWR+1 runs on into the consumer rates of 2025-H2 and 2026, confirmed since.
    assert not second.rate_unverified
    assert third.total == D("2820.43")
    assert third.outstanding == D("5220.43")
    assert statement.unapplied == 0


def test_interest_runs_through_the_payment_day_on_the_old_amount():
    payment = interest.Payment(date(2024, 4, 30), D("4000"))
    result = interest.compute(
        D("10000"), date(2024, 4, 1), date(2024, 5, 31), rule=NL_COMMERCIAL, payments=[payment]
    )
    first, second = result.periods
    assert (first.end, first.days, first.base) == (date(2024, 4, 30), 30, D("10000"))
    assert (second.start, second.days) == (date(2024, 5, 1), 31)
    assert result.payments[0].interest == first.amount
    assert second.base == D("10000") - (D("4000") - first.amount)


def test_payments_go_to_costs_then_interest_then_principal():
    costs = [interest.Cost(D("40"), date(2024, 4, 1))]
    result = interest.compute(
        D("1000"),
        date(2024, 4, 1),
        date(2024, 6, 30),
        rule=NL_COMMERCIAL,
        costs=costs,
        payments=[interest.Payment(date(2024, 5, 31), D("50"))],
    )
    applied = result.payments[0]
    assert applied.costs == D("40")
    assert applied.interest == D("10")
    assert applied.principal == D("0")
    assert result.costs_outstanding == 0


def test_an_overpayment_is_left_unapplied():
    result = interest.compute(
        D("100"),
        date(2024, 4, 1),
        date(2024, 4, 30),
        rule=NL_COMMERCIAL,
        payments=[interest.Payment(date(2024, 4, 10), D("150"))],
    )
    assert result.payments[0].unapplied == D("150") - D("100") - result.payments[0].interest
    assert result.outstanding == 0
    assert result.periods[-1].end == date(2024, 4, 10)


def test_a_rate_change_on_1_july_splits_the_period_even_without_a_new_number():
    result = interest.compute(D("1000"), date(2020, 5, 1), date(2020, 8, 31), rule=NL_COMMERCIAL)
    assert [(p.start, p.rate) for p in result.periods] == [
        (date(2020, 5, 1), D("8.00")),
        (date(2020, 7, 1), D("8.00")),
    ]


def test_a_year_with_29_february_earns_366_days_under_act_365():
    result = interest.compute(D("1000"), date(2019, 7, 1), date(2020, 6, 30), rule=NL_CONSUMER)
    assert sum(p.days for p in result.periods) == 366
    assert result.total == D("20.05")  # 20.00 × 366/365, per half-year: 10.08 + 9.97


@pytest.mark.parametrize(
    ("day_count", "total", "day_basis"),
    [
        (interest.DayCount.ACT_365, "623.29", "365"),
        (interest.DayCount.ACT_ACT_CALENDAR, "621.58", "366"),
        (interest.DayCount.ACT_ACT_YEAR, "621.58", "366"),
    ],
)
def test_day_count_conventions(day_count, total, day_basis):
    result = interest.compute(
        D("10000"), date(2024, 1, 1), date(2024, 6, 30), rule=NL_COMMERCIAL, day_count=day_count
    )
    assert result.total == D(total)  # 182 days at 12.50 %
    assert result.periods[0].day_basis == day_basis
    assert result.day_count is day_count


def test_act_act_by_calendar_year_divides_each_day_by_its_own_year():
    rule = interest.AgreedRule(D("8"), day_count=interest.DayCount.ACT_ACT_CALENDAR)
    result = interest.compute(D("36500"), date(2019, 12, 1), date(2020, 1, 31), rule=rule)
    # 31 days of 2019 at 8 % / 365 (248.00) and 31 days of 2020 at 8 % / 366 (247.3224),
    # in one period rounded once.
    assert result.total == D("495.32")
    assert result.periods[0].day_basis == "365/366"


def test_29_february_a_year_of_interest_runs_through_28_february_and_capitalises_on_1_march():
    """Decision 0107: the interest year and the limitation year follow one rule."""
    result = interest.compute(D("1000"), date(2016, 2, 29), date(2017, 3, 31), rule=NL_CONSUMER)
    assert [c.on for c in result.capitalisations] == [date(2017, 3, 1)]
    first_year = [p for p in result.periods if p.end < date(2017, 3, 1)]
    assert sum(p.days for p in first_year) == 366
    two_years = limitation.compute(date(2016, 2, 28), kind=limitation.ClaimKind.CONSUMER_SALE)
    assert two_years.periods[0].starts_on == date(2016, 2, 29)
    assert two_years.last_day == date(2018, 2, 28)


def test_unverified_rates_are_flagged_with_their_status():
    rule = jurisdictions.interest_rule("BE", "commercial")
    result = interest.compute(D("1000"), date(2025, 1, 1), date(2025, 6, 30), rule=rule)
    assert result.rate_unverified
    assert result.notes[0].startswith("rate unverified")
    assert result.periods[0].rate_status is SINGLE_SOURCE
    assert result.periods[0].rate_sources[0].startswith("derived")


def test_dutch_consumer_rate_from_1_july_2025_stays_6_percent_without_a_new_decree():
    """Art. 6:120 lid 1 BW: only a decree sets the rate; none changed it for 1 July 2025."""
    result = interest.compute(D("1000"), date(2025, 7, 1), date(2025, 12, 31), rule=NL_CONSUMER)
    assert [(p.rate, p.amount) for p in result.periods] == [(D("6"), D("30.25"))]
    assert not result.rate_unverified
    assert "would have given 5 %" in result.periods[0].note


def test_belgian_civil_rate_2024_and_2025():
    """Legal interest in civil matters: 5.75 % for 2024, 4.50 % for 2025 (legal.md §7.2)."""
    rule = jurisdictions.interest_rule("BE", "consumer")
    result = interest.compute(D("10000"), date(2024, 3, 1), date(2025, 2, 28), rule=rule)
    assert [(p.days, p.rate, p.amount) for p in result.periods] == [
        (306, D("5.75"), D("482.05")),
        (59, D("4.50"), D("72.74")),
    ]
    assert result.total == D("554.79")
    assert not result.rate_unverified


@pytest.mark.parametrize(
    ("code", "kind", "day"),
    [
        ("NL", "commercial", date(2011, 7, 1)),
        ("NL", "commercial", date(2014, 1, 1)),
        ("DE", "reference", date(2025, 1, 1)),
        ("BE", "commercial", date(2024, 7, 1)),
        ("UK", "reference", date(2026, 1, 1)),
    ],
)
def test_rates_confirmed_by_a_second_source_lose_the_flag(code, kind, day):
    row = next(r for r in jurisdictions.rates(code) if r.kind == kind and r.effective_from == day)
    assert rate_table.is_verified(row.status)


def test_a_stale_table_carries_the_last_rate_forward_as_unverified():
    result = interest.compute(D("1000"), date(2026, 1, 1), date(2026, 9, 30), rule=NL_COMMERCIAL)
    known, carried = result.periods
    assert (known.end, known.rate_unverified) == (date(2026, 6, 30), False)
    assert (carried.start, carried.rate, carried.rate_unverified) == (
        date(2026, 7, 1),
        D("10.15"),
        True,
    )
    assert carried.note == CARRIED_FORWARD
    assert result.rate_unverified


def test_a_higher_agreed_rate_replaces_the_statutory_rate():
    result = interest.compute(
        D("1000"), date(2016, 1, 1), date(2016, 12, 31), rule=NL_CONSUMER, agreed_percent=D("6")
    )
    assert {p.rate for p in result.periods} == {D("6")}
    assert "6:119 lid 3" in result.periods[0].basis
    assert result.total == D("60.16")  # 366 days at 6 % / 365


def test_a_lower_agreed_rate_leaves_the_statutory_rate():
    result = interest.compute(
        D("1000"), date(2024, 1, 1), date(2024, 6, 30), rule=NL_COMMERCIAL, agreed_percent=D("5")
    )
    assert {p.rate for p in result.periods} == {D("12.50")}


def test_a_surcharge_starts_on_its_own_date():
    result = interest.compute(
        D("10000"),
        date(2023, 1, 1),
        date(2023, 6, 30),
        rule=NL_CONSUMER,
        surcharge=D("2"),
        surcharge_from=date(2023, 4, 1),
    )
    assert [(p.start, p.rate) for p in result.periods] == [
        (date(2023, 1, 1), D("4")),
        (date(2023, 4, 1), D("6")),
    ]


@pytest.mark.parametrize(
    ("end", "part_month_as_full", "total"),
    [
        (date(2025, 4, 14), False, "30.00"),  # three whole months at 1 %
        (date(2025, 4, 29), False, "35.00"),  # and 15 of the 30 days to 15 May
        (date(2025, 4, 29), True, "40.00"),  # a part of a month counts as a month
    ],
)
def test_agreed_interest_per_month(end, part_month_as_full, total):
    rule = interest.AgreedRule(
        D("1"), per=interest.Per.MONTH, part_month_as_full=part_month_as_full
    )
    result = interest.compute(D("1000"), date(2025, 1, 15), end, rule=rule)
    assert result.total == D(total)
    assert result.periods[0].rate_per is interest.Per.MONTH
    assert not result.rate_unverified


def test_agreed_interest_compounded_monthly():
    rule = interest.AgreedRule(
        D("1"), per=interest.Per.MONTH, compounding=interest.Compounding.MONTHLY
    )
    result = interest.compute(D("1000"), date(2025, 1, 1), date(2025, 3, 31), rule=rule)
    assert amounts(result) == [D("10.00"), D("10.10"), D("10.20")]
    assert len(result.capitalisations) == 2


def test_agreed_yearly_simple_interest_does_not_capitalise():
    rule = interest.AgreedRule(D("5"))
    result = interest.compute(D("1000"), date(2021, 1, 1), date(2022, 12, 31), rule=rule)
    assert result.total == D("100.00")
    assert result.capitalisations == ()


@pytest.mark.parametrize(
    ("code", "kind", "start", "end", "total", "rates"),
    [
        # § 288 Abs. 2 BGB: Basiszinssatz 1.27 (2026-H1, ✅ Bundesbank) + 9.
        ("DE", "commercial", date(2026, 1, 1), date(2026, 3, 31), "253.23", {"10.27"}),
        # § 288 Abs. 1 BGB: + 5 points.
        ("DE", "consumer", date(2026, 1, 1), date(2026, 3, 31), "154.60", {"6.27"}),
        # Directive 2011/7/EU: ECB 2.15 + 8 (☑️).
        ("EU", "commercial", date(2026, 1, 1), date(2026, 3, 31), "250.27", {"10.15"}),
        # Belgium, first half-year 2023: 10.5 % (✅ FOD Financiën notice).
        ("BE", "commercial", date(2023, 1, 1), date(2023, 6, 30), "520.68", {"10.5"}),
        # UK: 8 over the base rate of 31 Dec 2023 (5.25, ☑️), fixed for the whole debt.
        ("UK", "commercial", date(2024, 3, 1), date(2025, 2, 28), "1325.00", {"13.25"}),
    ],
)
def test_other_jurisdictions_same_engine(code, kind, start, end, total, rates):
    result = interest.compute(D("10000"), start, end, rule=jurisdictions.interest_rule(code, kind))
    assert result.total == D(total)
    assert {str(p.rate) for p in result.periods} == rates
    assert result.capitalisations == ()
    assert not result.rate_unverified


def test_germany_uses_8_points_for_obligations_before_29_july_2014():
    rule = jurisdictions.interest_rule("DE", "commercial")
    result = interest.compute(
        D("10000"), date(2026, 1, 1), date(2026, 3, 31), rule=rule, contract_date=date(2014, 7, 1)
    )
    assert {p.rate for p in result.periods} == {D("9.27")}


def test_dutch_contracts_before_16_march_2013_keep_ecb_plus_7():
    """Art. 6:120 lid 2 BW: the margin of 8 applies to contracts from 16 March 2013 only."""
    old = interest.compute(
        D("10000"),
        date(2020, 1, 1),
        date(2020, 12, 31),
        rule=NL_COMMERCIAL,
        contract_date=date(2012, 6, 1),
    )
    assert [(p.rate, p.amount) for p in old.periods] == [
        (D("7.00"), D("349.04")),
        (D("7.00"), D("352.88")),
    ]
    new = interest.compute(
        D("10000"),
        date(2020, 1, 1),
        date(2020, 12, 31),
        rule=NL_COMMERCIAL,
        contract_date=date(2013, 3, 16),
    )
    assert {p.rate for p in new.periods} == {D("8.00")}
    # A contract of 2012 running through 16 March 2013 stays at ECB 0.75 + 7 = 7.75.
    across = interest.compute(
        D("1000"),
        date(2013, 1, 1),
        date(2013, 6, 30),
        rule=NL_COMMERCIAL,
        contract_date=date(2012, 12, 1),
    )
    assert [p.rate for p in across.periods] == [D("7.75")]


def test_dutch_commercial_claims_before_1_december_2002_carry_the_rate_of_6_119():
    """Art. 6:119a BW took effect on 1 December 2002 for contracts from 8 August 2002."""
    result = interest.compute(D("1000"), date(2002, 9, 1), date(2003, 1, 31), rule=NL_COMMERCIAL)
    assert [(p.start, p.rate, p.basis) for p in result.periods] == [
        (date(2002, 9, 1), D("7"), "art. 6:119 BW"),
        (date(2002, 12, 1), D("10.35"), "art. 6:119a BW"),
        (date(2003, 1, 1), D("9.85"), "art. 6:119a BW"),
    ]
    older = interest.compute(
        D("1000"),
        date(2003, 3, 1),
        date(2003, 12, 31),
        rule=NL_COMMERCIAL,
        contract_date=date(2001, 5, 1),
    )
    assert [(p.rate, p.basis) for p in older.periods] == [
        (D("7"), "art. 6:119 BW"),
        (D("7"), "art. 6:119 BW"),
        (D("5"), "art. 6:119 BW"),
    ]


def test_uk_rate_does_not_follow_later_base_rate_changes():
    rule = jurisdictions.interest_rule("UK", "commercial")
    result = interest.compute(D("1000"), date(2023, 1, 10), date(2025, 12, 31), rule=rule)
    assert [p.rate for p in result.periods] == [D("11.50")]


def test_belgian_consumer_agreed_rate_is_capped_at_the_commercial_rate():
    rule = jurisdictions.interest_rule("BE", "consumer")
    result = interest.compute(
        D("1000"), date(2023, 1, 1), date(2023, 6, 30), rule=rule, agreed_percent=D("15")
    )
    assert {p.rate for p in result.periods} == {D("10.5")}
    assert "capped" in result.periods[0].basis


def test_rates_from_the_database_replace_the_built_in_table():
    rows = [Rate("NL", "commercial", date(2020, 1, 1), D("10"), "test table", "verified")]
    result = interest.compute(
        D("1000"), date(2020, 1, 1), date(2020, 6, 30), rule=NL_COMMERCIAL, rates=rows
    )
    assert {p.rate for p in result.periods} == {D("10")}
    assert result.periods[0].rate_sources == ("test table",)


def test_a_start_before_the_table_is_refused():
    with pytest.raises(DomainError, match="table starts"):
        interest.compute(D("1000"), date(1999, 1, 1), date(2000, 1, 1), rule=NL_COMMERCIAL)


def test_a_negative_principal_is_refused():
    with pytest.raises(DomainError, match="principal"):
        interest.compute(D("-1"), date(2020, 1, 1), date(2020, 2, 1), rule=NL_COMMERCIAL)


def test_nothing_accrues_when_the_end_is_before_the_start():
    result = interest.compute(D("1000"), date(2020, 1, 1), date(2019, 12, 31), rule=NL_COMMERCIAL)
    assert result.periods == ()
    assert result.total == 0


def test_when_interest_starts():
    assert interest.first_day_commercial(date(2025, 3, 31)) == date(2025, 4, 1)
    # 6:119a lid 2: 30 days after the day following receipt of the invoice.
    assert interest.first_day_commercial_without_term(date(2025, 3, 1)) == date(2025, 4, 1)
    assert interest.first_day_commercial_without_term(
        date(2025, 3, 1), performance_received_on=date(2025, 3, 10)
    ) == date(2025, 4, 10)
    assert interest.first_day_consumer() is None
    assert interest.first_day_consumer(agreed_due_on=date(2025, 3, 31)) == date(2025, 4, 1)
    assert interest.first_day_consumer(notice_term_ends_on=date(2025, 4, 20)) == date(2025, 4, 21)


def test_an_undesignated_payment_goes_to_the_most_burdensome_due_claim():
    """Art. 6:43 lid 2 BW: the commercial claim (12.50 %) before the consumer claim (7 %)."""
    claims = [
        interest.Claim("consumer", D("1000"), date(2024, 1, 1), NL_CONSUMER),
        interest.Claim("commercial", D("1000"), date(2024, 2, 1), NL_COMMERCIAL),
    ]
    statement = interest.compute_claims(
        claims, date(2024, 3, 31), payments=[interest.Payment(date(2024, 3, 1), D("500"))]
    )
    (division,) = statement.payments
    assert [s.key for s in division.shares] == ["commercial"]
    consumer, commercial = statement.claims
    assert consumer.payments == ()
    assert commercial.payments[0].interest == D("10.27")  # 30 days at 12.50 %
    assert commercial.principal_outstanding == D("510.27")

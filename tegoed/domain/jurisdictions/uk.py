"""United Kingdom: Late Payment of Commercial Debts (Interest) Act 1998.

Simple interest at 8 points over the Bank of England base rate in force on 30 June (for
interest that starts in July-December) or 31 December (January-June) before interest starts
to run, fixed for the life of the debt (Late Payment of Commercial Debts (Rate of Interest)
(No. 3) Order 2002, SI 2002/1675). Fixed sums per qualifying debt (s. 5A): £40 below £1,000,
£70 below £10,000, £100 from £10,000. Business-to-business only. A row below holds the base
rate that applies to interest starting in the half-year it begins.
"""

from datetime import date
from decimal import Decimal

from tegoed.domain.collection_costs import CostsRule, FixedSum
from tegoed.domain.interest import Fixing, Margin, StatutoryRule
from tegoed.domain.rate_table import CORROBORATED, SINGLE_SOURCE, Rate

D = Decimal
PAYONTIME = "payontime.co.uk reference rate table"


def _base(day: date, percent: str, status=CORROBORATED, source: str = PAYONTIME) -> Rate:
    return Rate("UK", "reference", day, D(percent), source, status)


BASE_RATES = (
    _base(date(2011, 1, 1), "0.50"),
    _base(date(2017, 1, 1), "0.25"),
    _base(date(2018, 1, 1), "0.50"),
    _base(date(2019, 1, 1), "0.75"),
    _base(date(2020, 7, 1), "0.10"),
    _base(date(2022, 1, 1), "0.25"),
    _base(date(2022, 7, 1), "1.25"),
    _base(date(2023, 1, 1), "3.50"),
    _base(date(2023, 7, 1), "5.00"),
    _base(date(2024, 1, 1), "5.25"),
    _base(date(2024, 7, 1), "5.25", SINGLE_SOURCE, "derived from MPC decisions"),
    _base(date(2025, 1, 1), "4.75", SINGLE_SOURCE, "derived from MPC decisions"),
    _base(date(2025, 7, 1), "4.25", SINGLE_SOURCE, "derived from MPC decisions"),
    _base(
        date(2026, 1, 1),
        "3.75",
        CORROBORATED,
        "cut to 3.75 on 18-12-2025 (finistry.co.uk); Access Proclaim late-payment update",
    ),
)

RATES = BASE_RATES

ACT = "Late Payment of Commercial Debts (Interest) Act 1998"

INTEREST_RULES = {
    kind: StatutoryRule(
        jurisdiction="UK",
        kind=kind,
        basis=f"{ACT}, SI 2002/1675",
        rates=BASE_RATES,
        rate_kind="reference",
        margins=(Margin(date(1998, 11, 1), D("8")),),
        fixing=Fixing.AT_START,
        reset_months=(1, 7),
        currency="GBP",
        source=f"{ACT}; SI 2002/1675: rate fixed by the half-year in which interest starts",
    )
    for kind in ("commercial", "government")
}

COSTS_RULES = {
    "business": CostsRule(
        jurisdiction="UK",
        debtor="business",
        basis=f"{ACT} s. 5A: fixed sum per qualifying debt",
        status=CORROBORATED,
        fixed_sums=(
            FixedSum(D("0"), D("40")),
            FixedSum(D("1000"), D("70")),
            FixedSum(D("10000"), D("100")),
        ),
        per_claim=True,
        currency="GBP",
    ),
}

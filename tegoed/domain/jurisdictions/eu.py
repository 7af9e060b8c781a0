"""The default of the Late Payment Directive 2011/7/EU, for states without own rules here.

Statutory interest is simple interest at the ECB reference rate (its most recent main
refinancing operation; the marginal rate while tenders were variable) plus 8 points (art. 2
sub 6; 7 points under directive 2000/35/EC for contracts before 16 March 2013). The rate in
force on 1 January holds for the first half-year, the rate on 1 July for the second. A fixed
€40 for recovery costs is due without a reminder (art. 6), for each late payment (CJEU
C-78/22). The ECB reference rates are those of docs/legal.md §1.3, with the status of the
Dutch rate they support.
"""

from datetime import date
from decimal import Decimal

from tegoed.domain.collection_costs import CostsRule, FixedSum
from tegoed.domain.interest import Margin, StatutoryRule
from tegoed.domain.rate_table import CORROBORATED, UNVERIFIED, Rate

D = Decimal
MEF = "ECB reference rate (Italian MEF table; NL rate minus margin)"


def _reference(day: date, percent: str, status, source: str = MEF, note: str = "") -> Rate:
    return Rate("EU", "reference", day, D(percent), source, status, note)


REFERENCE_RATES = (
    _reference(date(2002, 7, 1), "3.35", CORROBORATED),
    _reference(date(2003, 1, 1), "2.85", CORROBORATED),
    _reference(date(2003, 7, 1), "2.10", CORROBORATED),
    _reference(date(2004, 1, 1), "2.02", CORROBORATED),
    _reference(date(2004, 7, 1), "2.01", CORROBORATED),
    _reference(date(2005, 1, 1), "2.09", CORROBORATED),
    _reference(date(2005, 7, 1), "2.05", CORROBORATED),
    _reference(date(2006, 1, 1), "2.25", CORROBORATED),
    _reference(date(2006, 7, 1), "2.83", CORROBORATED),
    _reference(date(2007, 1, 1), "3.58", CORROBORATED),
    _reference(date(2007, 7, 1), "4.07", CORROBORATED),
    _reference(date(2008, 1, 1), "4.20", CORROBORATED),
    _reference(
        date(2008, 7, 1),
        "4.07",
        UNVERIFIED,
        note="sources conflict: Dutch sources imply 4.07, the MEF table lists 4.10",
    ),
    _reference(date(2009, 1, 1), "2.50", CORROBORATED),
    _reference(date(2009, 7, 1), "1.00", CORROBORATED),
    _reference(date(2011, 7, 1), "1.25", CORROBORATED),
    _reference(date(2012, 1, 1), "1.00", CORROBORATED),
    _reference(date(2013, 1, 1), "0.75", CORROBORATED),
    _reference(date(2013, 7, 1), "0.50", CORROBORATED),
    _reference(date(2014, 1, 1), "0.25", CORROBORATED),
    _reference(date(2014, 7, 1), "0.15", CORROBORATED),
    _reference(date(2015, 1, 1), "0.05", CORROBORATED),
    _reference(date(2016, 7, 1), "0.00", CORROBORATED),
    _reference(date(2023, 1, 1), "2.50", CORROBORATED),
    _reference(date(2023, 7, 1), "4.00", CORROBORATED),
    _reference(date(2024, 1, 1), "4.50", CORROBORATED),
    _reference(date(2024, 7, 1), "4.25", CORROBORATED, "ECB 4.25 (enterprise.gov.ie)"),
    _reference(date(2025, 1, 1), "3.15", CORROBORATED),
    _reference(date(2025, 7, 1), "2.15", CORROBORATED),
    _reference(
        date(2026, 1, 1), "2.15", CORROBORATED, "ECB MRO 2.15 on 22-12-2025 (Bundesbank notice)"
    ),
)

RATES = REFERENCE_RATES

DIRECTIVE = "directive 2011/7/EU art. 2 sub 6 and art. 4"

INTEREST_RULES = {
    kind: StatutoryRule(
        jurisdiction="EU",
        kind=kind,
        basis=DIRECTIVE,
        rates=REFERENCE_RATES,
        rate_kind="reference",
        margins=(
            Margin(date(2002, 8, 8), D("7")),
            Margin(date(2013, 3, 16), D("8")),
        ),
        reset_months=(1, 7),
        source=f"{DIRECTIVE}; directive 2000/35/EC for contracts before 16 March 2013",
    )
    for kind in ("commercial", "government")
}

COSTS_RULES = {
    "business": CostsRule(
        jurisdiction="EU",
        debtor="business",
        basis="directive 2011/7/EU art. 6: €40 without a reminder, for each late payment "
        "(CJEU C-78/22)",
        status=CORROBORATED,
        fixed_sums=(FixedSum(D("0"), D("40")),),
        per_claim=True,
    ),
}

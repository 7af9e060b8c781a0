"""Germany: Verzugszinsen (§§ 247, 286, 288 BGB).

Interest is the Basiszinssatz plus 5 points (§ 288 Abs. 1), or plus 9 points for
Entgeltforderungen where no consumer is a party (§ 288 Abs. 2; 8 points for obligations that
arose before 29 July 2014, Art. 229 § 34 EGBGB). The Basiszinssatz changes on 1 January and
1 July (§ 247) and applies to running interest. No interest on interest (§ 289). A debtor who
is not a consumer owes a €40 Pauschale (§ 288 Abs. 5), credited against legal costs.
Basiszinssatz values: docs/legal.md §7.3 (hledger-interest tables and Bundesbank notices).
"""

from datetime import date
from decimal import Decimal

from tegoed.domain.collection_costs import CostsRule, FixedSum
from tegoed.domain.interest import Margin, StatutoryRule
from tegoed.domain.rate_table import CORROBORATED, SINGLE_SOURCE, VERIFIED, Rate

D = Decimal
TABLE = "hledger-interest Basiszins table (Rate.hs, bgb288.irt)"


def _base(day: date, percent: str, status=SINGLE_SOURCE, source: str = TABLE) -> Rate:
    return Rate("DE", "reference", day, D(percent), source, status)


BASE_RATES = (
    _base(date(2002, 1, 1), "2.57"),
    _base(date(2002, 7, 1), "2.47"),
    _base(date(2003, 1, 1), "1.97"),
    _base(date(2003, 7, 1), "1.22"),
    _base(date(2004, 1, 1), "1.14"),
    _base(date(2004, 7, 1), "1.13"),
    _base(date(2005, 1, 1), "1.21"),
    _base(date(2005, 7, 1), "1.17"),
    _base(date(2006, 1, 1), "1.37"),
    _base(date(2006, 7, 1), "1.95"),
    _base(date(2007, 1, 1), "2.70"),
    _base(date(2007, 7, 1), "3.19"),
    _base(date(2008, 1, 1), "3.32"),
    _base(date(2008, 7, 1), "3.19"),
    _base(date(2009, 1, 1), "1.62"),
    _base(date(2009, 7, 1), "0.12"),
    _base(date(2011, 7, 1), "0.37"),
    _base(date(2012, 1, 1), "0.12"),
    _base(date(2013, 1, 1), "-0.13"),
    _base(date(2013, 7, 1), "-0.38"),
    _base(date(2014, 1, 1), "-0.63"),
    _base(date(2014, 7, 1), "-0.73"),
    _base(date(2015, 1, 1), "-0.83"),
    _base(date(2016, 7, 1), "-0.88"),
    _base(date(2023, 1, 1), "1.62"),
    _base(date(2023, 7, 1), "3.12"),
    _base(date(2024, 1, 1), "3.62"),
    _base(date(2024, 7, 1), "3.37"),
    _base(
        date(2025, 1, 1),
        "2.27",
        CORROBORATED,
        "Bundesbank, as cited by two public rate tables; 3.37 - 1.10 (ECB change) agrees",
    ),
    _base(date(2025, 7, 1), "1.27", CORROBORATED, "Bundesbank; secondary sources"),
    _base(date(2026, 1, 1), "1.27", VERIFIED, "Bundesbank notice (finanzmarktnachrichten.de)"),
)

RATES = BASE_RATES

INTEREST_RULES = {
    "consumer": StatutoryRule(
        jurisdiction="DE",
        kind="consumer",
        basis="§ 288 Abs. 1 BGB",
        rates=BASE_RATES,
        rate_kind="reference",
        margins=(Margin(date(2002, 1, 1), D("5")),),
        reset_months=(1, 7),
        source="§§ 247, 288 Abs. 1, 289 BGB",
    ),
    **{
        kind: StatutoryRule(
            jurisdiction="DE",
            kind=kind,
            basis="§ 288 Abs. 2 BGB",
            rates=BASE_RATES,
            rate_kind="reference",
            margins=(Margin(date(2002, 1, 1), D("8")), Margin(date(2014, 7, 29), D("9"))),
            reset_months=(1, 7),
            source="§§ 247, 288 Abs. 2, 289 BGB; Art. 229 § 34 EGBGB",
        )
        for kind in ("commercial", "government")
    },
}

COSTS_RULES = {
    "business": CostsRule(
        jurisdiction="DE",
        debtor="business",
        basis="§ 288 Abs. 5 BGB: €40 Pauschale, credited against legal costs",
        status=VERIFIED,
        fixed_sums=(FixedSum(D("0"), D("40")),),
        per_claim=True,
    ),
}

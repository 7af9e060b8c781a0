"""Belgium: late payment in commercial transactions and consumer debts.

Commercial (Wet van 2 augustus 2002, art. 5): the ECB reference rate plus 8 points, rounded
up to the next half point, published for each half-year by FOD Financiën; simple interest,
due without a notice; €40 fixed compensation for each invoice (art. 6). Consumers (Boek XIX
WER, in force 1 September 2023): the legal interest in civil matters (set yearly), an agreed
rate at most the commercial rate, and an agreed damage clause of at most €20 (balance up to
€150), €30 + 10 % above €150 (up to €500), €65 + 5 % above €500, at most €2,000. The
2013-2015 dual rates (old and new contracts) are not in the table.
"""

from datetime import date
from decimal import Decimal

from tegoed.domain.collection_costs import CostsRule, FixedSum, Tier
from tegoed.domain.interest import AgreedRate, StatutoryRule
from tegoed.domain.rate_table import CORROBORATED, SINGLE_SOURCE, VERIFIED, Rate

D = Decimal
FORMULA = "ECB + 8 rounded up to ½ (Wet 2 augustus 2002 art. 5)"


def _commercial(day: date, percent: str, source: str, status) -> Rate:
    return Rate("BE", "commercial", day, D(percent), source, status)


COMMERCIAL_RATES = (
    _commercial(date(2016, 1, 1), "8.5", f"vanostaeyen.eu; {FORMULA}: 0.05 + 8", CORROBORATED),
    _commercial(date(2016, 7, 1), "8", f"schoups.be; {FORMULA}: 0.00 + 8", CORROBORATED),
    _commercial(
        date(2023, 1, 1),
        "10.5",
        "FOD Financiën notice, first half-year 2023 (etaamb.openjustice.be)",
        VERIFIED,
    ),
    _commercial(date(2023, 7, 1), "12", f"{FORMULA}: 4.00 + 8", CORROBORATED),
    _commercial(date(2024, 1, 1), "12.5", f"{FORMULA}: 4.50 + 8", CORROBORATED),
    _commercial(
        date(2024, 7, 1),
        "12.5",
        f"FOD Financiën notice (forumforthefuture.be; webwin.be); {FORMULA}: 4.25 + 8",
        CORROBORATED,
    ),
    _commercial(date(2025, 1, 1), "11.5", f"derived: {FORMULA}: 3.15 + 8", SINGLE_SOURCE),
    _commercial(date(2025, 7, 1), "10.5", f"embuild.be; {FORMULA}: 2.15 + 8", CORROBORATED),
    _commercial(date(2026, 1, 1), "10.5", f"derived: {FORMULA}: 2.15 + 8", SINGLE_SOURCE),
)

CIVIL_RATES = (
    Rate("BE", "civil", date(2022, 1, 1), D("1.50"), "kluwer; meliorlaw", CORROBORATED),
    Rate("BE", "civil", date(2023, 1, 1), D("5.25"), "kluwer; meliorlaw", CORROBORATED),
    Rate(
        "BE",
        "civil",
        date(2024, 1, 1),
        D("5.75"),
        "notice of 23 February 2024 (vjn-legal.be; Kluwer); webwin.be",
        CORROBORATED,
    ),
    Rate("BE", "civil", date(2025, 1, 1), D("4.50"), "schoups.be; embuild.be", CORROBORATED),
    Rate(
        "BE",
        "civil",
        date(2026, 1, 1),
        D("4.50"),
        "embuild.be: published in the Belgisch Staatsblad, unchanged",
        SINGLE_SOURCE,
    ),
)

RATES = COMMERCIAL_RATES + CIVIL_RATES

LATE_PAYMENT_ACT = "Wet van 2 augustus 2002 betreffende de betalingsachterstand, art. 5"

INTEREST_RULES = {
    **{
        kind: StatutoryRule(
            jurisdiction="BE",
            kind=kind,
            basis=LATE_PAYMENT_ACT,
            rates=COMMERCIAL_RATES,
            rate_kind="commercial",
            reset_months=(1, 7),
            source=LATE_PAYMENT_ACT,
        )
        for kind in ("commercial", "government")
    },
    "consumer": StatutoryRule(
        jurisdiction="BE",
        kind="consumer",
        basis="legal interest in civil matters (set yearly)",
        rates=RATES,
        rate_kind="civil",
        reset_months=(1,),
        agreed=AgreedRate.CAPPED,
        cap_rate_kind="commercial",
        source="Boek XIX WER: an agreed rate may not exceed the rate of art. 5 of the law of "
        "2 August 2002",
    ),
}

COSTS_RULES = {
    "business": CostsRule(
        jurisdiction="BE",
        debtor="business",
        basis="Wet van 2 augustus 2002 betreffende de betalingsachterstand, art. 6: €40 for "
        "each invoice (CJEU C-585/20 BFF Finance Iberia, ECLI:EU:C:2022:806)",
        status=CORROBORATED,
        fixed_sums=(FixedSum(D("0"), D("40")),),
        per_claim=True,
        notes=("reasonable further costs may be claimed when shown",),
    ),
    "consumer": CostsRule(
        jurisdiction="BE",
        debtor="consumer",
        basis="Boek XIX WER: maximum of an agreed damage clause",
        status=CORROBORATED,
        tiers=(
            Tier(D("0"), D("20"), D("0")),
            Tier(D("150"), D("30"), D("10")),
            Tier(D("500"), D("65"), D("5")),
        ),
        maximum=D("2000"),
        notes=(
            "only when agreed, and only after a free first reminder and a waiting period of "
            "14 days",
        ),
    ),
}

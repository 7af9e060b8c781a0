"""The Netherlands: statutory interest (art. 6:119, 6:119a, 6:119b BW) and collection costs.

Rates: the consumer rate is set by decree, reviewed for 1 January and 1 July, and applies to
running interest from its date (art. 6:120 lid 1 BW); the commercial rate is the ECB main
refinancing rate before 1 January or 1 July plus 8 points (7 before 16 March 2013), reset
every half-year (art. 6:120 lid 2 BW).
Each row names its source and its status (docs/legal.md §1.2, §1.3). Interest is compounded
on every anniversary of its first day (art. 6:119 lid 2, 6:119a lid 3 BW).

Collection costs: Besluit vergoeding voor buitengerechtelijke incassokosten (Stb. 2012, 141)
art. 2, for every contractual money claim (art. 1), consumers and businesses alike; for a
business debtor per invoice, with €40 for each invoice as the floor (art. 6:96 lid 4 BW; CJEU
C-585/20), unless the contract agrees otherwise (docs/legal.md §2.4).
"""

from datetime import date
from decimal import Decimal

from tegoed.domain.collection_costs import Band, CostsRule
from tegoed.domain.interest import Compounding, IncludedMargin, Margin, StatutoryRule
from tegoed.domain.rate_table import CORROBORATED, VERIFIED, Rate

D = Decimal


def _consumer(day: date, percent: str, source: str, status, note: str = "") -> Rate:
    return Rate("NL", "consumer", day, D(percent), source, status, note)


def _commercial(day: date, percent: str, source: str, status, note: str = "") -> Rate:
    return Rate("NL", "commercial", day, D(percent), source, status, note)


RAADVANARBITRAGE = "raadvanarbitrage.nl rate table"
# The versions of the Besluit vaststelling wettelijke rente in the official consolidated text
# (KOOP), as listed in a public tax-interest module: 4 % from 1 January 2023, 6 % from 1 July
# 2023, 7 % from 1 January 2024, 6 % from 1 January 2025, 4 % from 1 January 2026.
WETTELIJKE_RENTE = "versions of BWBR0047640 (KOOP)"

CONSUMER_RATES = (
    _consumer(date(2001, 1, 1), "8", f"{RAADVANARBITRAGE}; schuldinfo.nl", CORROBORATED),
    _consumer(date(2002, 1, 1), "7", f"{RAADVANARBITRAGE}; schuldinfo.nl", CORROBORATED),
    _consumer(
        date(2003, 8, 1),
        "5",
        "Besluit 3 juli 2003, Stb. 2003, 280 (smitvernooij.nl); schuldinfo.nl",
        CORROBORATED,
    ),
    _consumer(
        date(2004, 2, 1),
        "4",
        f"Besluit 15 januari 2004, Stb. 2004, 13 (smitvernooij.nl); {RAADVANARBITRAGE}",
        CORROBORATED,
    ),
    _consumer(date(2007, 1, 1), "6", "Besluit 11 december 2006, Stb. 2006, 700", VERIFIED),
    _consumer(date(2009, 7, 1), "4", "Besluit 19 juni 2009, Stb. 2009, 262", VERIFIED),
    _consumer(date(2010, 1, 1), "3", "Besluit 23 december 2009, Stb. 2009, 618", VERIFIED),
    _consumer(date(2011, 7, 1), "4", "Besluit 23 juni 2011", VERIFIED),
    _consumer(date(2012, 7, 1), "3", "Besluit 25 juni 2012, Stb. 2012, 285", VERIFIED),
    _consumer(date(2015, 1, 1), "2", "Besluit 4 december 2014, Stb. 2014, 491", VERIFIED),
    _consumer(
        date(2023, 1, 1),
        "4",
        "Besluit vaststelling wettelijke rente (BWBR0047640) art. 1",
        VERIFIED,
    ),
    _consumer(date(2023, 7, 1), "6", "Stb. 2023, 235 (vfn.nl; topinkomens.nl)", CORROBORATED),
    _consumer(
        date(2024, 1, 1),
        "7",
        "Stb. 2023, 484 (feitsmaverhagen.nl; smkaccountants.nl; e-justice)",
        CORROBORATED,
    ),
    _consumer(
        date(2024, 7, 1),
        "7",
        "unchanged (mijn.metaalunie.nl; formula 4.50 + 2.25 -> 7)",
        CORROBORATED,
    ),
    _consumer(
        date(2025, 1, 1),
        "6",
        f"vvoadvocatuur.nl; {WETTELIJKE_RENTE} from 1 January 2025 (formula 3.40 + 2.25 -> 6)",
        CORROBORATED,
    ),
    _consumer(
        date(2025, 7, 1),
        "6",
        f"unchanged: vanlaarhovenenpartners.nl; {WETTELIJKE_RENTE}: no version from 1 July 2025",
        CORROBORATED,
        "no decree changed the rate for 1 July 2025; the method of the explanatory notes "
        "(ECB 2.40 + 2.25) would have given 5 %, but only a decree sets the rate "
        "(art. 6:120 lid 1 BW)",
    ),
    _consumer(
        date(2026, 1, 1),
        "4",
        f"{WETTELIJKE_RENTE} from 1 January 2026; rentetool rate table",
        CORROBORATED,
        "no Staatsblad number found; the formula (2.15 + 2.25 -> 4) agrees",
    ),
)

COMMERCIAL_RATES = (
    _commercial(
        date(2002, 12, 1),
        "10.35",
        f"{RAADVANARBITRAGE}; wrente.nl",
        CORROBORATED,
        "for contracts concluded from 8 August 2002",
    ),
    _commercial(date(2003, 1, 1), "9.85", f"{RAADVANARBITRAGE}; ECB 2.85 + 7", CORROBORATED),
    _commercial(date(2003, 7, 1), "9.10", f"{RAADVANARBITRAGE}; ECB 2.10 + 7", CORROBORATED),
    _commercial(date(2004, 1, 1), "9.02", "rentetool rate table; ECB 2.02 + 7 (MEF)", CORROBORATED),
    _commercial(date(2004, 7, 1), "9.01", "rentetool rate table; ECB 2.01 + 7 (MEF)", CORROBORATED),
    _commercial(date(2005, 1, 1), "9.09", f"{RAADVANARBITRAGE}; ECB 2.09 + 7", CORROBORATED),
    _commercial(date(2005, 7, 1), "9.05", f"{RAADVANARBITRAGE}; ECB 2.05 + 7", CORROBORATED),
    _commercial(date(2006, 1, 1), "9.25", f"{RAADVANARBITRAGE}; ECB 2.25 + 7", CORROBORATED),
    _commercial(date(2006, 7, 1), "9.83", f"{RAADVANARBITRAGE}; ECB 2.83 + 7", CORROBORATED),
    _commercial(date(2007, 1, 1), "10.58", f"{RAADVANARBITRAGE}; vdkraan.nl", CORROBORATED),
    _commercial(date(2007, 7, 1), "11.07", f"{RAADVANARBITRAGE}; vdkraan.nl", CORROBORATED),
    _commercial(date(2008, 1, 1), "11.20", f"{RAADVANARBITRAGE}; vdkraan.nl", CORROBORATED),
    _commercial(date(2008, 7, 1), "11.07", f"{RAADVANARBITRAGE}; vdkraan.nl", CORROBORATED),
    _commercial(date(2009, 1, 1), "9.50", f"{RAADVANARBITRAGE}; vdkraan.nl", CORROBORATED),
    _commercial(
        date(2009, 7, 1), "8.00", f"{RAADVANARBITRAGE}; wieringa-advocaten.nl", CORROBORATED
    ),
    _commercial(
        date(2011, 7, 1),
        "8.25",
        "rentetool rate table; ECB MRO 1.25 from 13 April 2011 (MEF) + 7",
        CORROBORATED,
        "vdkraan.nl gives 8.00 for all of 2011-2012, leaving this half-year out",
    ),
    _commercial(date(2012, 1, 1), "8.00", "rentetool rate table; ECB 1.00 + 7 (MEF)", CORROBORATED),
    _commercial(date(2013, 1, 1), "7.75", "vdkraan.nl; nsgroep.nl", CORROBORATED),
    _commercial(
        date(2013, 3, 16),
        "8.75",
        "rentetool rate table; ECB 0.75 + 8 from the transposition of directive 2011/7/EU",
        CORROBORATED,
        "for contracts made from 16 March 2013; older contracts keep ECB + 7",
    ),
    _commercial(date(2013, 7, 1), "8.50", "fintool.nl; ECB 0.50 + 8", CORROBORATED),
    _commercial(
        date(2014, 1, 1), "8.25", "lexence.com; modusvivendi.nl; ECB 0.25 + 8", CORROBORATED
    ),
    _commercial(date(2014, 7, 1), "8.15", "advocatenkantooroste.nl; ECB 0.15 + 8", CORROBORATED),
    _commercial(
        date(2015, 1, 1), "8.05", "advocatenkantooroste.nl; bierensgroup.com", CORROBORATED
    ),
    _commercial(date(2016, 7, 1), "8.00", "rijksoverheid.nl; abenslag.nl", CORROBORATED),
    _commercial(date(2023, 1, 1), "10.50", "abenslag.nl; flib.nl", CORROBORATED),
    _commercial(
        date(2023, 7, 1), "12.00", "wieringa-advocaten.nl; rentetool rate table", CORROBORATED
    ),
    _commercial(date(2024, 1, 1), "12.50", "wieringa-advocaten.nl; e-justice", CORROBORATED),
    _commercial(date(2024, 7, 1), "12.25", "mijn.metaalunie.nl; ECB 4.25 + 8", CORROBORATED),
    _commercial(date(2025, 1, 1), "11.15", "vvoadvocatuur.nl; ECB 3.15 + 8", CORROBORATED),
    _commercial(date(2025, 7, 1), "10.15", "vanlaarhovenenpartners.nl; ECB 2.15 + 8", CORROBORATED),
    _commercial(
        date(2026, 1, 1),
        "10.15",
        "ECB MRO 2.15 on 22-12-2025 (Bundesbank notice) + 8",
        CORROBORATED,
    ),
)

RATES = CONSUMER_RATES + COMMERCIAL_RATES

HALF_YEARS = (1, 7)

CONSUMER = StatutoryRule(
    jurisdiction="NL",
    kind="consumer",
    basis="art. 6:119 BW",
    rates=CONSUMER_RATES,
    rate_kind="consumer",
    compounding=Compounding.YEARLY,
    # The consumer rate is reviewed for 1 January and 1 July; a period is split on those
    # days even when the decree left the rate unchanged (docs/decisions/0101).
    reset_months=HALF_YEARS,
    source="art. 6:119, 6:120 lid 1 BW",
)


def _commercial_rule(kind: str, basis: str) -> StatutoryRule:
    """6:119a / 6:119b BW: ECB + 7 for contracts from 8 August 2002 (in force 1 December
    2002), ECB + 8 for contracts from 16 March 2013 (vanasadvocaten.nl: the implementation
    of directive 2011/7/EU applies to contracts made on or after that day); older commercial
    contracts, and days before 1 December 2002, carry the rate of art. 6:119 BW."""
    return StatutoryRule(
        jurisdiction="NL",
        kind=kind,
        basis=basis,
        rates=COMMERCIAL_RATES,
        rate_kind="commercial",
        margins=(Margin(date(2002, 8, 8), D("7")), Margin(date(2013, 3, 16), D("8"))),
        included_margins=(
            IncludedMargin(date(2002, 12, 1), D("7")),
            IncludedMargin(date(2013, 3, 16), D("8")),
        ),
        contracts_from=date(2002, 8, 8),
        earlier=CONSUMER,
        compounding=Compounding.YEARLY,
        reset_months=HALF_YEARS,
        source=f"{basis}, 6:120 lid 2 BW",
    )


INTEREST_RULES = {
    "consumer": CONSUMER,
    "commercial": _commercial_rule("commercial", "art. 6:119a BW"),
    "government": _commercial_rule("government", "art. 6:119b BW"),
}

BIK = "Besluit vergoeding voor buitengerechtelijke incassokosten (Stb. 2012, 141) art. 2"

SCALE = (
    Band(D("0"), D("2500"), D("15")),
    Band(D("2500"), D("5000"), D("10")),
    Band(D("5000"), D("10000"), D("5")),
    Band(D("10000"), D("200000"), D("1")),
    Band(D("200000"), None, D("0.5")),
)

COSTS_RULES = {
    "consumer": CostsRule(
        jurisdiction="NL",
        debtor="consumer",
        basis=f"{BIK}; mandatory for consumers (art. 6:96 lid 5 BW)",
        status=VERIFIED,
        bands=SCALE,
        minimum=D("40"),
        maximum=D("6775"),
        vat_allowed=True,
        notes=("due only after a 14-day letter that states this amount (art. 6:96 lid 6 BW)",),
    ),
    "business": CostsRule(
        jurisdiction="NL",
        debtor="business",
        basis=f"{BIK}, for every contractual money claim (art. 1; HR 10 July 2015, "
        "ECLI:NL:HR:2015:1868); at least €40 for each invoice (art. 6:96 lid 4 BW; CJEU C-585/20)",
        status=VERIFIED,
        bands=SCALE,
        minimum=D("40"),
        maximum=D("6775"),
        per_claim=True,
        vat_allowed=True,
        notes=(
            "above €40 the creditor must show that collection work was reasonably done "
            "(HR 16 October 1998, ECLI:NL:HR:1998:ZC2740)",
        ),
    ),
}

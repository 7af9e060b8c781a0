"""Statutory limits on agreed payment terms, checked before an invoice is issued.

Netherlands (docs/legal.md §4):
* art. 6:119a lid 5 BW — between businesses at most 60 days, unless expressly agreed and not
  grossly unfair to the creditor;
* art. 6:119a lid 6 BW — a large company paying an SME: at most 30 days since 1 July 2022
  (Stb. 2022, 146; 60 days from 1 July 2017); a longer clause is void and the statutory
  30 days apply;
* art. 6:119b lid 5 BW — a public authority as debtor at most 30 days, 60 only when expressly
  agreed and objectively justified;
* art. 6:119a lid 2 BW — without an agreed term, 30 days after receipt of the invoice;
* consumers have no statutory maximum (art. 6:38 BW: without an agreed time payment may be
  demanded at once).
Belgium (law of 2 August 2002 as amended from 1 February 2022): never more than 60 days;
Germany (§ 271a BGB) and the EU directive default: 60 days unless expressly agreed and not
grossly unfair, public authorities 30.

`maximum_days(kind)` is the short answer the invoice checks ask; `check(...)` explains.

>>> maximum_days("business")
60
>>> maximum_days("government")
30
>>> maximum_days("consumer") is None
True
>>> from datetime import date
>>> check(45, debtor_kind="business", on=date(2026, 1, 5), large_debtor_paying_sme=True).allowed
False
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tegoed.domain.errors import DomainError

MAXIMUM_DAYS = {"business": 60, "government": 30, "consumer": None}
DEFAULT_DAYS = 30  # art. 6:119a lid 2 / 6:119b lid 2 BW: no agreed term
LARGE_TO_SME_FROM = (
    (date(2017, 7, 1), 60, "art. 6:119a lid 6 BW (in force 1 July 2017)"),
    (date(2022, 7, 1), 30, "art. 6:119a lid 6 BW as amended by Stb. 2022, 146 (1 July 2022)"),
)


def maximum_days(customer_kind: str) -> int | None:
    """The longest payment term that may be agreed without an express, justified clause."""
    return MAXIMUM_DAYS[customer_kind]


@dataclass(frozen=True, slots=True)
class TermCheck:
    """Whether a payment term may be agreed, the limit that applies and why."""

    term_days: int
    maximum_days: int | None
    allowed: bool
    basis: str
    problem: str = ""  # a code: "term_too_long", "term_too_long_void", "needs_express_clause"
    note: str = ""


def check(
    term_days: int,
    *,
    debtor_kind: str,
    on: date,
    jurisdiction: str = "NL",
    large_debtor_paying_sme: bool = False,
    expressly_agreed: bool = False,
    objectively_justified: bool = False,
) -> TermCheck:
    """Check a payment term of `term_days` agreed on `on` for a debtor of `debtor_kind`."""
    if term_days < 0:
        raise DomainError("a payment term cannot be negative")
    if debtor_kind not in MAXIMUM_DAYS:
        raise DomainError(f"unknown kind of debtor {debtor_kind!r}")
    if debtor_kind == "consumer":
        return TermCheck(term_days, None, True, "no statutory maximum for consumers (art. 6:38 BW)")
    code = jurisdiction.upper()
    if code == "BE":
        return _limit(term_days, 60, "Belgian law of 2 August 2002, art. 4 (since 1 February 2022)")
    if debtor_kind == "government":
        basis = "art. 6:119b lid 5 BW" if code == "NL" else "public authority: 30 days"
        if term_days <= 30:
            return TermCheck(term_days, 30, True, basis)
        if term_days <= 60 and expressly_agreed and objectively_justified:
            return TermCheck(
                term_days, 60, True, basis, note="allowed: expressly agreed and justified"
            )
        return TermCheck(term_days, 30, False, basis, "term_too_long")
    if code == "NL" and large_debtor_paying_sme:
        limit = next(
            ((days, basis) for since, days, basis in reversed(LARGE_TO_SME_FROM) if on >= since),
            None,
        )
        if limit is not None:
            days, basis = limit
            if term_days <= days:
                return TermCheck(term_days, days, True, basis)
            return TermCheck(
                term_days,
                days,
                False,
                basis,
                "term_too_long_void",
                note=f"a longer clause is void; the statutory {DEFAULT_DAYS} days apply",
            )
    basis = "art. 6:119a lid 5 BW" if code == "NL" else "§ 271a BGB / directive 2011/7/EU art. 3"
    if term_days <= 60:
        return TermCheck(term_days, 60, True, basis)
    if expressly_agreed:
        return TermCheck(
            term_days,
            60,
            True,
            basis,
            note="longer than 60 days: valid only if expressly agreed and not grossly unfair "
            "to the creditor",
        )
    return TermCheck(term_days, 60, False, basis, "needs_express_clause")


def _limit(term_days: int, days: int, basis: str) -> TermCheck:
    if term_days <= days:
        return TermCheck(term_days, days, True, basis)
    return TermCheck(term_days, days, False, basis, "term_too_long")

"""Rates and rules per jurisdiction, as data: one module per jurisdiction.

`nl` (the Netherlands, the default), `eu` (the Late Payment Directive's defaults), `be`
(Belgium), `de` (Germany), `uk` (England, Wales and Northern Ireland). Each module holds its
rate rows (`RATES`, every row with source and status), its interest rules per kind of debtor
(`INTEREST_RULES`) and its collection-cost rules (`COSTS_RULES`), with the statute cited in
its docstring. The interest and cost engines are the same for all.

>>> interest_rule("NL", "commercial").basis
'art. 6:119a BW'
>>> costs_rule("UK", "business").currency
'GBP'
"""

from __future__ import annotations

from types import ModuleType

from tegoed.domain.collection_costs import CostsRule
from tegoed.domain.errors import DomainError
from tegoed.domain.interest import StatutoryRule
from tegoed.domain.jurisdictions import be, de, eu, nl, uk
from tegoed.domain.rate_table import Rate

MODULES: dict[str, ModuleType] = {"NL": nl, "EU": eu, "BE": be, "DE": de, "UK": uk}
CODES = tuple(MODULES)


def _module(code: str) -> ModuleType:
    try:
        return MODULES[code.upper()]
    except KeyError:
        raise DomainError(f"unknown jurisdiction {code!r}; known are {', '.join(CODES)}") from None


def rates(code: str | None = None) -> tuple[Rate, ...]:
    """The built-in rate rows of one jurisdiction, or of all."""
    if code is None:
        return tuple(row for module in MODULES.values() for row in module.RATES)
    return tuple(_module(code).RATES)


def interest_rule(code: str, kind: str) -> StatutoryRule:
    """The statutory interest rule for `kind` ("consumer", "commercial", "government")."""
    rules = _module(code).INTEREST_RULES
    if kind not in rules:
        raise DomainError(
            f"{code.upper()} has no statutory interest rule for {kind!r} debtors here; "
            f"known are {', '.join(rules)}"
        )
    return rules[kind]


def costs_rule(code: str, debtor: str) -> CostsRule:
    """The statutory collection-cost rule for a "consumer" or "business" debtor.

    A contract's own clause replaces the business rule: `collection_costs.agreed_percentage`.
    """
    rules = _module(code).COSTS_RULES
    if debtor not in rules:
        raise DomainError(f"{code.upper()} has no collection-cost rule for {debtor!r} here")
    return rules[debtor]

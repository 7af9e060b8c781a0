"""Extrajudicial collection costs: the statutory scale, fixed sums and caps, as data.

Netherlands (docs/legal.md §2): Besluit vergoeding voor buitengerechtelijke incassokosten
(Stb. 2012, 141), art. 2 lid 1: 15 % of the first €2,500 of the principal, 10 % of the next
€2,500, 5 % of the next €5,000, 1 % of the next €190,000 and 0.5 % of the rest, at most
€6,775; lid 2: at least €40; lid 3: VAT is added only when the creditor uses a collection
service that charges VAT, cannot deduct that VAT, and says so. The amount is rounded half-up
to cents, then held between the minimum and the maximum. Art. 6:96 lid 7 BW: claims reminded
in one letter are added together. A partial payment within the 14-day term lowers the
principal on which the costs are computed (HR 25 November 2016, ECLI:NL:HR:2016:2704): pass
the principal that remains at the end of the term.

Business debtors (art. 6:96 lid 4 BW, directive 2011/7/EU art. 6, § 288(5) BGB, Belgian law
of 2 August 2002): a fixed €40 is due without a reminder for each invoice (CJEU C-585/20 BFF
Finance Iberia; C-78/22), so the costs of a business debtor are computed per claim. In the
Netherlands the Besluit applies to every contractual money claim (art. 1) and courts apply its
scale to businesses unless agreed otherwise (HR 10 July 2015, ECLI:NL:HR:2015:1868): the scale
per invoice, never less than €40. A contract may agree its own clause (`agreed_percentage`),
which a court may moderate. The United Kingdom (Late Payment of Commercial Debts (Interest)
Act 1998 s. 5A): £40, £70 or £100 per debt. Belgian consumers (Boek XIX WER): the agreed
damage clause may not exceed €20, €30 + 10 % or €65 + 5 % (at most €2,000) by the balance
owed.

The rules themselves are in `tegoed.domain.jurisdictions`; `compute` applies one.

>>> from decimal import Decimal
>>> from tegoed.domain import jurisdictions
>>> costs = compute(Decimal("3000"), rule=jurisdictions.costs_rule("NL", "consumer"))
>>> costs.amount, [line.amount for line in costs.brackets]
(Decimal('425.00'), [Decimal('375.00'), Decimal('50.00')])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tegoed.domain import money
from tegoed.domain.errors import DomainError
from tegoed.domain.rate_table import Status

ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Band:
    """A slice of the principal from `lower` to `upper` (None: the rest) at `percent`."""

    lower: Decimal
    upper: Decimal | None
    percent: Decimal


@dataclass(frozen=True, slots=True)
class Tier:
    """For a principal above `over`: `fixed` plus `percent` of the part above `over`."""

    over: Decimal
    fixed: Decimal
    percent: Decimal


@dataclass(frozen=True, slots=True)
class FixedSum:
    """`amount` for a principal of at least `at_least`."""

    at_least: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class CostsRule:
    """How collection costs are computed for one jurisdiction and kind of debtor."""

    jurisdiction: str
    debtor: str  # "consumer" or "business"
    basis: str  # the source, shown with every result
    status: Status
    bands: tuple[Band, ...] = ()
    tiers: tuple[Tier, ...] = ()
    fixed_sums: tuple[FixedSum, ...] = ()
    minimum: Decimal = ZERO
    maximum: Decimal | None = None
    per_claim: bool = False  # True: each claim on its own (UK); False: principals added up
    vat_allowed: bool = False
    currency: str = "EUR"
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VatClaim:
    """VAT on the costs (Besluit BIK art. 2 lid 3): only when all three conditions hold."""

    percent: Decimal
    collection_service_charges_vat: bool
    creditor_cannot_deduct_vat: bool
    creditor_states_this: bool


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the computation: a band of the scale, a tier, or a fixed sum."""

    lower: Decimal
    upper: Decimal | None
    percent: Decimal | None
    portion: Decimal  # the part of the principal this line covers
    amount: Decimal
    description: str
    kind: str = "band"  # "band", "tier", "fixed", or "minimum" / "maximum" of one claim


@dataclass(frozen=True, slots=True)
class CollectionCosts:
    """The costs for one demand, with the lines that make them up."""

    jurisdiction: str
    debtor: str
    basis: str
    currency: str
    principal: Decimal  # the principals added together
    brackets: tuple[Line, ...]
    scale_amount: Decimal  # the lines added up, rounded, before the minimum and maximum
    amount: Decimal
    minimum_applied: bool
    maximum_applied: bool
    vat_percent: Decimal
    vat: Decimal
    shares: tuple[Decimal, ...]  # the amount per principal given, pro rata (for art. 6:44)
    status: Status
    notes: tuple[str, ...]
    per_claim: bool = False  # each claim on its own: its minimum or maximum is one of its lines

    @property
    def total(self) -> Decimal:
        return self.amount + self.vat


def agreed_percentage(
    jurisdiction: str, percent: Decimal, *, minimum: Decimal, currency: str = "EUR"
) -> CostsRule:
    """A business contract's own clause, e.g. "15 % with a minimum of €40", per invoice.

    The minimum should be at least the statutory fixed sum of each invoice (€40), which a
    contract cannot lower (art. 6:96 lid 4 BW).
    """
    return CostsRule(
        jurisdiction=jurisdiction,
        debtor="business",
        basis=f"agreed in the contract: {percent} % of the principal, at least {minimum}",
        status=Status.VERIFIED,
        bands=(Band(ZERO, None, percent),),
        minimum=minimum,
        per_claim=True,
        currency=currency,
        notes=(
            "agreed collection costs may be moderated by the court, also between businesses "
            "(HR 10 July 2015, ECLI:NL:HR:2015:1868)",
        ),
    )


def compute(
    principals: Decimal | Sequence[Decimal],
    *,
    rule: CostsRule,
    vat: VatClaim | None = None,
) -> CollectionCosts:
    """The costs on one principal, or on several claims reminded in one letter."""
    given = (principals,) if isinstance(principals, Decimal) else tuple(principals)
    if not given:
        raise DomainError("collection costs need at least one principal")
    for principal in given:
        if not isinstance(principal, Decimal) or not principal.is_finite() or principal < 0:
            raise DomainError(f"a principal must be an amount of zero or more, not {principal!r}")
    vat_percent = _vat_percent(vat, rule)
    total_principal = sum(given, ZERO)
    notes = list(rule.notes)
    if rule.per_claim:
        results = [_one(p, rule) for p in given]
        lines = tuple(
            line
            for principal, (claim_lines, _scale, amount, at_minimum, at_maximum) in zip(
                given, results, strict=True
            )
            for line in (
                (_limit_line(principal, amount, "maximum" if at_maximum else "minimum"),)
                if at_minimum or at_maximum
                else claim_lines
            )
        )
        scale_amount = sum((r[1] for r in results), ZERO)
        amount = sum((r[2] for r in results), ZERO)
        minimum_applied = any(r[3] for r in results)
        maximum_applied = any(r[4] for r in results)
        shares = tuple(r[2] for r in results)
    else:
        lines, scale_amount, amount, minimum_applied, maximum_applied = _one(total_principal, rule)
        if len(given) > 1 and amount > 0 and total_principal > 0:
            shares = money.allocate(amount, list(given))
            notes.append("several claims in one demand: the principals are added together")
        else:
            shares = (amount,) + (ZERO,) * (len(given) - 1)
    if total_principal == 0:
        notes.append("nothing is owed, so no collection costs are due")
    vat_amount = money.round_cents(amount * vat_percent / 100)
    if vat_amount:
        notes.append(
            "VAT added (art. 2 lid 3 Besluit BIK): the creditor states that its collection "
            "service charges VAT which it cannot deduct"
        )
    return CollectionCosts(
        jurisdiction=rule.jurisdiction,
        debtor=rule.debtor,
        basis=rule.basis,
        currency=rule.currency,
        principal=total_principal,
        brackets=lines,
        scale_amount=scale_amount,
        amount=amount,
        minimum_applied=minimum_applied,
        maximum_applied=maximum_applied,
        vat_percent=vat_percent,
        vat=vat_amount,
        shares=shares,
        status=rule.status,
        notes=tuple(notes),
        per_claim=rule.per_claim,
    )


def _limit_line(principal: Decimal, amount: Decimal, kind: str) -> Line:
    """One claim held at the minimum or maximum: that is its only line."""
    return Line(ZERO, None, None, principal, amount, f"{kind} for a claim of {principal}", kind)


def _vat_percent(vat: VatClaim | None, rule: CostsRule) -> Decimal:
    if vat is None or vat.percent == 0:
        return Decimal(0)
    if not rule.vat_allowed:
        raise DomainError(f"VAT cannot be added to these costs ({rule.basis})")
    missing = [
        text
        for holds, text in (
            (vat.collection_service_charges_vat, "the creditor uses a collection service"),
            (vat.creditor_cannot_deduct_vat, "the creditor cannot deduct the VAT"),
            (vat.creditor_states_this, "the creditor states this to the debtor"),
        )
        if not holds
    ]
    if missing:
        raise DomainError(
            "VAT may be added to the costs only when all of art. 2 lid 3 Besluit BIK holds; "
            "missing: " + "; ".join(missing)
        )
    if vat.percent < 0:
        raise DomainError("the VAT percentage cannot be negative")
    return vat.percent


def _one(
    principal: Decimal, rule: CostsRule
) -> tuple[tuple[Line, ...], Decimal, Decimal, bool, bool]:
    """(lines, scale amount, amount, minimum applied, maximum applied) for one principal."""
    if principal == 0:
        return (), ZERO, ZERO, False, False
    lines: list[Line] = []
    exact = Decimal(0)
    for band in rule.bands:
        if principal <= band.lower:
            break
        top = principal if band.upper is None else min(principal, band.upper)
        portion = top - band.lower
        part = portion * band.percent / 100
        exact += part
        lines.append(
            Line(
                band.lower,
                band.upper,
                band.percent,
                portion,
                money.round_cents(part),
                f"{band.percent} % of {portion:.2f}",
            )
        )
    tier = next((t for t in sorted(rule.tiers, key=lambda t: -t.over) if principal > t.over), None)
    if tier is not None:
        portion = principal - tier.over
        part = tier.fixed + portion * tier.percent / 100
        exact += part
        description = f"{tier.fixed}" + (
            f" + {tier.percent} % of the {portion} above {tier.over}" if tier.percent else ""
        )
        lines.append(
            Line(
                tier.over, None, tier.percent, portion, money.round_cents(part), description, "tier"
            )
        )
    fixed = next(
        (f for f in sorted(rule.fixed_sums, key=lambda f: -f.at_least) if principal >= f.at_least),
        None,
    )
    if fixed is not None:
        exact += fixed.amount
        lines.append(
            Line(
                fixed.at_least,
                None,
                None,
                principal,
                fixed.amount,
                f"fixed sum for a claim of at least {fixed.at_least}",
                "fixed",
            )
        )
    scale_amount = money.round_cents(exact)
    amount = max(scale_amount, rule.minimum)
    minimum_applied = amount > scale_amount
    maximum_applied = False
    if rule.maximum is not None and amount > rule.maximum:
        amount, maximum_applied = rule.maximum, True
    return tuple(lines), scale_amount, money.round_cents(amount), minimum_applied, maximum_applied

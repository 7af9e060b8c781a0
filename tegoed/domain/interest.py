"""Statutory and agreed interest on money claims, as a breakdown anyone can check by hand.

Sources (docs/legal.md explains each rule for users; docs/decisions/0100-0106 the choices):

* Art. 6:119 BW (consumer and other non-commercial claims) and 6:119a / 6:119b BW (commercial
  contracts; a public authority as debtor): interest over the time of default, "tot en met de
  dag waarop de schuldenaar de geldsom heeft voldaan" — the last day counts.
* Art. 6:119 lid 2 / 6:119a lid 3 BW: "telkens na afloop van een jaar" the interest of that
  year is added to the amount on which interest runs: capitalisation on every anniversary of
  the first day of interest (not on 1 January). A year from 29 February runs through the
  last day of February and the next starts on 1 March (`tegoed.domain.periods`).
* Art. 6:120 BW: a new rate applies to running interest from the day it takes effect, so a
  period is split where the rate changes.
* Art. 6:119 lid 3 BW: a higher agreed rate goes on in place of the statutory rate.
* Art. 6:44 and 6:43 BW: a payment goes to costs, then interest, then principal, and over
  several claims by the statutory order (`tegoed.domain.appropriation`).
* Other jurisdictions (EU directive 2011/7/EU, Belgium, § 288 BGB, the UK Late Payment Act)
  are rules as data in `tegoed.domain.jurisdictions`: the same engine, other tables, simple
  interest, a margin over a reference rate, or a rate fixed when interest starts.

Conventions (no statute fixes them; each is a parameter or an ADR):

* Day count `DayCount.ACT_365` by default (days / 365, also in leap years); Act/Act by
  calendar year and Act/Act by capitalisation year can be chosen.
* Every period is rounded half-up to cents on its own; the total is the sum of the periods.
* `start` is the first day interest runs and `end` the last day (inclusive). Periods are
  shown with their first and last day.
* A payment is made on the day the creditor's account is credited (art. 6:114 lid 2 BW);
  interest runs on the old amount through that day and on what remains from the next.

The public interface (stable; letters, the portal, the API and the dunning run use it):

* `compute(principal, start, end, rule=..., ...) -> Breakdown` for one claim;
* `compute_claims(claims, end, payments=..., ...) -> Statement` for several claims of one
  debtor with payments divided by art. 6:43 BW;
* `first_day_commercial`, `first_day_commercial_without_term`, `first_day_consumer`:
  the day interest starts to run;
* the data: `StatutoryRule` (built by `jurisdictions`), `AgreedRule`, `Claim`, `Payment`,
  `Cost`; the results: `Breakdown` with `Period`, `Capitalisation`, `AppliedPayment`, and
  `Statement` with `PaymentDivision`. Every result says `rate_unverified` when a rate used
  is not verified, and the periods carry the status and the source of their rate.

>>> from datetime import date
>>> from decimal import Decimal
>>> from tegoed.domain import jurisdictions
>>> rule = jurisdictions.interest_rule("NL", "commercial")
>>> result = compute(Decimal("2000"), date(2015, 11, 11), date(2026, 1, 15), rule=rule)
>>> result.total
Decimal('2820.43')
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from itertools import pairwise

from tegoed.domain import appropriation, rate_table
from tegoed.domain.errors import DomainError
from tegoed.domain.periods import years_later
from tegoed.domain.rate_table import Rate, Status

ZERO = Decimal("0.00")
ONE_DAY = timedelta(days=1)


class DayCount(StrEnum):
    ACT_365 = "act365"  # days / 365, also in a leap year
    ACT_ACT_CALENDAR = "actact-calendar"  # days in each calendar year / 365 or 366
    ACT_ACT_YEAR = "actact-year"  # days / 366 when the year from the anniversary has a 29 Feb


class Compounding(StrEnum):
    NONE = "none"  # simple interest
    YEARLY = "yearly"  # on each anniversary of the first day (6:119 lid 2 BW)
    MONTHLY = "monthly"  # on each monthly anniversary (only when agreed)


class Fixing(StrEnum):
    RUNNING = "running"  # a new rate applies to running interest (6:120 BW, § 247 BGB)
    AT_START = "at-start"  # the rate in force when interest starts holds for good (UK)


class Per(StrEnum):
    YEAR = "year"
    MONTH = "month"


class AgreedRate(StrEnum):
    """What an agreed rate does next to the statutory one."""

    HIGHER_REPLACES = "higher-replaces"  # 6:119 lid 3 BW, § 288(3) BGB
    CAPPED = "capped"  # applies, but not above the cap table (BE Boek XIX)


@dataclass(frozen=True, slots=True)
class Margin:
    """Points added to the table rate for contracts made on or after `contracts_from`."""

    contracts_from: date
    points: Decimal


@dataclass(frozen=True, slots=True)
class IncludedMargin:
    """Points the table's rows already hold from `rows_from` on (a table of full rates).

    The Dutch commercial rate is published as ECB + 7, and as ECB + 8 from 16 March 2013; a
    contract's own margin replaces the one included (art. 6:120 lid 2 BW and its
    transitional law: older contracts keep + 7). A change of the included margin falls on a
    day a row starts.
    """

    rows_from: date
    points: Decimal


@dataclass(frozen=True, slots=True)
class StatutoryRule:
    """How one jurisdiction computes statutory interest for one kind of debtor."""

    jurisdiction: str
    kind: str  # "consumer", "commercial", "government"
    basis: str  # the article, e.g. "art. 6:119a BW"
    rates: tuple[Rate, ...]  # the built-in table; a caller may pass rows from the database
    rate_kind: str  # which rows of the table: "consumer", "commercial", "reference", ...
    margins: tuple[Margin, ...] = ()
    included_margins: tuple[IncludedMargin, ...] = ()
    # Contracts made before `contracts_from`, and days before the table starts, take the
    # `earlier` rule: Dutch commercial claims before 6:119a BW took effect carry 6:119 BW.
    contracts_from: date | None = None
    earlier: StatutoryRule | None = None
    compounding: Compounding = Compounding.NONE
    fixing: Fixing = Fixing.RUNNING
    reset_months: tuple[int, ...] = ()  # months in which a new rate is published
    agreed: AgreedRate = AgreedRate.HIGHER_REPLACES
    cap_rate_kind: str = ""  # for AgreedRate.CAPPED
    cap_reset_months: tuple[int, ...] = (1, 7)
    day_count: DayCount = DayCount.ACT_365
    currency: str = "EUR"
    source: str = ""


@dataclass(frozen=True, slots=True)
class AgreedRule:
    """Contractual interest on its own terms: a rate per year or per month, simple or compound.

    With `per=MONTH`, a whole month (from the first day, on the same day of each month)
    earns the monthly rate; a broken month earns it pro rata by its days, or in full when
    the contract says "a part of a month counts as a whole month" (`part_month_as_full`,
    applied to the last, incomplete month).
    """

    percent: Decimal
    per: Per = Per.YEAR
    compounding: Compounding = Compounding.NONE
    part_month_as_full: bool = False
    day_count: DayCount = DayCount.ACT_365
    currency: str = "EUR"
    basis: str = "agreed interest"


@dataclass(frozen=True, slots=True)
class Cost:
    """Costs owed on a claim (collection costs), due from `due_on`; paid first (6:44)."""

    amount: Decimal
    due_on: date
    description: str = "collection costs"


@dataclass(frozen=True, slots=True)
class Payment:
    """Money received: `on` is the day the creditor's account was credited (6:114 lid 2)."""

    on: date
    amount: Decimal
    claim: str | None = None  # the claim the debtor designated (6:43 lid 1), if any


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim for `compute_claims`: an invoice with its own start and rule."""

    key: str  # e.g. the invoice number; names the claim in the results
    principal: Decimal
    start: date  # the first day interest runs
    rule: StatutoryRule | AgreedRule
    due_on: date | None = None  # opeisbaar from; default: the day before `start`
    arose_on: date | None = None  # the age for 6:43; default: `due_on`
    agreed_percent: Decimal | None = None  # an agreed yearly rate next to the statutory one
    surcharge: Decimal | None = None  # agreed points on top of the statutory rate
    surcharge_from: date | None = None  # default: `start`
    contract_date: date | None = None  # chooses the margin; default: `start`
    costs: tuple[Cost, ...] = ()
    burden: Decimal | None = None  # 6:43 ranking; default: the rate on the payment day


@dataclass(frozen=True, slots=True)
class Period:
    """One line of the breakdown: `days` days, `start` to `end` inclusive, at one rate."""

    start: date
    end: date
    days: int
    rate: Decimal  # percent per `rate_per`
    base: Decimal
    amount: Decimal  # rounded half-up to cents
    basis: str  # the legal basis: "art. 6:119a BW", "agreed rate (art. 6:119 lid 3 BW)"
    day_basis: str  # the denominator used: "365", "366", "365/366", "30-day month"
    rate_status: Status
    rate_sources: tuple[str, ...]
    rate_per: Per = Per.YEAR
    note: str = ""

    @property
    def rate_unverified(self) -> bool:
        return not rate_table.is_verified(self.rate_status)


@dataclass(frozen=True, slots=True)
class Capitalisation:
    """Interest added to the base on an anniversary; from `on` the base is `base`."""

    on: date
    amount: Decimal
    base: Decimal


@dataclass(frozen=True, slots=True)
class AppliedPayment:
    """A payment (or the share of one) applied to this claim by art. 6:44 BW."""

    on: date
    amount: Decimal
    costs: Decimal
    interest: Decimal
    principal: Decimal
    unapplied: Decimal


@dataclass(frozen=True, slots=True)
class Breakdown:
    """The interest on one claim from `start` through `end`, with every figure explained."""

    key: str
    currency: str
    principal: Decimal
    start: date
    end: date
    basis: str
    jurisdiction: str
    kind: str
    day_count: DayCount
    compounding: Compounding
    periods: tuple[Period, ...]
    capitalisations: tuple[Capitalisation, ...]
    payments: tuple[AppliedPayment, ...]
    total: Decimal  # all interest over the time, paid or not
    interest_outstanding: Decimal  # accrued since the last anniversary, not paid
    principal_outstanding: Decimal  # principal with capitalised interest, not paid
    costs_outstanding: Decimal
    rate_unverified: bool
    notes: tuple[str, ...]

    @property
    def outstanding(self) -> Decimal:
        return self.costs_outstanding + self.interest_outstanding + self.principal_outstanding


@dataclass(frozen=True, slots=True)
class PaymentDivision:
    """How one payment was divided over the claims (art. 6:43 BW)."""

    payment: Payment
    shares: tuple[appropriation.Share, ...]
    unapplied: Decimal


@dataclass(frozen=True, slots=True)
class Statement:
    """Several claims of one debtor through `end`, with the payments divided over them."""

    end: date
    claims: tuple[Breakdown, ...]
    payments: tuple[PaymentDivision, ...]
    unapplied: Decimal  # paid but owed on no claim: an overpayment
    rate_unverified: bool

    @property
    def total(self) -> Decimal:
        return sum((c.total for c in self.claims), ZERO)

    @property
    def outstanding(self) -> Decimal:
        return sum((c.outstanding for c in self.claims), ZERO)


# --- when interest starts -------------------------------------------------------------------


def first_day_commercial(due_on: date) -> date:
    """Commercial and government claims: the day after the agreed last day of payment.

    Art. 6:119a lid 1 / 6:119b lid 1 BW; no reminder or default notice is needed.
    """
    return due_on + ONE_DAY


def first_day_commercial_without_term(
    invoice_received_on: date | None, performance_received_on: date | None = None
) -> date:
    """No agreed last day of payment: 30 days after the day following receipt (6:119a lid 2).

    Counted from the receipt of the goods or services instead when the day of receipt of
    the invoice is uncertain (pass None) or the invoice came before the performance.
    """
    received = invoice_received_on
    if performance_received_on is not None and (
        received is None or received < performance_received_on
    ):
        received = performance_received_on
    if received is None:
        raise DomainError("the day the invoice or the performance was received is needed")
    return received + ONE_DAY + timedelta(days=30)


def first_day_consumer(
    *, agreed_due_on: date | None = None, notice_term_ends_on: date | None = None
) -> date | None:
    """Consumers: interest runs only in default (art. 6:119 lid 1, 6:81-6:83 BW).

    Default comes without a notice when an agreed day of payment passes (6:83 sub a), or
    when the term of a written default notice (6:82) ends unpaid. Of the two, the earliest
    applies. Without either the debtor is not in default and None is returned. A due date
    printed only on the invoice is not an agreed day (docs/legal.md §6): pass the notice.
    """
    candidates = [day + ONE_DAY for day in (agreed_due_on, notice_term_ends_on) if day is not None]
    return min(candidates) if candidates else None


# --- the engine -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _RateStep:
    start: date
    percent: Decimal
    status: Status
    sources: tuple[str, ...]
    basis: str
    note: str
    reset: bool = False


def compute(
    principal: Decimal,
    start: date,
    end: date,
    *,
    rule: StatutoryRule | AgreedRule,
    rates: Sequence[Rate] | None = None,
    day_count: DayCount | None = None,
    payments: Sequence[Payment] = (),
    costs: Sequence[Cost] = (),
    agreed_percent: Decimal | None = None,
    surcharge: Decimal | None = None,
    surcharge_from: date | None = None,
    contract_date: date | None = None,
    reducing_principal: bool = False,
) -> Breakdown:
    """Interest on `principal` from `start` through `end` (both days included).

    `rates` are the rows of a rate table (for example from the database); without them the
    rule's built-in table is used. Every payment is applied to this claim. `agreed_percent`
    is an agreed yearly rate that replaces a lower statutory one (6:119 lid 3 BW);
    `surcharge` agreed points on top of the statutory rate ("wettelijke rente + 2 %"),
    from `surcharge_from` on. With `reducing_principal` the payments lower the principal
    only (the share of a payment another computation applied to it), not the interest.
    """
    claim = Claim(
        key="",
        principal=principal,
        start=start,
        rule=rule,
        agreed_percent=agreed_percent,
        surcharge=surcharge,
        surcharge_from=surcharge_from,
        contract_date=contract_date,
        costs=tuple(costs),
    )
    reductions = tuple((p.on, p.amount) for p in payments)
    return _run(claim, end, rates, day_count, reductions, reducing_principal=reducing_principal)


def compute_claims(
    claims: Sequence[Claim],
    end: date,
    *,
    payments: Sequence[Payment] = (),
    rates: Sequence[Rate] | None = None,
    day_count: DayCount | None = None,
) -> Statement:
    """Several claims of one debtor through `end`, each payment divided by art. 6:43 BW.

    Each payment is divided on the state at the end of its day: the interest up to and
    including that day counts, as do the costs due by then.
    """
    keys = [c.key for c in claims]
    if len(set(keys)) != len(keys) or "" in keys:
        raise DomainError("every claim needs its own, non-empty key")
    reductions: dict[str, list[tuple[date, Decimal]]] = {k: [] for k in keys}
    divisions: list[PaymentDivision] = []
    unapplied = ZERO
    for payment in sorted(payments, key=lambda p: p.on):
        if payment.on > end:
            continue
        debts = []
        for claim in claims:
            state = _run(claim, payment.on, rates, day_count, tuple(reductions[claim.key]))
            due_on = claim.due_on or claim.start - ONE_DAY
            debts.append(
                appropriation.Debt(
                    key=claim.key,
                    costs=state.costs_outstanding,
                    interest=state.interest_outstanding,
                    principal=state.principal_outstanding,
                    due=due_on <= payment.on,
                    burden=claim.burden
                    if claim.burden is not None
                    else _rate_on(claim, payment.on, rates),
                    arose_on=claim.arose_on or due_on,
                )
            )
        shares, left = appropriation.over_claims(payment.amount, debts, designated=payment.claim)
        for share in shares:
            reductions[share.key].append((payment.on, share.amount))
        divisions.append(PaymentDivision(payment, shares, left))
        unapplied += left
    results = tuple(
        replace(_run(c, end, rates, day_count, tuple(reductions[c.key])), key=c.key) for c in claims
    )
    return Statement(
        end=end,
        claims=results,
        payments=tuple(divisions),
        unapplied=unapplied,
        rate_unverified=any(r.rate_unverified for r in results),
    )


def _rate_on(claim: Claim, day: date, rates: Sequence[Rate] | None) -> Decimal:
    """The yearly rate running on `day`: how burdensome the claim is for 6:43."""
    if day < claim.start:
        day = claim.start
    step = _step_at(_rate_steps(claim, rates, day + ONE_DAY), day)
    if isinstance(claim.rule, AgreedRule) and claim.rule.per is Per.MONTH:
        return step.percent * 12
    return step.percent


def _step_at(steps: Sequence[_RateStep], day: date) -> _RateStep:
    found = steps[0]
    for step in steps:
        if step.start <= day:
            found = step
    return found


def _rate_steps(claim: Claim, rates: Sequence[Rate] | None, until: date) -> tuple[_RateStep, ...]:
    rule = claim.rule
    if isinstance(rule, AgreedRule):
        return (_RateStep(claim.start, rule.percent, Status.VERIFIED, ("agreed",), rule.basis, ""),)
    table = tuple(rates) if rates is not None else rule.rates
    contract_date = claim.contract_date or claim.start
    if rule.earlier is not None and rule.contracts_from and contract_date < rule.contracts_from:
        return _rate_steps(replace(claim, rule=rule.earlier), rates, until)
    margin = _points(((m.contracts_from, m.points) for m in rule.margins), contract_date)
    steps = list(_table_steps(rule, table, until, margin))
    if steps[0].start > claim.start:
        if rule.earlier is None:
            raise DomainError(
                f"the {rule.jurisdiction} {rule.rate_kind} rate table starts {steps[0].start}; "
                f"interest from {claim.start} cannot be computed with it"
            )
        plain = replace(claim, rule=rule.earlier, surcharge=None, agreed_percent=None)
        before = _rate_steps(plain, rates, steps[0].start)
        steps = [s for s in before if s.start < steps[0].start] + steps
    if rule.fixing is Fixing.AT_START:
        fixed = _step_at(steps, claim.start)
        steps = [replace(fixed, start=claim.start)]
    if claim.surcharge:
        steps = _with_surcharge(claim.surcharge, claim.surcharge_from or claim.start, steps)
    if claim.agreed_percent is not None:
        steps = _with_agreed(claim.agreed_percent, steps, rule, table, until)
    return _merged(_clipped(steps, claim.start))


@functools.lru_cache(maxsize=256)
def _table_steps(
    rule: StatutoryRule, table: tuple[Rate, ...], until: date, margin: Decimal
) -> tuple[_RateStep, ...]:
    """The table's steps with the contract's margin in place of the one the rows include.

    The same for every claim of a day under one rule and margin, so it is kept: a claim over
    hundreds of invoices reads the table once.
    """
    included = tuple((m.rows_from, m.points) for m in rule.included_margins)
    return tuple(
        _RateStep(
            s.start,
            s.percent + margin - _points(included, s.start),
            s.status,
            s.sources,
            rule.basis,
            s.note,
            s.reset,
        )
        for s in rate_table.steps(
            table, rule.jurisdiction, rule.rate_kind, until, reset_months=rule.reset_months
        )
    )


def _points(margins: Iterable[tuple[date, Decimal]], day: date) -> Decimal:
    """The points of the last margin that starts on or before `day` (none: 0)."""
    found = Decimal(0)
    for start, points in sorted(margins):
        if start <= day:
            found = points
    return found


def _with_surcharge(
    points: Decimal, surcharge_from: date, steps: list[_RateStep]
) -> list[_RateStep]:
    if surcharge_from > steps[0].start and all(s.start != surcharge_from for s in steps):
        extra = replace(_step_at(steps, surcharge_from), start=surcharge_from)
        steps = sorted([*steps, extra], key=lambda s: s.start)
    return [
        replace(s, percent=s.percent + points, basis=f"{s.basis} + {points} points agreed")
        if s.start >= surcharge_from
        else s
        for s in steps
    ]


def _with_agreed(
    agreed: Decimal,
    steps: list[_RateStep],
    rule: StatutoryRule,
    table: Sequence[Rate],
    until: date,
) -> list[_RateStep]:
    if rule.agreed is AgreedRate.HIGHER_REPLACES:
        basis = f"agreed rate, higher than the statutory rate ({rule.basis}; art. 6:119 lid 3 BW)"
        return [
            _RateStep(s.start, agreed, Status.VERIFIED, ("agreed",), basis, "")
            if agreed > s.percent
            else s
            for s in steps
        ]
    caps = rate_table.steps(
        table, rule.jurisdiction, rule.cap_rate_kind, until, reset_months=rule.cap_reset_months
    )
    capped = []
    for cap in caps:
        if agreed <= cap.percent:
            capped.append(_RateStep(cap.start, agreed, Status.VERIFIED, ("agreed",), "agreed", ""))
        else:
            basis = f"agreed rate, capped at the {rule.cap_rate_kind} rate ({rule.source})"
            capped.append(
                _RateStep(
                    cap.start, cap.percent, cap.status, cap.sources, basis, cap.note, cap.reset
                )
            )
    return capped


def _clipped(steps: Sequence[_RateStep], start: date) -> list[_RateStep]:
    """Drop the steps that end before `start`; the one in force on `start` begins there."""
    if start < steps[0].start:
        raise DomainError(f"no rate is known for {start}: the table starts {steps[0].start}")
    current = _step_at(steps, start)
    later = [s for s in steps if s.start > start]
    return [replace(current, start=start), *later]


def _merged(steps: Sequence[_RateStep]) -> tuple[_RateStep, ...]:
    merged: list[_RateStep] = []
    for step in steps:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.percent == step.percent
            and last.basis == step.basis
            and not step.reset
        ):
            sources = last.sources + tuple(s for s in step.sources if s not in last.sources)
            status = rate_table.weakest((last.status, step.status))
            note = "; ".join(n for n in dict.fromkeys((last.note, step.note)) if n)
            merged[-1] = replace(last, status=status, sources=sources, note=note)
        else:
            merged.append(step)
    return tuple(merged)


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def anniversaries(start: date, until: date) -> tuple[date, ...]:
    """The anniversaries of `start` after it and before `until` (capitalisation days)."""
    found = []
    years = 1
    while (day := years_later(start, years)) < until:
        found.append(day)
        years += 1
    return tuple(found)


def _monthly(start: date, until: date) -> tuple[date, ...]:
    found = []
    months = 1
    while (day := _add_months(start, months)) < until:
        found.append(day)
        months += 1
    return tuple(found)


def _year_fraction(first: date, stop: date, day_count: DayCount, anchor: date) -> Fraction:
    """The part of a year from `first` up to (not including) `stop`."""
    if day_count is DayCount.ACT_365:
        return Fraction((stop - first).days, 365)
    fraction = Fraction(0)
    cursor = first
    while cursor < stop:
        if day_count is DayCount.ACT_ACT_CALENDAR:
            year_start, year_end = date(cursor.year, 1, 1), date(cursor.year + 1, 1, 1)
        else:
            years = cursor.year - anchor.year
            if years_later(anchor, years) > cursor:
                years -= 1
            year_start, year_end = years_later(anchor, years), years_later(anchor, years + 1)
        piece_end = min(stop, year_end)
        fraction += Fraction((piece_end - cursor).days, (year_end - year_start).days)
        cursor = piece_end
    return fraction


def _day_basis(first: date, stop: date, day_count: DayCount, anchor: date) -> str:
    if day_count is DayCount.ACT_365:
        return "365"
    lengths = []
    cursor = first
    while cursor < stop:
        if day_count is DayCount.ACT_ACT_CALENDAR:
            year_end = date(cursor.year + 1, 1, 1)
            length = 366 if calendar.isleap(cursor.year) else 365
        else:
            years = cursor.year - anchor.year
            if years_later(anchor, years) > cursor:
                years -= 1
            year_end = years_later(anchor, years + 1)
            length = (year_end - years_later(anchor, years)).days
        lengths.append(str(length))
        cursor = min(stop, year_end)
    return "/".join(dict.fromkeys(lengths))


def _cents(value: Fraction) -> Decimal:
    """Exact half-up rounding of a non-negative amount to cents."""
    cents = (value * 100 + Fraction(1, 2)).__floor__()
    return Decimal(cents).scaleb(-2)


def _check_amount(amount: Decimal, what: str) -> None:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise DomainError(f"the {what} must be an amount, not {amount!r}")
    if amount < 0:
        raise DomainError(f"the {what} cannot be negative ({amount})")


def _run(
    claim: Claim,
    end: date,
    rates: Sequence[Rate] | None,
    day_count: DayCount | None,
    reductions: Sequence[tuple[date, Decimal]],
    *,
    reducing_principal: bool = False,
) -> Breakdown:
    rule = claim.rule
    _check_amount(claim.principal, "principal")
    for _on, amount in reductions:
        _check_amount(amount, "payment")
    counting = day_count or rule.day_count
    start = claim.start
    stop = end + ONE_DAY  # the day after the last day of interest
    monthly_rate = isinstance(rule, AgreedRule) and rule.per is Per.MONTH
    notes: list[str] = []

    steps = _rate_steps(claim, rates, max(stop, start + ONE_DAY))
    boundaries = {s.start for s in steps if start < s.start < stop}
    yearly = anniversaries(start, stop) if rule.compounding is Compounding.YEARLY else ()
    months = (
        _monthly(start, stop) if monthly_rate or rule.compounding is Compounding.MONTHLY else ()
    )
    capitalising = set(yearly) | (set(months) if rule.compounding is Compounding.MONTHLY else set())
    boundaries |= set(yearly) | set(months)
    payment_days = sorted({on for on, _ in reductions})
    boundaries |= {on + ONE_DAY for on in payment_days if start <= on < end}
    edges = [start, *sorted(b for b in boundaries if start < b < stop), stop]

    # Capitalised interest becomes part of the amount on which interest runs (6:119 lid 2)
    # and is paid as principal under 6:44, after the interest that is not yet capitalised.
    principal_left = claim.principal
    accrued = ZERO  # interest since the last anniversary, not yet paid
    costs_paid = ZERO
    periods: list[Period] = []
    capitalisations: list[Capitalisation] = []
    applied: list[AppliedPayment] = []

    def pay(day: date) -> None:
        nonlocal principal_left, accrued, costs_paid
        for on, amount in reductions:
            if on != day:
                continue
            costs_due = sum((c.amount for c in claim.costs if c.due_on <= day), ZERO)
            split = appropriation.within_claim(
                amount,
                costs=costs_due - costs_paid,
                interest=ZERO if reducing_principal else accrued,
                principal=principal_left,
            )
            costs_paid += split.costs
            accrued -= split.interest
            principal_left -= split.principal
            applied.append(
                AppliedPayment(
                    day, amount, split.costs, split.interest, split.principal, split.unapplied
                )
            )

    for day in payment_days:
        if day < start:
            pay(day)
    if any(on > end for on in payment_days):
        notes.append("payments after the last day are not included")

    for first, after in pairwise(edges):
        if after <= first:
            continue
        base = principal_left
        if base > 0:
            step = _step_at(steps, first)
            days = (after - first).days
            if monthly_rate:
                month_start = max((m for m in (start, *months) if m <= first), default=start)
                month_end = _add_months(start, _months_between(start, month_start) + 1)
                month_days = (month_end - month_start).days
                counted = days
                day_basis = f"{month_days}-day month"
                if rule.part_month_as_full and after == stop and after < month_end:
                    counted = (month_end - first).days
                    day_basis += ", part of a month counted as a whole month"
                fraction = Fraction(counted, month_days)
            else:
                fraction = _year_fraction(first, after, counting, start)
                day_basis = _day_basis(first, after, counting, start)
            exact = Fraction(base) * Fraction(step.percent) / 100 * fraction
            amount = _cents(exact)
            periods.append(
                Period(
                    start=first,
                    end=after - ONE_DAY,
                    days=days,
                    rate=step.percent,
                    base=base,
                    amount=amount,
                    basis=step.basis,
                    day_basis=day_basis,
                    rate_status=step.status,
                    rate_sources=step.sources,
                    rate_per=Per.MONTH if monthly_rate else Per.YEAR,
                    note=step.note,
                )
            )
            accrued += amount
        pay(after - ONE_DAY)
        if after in capitalising and after < stop and accrued > 0:
            principal_left += accrued
            capitalisations.append(Capitalisation(after, accrued, principal_left))
            accrued = ZERO

    costs_due = sum((c.amount for c in claim.costs if c.due_on <= end), ZERO)
    unverified = any(p.rate_unverified for p in periods)
    if unverified:
        notes.insert(0, "rate unverified: a rate used here is not confirmed by an official source")
    return Breakdown(
        key=claim.key,
        currency=rule.currency,
        principal=claim.principal,
        start=start,
        end=end,
        basis=rule.basis,
        jurisdiction=getattr(rule, "jurisdiction", ""),
        kind=getattr(rule, "kind", "agreed"),
        day_count=counting,
        compounding=rule.compounding,
        periods=tuple(periods),
        capitalisations=tuple(capitalisations),
        payments=tuple(applied),
        total=sum((p.amount for p in periods), ZERO),
        interest_outstanding=accrued,
        principal_outstanding=principal_left,
        costs_outstanding=costs_due - costs_paid,
        rate_unverified=unverified,
        notes=tuple(notes),
    )


def _months_between(start: date, later: date) -> int:
    """How many monthly anniversaries of `start` fall on or before `later`."""
    months = (later.year - start.year) * 12 + later.month - start.month
    while months > 0 and _add_months(start, months) > later:
        months -= 1
    return months

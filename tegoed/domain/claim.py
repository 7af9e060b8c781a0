"""The claim against one debtor on a day: principal, interest, costs, payments, limitation.

What a credit controller, a letter or the daily run needs to say "this is what you owe today",
itemised per invoice and computed by the legal engine alone (docs/legal.md):

* **In default.** An invoice is in default once its due date has passed (`in_default`). Only
  such invoices belong in a letter that claims interest or costs (art. 6:96 lid 6 BW; HR
  25 November 2016, ECLI:NL:HR:2016:2704).
* **Interest** (`tegoed.domain.interest`): a business or government debtor owes it from the day
  after the due date (art. 6:119a/6:119b BW); a consumer only in default (art. 6:119, 6:81-6:83
  BW): from the day after an agreed due date when the terms fix it (`Terms.due_date_agreed`),
  or from a known day (`Invoice.default_from`, e.g. the day after a default notice's term).
  The margin follows the contract date, the issue date when none is known.
* **Costs** (`tegoed.domain.collection_costs`): a business debtor owes them per invoice from
  the day after the due date (art. 6:96 lid 4 BW), by the statutory rule or the contract's
  clause (`Terms.costs_clause`); a consumer only from the day after the term of a 14-day letter
  (`Invoice.costs_due_from`), with the invoices of one letter added up (6:96 lid 7 BW). What
  a 14-day letter sent on the day would state is `Claim.announced_costs`. The base is the
  principal still open the day before the costs fall due: a payment within the term lowers
  them (HR 25 November 2016).
* **Interest on the costs** (Dutch law): collection costs are damages (art. 6:96 lid 2 sub c
  BW) and the debtor is in default on them without a notice when they are not paid at once
  (art. 6:83 sub b BW), so they bear the interest of art. 6:119 BW — not the commercial rate,
  which is for the price itself (HR 30 October 2020, ECLI:NL:HR:2020:1710) — from the day
  after they fall due, on what of them is unpaid (`InvoiceClaim.costs_interest`). A payment
  reaches it only after the principal: the debtor never pays more than 6:44 would ask.
* **Simple interest** where a contract or judgment says so (`Invoice.simple_interest`):
  no capitalisation, for the principal and the costs alike; compounding each year (art. 6:119
  lid 2 BW) is the default.
* **A judgment** (`Invoice.judgment`): what it awarded on this invoice (principal, interest
  and costs to its date) is the new principal; interest runs on it from the day after, at the
  debtor's statutory rate, and payments after it go to that interest, then the principal.
* **A waiver** (`Invoice.interest_waived_until`): no interest through that day, e.g. a
  broken payment arrangement whose interest the organization waived.
* **Payments** booked to an invoice are the debtor's designation (art. 6:43 lid 1 BW); within
  the invoice each goes to costs, then interest, then principal (art. 6:44 BW).
* **Small claims.** The 2024 cumulation rule for small instalment claims of consumers
  (Stb. 2024, 44) could not be read; it is flagged (`small_claims_cumulation`), not applied.
* **Limitation** (`tegoed.domain.limitation`, Dutch law only): five years from the day after
  the due date (art. 3:307 BW); for a consumer the two years of art. 7:28 BW, the earlier and
  safe date when Tegoed cannot tell goods from services.

>>> from datetime import date
>>> from decimal import Decimal
>>> item = Invoice("F1", Decimal("1000"), date(2026, 1, 1), due_on=date(2026, 1, 31))
>>> result = compute([item], terms=Terms("NL", "business"), on=date(2026, 3, 1))
>>> result.invoices[0].costs_outstanding, result.invoices[0].interest_outstanding
(Decimal('150.00'), Decimal('8.06'))
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from tegoed.domain import collection_costs, interest, jurisdictions, limitation
from tegoed.domain.errors import DomainError
from tegoed.domain.rate_table import Rate

ZERO = Decimal("0.00")
ONE_DAY = timedelta(days=1)
# Below this principal the scale gives its €40 minimum; the 2024 cumulation rule concerns
# instalments below it (docs/legal.md, What Tegoed does not decide for you).
SMALL_CLAIM = Decimal("266.67")
# The interest rule per kind of debtor (`tegoed.domain.jurisdictions`).
INTEREST_KIND = {"consumer": "consumer", "business": "commercial", "government": "government"}


@dataclass(frozen=True, slots=True)
class Invoice:
    """One invoice as the claim sees it."""

    number: str
    principal: Decimal  # the total with VAT, less credit notes and write-offs
    issued_on: date
    due_on: date | None = None
    contract_date: date | None = None  # chooses the interest margin; default: `issued_on`
    payments: tuple[interest.Payment, ...] = ()  # booked to this invoice: (day credited, amount)
    default_from: date | None = None  # consumers: first day of default known, if any
    costs_due_from: date | None = None  # consumers: the day after a 14-day letter's term
    interruptions: tuple[limitation.Event, ...] = ()  # reminders received, acknowledgements
    simple_interest: bool = False  # a contract or judgment excludes compounding
    interest_waived_until: date | None = None  # no interest through this day
    judgment: Judgment | None = None


@dataclass(frozen=True, slots=True)
class Judgment:
    """A court's judgment on the invoice: `awarded` (principal, interest and costs to `on`)."""

    on: date
    awarded: Decimal


@dataclass(frozen=True, slots=True)
class Terms:
    """Who owes and under which law and contract."""

    jurisdiction: str  # "NL", "EU", "BE", "DE", "UK"
    debtor: str  # "consumer", "business" or "government"
    costs_clause: collection_costs.CostsRule | None = None  # a contract's clause (businesses)
    due_date_agreed: bool = False  # consumers: the terms fix the due date (art. 6:83 sub a BW)
    currency: str = "EUR"


@dataclass(frozen=True, slots=True)
class InvoiceClaim:
    """What one invoice adds to the claim on the day, and how it came about."""

    number: str
    principal: Decimal
    due_on: date | None
    in_default: bool
    interest_from: date | None  # None: no interest runs (not in default, or not yet known)
    interest: interest.Breakdown | None  # periods, capitalisations, payments applied
    costs: Decimal  # the costs on this invoice, due from `costs_due_from`
    costs_due_from: date | None
    payments: tuple[interest.AppliedPayment, ...]  # each split by art. 6:44 BW
    principal_outstanding: Decimal  # with capitalised interest
    interest_outstanding: Decimal
    costs_outstanding: Decimal
    limitation: limitation.Limitation | None
    notes: tuple[str, ...]
    costs_interest: interest.Breakdown | None = None  # interest on the costs (6:119 BW)
    costs_interest_outstanding: Decimal = ZERO
    judgment: Judgment | None = None  # from its day the awarded amount is the principal
    simple_interest: bool = False

    @property
    def interest_accrued(self) -> Decimal:
        return self.interest.total if self.interest is not None else ZERO

    @property
    def paid(self) -> Decimal:
        return sum((p.amount - p.unapplied for p in self.payments), ZERO)

    @property
    def total(self) -> Decimal:
        return (
            self.principal_outstanding
            + self.interest_outstanding
            + self.costs_outstanding
            + self.costs_interest_outstanding
        )


@dataclass(frozen=True, slots=True)
class Claim:
    """The claim on `on`: every invoice itemised, the totals, what a 14-day letter would add."""

    on: date
    jurisdiction: str
    debtor: str
    currency: str
    invoices: tuple[InvoiceClaim, ...]
    costs_basis: str
    announced_costs: collection_costs.CollectionCosts | None  # consumers: a letter sent `on`
    rate_unverified: bool
    notes: tuple[str, ...]
    # Dutch consumers with several small claims in default: the 2024 cumulation rule
    # (Stb. 2024, 44) may cap the costs; its text was not available, so it is not applied.
    small_claims_cumulation: bool = False

    @property
    def principal(self) -> Decimal:
        return sum((i.principal_outstanding for i in self.invoices), ZERO)

    @property
    def interest(self) -> Decimal:
        return sum((i.interest_outstanding for i in self.invoices), ZERO)

    @property
    def costs(self) -> Decimal:
        return sum((i.costs_outstanding for i in self.invoices), ZERO)

    @property
    def costs_interest(self) -> Decimal:
        return sum((i.costs_interest_outstanding for i in self.invoices), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((i.paid for i in self.invoices), ZERO)

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.costs + self.costs_interest

    @property
    def limitation_last_day(self) -> date | None:
        """The earliest of the invoices' last days before limitation."""
        days = [i.limitation.last_day for i in self.invoices if i.limitation is not None]
        return min(days, default=None)


def in_default(due_on: date | None, on: date) -> bool:
    """Whether an invoice due on `due_on` is in default on `on`: its due date has passed.

    Only invoices in default belong in a letter that claims interest or costs (art. 6:96
    lid 6 BW; HR 25 November 2016, ECLI:NL:HR:2016:2704).
    """
    return due_on is not None and due_on < on


def compute(
    invoices: Sequence[Invoice],
    *,
    terms: Terms,
    on: date,
    rates: Sequence[Rate] | None = None,
) -> Claim:
    """The claim on `on` (the last day of interest) over `invoices`, one debtor's."""
    numbers = [i.number for i in invoices]
    if len(set(numbers)) != len(numbers) or "" in numbers:
        raise DomainError("every invoice of a claim needs its own number")
    if terms.debtor not in INTEREST_KIND:
        raise DomainError(f"unknown kind of debtor {terms.debtor!r}")
    consumer = terms.debtor == "consumer"
    rule_for_costs = costs_rule(terms)
    notes: list[str] = []
    judged = {i.number for i in invoices if i.judgment is not None and i.judgment.on < on}
    starts = {
        i.number: i.judgment.on + ONE_DAY  # type: ignore[union-attr]
        if i.number in judged
        else _interest_from(i, terms, on)
        for i in invoices
    }
    costs, costs_from = _costs(
        [i for i in invoices if i.number not in judged], terms, rule_for_costs, on
    )
    for number in judged:
        costs[number], costs_from[number] = ZERO, None
    rule = jurisdictions.interest_rule(terms.jurisdiction, INTEREST_KIND[terms.debtor])
    # Every payment is booked to its invoice (6:43 lid 1), so each invoice is computed on its
    # own: the work grows with the number of invoices, not with invoices times payments.
    breakdowns = {
        i.number: replace(
            interest.compute(
                i.judgment.awarded
                if i.judgment is not None and i.number in judged
                else i.principal,
                start,
                on,
                rule=_compounding(rule, i),
                rates=rates,
                payments=tuple(p for p in i.payments if p.on > i.judgment.on)
                if i.judgment is not None and i.number in judged
                else i.payments,
                costs=(interest.Cost(costs[i.number], costs_from[i.number]),)  # type: ignore[arg-type]
                if costs[i.number] and costs_from[i.number] is not None
                else (),
                contract_date=i.contract_date or i.issued_on,
            ),
            key=i.number,
        )
        for i in invoices
        if (start := starts[i.number]) is not None
    }
    costs_interest = {
        i.number: found
        for i in invoices
        if (found := _costs_interest(i, terms, costs, costs_from, breakdowns, on, rates))
        is not None
    }
    rate_unverified = any(
        b.rate_unverified for b in (*breakdowns.values(), *(c[0] for c in costs_interest.values()))
    )
    lines = []
    for item in invoices:
        breakdown = breakdowns.get(item.number)
        item_notes = []
        if breakdown is not None:
            outstanding = (
                breakdown.principal_outstanding,
                breakdown.interest_outstanding,
                breakdown.costs_outstanding,
            )
            applied = breakdown.payments
        else:
            outstanding, applied = _without_interest(item, on)
            if consumer and in_default(item.due_on, on):
                item_notes.append(
                    "no interest yet: a consumer owes it from the day after an agreed due date "
                    "or the term of a default notice (art. 6:119, 6:82-6:83 BW)"
                )
        lines.append(
            InvoiceClaim(
                number=item.number,
                principal=item.principal,
                due_on=item.due_on,
                in_default=in_default(item.due_on, on),
                interest_from=starts[item.number],
                interest=breakdown,
                costs=costs[item.number],
                costs_due_from=costs_from[item.number],
                payments=applied,
                principal_outstanding=outstanding[0],
                interest_outstanding=outstanding[1],
                costs_outstanding=outstanding[2],
                limitation=_limitation(item, terms),
                notes=tuple(item_notes),
                costs_interest=costs_interest[item.number][0]
                if item.number in costs_interest
                else None,
                costs_interest_outstanding=costs_interest[item.number][1]
                if item.number in costs_interest
                else ZERO,
                judgment=item.judgment if item.number in judged else None,
                simple_interest=item.simple_interest,
            )
        )
    announced = None
    if consumer and rule_for_costs is not None:
        waiting = [
            line
            for line, item in zip(lines, invoices, strict=True)
            if line.in_default and item.costs_due_from is None and line.principal_outstanding > 0
        ]
        if waiting:
            announced = collection_costs.compute(
                [line.principal_outstanding for line in waiting], rule=rule_for_costs
            )
            notes.append(
                "a consumer owes collection costs only after a 14-day letter has stated them "
                "and its term has passed unpaid (art. 6:96 lid 6 BW)"
            )
    small = [line for line in lines if line.in_default and line.principal < SMALL_CLAIM]
    cumulation = consumer and terms.jurisdiction.upper() == "NL" and len(small) > 1
    if cumulation:
        notes.append(
            "several claims in default below €266.67: the cumulation rule for small instalment "
            "claims (Besluit BIK as amended by Stb. 2024, 44) may cap the costs; it is not "
            "applied here (docs/legal.md)"
        )
    if terms.jurisdiction.upper() != "NL":
        notes.append("the limitation dates follow Dutch law and are not shown here")
    elif consumer:
        notes.append(
            "limitation: two years for the price of goods sold to a consumer (art. 7:28 BW), "
            "five for services (art. 3:307 BW); the earlier date is shown"
        )
    if rate_unverified:
        notes.insert(0, "rate unverified: a rate used here is not confirmed by an official source")
    return Claim(
        on=on,
        jurisdiction=terms.jurisdiction.upper(),
        debtor=terms.debtor,
        currency=terms.currency,
        invoices=tuple(lines),
        costs_basis=rule_for_costs.basis if rule_for_costs is not None else "",
        announced_costs=announced,
        rate_unverified=rate_unverified,
        notes=tuple(notes),
        small_claims_cumulation=cumulation,
    )


def costs_rule(terms: Terms) -> collection_costs.CostsRule | None:
    """The collection-cost rule for the debtor: the contract's clause for a business, else the
    statutory rule; None where the law gives none (e.g. consumers in Germany)."""
    debtor = "consumer" if terms.debtor == "consumer" else "business"
    if debtor == "business" and terms.costs_clause is not None:
        return terms.costs_clause
    try:
        return jurisdictions.costs_rule(terms.jurisdiction, debtor)
    except DomainError:
        return None


def _interest_from(item: Invoice, terms: Terms, on: date) -> date | None:
    """The first day of interest, if it has come by `on`."""
    start = _default_from(item, terms)
    if start is not None and item.interest_waived_until is not None:
        start = max(start, item.interest_waived_until + ONE_DAY)
    return start if start is not None and start <= on else None


def _default_from(item: Invoice, terms: Terms) -> date | None:
    if item.due_on is None:
        start = item.default_from
    elif terms.debtor != "consumer":
        start = interest.first_day_commercial(item.due_on)
    else:
        known = [d for d in (item.default_from, item.costs_due_from) if d is not None]
        if terms.due_date_agreed:
            known.append(item.due_on + ONE_DAY)
        start = min(known, default=None)
    return start


def _compounding(rule: interest.StatutoryRule, item: Invoice) -> interest.StatutoryRule:
    """The rule as this claim runs it: without capitalisation when agreed or judged so."""
    if item.simple_interest and rule.compounding is not interest.Compounding.NONE:
        return replace(rule, compounding=interest.Compounding.NONE)
    return rule


def _costs_interest(
    item: Invoice,
    terms: Terms,
    costs: dict[str, Decimal],
    costs_from: dict[str, date | None],
    breakdowns: dict[str, interest.Breakdown],
    on: date,
    rates: Sequence[Rate] | None,
) -> tuple[interest.Breakdown, Decimal] | None:
    """Interest on the invoice's collection costs (Dutch law) and what of it is unpaid.

    From the day after the costs fall due, at the rate of art. 6:119 BW, on the costs unpaid:
    the payments the claim applied to the costs lower its base. It is paid after the
    principal, from what a payment leaves over.
    """
    due_from = costs_from[item.number]
    breakdown = breakdowns.get(item.number)
    if terms.jurisdiction.upper() != "NL" or not costs[item.number] or due_from is None:
        return None
    start = due_from + ONE_DAY
    if breakdown is None or start > on:
        return None
    rule = _compounding(jurisdictions.interest_rule("NL", "consumer"), item)
    paid_to_costs = tuple(
        interest.Payment(p.on, p.costs) for p in breakdown.payments if p.costs > 0
    )
    found = replace(
        interest.compute(
            costs[item.number],
            start,
            on,
            rule=rule,
            rates=rates,
            payments=paid_to_costs,
            reducing_principal=True,
        ),
        key=item.number,
    )
    left_over = sum((p.unapplied for p in breakdown.payments), ZERO)
    return found, max(found.total - left_over, ZERO)


def _paid_before(item: Invoice, day: date) -> Decimal:
    return sum((p.amount for p in item.payments if p.on < day), ZERO)


def costs_computations(
    invoices: Sequence[Invoice], *, terms: Terms, on: date
) -> tuple[collection_costs.CollectionCosts, ...]:
    """The collection-cost computations behind the claim's costs on `on`: one for each day costs
    fell due (a consumer's 14-day letter, a business invoice's due date), with its scale."""
    rule = costs_rule(terms)
    if rule is None:
        return ()
    return tuple(result for _day, _group, result in _cost_groups(invoices, terms, rule, on))


def _cost_groups(
    invoices: Sequence[Invoice], terms: Terms, rule: collection_costs.CostsRule, on: date
) -> list[tuple[date, list[Invoice], collection_costs.CollectionCosts]]:
    """The invoices that owe costs by `on`, grouped by the day the costs fell due, with the
    costs computed on each group.

    A consumer's invoices reminded in one 14-day letter (the same `costs_due_from`) are added
    up; a business debtor's are computed per invoice by the rule.
    """
    letters: dict[date, list[Invoice]] = defaultdict(list)
    for item in invoices:
        if terms.debtor == "consumer":
            day = item.costs_due_from
        else:
            day = item.due_on + ONE_DAY if item.due_on is not None else None
        if day is not None and day <= on:
            letters[day].append(item)
    groups = []
    for day, group in letters.items():
        bases = [max(i.principal - _paid_before(i, day), ZERO) for i in group]
        groups.append((day, group, collection_costs.compute(bases, rule=rule)))
    return groups


def _costs(
    invoices: Sequence[Invoice],
    terms: Terms,
    rule: collection_costs.CostsRule | None,
    on: date,
) -> tuple[dict[str, Decimal], dict[str, date | None]]:
    """The costs per invoice and the day they fall due, for the invoices that owe them by `on`."""
    amounts = {i.number: ZERO for i in invoices}
    due_from: dict[str, date | None] = {i.number: None for i in invoices}
    if rule is None:
        return amounts, due_from
    for day, group, result in _cost_groups(invoices, terms, rule, on):
        for item, share in zip(group, result.shares, strict=True):
            amounts[item.number] = share
            due_from[item.number] = day
    return amounts, due_from


def _without_interest(
    item: Invoice, on: date
) -> tuple[tuple[Decimal, Decimal, Decimal], tuple[interest.AppliedPayment, ...]]:
    """An invoice without interest or costs: each payment goes to the principal."""
    left = item.principal
    applied = []
    for payment in sorted(item.payments, key=lambda p: p.on):
        if payment.on > on:
            continue
        to_principal = min(payment.amount, left)
        left -= to_principal
        applied.append(
            interest.AppliedPayment(
                payment.on, payment.amount, ZERO, ZERO, to_principal, payment.amount - to_principal
            )
        )
    return (left, ZERO, ZERO), tuple(applied)


def _limitation(item: Invoice, terms: Terms) -> limitation.Limitation | None:
    if terms.jurisdiction.upper() != "NL":
        return None
    kind = (
        limitation.ClaimKind.CONSUMER_SALE
        if terms.debtor == "consumer"
        else limitation.ClaimKind.CONTRACT
    )
    return limitation.compute(item.due_on or item.issued_on, kind=kind, events=item.interruptions)

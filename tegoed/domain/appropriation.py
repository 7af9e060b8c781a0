"""Appropriation of payments (toerekening van betaling), art. 6:43 and 6:44 BW.

Within one claim (art. 6:44 lid 1 BW) a payment goes first to the costs, then to the interest
that has fallen due, then to the principal and the running interest. HR 10 July 2015,
ECLI:NL:HR:2015:1868: extrajudicial collection costs are "kosten" in this sense. Interest
that was capitalised on an anniversary (art. 6:119 lid 2 BW) has become part of the amount on
which interest runs and is paid with the principal, after the interest accrued since.

Over several claims (art. 6:43 BW) the debtor may designate the claim he pays (lid 1), within
the order of 6:44. Without a designation (lid 2) the payment goes first to the claims that are
due, among them to the most burdensome for the debtor, with equal burden to the oldest, with
equal age pro rata; what is left goes to claims not yet due, in the same order. What is left
after every claim is paid is returned as `unapplied` (an overpayment to refund or hold).

>>> from decimal import Decimal as D
>>> within_claim(D("100"), costs=D("40"), interest=D("25"), principal=D("500"))
Split(costs=Decimal('40'), interest=Decimal('25'), principal=Decimal('35'), unapplied=Decimal('0'))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby

from tegoed.domain import money
from tegoed.domain.errors import DomainError

ZERO = Decimal("0")


@dataclass(frozen=True, slots=True)
class Split:
    """How one payment (or a share of it) is applied within one claim (6:44)."""

    costs: Decimal
    interest: Decimal
    principal: Decimal
    unapplied: Decimal


@dataclass(frozen=True, slots=True)
class Debt:
    """One claim as it stands at the end of the payment day."""

    key: str
    costs: Decimal  # costs that have fallen due
    interest: Decimal  # accrued up to and including the payment day, not yet capitalised
    principal: Decimal  # with the interest capitalised into it
    due: bool  # opeisbaar on the payment day
    burden: Decimal  # higher is more burdensome for the debtor, e.g. the interest rate
    arose_on: date  # the age of the debt: older is paid first at equal burden

    @property
    def outstanding(self) -> Decimal:
        return self.costs + self.interest + self.principal


@dataclass(frozen=True, slots=True)
class Share:
    """The part of a payment that goes to one claim, and why."""

    key: str
    amount: Decimal
    reason: str


def within_claim(
    amount: Decimal, *, costs: Decimal, interest: Decimal, principal: Decimal
) -> Split:
    """Apply `amount` to costs, then interest, then principal (6:44 lid 1)."""
    if amount < 0:
        raise DomainError("a payment cannot be negative")
    left = amount
    to_costs = min(left, max(costs, ZERO))
    left -= to_costs
    to_interest = min(left, max(interest, ZERO))
    left -= to_interest
    to_principal = min(left, max(principal, ZERO))
    left -= to_principal
    return Split(to_costs, to_interest, to_principal, left)


def over_claims(
    amount: Decimal, debts: Sequence[Debt], *, designated: str | None = None
) -> tuple[tuple[Share, ...], Decimal]:
    """Divide one payment over several claims (6:43); returns the shares and what is left.

    `designated` is the key of the claim the debtor named when paying (6:43 lid 1); a
    payment larger than that claim goes on by the statutory order.
    """
    if amount < 0:
        raise DomainError("a payment cannot be negative")
    keys = [d.key for d in debts]
    if len(set(keys)) != len(keys):
        raise DomainError("every claim needs its own key to divide a payment")
    if designated is not None and designated not in keys:
        raise DomainError(f"the payment names claim {designated!r}, which is not among the claims")
    shares: list[Share] = []
    left = amount
    open_debts = [d for d in debts if d.outstanding > 0]
    if designated is not None:
        named = next(d for d in open_debts + list(debts) if d.key == designated)
        take = min(left, max(named.outstanding, ZERO))
        if take > 0:
            shares.append(Share(named.key, take, "designated by the debtor (art. 6:43 lid 1 BW)"))
            left -= take
        open_debts = [d for d in open_debts if d.key != designated]

    def order(debt: Debt) -> tuple[bool, Decimal, date]:
        return (not debt.due, -debt.burden, debt.arose_on)

    for (not_due, _burden, _arose), group_iter in groupby(sorted(open_debts, key=order), key=order):
        if left <= 0:
            break
        group = list(group_iter)
        total = sum((d.outstanding for d in group), ZERO)
        reason = _reason(not_due=not_due, several=len(group) > 1)
        if left >= total:
            shares.extend(Share(d.key, d.outstanding, reason) for d in group)
            left -= total
        else:
            parts = money.allocate(money.round_cents(left), [d.outstanding for d in group])
            shares.extend(Share(d.key, part, reason) for d, part in zip(group, parts, strict=True))
            left = ZERO
    return tuple(s for s in shares if s.amount > 0), left


def _reason(*, not_due: bool, several: bool) -> str:
    first = "a claim not yet due" if not_due else "a claim that is due"
    if several:
        return f"{first}, equally burdensome and old: pro rata (art. 6:43 lid 2 BW)"
    return f"{first}, most burdensome then oldest (art. 6:43 lid 2 BW)"

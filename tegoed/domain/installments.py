"""Payment arrangements: instalments within the organization's limits, and how they stand.

Seeds 000, 003 and 004: agree realistic instalments (3–6 months is usual), confirm them in
writing, remind before each one, and act when one is missed. The rules decided here:

- **Adding up.** The instalments add up exactly to what is owed; a plan that does not is
  refused with the difference named. `plan` splits an amount into equal whole-cent parts, the
  odd cents on the first instalments.
- **Limits.** Every instalment but the last is at least the organization's minimum, and the
  last falls within its maximum number of months from the day the arrangement was agreed.
- **Payments meet instalments in order.** What the customer paid since the agreement settles
  the first instalment, then the next (art. 6:43 BW: the oldest debt first).
- **Missed, then broken.** An instalment not covered after its day is missed; after the grace
  days it breaks the arrangement, and the original schedule resumes.

The module never reads the clock: `today` comes in.

>>> [i.amount for i in plan(Decimal("1000.00"), count=3, first_due_on=date(2026, 3, 31))]
[Decimal('333.34'), Decimal('333.33'), Decimal('333.33')]
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tegoed.domain import money
from tegoed.domain.errors import DomainError

ZERO = money.ZERO


@dataclass(frozen=True, slots=True)
class Instalment:
    number: int
    due_on: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Limits:
    """An organization's terms for arrangements."""

    minimum_amount: Decimal = Decimal("25.00")
    maximum_months: int = 6


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where it is shorter (31 Jan → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def plan(total: Decimal, *, count: int, first_due_on: date) -> tuple[Instalment, ...]:
    """`total` in `count` monthly instalments from `first_due_on`, equal to the cent."""
    if count < 1:
        raise DomainError("an arrangement has at least one instalment")
    if total <= 0:
        raise DomainError("an arrangement is for a positive amount")
    return tuple(
        Instalment(number, add_months(first_due_on, number - 1), amount)
        for number, amount in enumerate(money.allocate(total, count), start=1)
    )


def check(
    instalments: Sequence[Instalment], *, owed: Decimal, agreed_on: date, limits: Limits
) -> None:
    """Refuse a plan that does not add up to `owed` or that breaks the limits, saying why."""
    if not instalments:
        raise DomainError("an arrangement has at least one instalment")
    planned = sum((item.amount for item in instalments), ZERO)
    if planned != owed:
        difference = owed - planned
        raise DomainError(
            f"the instalments add up to {planned}, not to the {owed} owed: "
            + (f"{difference} short" if difference > 0 else f"{-difference} too much")
        )
    days = [item.due_on for item in instalments]
    if days != sorted(days) or len(set(days)) != len(days):
        raise DomainError("the instalments fall on different days, in order")
    if days[0] < agreed_on:
        raise DomainError(f"the first instalment falls before the agreement ({agreed_on})")
    for item in instalments[:-1]:
        if item.amount < limits.minimum_amount:
            raise DomainError(
                f"instalment {item.number} of {item.amount} is below the minimum of "
                f"{limits.minimum_amount}"
            )
    if any(item.amount <= 0 for item in instalments):
        raise DomainError("every instalment is a positive amount")
    last_allowed = add_months(agreed_on, limits.maximum_months)
    if days[-1] > last_allowed:
        raise DomainError(
            f"the last instalment ({days[-1]}) falls after the {limits.maximum_months} months "
            f"allowed (by {last_allowed})"
        )


@dataclass(frozen=True, slots=True)
class Standing:
    """How an arrangement stands on a day, given what was paid since it was agreed."""

    paid: tuple[Decimal, ...]  # per instalment, in order
    missed: Instalment | None  # the first instalment past its day and not fully paid
    broken: bool  # missed, and the grace days are over
    completed: bool

    def unpaid(self, instalment: Instalment) -> Decimal:
        return instalment.amount - self.paid[instalment.number - 1]


def standing(
    instalments: Sequence[Instalment], *, paid: Decimal, today: date, grace_days: int
) -> Standing:
    """Apply `paid` to the instalments in order and say which one is missed, if any."""
    left = paid
    per_instalment = []
    for item in instalments:
        share = min(left, item.amount)
        per_instalment.append(share)
        left -= share
    missed = next(
        (
            item
            for item, share in zip(instalments, per_instalment, strict=True)
            if share < item.amount and item.due_on < today
        ),
        None,
    )
    return Standing(
        paid=tuple(per_instalment),
        missed=missed,
        broken=missed is not None and today > missed.due_on + timedelta(days=grace_days),
        completed=all(
            share == item.amount for item, share in zip(instalments, per_instalment, strict=True)
        ),
    )

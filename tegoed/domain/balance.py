"""An invoice's open amount and state, derived from what was booked against it.

Nothing here is stored: the ledger keeps the invoice total and the allocations (payments,
credit notes, write-offs), and the state follows from them, so it cannot drift.

>>> balance = Balance(total=Decimal("100.00"), paid=Decimal("40.00"))
>>> balance.open, balance.state
(Decimal('60.00'), 'partially_paid')
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tegoed.domain.money import ZERO

DRAFT = "draft"
OPEN = "open"
PARTIALLY_PAID = "partially_paid"
PAID = "paid"
CREDITED = "credited"
WRITTEN_OFF = "written_off"

STATES = (DRAFT, OPEN, PARTIALLY_PAID, PAID, CREDITED, WRITTEN_OFF)


@dataclass(frozen=True, slots=True)
class Balance:
    total: Decimal
    paid: Decimal = ZERO
    credited: Decimal = ZERO
    written_off: Decimal = ZERO
    is_draft: bool = False

    @property
    def settled(self) -> Decimal:
        return self.paid + self.credited + self.written_off

    @property
    def open(self) -> Decimal:
        return self.total - self.settled

    @property
    def state(self) -> str:
        return state_of(
            total=self.total,
            paid=self.paid,
            credited=self.credited,
            written_off=self.written_off,
            is_draft=self.is_draft,
        )


def state_of(
    *, total: Decimal, paid: Decimal, credited: Decimal, written_off: Decimal, is_draft: bool
) -> str:
    """The state a person would name: a write-off or full credit says why nothing is open."""
    if is_draft:
        return DRAFT
    settled = paid + credited + written_off
    if settled < total:
        return PARTIALLY_PAID if settled > 0 else OPEN
    if written_off > 0:
        return WRITTEN_OFF
    if credited >= total:
        return CREDITED
    return PAID

"""Promises to pay: kept or broken, decided by the bank data alone.

A customer promises, in a call, an e-mail or the portal, to pay an amount by a date (peers.md:
"a promise to pay that pauses chasing and resumes it by itself when the promise is broken").
What was paid towards it is what the bank entries booked against the promised invoices from the
day of the promise through the promised day. The promise is kept as soon as that covers the
amount; broken the day after the promised day if it does not; open in between.

>>> outcome(promised=Decimal("50.00"), paid=Decimal("20.00"), pay_by=date(2026, 2, 17),
...         today=date(2026, 2, 18))
'broken'
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

OPEN = "open"
KEPT = "kept"
BROKEN = "broken"


def outcome(*, promised: Decimal, paid: Decimal, pay_by: date, today: date) -> str:
    """OPEN, KEPT or BROKEN on `today`, given what was `paid` towards the promise so far."""
    if paid >= promised:
        return KEPT
    if today > pay_by:
        return BROKEN
    return OPEN

"""Values that are possible but unlikely: the interface asks before it books them.

A payment dated after today has not arrived yet; one dated months before its invoice was
issued is more likely a typing error or a match to the wrong invoice than a prepayment. These
are doubts, not errors: a person who checked may book them anyway.
"""

from __future__ import annotations

from datetime import date, timedelta

PAYMENT_IN_FUTURE = "payment_in_future"
PAID_LONG_BEFORE_ISSUE = "paid_long_before_issue"

# A deposit or prepayment comes weeks before the invoice, not this long.
PREPAYMENT_DAYS = 90


def payment_doubts(received_on: date, *, today: date, issued_on: date | None) -> tuple[str, ...]:
    """What is unlikely about a payment received on `received_on` for an invoice of `issued_on`."""
    doubts = []
    if received_on > today:
        doubts.append(PAYMENT_IN_FUTURE)
    if issued_on is not None and received_on < issued_on - timedelta(days=PREPAYMENT_DAYS):
        doubts.append(PAID_LONG_BEFORE_ISSUE)
    return tuple(doubts)

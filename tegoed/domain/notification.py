"""A payment the bank notified before booking it, and the booked entry that takes its place.

Banks report incoming credits during the day: camt.052 intraday reports and camt.054
notifications with the status PDNG or INFO (ISO 20022 ExternalEntryStatus1Code: "pending",
"information only, not booked"), and SWIFT MT942 interim transaction reports. The day's
statement (camt.053, MT940) books the same payment later, often with another bank reference.
The rule, recorded in docs/decisions/0204:

- A notified payment is matched like a booked one but books nothing; it holds the invoices it
  matches from dunning until `BOOKING_EXPECTED_DAYS` after the date it was notified for.
- A booked entry takes the place of the oldest notification still waiting that is the same
  payment (`same_payment`): the same account, direction, amount and currency, booked from the day
  before the notification's date up to `PAIRING_DAYS` after it, and told apart by the payment's
  own marks: the end-to-end id when both carry one, else the bank's reference when both carry
  the same one, else the payer's IBAN together with the payment reference or the text.
- A notification not booked within `BOOKING_EXPECTED_DAYS` is flagged for review (`overdue`).

>>> notified = Facts(Decimal("121.00"), True, "EUR", date(2026, 3, 2), end_to_end_id="E2E-42")
>>> same_payment(notified._replace(on=date(2026, 3, 3), reference="B-1"), notified)
True
>>> overdue(notified.on, today=date(2026, 3, 8))
True
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

# A payment notified in the morning is on that evening's statement; over a weekend or a bank
# holiday, a few days later. After this many days without a booking a person should look.
BOOKING_EXPECTED_DAYS = 5
# A booked entry is paired with a notification at most this many days after it.
PAIRING_DAYS = 14
# What banks write in the end-to-end id when the payer gave none.
_NO_END_TO_END = {"", "NOTPROVIDED"}


class Facts(NamedTuple):
    """What tells one bank payment from another, for a notified or a booked entry."""

    amount: Decimal
    credit: bool
    currency: str
    on: date  # the booking date (for a notification: the date it was notified for)
    reference: str = ""  # the bank's reference of the entry
    end_to_end_id: str = ""
    counterparty_iban: str = ""
    payment_reference: str = ""
    text: str = ""
    account: str = ""  # the IBAN of the account the payment came in on


def same_payment(booked: Facts, notified: Facts) -> bool:
    """Whether `booked` is the booking of the payment `notified` announced."""
    if (booked.amount, booked.credit, booked.currency) != (
        notified.amount,
        notified.credit,
        notified.currency,
    ):
        return False
    if booked.account and notified.account and booked.account != notified.account:
        return False
    if (
        not notified.on - timedelta(days=1)
        <= booked.on
        <= notified.on + timedelta(days=PAIRING_DAYS)
    ):
        return False
    ends = booked.end_to_end_id.strip().upper(), notified.end_to_end_id.strip().upper()
    if ends[0] not in _NO_END_TO_END and ends[1] not in _NO_END_TO_END:
        return ends[0] == ends[1]
    if booked.reference and booked.reference == notified.reference:
        return True
    if not booked.counterparty_iban or booked.counterparty_iban != notified.counterparty_iban:
        return False
    if booked.payment_reference or notified.payment_reference:
        return _compact(booked.payment_reference) == _compact(notified.payment_reference)
    return _compact(booked.text) == _compact(notified.text)


def replaced(booked: Facts, waiting: Sequence[Facts]) -> int | None:
    """The position in `waiting` (oldest first) of the notification `booked` takes the place
    of, or None."""
    for position, notified in enumerate(waiting):
        if same_payment(booked, notified):
            return position
    return None


def overdue(notified_on: date, *, today: date) -> bool:
    """A notification not booked within BOOKING_EXPECTED_DAYS of its date: to be reviewed."""
    return today > expected_by(notified_on)


def expected_by(notified_on: date) -> date:
    """The last day a notification of `notified_on` holds its invoices from dunning."""
    return notified_on + timedelta(days=BOOKING_EXPECTED_DAYS)


def _compact(text: str) -> str:
    return "".join(text.split()).upper()

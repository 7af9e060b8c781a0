"""Customer credit: what to do with money or credit notes that no invoice has taken yet.

An overpayment, a payment kept as credit, the rest of a partly booked payment and a credit
note larger than what was open all leave credit on the customer. `propose` suggests where it
goes: first where a credit and an open invoice are exactly the same amount (the customer
most likely meant that invoice), then over the invoices due first. Proposals never use more
than a credit holds nor more than an invoice has open.

>>> propose([Credit("P1", Decimal("50.00"))],
...         [Due("F2", Decimal("80.00"), date(2026, 2, 1)), Due("F3", Decimal("50.00"),
...          date(2026, 3, 1))])
(Application(credit='P1', invoice='F3', amount=Decimal('50.00'), exact=True),)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Credit:
    key: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Due:
    key: str
    open: Decimal
    due_date: date | None


@dataclass(frozen=True, slots=True)
class Application:
    credit: str
    invoice: str
    amount: Decimal
    exact: bool = False


def propose(credits: Sequence[Credit], invoices: Sequence[Due]) -> tuple[Application, ...]:
    left = {credit.key: credit.amount for credit in credits if credit.amount > 0}
    owed = {invoice.key: invoice.open for invoice in invoices if invoice.open > 0}
    order = sorted(
        (invoice for invoice in invoices if invoice.key in owed),
        key=lambda invoice: (invoice.due_date or date.max, invoice.key),
    )
    found = []
    for credit in credits:
        for invoice in order:
            if left.get(credit.key) and owed[invoice.key] == left[credit.key]:
                found.append(Application(credit.key, invoice.key, left[credit.key], exact=True))
                owed[invoice.key] = left[credit.key] = Decimal("0.00")
                break
    for credit in credits:
        for invoice in order:
            amount = min(left.get(credit.key, Decimal(0)), owed[invoice.key])
            if amount > 0:
                found.append(Application(credit.key, invoice.key, amount))
                left[credit.key] -= amount
                owed[invoice.key] -= amount
    return tuple(found)

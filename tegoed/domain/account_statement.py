"""A customer's statement of account (rekeningoverzicht): every booking with a running balance.

Invoices and refunds of credit raise what the customer owes; payments, credit notes and
write-offs lower it. The
balance starts from the opening balance (everything before the statement's first day) and
a payment not yet allocated to an invoice still lowers it: it is credit on the account.

>>> lines = compose(Decimal("0"), [Entry(date(2026, 1, 5), INVOICE, "F1", Decimal("100"))])
>>> lines[-1].balance
Decimal('100')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

INVOICE = "invoice"
CREDIT_NOTE = "credit_note"
PAYMENT = "payment"
WRITE_OFF = "write_off"
REFUND = "refund"

# Raising the balance (debit) or lowering it (credit).
DEBITS = frozenset({INVOICE, REFUND})
CREDITS = frozenset({CREDIT_NOTE, PAYMENT, WRITE_OFF})
# On one day the invoice comes before what settles it.
ORDER = {INVOICE: 0, CREDIT_NOTE: 1, PAYMENT: 2, WRITE_OFF: 3, REFUND: 4}


@dataclass(frozen=True, slots=True)
class Entry:
    on: date
    kind: str
    reference: str
    amount: Decimal  # positive; the kind says the direction
    link: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class Line:
    entry: Entry
    debit: Decimal | None
    credit: Decimal | None
    balance: Decimal


def compose(opening: Decimal, entries: Iterable[Entry]) -> tuple[Line, ...]:
    balance = opening
    lines = []
    for entry in sorted(entries, key=lambda e: (e.on, ORDER.get(e.kind, len(ORDER)), e.reference)):
        if entry.kind in DEBITS:
            balance += entry.amount
            lines.append(Line(entry, entry.amount, None, balance))
        elif entry.kind in CREDITS:
            balance -= entry.amount
            lines.append(Line(entry, None, entry.amount, balance))
        else:
            raise ValueError(f"unknown statement entry kind {entry.kind!r}")
    return tuple(lines)

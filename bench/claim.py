"""The claim on a customer (tegoed.domain.claim): how long a customer page's claim takes.

A business customer with many open invoices in default, each over a year old (so interest
runs across rate changes and capitalises) and each partly paid, computed from plain values as
the customer page does after reading the ledger. The page must stay fast for a customer
with hundreds of open invoices; the figure is the CPU time of one claim.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from decimal import Decimal

GOAL_MS_FOR_500_INVOICES = 500


def _invoices(count: int):
    from tegoed.domain import claim, interest

    first = date(2024, 1, 10)
    return [
        claim.Invoice(
            number=f"F{index:05d}",
            principal=Decimal(100 + index % 900) + Decimal("0.45"),
            issued_on=first + timedelta(days=index % 400),
            due_on=first + timedelta(days=index % 400 + 30),
            payments=(
                interest.Payment(first + timedelta(days=index % 400 + 90), Decimal("50.00")),
            ),
        )
        for index in range(count)
    ]


def _timed(count: int) -> float:
    from tegoed.domain import claim

    invoices = _invoices(count)
    terms = claim.Terms("NL", "business")
    cpu = time.process_time()
    result = claim.compute(invoices, terms=terms, on=date(2026, 3, 16))
    spent = time.process_time() - cpu
    assert len(result.invoices) == count and result.total > 0
    return spent


def run(quick: bool) -> dict:
    sizes = (50, 100) if quick else (100, 500, 2000)
    figures = {f"claim_{size}_invoices_ms": round(_timed(size) * 1000, 1) for size in sizes}
    if not quick:
        figures[f"goal_{GOAL_MS_FOR_500_INVOICES}ms_for_500_invoices_met"] = (
            figures["claim_500_invoices_ms"] <= GOAL_MS_FOR_500_INVOICES
        )
    return figures

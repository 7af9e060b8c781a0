"""What the daily run asks of promises and arrangements before it plans."""

import datetime

from tegoed.arrangements import plans, services


def review(organization, *, today: datetime.date) -> None:
    """Settle the promises the bank data decides, follow the running arrangements, and settle
    the settlements paid."""
    from tegoed.collections import settlements

    services.review_promises(organization, today=today)
    plans.review_arrangements(organization, today=today)
    # Settlements paid are written off and their holds lifted before the plan reads them.
    settlements.review_settlements(organization, today=today)

"""What the daily run asks of promises and arrangements before it plans."""

import datetime

from tegoed.arrangements import plans, services


def review(organization, *, today: datetime.date) -> None:
    """Settle the promises the bank data decides, and follow the running arrangements."""
    services.review_promises(organization, today=today)
    plans.review_arrangements(organization, today=today)

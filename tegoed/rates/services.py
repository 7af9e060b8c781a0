"""Writes to the rate table."""

from django.db import transaction

from tegoed.domain import jurisdictions
from tegoed.rates import models


@transaction.atomic
def load_built_in_rates(jurisdiction: str | None = None) -> int:
    """Add the built-in rows that the table lacks; rows edited in the admin are kept.

    Returns the number of rows added.
    """
    added = 0
    for rate in jurisdictions.rates(jurisdiction):
        _row, created = models.Rate.objects.get_or_create(
            jurisdiction=rate.jurisdiction,
            kind=rate.kind,
            effective_from=rate.effective_from,
            defaults={
                "percent": rate.percent,
                "source": rate.source,
                "status": rate.status.value,
                "note": rate.note,
            },
        )
        added += created
    return added

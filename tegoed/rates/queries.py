"""Reads of the rate table."""

from django.db import DatabaseError

from tegoed.domain import jurisdictions
from tegoed.domain.rate_table import Rate
from tegoed.rates import models


def rate_table(jurisdiction: str | None = None) -> tuple[Rate, ...]:
    """The rate rows the engine computes with: the database's, else the built-in table.

    A jurisdiction without rows in the database (a fresh install before migrating its seed)
    falls back to the built-in rows of `tegoed.domain.jurisdictions`; so does a database that
    was never migrated, so `tegoed interest` works straight after installing.
    """
    rows = models.Rate.objects.all()
    if jurisdiction is not None:
        rows = rows.filter(jurisdiction=jurisdiction.upper())
    try:
        found = tuple(row.to_domain() for row in rows)
    except DatabaseError:
        found = ()
    codes = [jurisdiction.upper()] if jurisdiction else list(jurisdictions.CODES)
    present = {row.jurisdiction for row in found}
    missing = tuple(r for code in codes if code not in present for r in jurisdictions.rates(code))
    return found + missing

"""Keyset pagination: pages that cost the same at row 50 and at row 1,000,000.

A page is the first `size` rows after a cursor (the sort value and primary key of the last row
seen) in an order that an index can deliver, so the database reads only the rows it returns.
There is no total count: counting a million filtered rows is the slow part of OFFSET paging.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Q, QuerySet

from tegoed.domain import limits


@dataclass(frozen=True, slots=True)
class Order:
    field: str
    descending: bool
    kind: type  # how the cursor's value is read back: date, Decimal or str

    @property
    def order_by(self) -> tuple[str, str]:
        sign = "-" if self.descending else ""
        return f"{sign}{self.field}", f"{sign}pk"


@dataclass(frozen=True, slots=True)
class Page:
    rows: list
    next_cursor: str
    is_first: bool


SEPARATOR = "~"
# No list is this long at 50 rows a page; a larger number would overflow SQLite's OFFSET.
MAX_PAGE = 1_000_000


def cursor_of(row, order: Order) -> str:
    value = getattr(row, order.field)
    if order.kind is Decimal:
        value = str(value)
    elif order.kind is datetime.date:
        value = value.isoformat()
    return f"{value}{SEPARATOR}{row.pk}"


def _parse(cursor: str, order: Order):
    value, _sep, pk = cursor.rpartition(SEPARATOR)
    try:
        pk = int(pk)
        if not 0 < pk < 2**63:
            return None
        if order.kind is datetime.date:
            value = datetime.date.fromisoformat(value)
        elif order.kind is Decimal:
            value = Decimal(value)
            # NaN, Infinity and 1E+999999 are no row's value: such a cursor is not one of ours.
            if limits.MONEY.problem(value):
                return None
    except (ValueError, InvalidOperation):
        return None
    return value, pk


def page_number(raw: str | None) -> int:
    """The page asked for by `?page=`; 1 when it is not a page number a list can have."""
    try:
        number = int(raw or "1")
    except ValueError:
        return 1
    return number if 1 <= number <= MAX_PAGE else 1


def page(rows: QuerySet, order: Order, *, after: str = "", size: int = 50) -> Page:
    """The page after the cursor (the first page when the cursor is empty or unreadable)."""
    position = _parse(after, order) if after else None
    rows = rows.order_by(*order.order_by)
    if position is not None:
        value, pk = position
        comparison = "lt" if order.descending else "gt"
        rows = rows.filter(
            Q(**{f"{order.field}__{comparison}": value})
            | Q(**{order.field: value, f"pk__{comparison}": pk})
        )
    found = list(rows[: size + 1])
    more = len(found) > size
    found = found[:size]
    return Page(
        rows=found,
        next_cursor=cursor_of(found[-1], order) if more else "",
        is_first=position is None,
    )

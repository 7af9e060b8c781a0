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
        if order.kind is datetime.date:
            value = datetime.date.fromisoformat(value)
        elif order.kind is Decimal:
            value = Decimal(value)
    except (ValueError, InvalidOperation):
        return None
    return value, pk


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

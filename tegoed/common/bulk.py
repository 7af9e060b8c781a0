"""Writing many rows fast: `COPY` (PostgreSQL) or `executemany` (SQLite) over plain tuples,
with ids reserved up front.

The ORM's `bulk_create` builds a model instance per row and compiles SQL per batch; at a
hundred thousand imported invoices (or a million demo invoices) that is most of the time. A
`TableWriter` prepares each value the way the database expects it — cents for `MoneyField`,
the backend's form for UUIDs, timestamps and JSON — and inserts in batches.

Ids are reserved so that rows can point at each other before they are written: on PostgreSQL
from the table's sequence (safe next to other writers), on SQLite as the next after the
current maximum, which is safe because Tegoed's SQLite transactions are IMMEDIATE: the writer's
transaction holds the write lock from its first statement. Use it inside `transaction.atomic()`.

The tables of one write belong to a `Batch`, created parents first. Rows are held until the
batch has enough and then written table by table in that order: foreign keys are only checked
at commit, but the allocation triggers update the invoice row at once, so an invoice must be in
its table before the allocations that point at it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

from tegoed.common.fields import MoneyField
from tegoed.domain.money import to_cents

ID_BLOCK = 1000
BATCH_ROWS = 20_000


class Batch:
    """The tables of one bulk write, in the order their rows must reach the database."""

    def __init__(self, *, rows: int = BATCH_ROWS) -> None:
        self.rows = rows
        self.writers: list[TableWriter] = []
        self.pending = 0

    def table(self, model: type[models.Model], columns: Sequence[str]) -> TableWriter:
        writer = TableWriter(model, columns, batch=self)
        self.writers.append(writer)
        return writer

    def added(self) -> None:
        self.pending += 1
        if self.pending >= self.rows:
            self.flush()

    def flush(self) -> None:
        for writer in self.writers:
            writer.flush()
        self.pending = 0


def _remembering(prepare: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Rows written together share a few timestamps; prepare each once."""
    prepared: dict[Any, Any] = {}

    def remembered(value: Any) -> Any:
        if value not in prepared:
            if len(prepared) > 1000:
                prepared.clear()
            prepared[value] = prepare(value)
        return prepared[value]

    return remembered


class TableWriter:
    def __init__(self, model: type[models.Model], columns: Sequence[str], *, batch: Batch) -> None:
        self.model = model
        self.batch = batch
        fields = [model._meta.get_field(name) for name in columns]
        self.prepare = [self._preparer(field) for field in fields]
        # Only the columns whose values need preparing are touched per row.
        self.preparing = [(index, prepare) for index, prepare in enumerate(self.prepare) if prepare]
        quote = connection.ops.quote_name
        names = ", ".join(quote(field.column) for field in fields)
        marks = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"
        # One statement per batch: PostgreSQL parses and plans an INSERT per row.
        self.copy_sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
        self.rows: list[tuple] = []
        self.written = 0
        self._free_ids: list[int] = []
        self._next_sqlite_id: int | None = None

    @staticmethod
    def _preparer(field: models.Field) -> Callable[[Any], Any] | None:
        if isinstance(field, MoneyField):
            return lambda value: None if value is None else to_cents(value)
        if isinstance(field, models.DateTimeField):
            return _remembering(lambda value: field.get_db_prep_save(value, connection))
        if isinstance(field, models.UUIDField | models.JSONField):
            return lambda value: field.get_db_prep_save(value, connection)
        return None

    def take_id(self) -> int:
        if not self._free_ids:
            self._free_ids = self._reserve(ID_BLOCK)
        return self._free_ids.pop()

    def _reserve(self, count: int) -> list[int]:
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return sorted((row[0] for row in cursor.fetchall()), reverse=True)
            if self._next_sqlite_id is None:
                top = self.model.objects.aggregate(top=models.Max("id"))["top"] or 0
                self._next_sqlite_id = top + 1
            first = self._next_sqlite_id
            self._next_sqlite_id += count
            return list(range(first + count - 1, first - 1, -1))

    def add(self, row: Sequence[Any]) -> None:
        if len(row) != len(self.prepare):
            raise ValueError(f"{len(row)} values for {len(self.prepare)} columns")
        if self.preparing:
            row = list(row)
            for index, prepare in self.preparing:
                row[index] = prepare(row[index])
        self.rows.append(tuple(row))
        self.batch.added()

    def flush(self) -> None:
        if not self.rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(self.copy_sql) as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, self.rows)
        self.written += len(self.rows)
        self.rows = []

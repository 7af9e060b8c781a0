"""Writing generated demo records fast: plain multi-row inserts with ids assigned up front.

The ORM's `bulk_create` builds a model instance per row; at a million invoices that is most of
the time. Here each table gets `executemany` over tuples, values prepared the way each
database expects them (`get_db_prep_save`). Ids are taken after the current maximum, so this is
for filling a database nobody else writes to at the same time (a demo or a benchmark), and the
PostgreSQL sequences are moved past them at the end.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection, models

from tegoed.domain.money import to_cents


class TableWriter:
    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        self.fields = [model._meta.get_field(name) for name in columns]
        quote = connection.ops.quote_name
        names = ", ".join(quote(field.column) for field in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"
        self.next_id = (model.objects.aggregate(top=models.Max("id"))["top"] or 0) + 1
        self.rows: list[tuple] = []
        self.written = 0

    def take_id(self) -> int:
        taken = self.next_id
        self.next_id += 1
        return taken

    def add(self, row: tuple) -> None:
        self.rows.append(row)

    def flush(self) -> None:
        if not self.rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, self.rows)
        self.written += len(self.rows)
        self.rows = []


def prepared_uuid(value: uuid.UUID) -> object:
    field = models.UUIDField()
    return field.get_db_prep_save(value, connection)


def prepared_timestamp(value: datetime.datetime) -> object:
    return models.DateTimeField().get_db_prep_save(value, connection)


def cents(amount) -> int:
    return to_cents(amount)


def reset_sequences(model_classes: Iterable[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

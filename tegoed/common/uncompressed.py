"""Columns that hold files compressed already (PDFs): PostgreSQL keeps them as they are.

By default PostgreSQL tries to compress every large value it stores; a PDF's streams are
compressed already, so the attempt fails after costing the server about a millisecond of CPU
per 40 KB written (several per reminder sent with its invoice copies). Other databases do not
compress values: nothing changes there.
"""

from django.db import migrations


def stored_uncompressed(table: str, column: str) -> migrations.RunPython:
    """A migration operation storing `table`.`column` without compression on PostgreSQL."""

    def storage(strategy: str):
        def alter(apps, schema_editor) -> None:
            if schema_editor.connection.vendor == "postgresql":
                quote = schema_editor.quote_name
                schema_editor.execute(
                    f"ALTER TABLE {quote(table)} "
                    f"ALTER COLUMN {quote(column)} SET STORAGE {strategy}"
                )

        return alter

    return migrations.RunPython(storage("EXTERNAL"), storage("EXTENDED"))

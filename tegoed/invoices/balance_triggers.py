"""The database triggers that keep an invoice's paid, credited and written-off sums.

Every insert, update and delete of an allocation row adds to or subtracts from the invoice's
columns in the same statement, on SQLite and PostgreSQL alike, so no code path — services, bulk
writers, raw SQL — can let them drift (docs/decisions/0002). Migrations call `create` and `drop`;
a migration that makes SQLite remake the invoice table must `drop` before and `create` after,
because SQLite refuses to rename a table that a trigger body names while it is gone.
"""

# Which allocation kind adds to which invoice column.
SUMS = (("paid", "payment"), ("credited", "credit_note"), ("written_off", "write_off"))


def _update(row: str, sign: str) -> str:
    """Add (+) or take away (-) the allocation in `row` (NEW or OLD) on its invoice."""
    assignments = ", ".join(
        f"{column} = {column} {sign} (CASE WHEN {row}.kind = '{kind}' THEN {row}.amount ELSE 0 END)"
        for column, kind in SUMS
    )
    return f"UPDATE invoices_invoice SET {assignments} WHERE id = {row}.invoice_id;"


SQLITE = [
    "CREATE TRIGGER invoices_allocation_booked AFTER INSERT ON invoices_allocation "
    f"BEGIN {_update('NEW', '+')} END",
    "CREATE TRIGGER invoices_allocation_removed AFTER DELETE ON invoices_allocation "
    f"BEGIN {_update('OLD', '-')} END",
    "CREATE TRIGGER invoices_allocation_changed "
    "AFTER UPDATE OF amount, kind, invoice_id ON invoices_allocation "
    f"BEGIN {_update('OLD', '-')} {_update('NEW', '+')} END",
]

POSTGRESQL = [
    "CREATE FUNCTION invoices_allocation_balance() RETURNS trigger AS $$ BEGIN "
    f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {_update('OLD', '-')} END IF; "
    f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {_update('NEW', '+')} END IF; "
    "RETURN NULL; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER invoices_allocation_balance "
    "AFTER INSERT OR UPDATE OR DELETE ON invoices_allocation "
    "FOR EACH ROW EXECUTE FUNCTION invoices_allocation_balance()",
]

DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS invoices_allocation_booked",
        "DROP TRIGGER IF EXISTS invoices_allocation_removed",
        "DROP TRIGGER IF EXISTS invoices_allocation_changed",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS invoices_allocation_balance ON invoices_allocation",
        "DROP FUNCTION IF EXISTS invoices_allocation_balance()",
    ],
}
CREATE = {"sqlite": SQLITE, "postgresql": POSTGRESQL}


def create(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in CREATE:
        raise RuntimeError(f"no balance triggers for the {vendor} database")
    for statement in CREATE[vendor]:
        schema_editor.execute(statement)


def drop(apps, schema_editor) -> None:
    for statement in DROP[schema_editor.connection.vendor]:
        schema_editor.execute(statement)

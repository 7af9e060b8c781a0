from tegoed.common.import_command import ImportCommand
from tegoed.customers import csv_import

SHOWN = 20


class Command(ImportCommand):
    help = (
        "Import customers from a CSV file (one row per customer; columns in docs/import.md). "
        "New numbers are created, known ones updated where the file differs. All or nothing; "
        "importing the same file again changes nothing."
    )
    importer = csv_import

    def describe(self, import_plan) -> list[str]:
        lines = [
            f"new {row.number} {row.values.get('name', '')}" for row in import_plan.new[:SHOWN]
        ]
        for customer, _row, differences in import_plan.changed[:SHOWN]:
            changes = ", ".join(
                f"{name}: {getattr(customer, name)!s} → {value!s}"
                for name, value in differences.items()
            )
            lines.append(f"change {customer.number} {changes or 'new IBAN'}")
        return lines

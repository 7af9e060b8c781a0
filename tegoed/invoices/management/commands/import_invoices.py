from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from tegoed.common.import_command import ImportCommand
from tegoed.invoices import csv_import

SHOWN = 20


class Command(ImportCommand):
    help = (
        "Import invoices from a CSV file (one row per invoice line; columns in docs/import.md). "
        "UTF-8 or Excel semicolon files with decimal commas. All or nothing; importing the same "
        "file again changes nothing."
    )
    importer = csv_import

    def describe(self, import_plan) -> list[str]:
        lines = [
            f"new customer {row.number} {row.name}" for row in import_plan.new_customers[:SHOWN]
        ]
        lines += [
            f"new invoice {record.number} {record.customer_number} {record.issue_date} "
            f"{record.currency} {record.totals.total}"
            for record in import_plan.new_invoices[:SHOWN]
        ]
        if len(import_plan.new_invoices) > SHOWN:
            lines.append(f"… and {len(import_plan.new_invoices) - SHOWN} more invoices")
        return lines

    def apply(self, import_plan) -> None:
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            disable=not self.stdout.isatty(),
        ) as progress:
            task = progress.add_task("Importing", total=len(import_plan.new_invoices))
            csv_import.apply(
                import_plan, acting_user=None, progress=lambda n: progress.advance(task, n)
            )

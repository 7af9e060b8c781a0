from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from tegoed.accounts.queries import get_organization_by_slug
from tegoed.common.tabular import ImportFailed
from tegoed.invoices import csv_import


class Command(BaseCommand):
    help = (
        "Import invoices from a CSV file (one row per invoice line; columns in docs/import.md). "
        "UTF-8 or Excel semicolon files with decimal commas. All or nothing; importing the same "
        "file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file")
        parser.add_argument(
            "--organization", required=True, metavar="SLUG", help="the organization's short name"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and say what would change"
        )

    def handle(self, *args, file: Path, organization: str, dry_run: bool, **options):
        target = get_organization_by_slug(organization)
        try:
            import_plan = csv_import.plan(file, target)
        except ImportFailed as failed:
            raise CommandError(str(failed)) from None
        if dry_run:
            self.stdout.write(f"Dry run, nothing changed. {file.name}: {import_plan.summary()}")
            for row in import_plan.new_customers[:20]:
                self.stdout.write(f"  new customer {row.number} {row.name}")
            for record in import_plan.new_invoices[:20]:
                self.stdout.write(
                    f"  new invoice {record.number} {record.customer_number} "
                    f"{record.issue_date} {record.currency} {record.totals.total}"
                )
            shown = len(import_plan.new_invoices)
            if shown > 20:
                self.stdout.write(f"  … and {shown - 20} more invoices")
            return
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
        self.stdout.write(self.style.SUCCESS(f"{file.name}: {import_plan.summary()}"))

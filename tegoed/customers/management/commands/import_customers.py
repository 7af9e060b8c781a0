from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tegoed.accounts.queries import get_organization_by_slug
from tegoed.common.tabular import ImportFailed
from tegoed.customers import csv_import


class Command(BaseCommand):
    help = (
        "Import customers from a CSV file (one row per customer; columns in docs/import.md). "
        "New numbers are created, known ones updated where the file differs. All or nothing; "
        "importing the same file again changes nothing."
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
            for row in import_plan.new[:20]:
                self.stdout.write(f"  new {row.number} {row.values.get('name', '')}")
            for customer, _row, differences in import_plan.changed[:20]:
                changes = ", ".join(
                    f"{k}: {getattr(customer, k)!s} → {v!s}" for k, v in differences.items()
                )
                self.stdout.write(f"  change {customer.number} {changes or 'new IBAN'}")
            return
        csv_import.apply(import_plan, acting_user=None)
        self.stdout.write(self.style.SUCCESS(f"{file.name}: {import_plan.summary()}"))

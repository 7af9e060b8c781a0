"""The shape every `tegoed import-…` command of a CSV file shares.

A subclass names its importer module (with `plan(path, organization)` and `apply(plan, …)`),
and says how a dry run describes the plan. Reading, checking and the all-or-nothing rule live
in the importer; this class gives them one command-line face.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tegoed.accounts.queries import get_organization_by_slug
from tegoed.common.tabular import ImportFailed


class ImportCommand(BaseCommand):
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
            import_plan = self.importer.plan(file, target)
        except ImportFailed as failed:
            raise CommandError(str(failed)) from None
        if dry_run:
            self.stdout.write(f"Dry run, nothing changed. {file.name}: {import_plan.summary()}")
            for line in self.describe(import_plan):
                self.stdout.write(f"  {line}")
            return
        self.apply(import_plan)
        self.stdout.write(self.style.SUCCESS(f"{file.name}: {import_plan.summary()}"))

    def describe(self, import_plan) -> list[str]:
        """Lines a dry run shows below the summary: what would be created or changed."""
        return []

    def apply(self, import_plan) -> None:
        self.importer.apply(import_plan, acting_user=None)

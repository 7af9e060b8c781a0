"""`tegoed import-ubl FILE... --organization SLUG [--dry-run]`: UBL invoices into the ledger."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from tegoed.accounts.queries import get_organization_by_slug
from tegoed.documents import ubl_import


class Command(BaseCommand):
    help = (
        "Import UBL 2.1 invoices and credit notes (EN 16931, Peppol BIS 3, SI-UBL 2.0). All "
        "files are checked first; one bad file imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="UBL XML files")
        parser.add_argument("--organization", required=True, help="the organization's short name")
        parser.add_argument("--dry-run", action="store_true", help="check everything, book nothing")

    def handle(self, *args, files, organization, dry_run, **options):
        organization = get_organization_by_slug(organization)
        today = datetime.datetime.now(organization.tz).date()
        try:
            result = ubl_import.import_files(
                files, organization=organization, acting_user=None, today=today, dry_run=dry_run
            )
        except ubl_import.UblImportError as error:
            raise CommandError(f"{error}\nNothing was imported.") from None
        for invoice in result.imported:
            self.stdout.write(
                f"{invoice.number}: {invoice.customer.name}, {invoice.currency} {invoice.total}"
            )
        for number in result.unchanged:
            self.stdout.write(f"{number}: already in the ledger, left alone")
        prefix = "Dry run, nothing booked: " if dry_run else ""
        self.stdout.write(prefix + result.summary())

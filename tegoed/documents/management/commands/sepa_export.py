"""`tegoed sepa-export --organization SLUG --collection-date DATE [-o FILE]`: pain.008 file."""

import datetime
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tegoed.accounts.queries import get_organization_by_slug
from tegoed.documents import sepa, services
from tegoed.documents.models import Scheme


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Write the SEPA direct-debit file (pain.008) of the planned collections due by the "
        "collection date, and mark them as sent (default: sepa-DATE.xml; '-' for stdout)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", required=True, help="the organization's short name")
        parser.add_argument("--collection-date", required=True, type=iso_date, help="YYYY-MM-DD")
        parser.add_argument("-o", "--output", help="file to write; '-' writes to stdout")
        parser.add_argument(
            "--scheme", choices=[choice.value for choice in Scheme], default=Scheme.CORE
        )
        parser.add_argument(
            "--pain-version", dest="schema", choices=sepa.SCHEMAS, default=sepa.SCHEMAS[0]
        )

    def handle(self, *args, organization, collection_date, output, scheme, schema, **options):
        organization = get_organization_by_slug(organization)
        today = datetime.datetime.now(organization.tz).date()
        try:
            result = services.export_direct_debits(
                organization=organization,
                collection_date=collection_date,
                acting_user=None,
                today=today,
                scheme=scheme,
                schema=schema,
            )
        except services.DirectDebitError as error:
            raise CommandError(str(error)) from None
        for debit, reason in result.left:
            self.stderr.write(f"{debit.invoice.number}: not collected now, {reason}")
        if not result.collected:
            raise CommandError(f"Nothing to collect on {collection_date}; no file written.")
        total = sum(debit.amount for debit in result.collected)
        if output == "-":
            sys.stdout.buffer.write(result.xml)
        else:
            path = Path(output or f"sepa-{collection_date.isoformat()}.xml")
            path.write_bytes(result.xml)
            self.stderr.write(f"{path}: {result.message_id}")
        self.stderr.write(
            f"{len(result.collected)} debits, EUR {total}, collected on {collection_date}"
        )

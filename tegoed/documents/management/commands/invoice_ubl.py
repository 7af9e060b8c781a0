"""`tegoed invoice-ubl NUMBER --organization SLUG [--profile peppol|nlcius] [-o FILE]`."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tegoed.accounts.queries import get_organization_by_slug
from tegoed.documents import queries, ubl_export


class Command(BaseCommand):
    help = (
        "Write an invoice or credit note as a UBL e-invoice, Peppol BIS 3 or SI-UBL 2.0 "
        "(NLCIUS), with its PDF embedded (default: NUMBER.xml; '-' for stdout)."
    )

    def add_arguments(self, parser):
        parser.add_argument("number", help="the invoice or credit-note number")
        parser.add_argument("--organization", required=True, help="the organization's short name")
        parser.add_argument(
            "--profile",
            choices=sorted(ubl_export.PROFILES),
            default="peppol",
            help="default peppol",
        )
        parser.add_argument("-o", "--output", help="file to write; '-' writes to stdout")

    def handle(self, *args, number, organization, profile, output, **options):
        organization = get_organization_by_slug(organization)
        invoice = queries.issued_invoice_by_number(organization, number)
        document = queries.invoice_document(invoice)
        try:
            xml = ubl_export.export(document, profile=profile, pdf=queries.invoice_pdf(invoice))
        except ubl_export.UblExportError as error:
            raise CommandError(f"{invoice}: {error}") from None
        if output == "-":
            sys.stdout.buffer.write(xml)
            return
        path = Path(output or f"{ubl_export.file_name(invoice.number)}.xml")
        path.write_bytes(xml)
        self.stderr.write(f"{invoice} → {path} ({profile}, {len(xml):,} bytes)")

"""`tegoed invoice-pdf NUMBER --organization SLUG [-o FILE]`: the invoice or credit note as PDF."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from tegoed.accounts.queries import get_organization_by_slug
from tegoed.documents import queries
from tegoed.documents.ubl_export import file_name


class Command(BaseCommand):
    help = "Write an invoice or credit note as PDF (default: NUMBER.pdf; '-' for stdout)."

    def add_arguments(self, parser):
        parser.add_argument("number", help="the invoice or credit-note number")
        parser.add_argument("--organization", required=True, help="the organization's short name")
        parser.add_argument("-o", "--output", help="file to write; '-' writes to stdout")

    def handle(self, *args, number, organization, output, **options):
        organization = get_organization_by_slug(organization)
        invoice = queries.issued_invoice_by_number(organization, number)
        pdf = queries.invoice_pdf(invoice)
        if output == "-":
            sys.stdout.buffer.write(pdf)
            return
        path = Path(output or f"{file_name(invoice.number)}.pdf")
        path.write_bytes(pdf)
        self.stderr.write(f"{invoice} → {path} ({len(pdf):,} bytes)")

"""`tegoed match --open-items items.csv --statement FILE [--json]`: check a file, no database.

Prints, in statement order, what matching would do with each entry. With --json: one JSON
object per entry per line. Nothing is read from or written to the database.
"""

import gc
import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from tegoed.banking import statement_matching
from tegoed.banking.csv import ColumnMapping
from tegoed.domain import matching
from tegoed.domain.errors import DomainError


class Command(BaseCommand):
    help = "Match a bank statement file against open items from a CSV file (no database)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--open-items", required=True, help="CSV file of open items")
        parser.add_argument("--statement", required=True, help="camt, MT940 or bank CSV file")
        parser.add_argument("--json", action="store_true", help="one JSON object per entry")
        parser.add_argument(
            "--columns",
            default="",
            help='column mapping for another CSV, e.g. "date=Datum,amount=Bedrag,name=Naam"',
        )

    def handle(self, *args, **options):
        # A short-lived process: the cycle collector only slows the loading down.
        gc.disable()
        try:
            mapping = ColumnMapping.parse(options["columns"]) if options["columns"] else None
            matcher, statements = statement_matching.load(
                options["open_items"], options["statement"], mapping=mapping
            )
        except (DomainError, ValueError) as error:
            raise CommandError(str(error)) from None
        outcomes = (matcher.match(entry) for entry in statement_matching.entries_of(statements))
        try:
            self._write(outcomes, as_json=options["json"])
        except BrokenPipeError:
            # The reader stopped early (`| head`): not an error of ours.
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115

    def _write(self, outcomes, *, as_json: bool) -> None:
        out = sys.stdout
        if as_json:
            dumps = json.dumps
            for outcome in outcomes:
                out.write(dumps(statement_matching.as_json(outcome), ensure_ascii=False))
                out.write("\n")
            return
        counts = dict.fromkeys(
            (matching.MATCHED, matching.SUGGESTED, matching.UNMATCHED, matching.IGNORED), 0
        )
        for outcome in outcomes:
            counts[outcome.status] += 1
            invoices = ", ".join(
                f"{allocation.invoice_number} {allocation.amount}"
                for allocation in outcome.allocations
            )
            out.write(
                f"{outcome.entry.entry_id:<24} {outcome.entry.signed_amount:>12} "
                f"{outcome.status:<9} {invoices}\n    {outcome.reason}\n"
            )
        out.write("\n" + ", ".join(f"{count} {status}" for status, count in counts.items()) + "\n")

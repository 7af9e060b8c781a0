"""`tegoed import-statement FILE --organization SLUG`: read a statement into the books.

Shows a progress bar while matching and booking, then a summary: matched, suggested, not
matched, money out (ignored), notified payments (not booked yet) and those booked now, entries
imported before, and any statement whose balances do not add up. Each entry left out (its
status) or set apart (no amount, a currency no open invoice is in) is named on standard
error with the reason. Importing the same file or the same entries again books nothing twice.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tegoed.accounts.queries import get_organization_by_slug
from tegoed.banking import services
from tegoed.banking.csv import ColumnMapping
from tegoed.domain.errors import DomainError

STAGES = {"read": "Reading", "match": "Matching", "book": "Booking"}


class Command(BaseCommand):
    help = "Import a bank statement (camt.053/054, MT940, bank CSV) and match its payments."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--organization", required=True, help="the organization's short name")
        parser.add_argument("--columns", default="", help="column mapping for another CSV")

    def handle(self, *args, **options):
        organization = get_organization_by_slug(options["organization"])
        console = Console(file=self.stdout._out, highlight=False)
        today = timezone.localdate(timezone=organization.tz)
        try:
            mapping = ColumnMapping.parse(options["columns"]) if options["columns"] else None
            with Progress(
                TextColumn("{task.description:<10}"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            ) as bar:
                tasks: dict[str, int] = {}

                def progress(stage: str, done: int, total: int) -> None:
                    if stage not in tasks:
                        tasks[stage] = bar.add_task(STAGES.get(stage, stage), total=total or 1)
                    bar.update(tasks[stage], completed=done, total=total or 1)

                summary = services.import_statement(
                    organization=organization,
                    path=options["file"],
                    acting_user=None,
                    today=today,
                    mapping=mapping,
                    progress=progress,
                )
        except (DomainError, ValueError, OSError) as error:
            raise CommandError(str(error)) from None
        if summary.already_imported_file:
            console.print(
                f"{summary.file_name} was imported before "
                f"({summary.statement_import.created_at:%Y-%m-%d %H:%M}); nothing booked."
            )
            return
        table = Table(title=f"{summary.file_name} → {organization.slug}", show_header=False)
        table.add_column(justify="left")
        table.add_column(justify="right")
        table.add_row("entries read", str(summary.entries_read))
        table.add_row("imported before (skipped)", str(summary.already_imported))
        for status, label in (
            ("matched", "matched and booked"),
            ("suggested", "suggested (to review)"),
            ("unmatched", "not matched (to review)"),
            ("ignored", "money out (ignored)"),
        ):
            table.add_row(label, str(summary.counts.get(status, 0)))
        table.add_row("notified, not booked yet (matched, held)", str(summary.notified))
        table.add_row("notified before, booked now", str(summary.replaced))
        console.print(table)
        # What was not read, or not matched at all, goes to standard error with the reason.
        for line in [line for report in summary.reports for line in report.lines()]:
            self.stderr.write(f"import-statement: {line}")
        if not summary.entries_read:
            left_out = len(summary.left_out)
            self.stderr.write(
                f"import-statement: nothing imported: the {left_out} entries of the file were "
                "all left out"
                if left_out
                else "import-statement: nothing imported: the file holds no entries"
            )
        if summary.balance_problems:
            for problem in summary.balance_problems:
                console.print(f"[bold red]Balance check:[/] {problem}")
        else:
            console.print("Balance check: every statement adds up (or gives no balances).")
        for warning in summary.warnings[:10]:
            console.print(f"Note: {warning}")

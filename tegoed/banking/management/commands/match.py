"""`tegoed match --open-items items.csv --statement FILE [--json]`: check a file, no database.

Prints, in statement order, what matching would do with each entry. With --json: one JSON
object per entry per line. Nothing is read from or written to the database. The `tegoed`
command runs `tegoed.banking.match_cli` without starting Django; this command is the same for
`call_command` and `django-admin`.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from tegoed.banking import match_cli
from tegoed.domain.errors import DomainError


class Command(BaseCommand):
    help = match_cli.DESCRIPTION
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        match_cli.add_arguments(parser)

    def handle(self, *args, **options):
        try:
            match_cli.run(
                open_items=options["open_items"],
                statement=options["statement"],
                as_json=options["json"],
                columns=options["columns"],
                out=sys.stdout,
                err=sys.stderr,
            )
        except (DomainError, ValueError) as error:
            raise CommandError(str(error)) from None

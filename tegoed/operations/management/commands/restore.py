"""`tegoed restore FILE [--into DATABASE_URL]`: put a backup back.

Into the configured database, Tegoed stopped (the books become the backup's), or into another
database to check that a backup restores, without touching the books.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tegoed.operations import backups


class Command(BaseCommand):
    help = "Restore a backup made by `tegoed backup` (stop Tegoed first, or give --into)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--into", default="", metavar="DATABASE_URL",
            help="restore into this database instead of the configured one",
        )  # fmt: skip

    def handle(self, *args, file: Path, into: str, **options):
        database = (
            backups.Database.from_url(into)
            if into
            else backups.Database.from_settings(connection.settings_dict)
        )
        try:
            backups.restore(file, database)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{file} restored into {database.kind} database {database.name}")

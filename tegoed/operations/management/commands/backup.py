"""`tegoed backup DIRECTORY|FILE [--keep N]`: back up the database while Tegoed runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tegoed.operations import backups


class Command(BaseCommand):
    help = "Back up the whole database (SQLite online backup or pg_dump) while Tegoed runs."

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path, help="a directory (the file is named) or a file")
        parser.add_argument(
            "--keep", type=int, default=0, metavar="N",
            help="in a directory, keep the N newest backups and remove older ones",
        )  # fmt: skip

    def handle(self, *args, target: Path, keep: int, **options):
        database = backups.Database.from_settings(connection.settings_dict)
        try:
            written = backups.backup(database, target)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{written} ({written.stat().st_size:,} bytes)")
        if keep and target.is_dir():
            for removed in backups.prune(target, keep):
                self.stdout.write(f"removed {removed}")

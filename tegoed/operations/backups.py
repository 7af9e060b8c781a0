"""Backups of the whole database, taken while Tegoed runs, and their restore.

SQLite: the online backup API copies the database page by page in a consistent state while
other connections go on reading and writing (https://www.sqlite.org/backup.html); the copy is
itself a SQLite database. PostgreSQL: `pg_dump --format=custom`, a consistent snapshot taken
in one transaction without blocking the application, restored with `pg_restore`. A backup
file is written under a temporary name and renamed when complete, so a half-written file never
looks like a backup.

`restore` writes a backup into a database: the configured one (stop Tegoed first), or another
one given by its URL, which is how a backup is checked without touching the books.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import dj_database_url

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
SUFFIX = {SQLITE: ".sqlite3", POSTGRESQL: ".dump"}


class BackupError(Exception):
    """A backup or restore that did not succeed; the message says why."""


@dataclass(frozen=True, slots=True)
class Database:
    kind: str
    name: str  # the SQLite file, or the PostgreSQL database name
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, config: dict) -> Database:
        """The database Django connects to, from its settings (`connection.settings_dict`)."""
        kinds = {
            "django.db.backends.sqlite3": SQLITE,
            "django.db.backends.postgresql": POSTGRESQL,
        }
        if config["ENGINE"] not in kinds:
            raise BackupError(f"cannot back up a {config['ENGINE']} database")
        return cls(
            kinds[config["ENGINE"]],
            str(config["NAME"]),
            *(str(config.get(key) or "") for key in ("HOST", "PORT", "USER", "PASSWORD")),
        )

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls.from_settings(dj_database_url.parse(url))

    def environment(self) -> dict[str, str]:
        """pg_dump and pg_restore read the connection from libpq's variables."""
        values = {
            "PGHOST": self.host,
            "PGPORT": self.port,
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGDATABASE": self.name,
        }
        return {**os.environ, **{key: value for key, value in values.items() if value}}


def backup(database: Database, target: Path) -> Path:
    """Write a backup of `database` to `target` (a file, or a directory to name it in)."""
    if target.is_dir():
        stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = target / f"tegoed-{stamp}{SUFFIX[database.kind]}"
    partial = target.with_name(target.name + ".partial")
    try:
        if database.kind == SQLITE:
            _sqlite_copy(database.name, partial)
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}"], database)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(source: Path, database: Database) -> None:
    """Replace the contents of `database` with the backup in `source`."""
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file")
    if database.kind == SQLITE:
        try:
            with sqlite3.connect(source) as check:
                intact = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            intact = False
        if not intact:
            raise BackupError(f"{source}: not an intact SQLite database")
        _sqlite_copy(str(source), Path(database.name))
    else:
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             f"--dbname={database.name}", str(source)],
            database,
        )  # fmt: skip


def prune(directory: Path, keep: int) -> list[Path]:
    """Remove all but the `keep` newest backups in `directory`; returns what was removed."""
    backups = sorted(
        (path for path in directory.glob("tegoed-*") if path.suffix in SUFFIX.values()),
        key=lambda path: path.name,
    )
    removed = backups[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed


def _sqlite_copy(source: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # A test database lives in memory, named by a URI ("file:memorydb_default?mode=memory").
    origin = sqlite3.connect(source, timeout=30, uri=source.startswith("file:"))
    with origin, sqlite3.connect(target) as copy:
        # Pages in steps, so that writers get the database between them.
        origin.backup(copy, pages=1024, sleep=0.005)


def _run(command: list[str], database: Database) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt install postgresql-client)")
    finished = subprocess.run(
        command, env=database.environment(), capture_output=True, text=True, check=False
    )
    if finished.returncode != 0:
        raise BackupError(f"{command[0]} failed: {finished.stderr.strip()[:500]}")

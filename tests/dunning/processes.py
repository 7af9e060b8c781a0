"""Real `tegoed` processes working on the test database.

On PostgreSQL the processes connect to the test database itself. SQLite's test database lives
in this process's memory, so it is copied to a file for them, and copied back when they are
done, so that the test reads what they wrote through the ORM as usual. Either way the test's
own rows must be committed first: the tests use `django_db(transaction=True)`.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


class SharedDatabase:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.file = None
        if connection.vendor == "postgresql":
            url = urlsplit(os.environ["DATABASE_URL"])
            name = connection.settings_dict["NAME"]
            self.env["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{name}"))
        else:
            self.file = folder / "tegoed.sqlite3"
            self.env["DATABASE_URL"] = f"sqlite:///{self.file}"

    def __enter__(self) -> SharedDatabase:
        if self.file is not None:
            connection.ensure_connection()
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)
            target.close()
        return self

    def __exit__(self, *exc) -> None:
        if self.file is not None:
            source = sqlite3.connect(self.file)
            source.backup(connection.connection)
            source.close()

    def count(self, table: str, where: str) -> int:
        """Rows of `table` matching `where`, as the processes see them now."""
        sql = f"SELECT count(*) FROM {table} WHERE {where}"
        if self.file is None:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchone()[0]
        with sqlite3.connect(self.file, timeout=30) as reader:
            found = reader.execute(sql).fetchone()[0]
        reader.close()
        return found

    def start(self, *arguments: str, name: str, env: dict | None = None) -> subprocess.Popen:
        """`tegoed ARGUMENTS` in the background, its output in the file `name`.log."""
        log = (self.folder / f"{name}.log").open("w")
        return subprocess.Popen(
            [sys.executable, "-m", "tegoed", *arguments],
            env={**self.env, **(env or {})},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def run(self, *arguments: str, env: dict | None = None) -> str:
        completed = subprocess.run(
            [sys.executable, "-m", "tegoed", *arguments],
            env={**self.env, **(env or {})},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr[-3000:]
        return completed.stdout

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text()

    def wait_for(self, condition, *, what: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                logs = {path.name: path.read_text()[-2000:] for path in self.folder.glob("*.log")}
                raise AssertionError(f"waited {timeout} s for {what}; logs: {logs}")
            time.sleep(0.2)

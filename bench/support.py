"""What several benchmarks share: a kept benchmark database, and timing a `tegoed` process."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def environment(name: str, quick: bool) -> dict:
    """The environment of a benchmark whose database is kept between runs: the database
    `tegoed_bench_<name>` on the PostgreSQL server DATABASE_URL names, or SQLite under
    var/bench-<name>-sqlite/."""
    env = dict(os.environ)
    suffix = "_quick" if quick else ""
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        database = f"tegoed_bench_{name}{suffix}"
        env["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{database}"))
        _create_postgres_database(url, database)
    else:
        env.pop("DATABASE_URL", None)
        folder = ROOT / "var" / f"bench-{name}-sqlite{suffix.replace('_', '-')}"
        folder.mkdir(parents=True, exist_ok=True)
        env["TEGOED_VAR_DIR"] = str(folder)
    return env


def is_postgres(env: dict) -> bool:
    return env.get("DATABASE_URL", "").startswith("postgres")


def _create_postgres_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


@dataclass(frozen=True)
class Timed:
    seconds: float  # wall clock, start to exit
    # The process's own, user and system, with that of the processes it started and waited
    # for (Linux's wait4): less sensitive to a busy machine.
    cpu_seconds: float
    peak_mib: int  # peak resident memory, of the largest process
    out: str  # what it wrote to stdout


@contextmanager
def smtp_server():
    """A local SMTP server (aiosmtpd) on a free port: yields the port and the list that the
    messages it receives are appended to."""
    from aiosmtpd.controller import Controller

    received: list[bytes] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope.content)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


def call_in_process(module: str, call: str, env: dict):
    """Evaluate `call` (e.g. "counts()") in bench.MODULE, in a process of its own with Django
    set up by the module's `_django()`, and return its result read back from JSON."""
    import json

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import json, bench.{module} as b; b._django(); print(json.dumps(b.{call}))",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-4000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def tegoed(arguments: list[str], env: dict) -> Timed:
    """Run `tegoed ARGUMENTS` and time it."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "tegoed", *arguments],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    out = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"tegoed {' '.join(arguments)} failed")
    return Timed(seconds, usage.ru_utime + usage.ru_stime, round(usage.ru_maxrss / 1024), out)

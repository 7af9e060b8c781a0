"""Run benchmarks: `python -m bench` runs all, `python -m bench ledger banking` some.

Each benchmark is a module `bench/<name>.py` with `run(quick: bool) -> dict`; the dict holds its
figures (seconds, rows per second, peak memory in MiB, goals met). The figures are printed and
written to `bench/results/<name>-<database>.json` with the date, machine and database they were
taken on (`sqlite`, or `postgresql` when DATABASE_URL names a PostgreSQL server).
"""

import argparse
import compileall
import datetime
import importlib
import json
import os
import pkgutil
import platform
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def available() -> list[str]:
    here = Path(__file__).resolve().parent
    return sorted(
        module.name
        for module in pkgutil.iter_modules([str(here)])
        if not module.name.startswith("_") and module.name != "support"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default all: {available()})")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    args = parser.parse_args()
    names = args.names or available()
    unknown = set(names) - set(available())
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    RESULTS.mkdir(exist_ok=True)
    # The code runs as an install has it, compiled to bytecode (pip compiles what it installs);
    # an editable install under PYTHONDONTWRITEBYTECODE would compile every module each start.
    compileall.compile_dir(RESULTS.parent.parent / "tegoed", quiet=1)
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}", flush=True)
        figures = module.run(quick=args.quick)
        record = {
            "benchmark": name,
            "taken_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "python": platform.python_version(),
            "database": os.environ.get("DATABASE_URL", "sqlite (default)").split("@")[-1],
            "quick": args.quick,
            "figures": figures,
        }
        for key, value in figures.items():
            print(f"   {key:40} {value}")
        vendor = (
            "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
        )
        suffix = "-quick" if args.quick else ""
        path = RESULTS / f"{name}-{vendor}{suffix}.json"
        path.write_text(json.dumps(record, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

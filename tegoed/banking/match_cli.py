"""`tegoed match`: check a statement file against open items, without Django or a database.

The `tegoed` entry point runs this directly (starting Django would cost more than matching a
day's statement); the `match` management command calls the same `run` for `call_command`.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from typing import NoReturn, TextIO

from tegoed.banking import statement_matching
from tegoed.banking.csv import ColumnMapping
from tegoed.domain import matching
from tegoed.domain.errors import DomainError
from tegoed.domain.statement import Report

DESCRIPTION = "Match a bank statement file against open items from a CSV file (no database)."


def add_arguments(parser) -> None:
    parser.add_argument("--open-items", required=True, help="CSV file of open items")
    parser.add_argument("--statement", required=True, help="camt, MT940 or bank CSV file")
    parser.add_argument("--json", action="store_true", help="one JSON object per entry")
    parser.add_argument(
        "--columns",
        default="",
        help='column mapping for another CSV, e.g. "date=Datum,amount=Bedrag,name=Naam"',
    )


def run(
    *,
    open_items: str,
    statement: str,
    as_json: bool,
    columns: str = "",
    out: TextIO,
    err: TextIO | None = None,
    held: list | None = None,
) -> None:
    """Match and write; raises DomainError (or ValueError) for a file that cannot be read.

    On `err` (standard error by default), for every statement with entries left out, set apart
    or only notified: each of them and why; and why nothing was written, when nothing was.
    `held` receives what a process that ends right after need not free (see `program`).
    """
    mapping = ColumnMapping.parse(columns) if columns else None
    reports: list[Report] = []
    # The cycle collector only slows the loading of many small objects down; it is switched
    # back on afterwards for a caller that lives on (call_command, tests).
    collecting = gc.isenabled()
    gc.disable()
    try:
        written = _write(
            statement_matching.outcomes(
                open_items, statement, mapping=mapping, held=held, reports=reports
            ),
            as_json,
            out,
        )
    finally:
        if collecting:
            gc.enable()
    _report(reports, written, err if err is not None else sys.stderr)


def _report(reports: list[Report], written: int, err: TextIO) -> None:
    lines = [line for report in reports for line in report.lines()]
    if not written:
        left_out = sum(len(report.left_out) for report in reports)
        lines.append(
            f"nothing written: the {left_out} entries of the file were all left out"
            if left_out
            else "nothing written: the file holds no entries"
        )
    if lines:
        err.write("".join(f"tegoed match: {line}\n" for line in lines))


def _write(outcomes, as_json: bool, out: TextIO) -> int:
    """Write the outcomes; how many were written."""
    # Nothing is written before the whole file is read: a bad entry late in the file is an
    # error, not half an answer.
    if as_json:
        lines = list(map(statement_matching.as_json_line, outcomes))
        if lines:
            out.write("\n".join(lines))
            out.write("\n")
        return len(lines)
    counts = dict.fromkeys(
        (matching.MATCHED, matching.SUGGESTED, matching.UNMATCHED, matching.IGNORED), 0
    )
    lines = []
    for outcome in outcomes:
        counts[outcome.status] += 1
        invoices = ", ".join(
            f"{allocation.invoice_number} {allocation.amount}" for allocation in outcome.allocations
        )
        notified = " (notified, not yet booked)" if outcome.entry.notified else ""
        lines.append(
            f"{outcome.entry.entry_id:<24} {outcome.entry.signed_amount:>12} "
            f"{outcome.status:<9} {invoices}\n    {outcome.reason}{notified}\n"
        )
    if not lines:
        return 0
    out.write("".join(lines))
    out.write("\n" + ", ".join(f"{count} {status}" for status, count in counts.items()) + "\n")
    return len(lines)


def program(argv: list[str]) -> NoReturn:
    """`tegoed match` as its own process: ends as soon as the output is out.

    Freeing the matcher's hundreds of thousands of objects one by one, and the rest of the
    interpreter's shutdown, would cost more than a tenth of a second for nothing: the files
    are closed and the second process has ended by then, so the output is flushed and the
    process ends at once.
    """
    held: list = []
    code = main(argv, held=held)
    # A reader that stopped early (`| head`) is not an error of ours.
    with contextlib.suppress(BrokenPipeError):
        sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str], *, held: list | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tegoed match", description=DESCRIPTION)
    add_arguments(parser)
    options = parser.parse_args(argv)
    try:
        run(
            open_items=options.open_items,
            statement=options.statement,
            as_json=options.json,
            columns=options.columns,
            out=sys.stdout,
            held=held,
        )
    except (DomainError, ValueError) as error:
        sys.stderr.write(f"tegoed match: {error}\n")
        return 1
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error of ours.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    return 0

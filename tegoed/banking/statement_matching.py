"""Matching a statement file against open items from a CSV file, without a database.

The `tegoed match` command and the benchmark use this: read `items.csv`, read the statement
(format told from its content), run `matching.propose` in statement order, and describe each
entry as one JSON object. `items.csv` has a header with invoice_number, customer_id,
customer_name, customer_iban (zero or more IBANs separated by spaces), issue_date, due_date,
currency, amount_open and payment_reference (may be empty).
"""

from __future__ import annotations

import csv
import dataclasses
import gc
import json
import math
import multiprocessing
import pickle
import queue
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

from tegoed.banking import formats
from tegoed.banking.csv import ColumnMapping
from tegoed.banking.errors import StatementFileError
from tegoed.common.tabular import parse_date
from tegoed.domain import matching, money
from tegoed.domain.errors import DomainError
from tegoed.domain.statement import Entry, Report, Statement

ITEM_COLUMNS = (
    "invoice_number", "customer_id", "customer_name", "customer_iban", "issue_date", "due_date",
    "currency", "amount_open", "payment_reference",
)  # fmt: skip
REQUIRED_COLUMNS = ("invoice_number", "customer_id", "amount_open")
# IBANs in one cell: separated by spaces (as specified), or by commas or semicolons.
_IBAN_SEPARATORS = re.compile(r"[\s,;]+")


def read_open_items(path: str | Path, *, name: str | None = None) -> list[matching.OpenItem]:
    """The open items in `path`; StatementFileError naming the line of the first bad row."""
    file_name = name or Path(path).name
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed below)
    except OSError as error:
        raise StatementFileError(file_name, f"cannot be read: {error.strerror}") from None
    with handle:
        first = handle.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        header = [
            column.strip().lower() for column in next(csv.reader([first], delimiter=delimiter))
        ]
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            raise StatementFileError(file_name, f"the header has no column {missing[0]!r}", line=1)
        # A column that is not there reads as empty: point it at an empty cell at the end.
        width = len(header)
        position = {
            column: header.index(column) if column in header else width for column in ITEM_COLUMNS
        }
        number_at, customer_at, name_at, iban_at = (
            position["invoice_number"], position["customer_id"], position["customer_name"],
            position["customer_iban"],
        )  # fmt: skip
        issue_at, due_at, currency_at, amount_at, reference_at = (
            position["issue_date"], position["due_date"], position["currency"],
            position["amount_open"], position["payment_reference"],
        )  # fmt: skip
        items: list[matching.OpenItem] = []
        dates: dict[str, date | None] = {"": None}
        amounts: dict[str, Decimal] = {}
        customers: dict[str, tuple[str, str, tuple[str, ...]]] = {}
        currencies: dict[str, str] = {}
        padding = [""] * width
        incomplete = width in position.values()
        item = matching.OpenItem
        for line, row in enumerate(csv.reader(handle, delimiter=delimiter), start=2):
            if len(row) < width:
                if not any(row):
                    continue
                row = row + padding[: width - len(row)]
            if incomplete:
                row.append("")
            number = row[number_at].strip()
            if not number:
                raise StatementFileError(file_name, "invoice_number is empty", line=line)
            amount_text = row[amount_at]
            amount = amounts.get(amount_text)
            if amount is None:
                amount = _amount(amount_text, file_name, line)
                if len(amounts) < 100_000:
                    amounts[amount_text] = amount
            issue_text, due_text = row[issue_at].strip(), row[due_at].strip()
            if issue_text not in dates:
                dates[issue_text] = _date(issue_text, "issue_date", file_name, line)
            if due_text not in dates:
                dates[due_text] = _date(due_text, "due_date", file_name, line)
            # A customer's id, name and IBANs repeat on each of its items: keep one copy.
            customer = row[customer_at]
            known = customers.get(customer)
            if known is None:
                ibans = row[iban_at].upper().strip()
                known = (
                    customer.strip(),
                    row[name_at].strip(),
                    tuple(_IBAN_SEPARATORS.split(ibans)) if ibans else (),
                )
                customers[customer] = known
            currency = row[currency_at]
            items.append(
                item(
                    number,
                    known[0],
                    amount,
                    known[1],
                    known[2],
                    dates[issue_text],
                    dates[due_text],
                    currencies.get(currency)
                    or currencies.setdefault(currency, currency.strip().upper() or "EUR"),
                    row[reference_at].strip(),
                )
            )
    return items


def _amount(text: str, file_name: str, line: int) -> Decimal:
    try:
        return money.parse(text, decimal_comma=None)
    except DomainError:
        raise StatementFileError(
            file_name, f"amount_open {text!r} is not an amount", line=line
        ) from None


def _date(text: str, column: str, file_name: str, line: int) -> date:
    # ISO dates, or as spreadsheets write Dutch dates (31-01-2026).
    found = parse_date(text)
    if found is None:
        raise StatementFileError(
            file_name, f"{column} {text!r} is not a date (YYYY-MM-DD)", line=line
        )
    return found


def as_json(outcome: matching.Outcome) -> dict:
    """The line `tegoed match --json` prints for one entry; a notified payment (reported by the
    bank, not yet booked) says so with `"notified": true`."""
    confidence = 1.0 if outcome.status == matching.IGNORED else round(outcome.confidence, 2)
    line = {
        "entry": outcome.entry.entry_id,
        "amount": f"{outcome.entry.amount:.2f}",
        "status": outcome.status,
        "allocations": [
            {"invoice_number": allocation.invoice_number, "amount": f"{allocation.amount:.2f}"}
            for allocation in outcome.allocations
        ],
        "confidence": confidence,
        "reason": outcome.reason,
    }
    if outcome.entry.notified:
        line["notified"] = True
    return line


# The C string encoder `json.dumps(..., ensure_ascii=False)` uses for every string.
_json_string = json.encoder.encode_basestring


def as_json_line(outcome: matching.Outcome) -> str:
    """`json.dumps(as_json(outcome), ensure_ascii=False)`, written out directly: building the
    dictionary and walking it in the encoder cost more than a third of the command's output
    time. Amounts are digits, a sign and a point, and need no escaping."""
    confidence = 1.0 if outcome.status == matching.IGNORED else round(outcome.confidence, 2)
    number = (
        repr(confidence)
        if type(confidence) is int or (type(confidence) is float and math.isfinite(confidence))
        else json.dumps(confidence)
    )
    string = _json_string
    allocations = ", ".join(
        [
            f'{{"invoice_number": {string(allocation.invoice_number)}, '
            f'"amount": "{allocation.amount:.2f}"}}'
            for allocation in outcome.allocations
        ]
    )
    entry = outcome.entry
    return (
        f'{{"entry": {string(entry.entry_id)}, "amount": "{entry.amount:.2f}", '
        f'"status": {string(outcome.status)}, "allocations": [{allocations}], '
        f'"confidence": {number}, "reason": {string(outcome.reason)}'
        + (', "notified": true}' if entry.notified else "}")
    )


# Below this size a second process costs more than it saves.
PARALLEL_FROM_BYTES = 4 * 1024 * 1024


@contextmanager
def without_cycle_collection():
    """Loading hundreds of thousands of items makes Python's cycle collector rescan them all,
    again and again; nothing loaded here forms cycles, so it is paused meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def outcomes(
    items_path: str | Path,
    statement_path: str | Path,
    *,
    mapping: ColumnMapping | None = None,
    held: list | None = None,
    reports: list[Report] | None = None,
) -> Iterator[matching.Outcome]:
    """What matching does with each entry of the statement file, in statement order.

    A large statement is read by a second process while this one reads the items and builds
    the indexes (machines have two cores; the index takes as long as the file); it sends each
    statement as soon as it is read, so matching starts before the file is finished. While
    this process is busy, the reader also sends what each credit entry says on its own
    (`matching.read`: its text taken apart, no open items needed), and matching does only the
    lookups. The file may still turn out bad after the first outcomes: StatementFileError is
    raised then, and a caller that must write nothing half-way keeps the outcomes until the
    end.

    `held` receives the matcher: a caller that ends the process right after the output is
    written keeps it there, so that its hundreds of thousands of objects are never freed.
    `reports` receives, after each statement's outcomes, what became of its entries.
    """
    for matcher, statement, readings in _statements(items_path, statement_path, mapping, held):
        match = matcher.match
        unmatched = []
        for entry, reading in zip(statement.entries, readings, strict=True):
            outcome = match(entry, reading)
            if outcome.status == matching.UNMATCHED:
                unmatched.append(entry)
            yield outcome
        if reports is not None:
            reports.append(report_of(statement, matcher, unmatched))


def report_of(
    statement: Statement, matcher: matching.Matcher, unmatched: Sequence[Entry]
) -> Report:
    """What became of a statement's entries: read, notified, left out by the reader (its
    `skipped`) or set apart by matching (among the `unmatched` ones)."""
    set_apart = [found for entry in unmatched if (found := matcher.set_apart(entry))]
    return Report(
        statement_id=statement.statement_id,
        account_iban=statement.account_iban,
        read=len(statement.entries),
        notified=sum(entry.notified for entry in statement.entries),
        left_out=(*statement.skipped, *set_apart),
    )


def _statements(
    items_path: str | Path,
    statement_path: str | Path,
    mapping: ColumnMapping | None,
    held: list | None = None,
) -> Iterator[tuple[matching.Matcher, Statement, Sequence[matching.Reading | None]]]:
    size = Path(statement_path).stat().st_size if Path(statement_path).exists() else 0
    if size < PARALLEL_FROM_BYTES or "fork" not in multiprocessing.get_all_start_methods():
        statements = formats.read(statement_path, mapping=mapping)
        matcher = matching.Matcher(read_open_items(items_path))
        if held is not None:
            held.append(matcher)
        for statement in statements:
            yield matcher, statement, (None,) * len(statement.entries)
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    reader = context.Process(target=_read_into, args=(sender, statement_path, mapping), daemon=True)
    reader.start()
    sender.close()
    try:
        matcher = matching.Matcher(read_open_items(items_path))
        if held is not None:
            held.append(matcher)
        while True:
            kind, value = pickle.loads(receiver.recv_bytes())
            if kind == "error":
                raise StatementFileError(*value[:2], line=value[2], element=value[3])
            if kind == "end":
                return
            statement, readings = _unpacked(value)
            yield matcher, statement, readings
    finally:
        if reader.is_alive():
            # Stopped early (an error of ours or of the reader of the output): not needed.
            reader.kill()
        reader.join()
        receiver.close()


def _read_into(sender, statement_path, mapping) -> None:
    gc.disable()
    # The other process reads only once its indexes are built: a thread sends meanwhile, so
    # that reading goes on instead of waiting for the pipe to empty.
    waiting: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    taken = 0  # statements the other process has taken (counted by the sending thread only)

    def send() -> None:
        nonlocal taken
        try:
            while (data := waiting.get()) is not None:
                sender.send_bytes(data)
                taken += 1
        except OSError:
            pass  # The other process stopped listening: nothing left to do.

    sending = threading.Thread(target=send, daemon=True)
    sending.start()
    dumps = pickle.dumps
    handed = 0
    try:
        for statement in formats.each_statement(statement_path, mapping=mapping):
            # The entries' texts are read by whichever process has time: here while the other
            # is busy (building its indexes, or matching what it has not taken yet), there once
            # it has taken everything and waits (a slow format to parse, a busy core).
            busy = taken == 0 or taken < handed
            waiting.put(
                dumps(("statement", _packed(statement, read=busy)), pickle.HIGHEST_PROTOCOL)
            )
            handed += 1
        message = ("end", None)
    except StatementFileError as error:
        message = ("error", (error.file_name, error.problem, error.line, error.element))
    waiting.put(dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
    waiting.put(None)
    sending.join()
    sender.close()


# Entries cross between the processes as plain tuples (`tuple(entry)`, in C): pickling a named
# tuple calls Python code for each one.
def _packed(statement: Statement, *, read: bool) -> tuple[Statement, list[tuple], list]:
    """The statement, its entries as rows and, if `read`, each credit entry's reading (else
    None: the matcher reads the entry itself)."""
    return (
        dataclasses.replace(statement, entries=()),
        list(map(tuple, statement.entries)),
        [
            _flat(matching.read(entry)) if read and entry.credit else None
            for entry in statement.entries
        ],
    )


# Readings cross as plain tuples too: pickling named tuples calls Python code for each one
# (and each of its spans); the matcher reads spans by position, so they stay plain tuples.
def _flat(reading: matching.Reading) -> tuple:
    return (*reading[:4], tuple(map(tuple, reading.spans)))


def _reading(flat: tuple | None) -> matching.Reading | None:
    return None if flat is None else matching.Reading._make(flat)


def _unpacked(
    packed: tuple[Statement, list[tuple], list],
) -> tuple[Statement, list[matching.Reading | None]]:
    statement, rows, readings = packed
    return dataclasses.replace(statement, entries=tuple(map(Entry._make, rows))), list(
        map(_reading, readings)
    )

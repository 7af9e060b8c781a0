"""Matching a statement file against open items from a CSV file, without a database.

The `tegoed match` command and the benchmark use this: read `items.csv`, read the statement
(format told from its content), run `matching.propose` in statement order, and describe each
entry as one JSON object. `items.csv` has a header with invoice_number, customer_id,
customer_name, customer_iban (zero or more IBANs separated by spaces), issue_date, due_date,
currency, amount_open and payment_reference (may be empty).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tegoed.banking.errors import StatementFileError
from tegoed.domain import matching
from tegoed.domain.statement import Entry, Statement

ITEM_COLUMNS = (
    "invoice_number", "customer_id", "customer_name", "customer_iban", "issue_date", "due_date",
    "currency", "amount_open", "payment_reference",
)  # fmt: skip
REQUIRED_COLUMNS = ("invoice_number", "customer_id", "amount_open")


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
        position = {column: header.index(column) for column in ITEM_COLUMNS if column in header}
        width = len(header)
        items: list[matching.OpenItem] = []
        cache_dates: dict[str, date | None] = {"": None}
        get = _getter(position)
        for line, row in enumerate(csv.reader(handle, delimiter=delimiter), start=2):
            if not row or not any(row):
                continue
            if len(row) < width:
                row = row + [""] * (width - len(row))
            number = get(row, "invoice_number").strip()
            if not number:
                raise StatementFileError(file_name, "invoice_number is empty", line=line)
            amount_text = get(row, "amount_open").strip()
            try:
                amount = Decimal(
                    amount_text.replace(",", ".") if "." not in amount_text else amount_text
                )
            except InvalidOperation:
                raise StatementFileError(
                    file_name, f"amount_open {amount_text!r} is not an amount", line=line
                ) from None
            dates = []
            for column in ("issue_date", "due_date"):
                text = get(row, column).strip()
                if text not in cache_dates:
                    try:
                        cache_dates[text] = date.fromisoformat(text)
                    except ValueError:
                        raise StatementFileError(
                            file_name, f"{column} {text!r} is not a date (YYYY-MM-DD)", line=line
                        ) from None
                dates.append(cache_dates[text])
            ibans = get(row, "customer_iban")
            items.append(
                matching.OpenItem(
                    invoice_number=number,
                    customer_id=get(row, "customer_id").strip(),
                    amount_open=amount,
                    customer_name=get(row, "customer_name").strip(),
                    customer_ibans=tuple(ibans.upper().split()) if ibans else (),
                    issue_date=dates[0],
                    due_date=dates[1],
                    currency=get(row, "currency").strip().upper() or "EUR",
                    payment_reference=get(row, "payment_reference").strip(),
                )
            )
    return items


def _getter(position: dict[str, int]):
    def get(row: list[str], column: str) -> str:
        index = position.get(column)
        return row[index] if index is not None else ""

    return get


def entries_of(statements: Iterable[Statement]) -> Iterator[Entry]:
    for statement in statements:
        yield from statement.entries


def match_entries(
    entries: Iterable[Entry],
    items: list[matching.OpenItem],
    *,
    policy: matching.Policy = matching.DEFAULT_POLICY,
) -> Iterator[matching.Outcome]:
    matcher = matching.Matcher(items, policy=policy)
    for entry in entries:
        yield matcher.match(entry)


def as_json(outcome: matching.Outcome) -> dict:
    """The line `tegoed match --json` prints for one entry."""
    confidence = 1.0 if outcome.status == matching.IGNORED else round(outcome.confidence, 2)
    return {
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

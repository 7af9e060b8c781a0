"""Reading CSV files people export from spreadsheets and bookkeeping packages.

Accepts UTF-8 (with or without byte-order mark) and Windows-1252, which is what Excel writes
on a Dutch machine; comma-, semicolon- or tab-separated; headers matched case-insensitively
with aliases (so "Factuurnummer" and "invoice_number" are the same column). Values are read by
typed getters that name the file, line and column when a value is wrong, so an import can list
every problem before it imports anything.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from tegoed.common.decoding import NotText, csv_rows, decode
from tegoed.domain import limits, money
from tegoed.domain.errors import DomainError


@dataclass(frozen=True, slots=True)
class CellError:
    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}"
        if self.column:
            where += f", column {self.column}"
        # A message may quote a value from the file: never a whole long field.
        message = self.message if len(self.message) <= 300 else self.message[:300] + "…"
        return f"{where}: {message}"


class ImportFailed(Exception):
    """Nothing was imported; `errors` lists every problem found."""

    def __init__(self, errors: list[CellError]) -> None:
        self.errors = errors
        shown = "\n".join(f"  {error}" for error in errors[:50])
        more = f"\n  … and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(f"{len(errors)} problem(s), nothing imported:\n{shown}{more}")


@dataclass
class Row:
    """One data row with typed access; problems are collected, not raised one by one."""

    file: str
    line: int
    values: dict[str, str]
    decimal_comma: bool
    errors: list[CellError] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append(CellError(self.file, self.line, column, message))

    def text(self, column: str, *, required: bool = False, max_length: int = 300) -> str:
        value = self.values.get(column, "").strip()
        if required and not value:
            self.error(column, "is empty")
        elif len(value) > max_length:
            self.error(column, f"is longer than {max_length} characters")
        return value

    def amount(
        self,
        column: str,
        *,
        required: bool = False,
        default: str = "",
        precision: limits.Precision = limits.MONEY,
    ) -> Decimal | None:
        """A number that fits `precision` (the column it is written to)."""
        raw = self.values.get(column, "").strip() or default
        if not raw:
            if required:
                self.error(column, "is empty")
            return None
        try:
            value = money.parse(raw, decimal_comma=self.decimal_comma and "," in raw)
        except DomainError:
            self.error(column, f"{limits.quoted(raw)} is not a number")
            return None
        problem = precision.problem(value)
        if problem:
            self.error(column, f"{limits.quoted(raw)} {problem}")
            return None
        return value

    def date(self, column: str, *, required: bool = False) -> datetime.date | None:
        raw = self.values.get(column, "").strip()
        if not raw:
            if required:
                self.error(column, "is empty")
            return None
        parsed = parse_date(raw)
        if parsed is None:
            self.error(column, f"{limits.quoted(raw)} is not a date (use 2026-01-31 or 31-01-2026)")
        return parsed

    def integer(self, column: str, *, maximum: int = limits.SMALL_INTEGER_MAX) -> int | None:
        raw = self.values.get(column, "").strip()
        if not raw:
            return None
        # isdigit() also takes "²" and other digits int() refuses.
        if not (raw.isascii() and raw.isdigit()):
            self.error(column, f"{limits.quoted(raw)} is not a whole number")
            return None
        if int(raw) > maximum:
            self.error(column, f"{limits.quoted(raw)} is more than {maximum}")
            return None
        return int(raw)

    def choice(self, column: str, choices: Mapping[str, str], default: str) -> str:
        raw = self.values.get(column, "").strip().lower()
        if not raw:
            return default
        if raw not in choices:
            allowed = ", ".join(sorted(set(choices)))
            self.error(column, f"{limits.quoted(raw)} is not one of {allowed}")
            return default
        return choices[raw]


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DUTCH_DATE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")


def parse_date(raw: str) -> datetime.date | None:
    """2026-01-31, 31-01-2026, 31/01/2026, 31.01.2026 or 20260131; None when not a date."""
    if match := _ISO_DATE.fullmatch(raw):
        year, month, day = match.groups()
    elif match := _DUTCH_DATE.fullmatch(raw):
        day, _separator, month, year = match.groups()
    elif match := _COMPACT_DATE.fullmatch(raw):
        year, month, day = match.groups()
    else:
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _normal_header(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def read(path: Path, *, aliases: Mapping[str, str], required: tuple[str, ...]) -> Iterator[Row]:
    """Rows of a CSV file with headers mapped to column names through `aliases`.

    Raises ImportFailed when the file cannot be read or misses a required column.
    """
    name = path.name
    try:
        text = decode(path.read_bytes())
    except OSError as error:
        raise ImportFailed([CellError(name, 0, "", f"cannot be read: {error.strerror}")]) from None
    except NotText as error:
        raise ImportFailed([CellError(name, error.line, "", error.problem)]) from None
    lines = text.splitlines()
    if not lines:
        raise ImportFailed([CellError(name, 1, "", "the file is empty")])
    try:
        dialect = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    try:
        yield from _rows(reader, name, aliases, required, decimal_comma=delimiter == ";")
    except NotText as error:
        raise ImportFailed([CellError(name, error.line, "", error.problem)]) from None


def _rows(
    reader, name: str, aliases: Mapping[str, str], required: tuple[str, ...], *,
    decimal_comma: bool,
) -> Iterator[Row]:  # fmt: skip
    """Semicolon files come from Excel on a Dutch machine: decimals are written with a comma."""
    rows = csv_rows(reader)
    columns = [aliases.get(key, key) for key in map(_normal_header, next(rows))]
    missing = [column for column in required if column not in columns]
    if missing:
        raise ImportFailed(
            [
                CellError(name, 1, column, "this column is missing from the header")
                for column in missing
            ]
        )
    for row_values in rows:
        line = reader.line_num
        if not any(value.strip() for value in row_values):
            continue
        if len(row_values) > len(columns):
            yield Row(
                name,
                line,
                {},
                decimal_comma,
                [
                    CellError(
                        name, line, "", f"has {len(row_values)} fields, the header {len(columns)}"
                    )
                ],
            )
            continue
        # A short row (a spreadsheet drops empty cells at the end) has those columns empty.
        row_values += [""] * (len(columns) - len(row_values))
        yield Row(name, line, dict(zip(columns, row_values, strict=True)), decimal_comma)

"""Which format a statement file is in, told from its content, and reading it.

camt (ISO 20022 XML), MT940, or a bank CSV export; the file name's extension is not trusted
(banks name MT940 files .sta, .940, .txt or .swi). A column mapping makes any CSV readable.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tegoed.banking import camt, mt940
from tegoed.banking import csv as bank_csv
from tegoed.banking.errors import StatementFileError
from tegoed.domain.statement import Statement

CAMT = "camt"
MT940 = "mt940"
CSV = "csv"

_HEAD_BYTES = 8192


def detect(head: bytes, file_name: str = "statement") -> str:
    """camt, mt940 or csv for the first bytes of a file; StatementFileError if none fits."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # UTF-16 (with its byte-order mark): only XML is written so; its parser reads it.
        head = head.decode("utf-16", errors="replace").encode()
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        if camt.looks_like_camt(head):
            return CAMT
        raise StatementFileError(file_name, "XML, but not an ISO 20022 camt statement")
    # The head may end inside a character; it is decoded only to recognise the format.
    text = head.decode("utf-8-sig", errors="replace")
    if mt940.looks_like_mt940(text):
        return MT940
    if bank_csv.detect_preset(text):
        return CSV
    raise StatementFileError(
        file_name,
        "not a statement format Tegoed knows (camt.053/054, MT940, or the CSV export of ING, "
        "Rabobank, ABN AMRO, bunq or Knab); for another CSV give a column mapping",
    )


def read(
    path: str | Path,
    *,
    name: str | None = None,
    mapping: bank_csv.ColumnMapping | None = None,
    max_entries: int | None = None,
) -> tuple[Statement, ...]:
    """Every statement in the file, or StatementFileError (nothing is returned half-way).

    A file with more than `max_entries` entries is refused as soon as that many are read, so
    that one file's memory stays bounded."""
    statements, entries = [], 0
    for statement in each_statement(path, name=name, mapping=mapping):
        entries += len(statement.entries)
        if max_entries is not None and entries > max_entries:
            raise StatementFileError(
                name or Path(path).name,
                f"more than {max_entries:,} entries in one file; split it (by date) and import "
                "the parts",
            )
        statements.append(statement)
    return tuple(statements)


def each_statement(
    path: str | Path,
    *,
    name: str | None = None,
    mapping: bank_csv.ColumnMapping | None = None,
) -> Iterator[Statement]:
    """The statements in the file one by one, each as soon as it is read (camt and MT940), so
    a caller can work on the first while the rest is read. A later one may still fail with
    StatementFileError: a caller that must import nothing half-way keeps nothing until the end."""
    file_name = name or Path(path).name
    try:
        with open(path, "rb") as stream:
            head = stream.read(_HEAD_BYTES)
    except OSError as error:
        raise StatementFileError(file_name, f"cannot be read: {error.strerror}") from None
    if mapping is not None:
        yield from bank_csv.read(path, name=file_name, mapping=mapping)
        return
    kind = detect(head, file_name)
    if kind == CAMT:
        yield from camt.each_statement(path, name=file_name)
    elif kind == MT940:
        yield from mt940.each_statement(mt940.decode(Path(path).read_bytes(), file_name), file_name)
    else:
        yield from bank_csv.read(path, name=file_name)

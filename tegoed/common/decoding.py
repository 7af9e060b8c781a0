"""Turning the bytes of a text file (CSV, MT940) into text and rows, or saying where it is not.

Banks and spreadsheets write UTF-8 (with or without a byte-order mark) or Windows-1252, which
is what Excel writes on a Dutch machine. A file with a byte-order mark has declared UTF-8, so
an invalid byte there is an error, not a reason to guess another encoding; a byte that
Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) means the file is neither. A NUL
character is in no text file (a UTF-16 file shows one in every other byte) and no database
column takes it, so it is refused too. A CSV field longer than the csv module's limit
(131,072 characters) is no spreadsheet's either.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

BOM = b"\xef\xbb\xbf"


class NotText(ValueError):
    """The file is not text Tegoed can read; `line` is where the first problem is."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.line = line
        self.problem = problem


def decode(data: bytes) -> str:
    """The text of `data`; raises NotText naming the line of the first undecodable byte."""
    if data.startswith(BOM):
        text = _strict(data, len(BOM), "utf-8", "is not UTF-8, though the file says it is")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _strict(data, 0, "cp1252", "is neither UTF-8 nor Windows-1252")
    nul = text.find("\x00")
    if nul >= 0:
        raise NotText(
            text.count("\n", 0, nul) + 1,
            "contains a NUL character (a UTF-16 file? save it as UTF-8 or CSV)",
        )
    return text


def _strict(data: bytes, start: int, encoding: str, problem: str) -> str:
    try:
        return data[start:].decode(encoding)
    except UnicodeDecodeError as error:
        offset = start + error.start
        byte = data[offset]
        raise NotText(data.count(b"\n", 0, offset) + 1, f"byte 0x{byte:02X} {problem}") from None


def csv_rows(reader) -> Iterator[list[str]]:
    """The rows of a `csv.reader`; a row it cannot read raises NotText naming its line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problem = f"cannot be read as CSV: {error}"
            if "field limit" in str(error):
                problem = f"has a field longer than {csv.field_size_limit()} characters"
            raise NotText(reader.line_num, problem) from None
        yield row

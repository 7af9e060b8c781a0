"""Lists as CSV and XLSX files: the rows a list page shows, with its filters, every page of them.

A list describes its columns once (`Column`) and yields rows of plain values; this module writes
them. Money stays `Decimal` until the writer: exact text in CSV ("1234.56"), a number with a
number format in XLSX. Dates are written as dates. A list that shows money ends in a totals row
per currency, summed exactly as the rows went by. Both writers keep memory flat however long the
list: the CSV is streamed, the XLSX is written row by row to a temporary file (XlsxWriter's
constant-memory mode) and sent from there (docs/decisions/0401).

A text cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a
carriage return) is written with a leading apostrophe, so a customer named "=HYPERLINK(…)"
stays a name.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils.translation import gettext as _

TEXT, MONEY, DATE, CURRENCY, NUMBER = "text", "money", "date", "currency", "number"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = TEXT
    width: int = 14


def harmless(text: str) -> str:
    """Text a spreadsheet shows as text, never evaluates."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Totals:
    """Exact sums of the money columns per currency, in the order the currencies appeared."""

    def __init__(self, columns: Sequence[Column]):
        self.money = [i for i, column in enumerate(columns) if column.kind == MONEY]
        currencies = [i for i, column in enumerate(columns) if column.kind == CURRENCY]
        self.currency = currencies[0] if currencies else None
        self.sums: dict[str, list[Decimal]] = {}
        self.width = len(columns)

    def add(self, row: Sequence) -> None:
        if not self.money:
            return
        currency = row[self.currency] if self.currency is not None else ""
        sums = self.sums.setdefault(currency, [Decimal("0.00")] * len(self.money))
        for position, index in enumerate(self.money):
            if row[index] is not None:
                sums[position] += row[index]

    def rows(self) -> list[list]:
        """One row per currency: "Total" (with the currency when there are several), sums."""
        result = []
        for currency, sums in self.sums.items():
            row: list = [None] * self.width
            row[0] = (
                _("Total")
                if len(self.sums) == 1
                else _("Total %(currency)s") % {"currency": currency}
            )
            if self.currency is not None and self.currency != 0:
                row[self.currency] = currency
            for position, index in enumerate(self.money):
                row[index] = sums[position]
            result.append(row)
        return result


def _csv_value(value, column: Column) -> str:
    if value is None:
        return ""
    if column.kind in (MONEY, NUMBER) and isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return harmless(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(columns: Sequence[Column], rows: Iterable[Sequence]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    totals = Totals(columns)
    # A byte-order mark, so that a spreadsheet opening the file reads it as UTF-8.
    yield "\ufeff" + writer.writerow([harmless(column.title) for column in columns])
    for row in rows:
        totals.add(row)
        yield writer.writerow([_csv_value(v, c) for v, c in zip(row, columns, strict=True)])
    for row in totals.rows():
        yield writer.writerow([_csv_value(v, c) for v, c in zip(row, columns, strict=True)])


def csv_response(name: str, columns: Sequence[Column], rows: Iterable[Sequence]):
    response = StreamingHttpResponse(
        _csv_lines(columns, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def xlsx_response(name: str, columns: Sequence[Column], rows: Iterable[Sequence], *, sheet: str):
    import xlsxwriter

    output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    workbook = xlsxwriter.Workbook(
        output, {"constant_memory": True, "tmpdir": tempfile.gettempdir()}
    )
    worksheet = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True})
    formats = {
        MONEY: workbook.add_format({"num_format": "#,##0.00"}),
        DATE: workbook.add_format({"num_format": "yyyy-mm-dd"}),
        NUMBER: workbook.add_format({"num_format": "0"}),
    }
    total_money = workbook.add_format({"num_format": "#,##0.00", "bold": True, "top": 1})
    for index, column in enumerate(columns):
        worksheet.set_column(index, index, column.width)
    worksheet.freeze_panes(1, 0)
    for index, column in enumerate(columns):
        worksheet.write_string(0, index, column.title, bold)

    def write(number: int, row: Sequence, *, total: bool = False) -> None:
        for index, (value, column) in enumerate(zip(row, columns, strict=True)):
            if value is None:
                continue
            if column.kind == MONEY:
                worksheet.write_number(
                    number, index, float(value), total_money if total else formats[MONEY]
                )
            elif total:
                worksheet.write_string(number, index, str(value), bold)
            elif column.kind == NUMBER:
                worksheet.write_number(number, index, float(value), formats[NUMBER])
            elif column.kind == DATE:
                worksheet.write_datetime(number, index, value, formats[DATE])
            else:
                # write_string: never a formula, whatever the text starts with.
                worksheet.write_string(number, index, str(value))

    totals = Totals(columns)
    number = 0
    for number, row in enumerate(rows, start=1):
        totals.add(row)
        write(number, row)
    for offset, row in enumerate(totals.rows(), start=1):
        write(number + offset, row, total=True)
    workbook.close()
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX_TYPE)


def respond(
    file_format: str,
    name: str,
    columns: Sequence[Column],
    rows: Callable[[], Iterable[Sequence]],
    *,
    sheet: str,
):
    if file_format == "csv":
        return csv_response(name, columns, rows())
    if file_format == "xlsx":
        return xlsx_response(name, columns, rows(), sheet=sheet)
    raise Http404

"""Bank CSV exports: presets for ING, Rabobank, ABN AMRO, bunq and Knab, and a column mapping.

Each bank has its own columns and changes them now and then, so a preset is data: which
header names mean what, how amounts and dates are written. The presets follow the banks'
export layouts as published by the banks and as read by widely used converters:

- ING: "Datum";"Naam / Omschrijving";"Rekening";"Tegenrekening";"Code";"Af Bij";
  "Bedrag (EUR)";"Mutatiesoort";"Mededelingen" (dates YYYYMMDD, amounts with a decimal comma,
  the direction in "Af Bij"; comma- or semicolon-separated).
- Rabobank: "IBAN/BBAN","Munt","BIC","Volgnr","Datum","Rentedatum","Bedrag",…,
  "Tegenrekening IBAN/BBAN","Naam tegenpartij",…,"Betalingskenmerk","Omschrijving-1..3"
  (signed amounts with a decimal comma, ISO dates).
- ABN AMRO: the tab-separated TXT export without a header: account, currency, transaction
  date, start balance, end balance, value date, signed amount, description.
- bunq: "Date","Interest Date","Amount","Account","Counterparty","Name","Description".
- Knab: a "KNAB EXPORT" line, then "Rekeningnummer";"Transactiedatum";"Valutacode";
  "CreditDebet";"Bedrag";"Tegenrekeningnummer";"Tegenrekeninghouder";…;"Omschrijving";…;
  "Referentie" (dates DD-MM-YYYY).

Any other CSV is read with a `ColumnMapping` ("date=Datum,amount=Bedrag,…"). The description
columns go through the same reader as MT940's `:86:` (code words, "Naam:", "IBAN:" labels).
CSV exports have no opening and closing balances, so no balance check is possible for them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from tegoed.banking import mt940
from tegoed.banking.errors import StatementFileError
from tegoed.common import decoding
from tegoed.domain import limits, money
from tegoed.domain.errors import DomainError
from tegoed.domain.statement import Entry, Statement, StructuredReference

_FIELDS = (
    "date", "amount", "direction", "name", "iban", "description", "reference", "currency",
    "account", "payment_reference", "end_to_end", "value_date",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which column holds what. `description` may name several columns, joined in order."""

    date: str
    amount: str
    direction: str = ""  # a column saying credit or debit, when amounts are unsigned
    credit_values: tuple[str, ...] = ("C", "CR", "CREDIT", "BIJ", "+")
    name: str = ""
    iban: str = ""
    description: tuple[str, ...] = ()
    reference: str = ""
    currency: str = ""
    account: str = ""
    payment_reference: str = ""
    end_to_end: str = ""
    value_date: str = ""
    date_format: str = ""  # strptime format; empty: ISO, YYYYMMDD or DD-MM-YYYY
    decimal_comma: bool | None = None  # None: decided per amount

    @classmethod
    def parse(cls, text: str, **options) -> ColumnMapping:
        """Read "date=Datum,amount=Bedrag,description=Omschrijving+Mededelingen"."""
        values: dict = {}
        for part in text.split(","):
            if not part.strip():
                continue
            key, separator, column = part.partition("=")
            key = key.strip().lower()
            if not separator or key not in _FIELDS:
                raise ValueError(
                    f"column mapping {part.strip()!r}: use one of {', '.join(_FIELDS)} = column"
                )
            if key == "description":
                values[key] = tuple(name.strip() for name in column.split("+") if name.strip())
            else:
                values[key] = column.strip()
        if "date" not in values or "amount" not in values:
            raise ValueError("a column mapping needs at least date= and amount=")
        return cls(**values, **options)


@dataclass(frozen=True, slots=True)
class Preset:
    name: str
    mapping: ColumnMapping
    # Header names that must all be present for the preset to apply.
    signature: frozenset[str] = field(default_factory=frozenset)


PRESETS = (
    Preset(
        "ing",
        ColumnMapping(
            date="Datum",
            amount="Bedrag (EUR)",
            direction="Af Bij",
            name="Naam / Omschrijving",
            iban="Tegenrekening",
            description=("Mededelingen",),
            account="Rekening",
            date_format="%Y%m%d",
            decimal_comma=True,
        ),
        frozenset({"Datum", "Naam / Omschrijving", "Af Bij", "Bedrag (EUR)"}),
    ),
    Preset(
        "rabobank",
        ColumnMapping(
            date="Datum",
            value_date="Rentedatum",
            amount="Bedrag",
            name="Naam tegenpartij",
            iban="Tegenrekening IBAN/BBAN",
            description=("Omschrijving-1", "Omschrijving-2", "Omschrijving-3"),
            reference="Volgnr",
            currency="Munt",
            account="IBAN/BBAN",
            payment_reference="Betalingskenmerk",
            end_to_end="Transactiereferentie",
            date_format="%Y-%m-%d",
            decimal_comma=True,
        ),
        frozenset({"IBAN/BBAN", "Volgnr", "Bedrag", "Naam tegenpartij"}),
    ),
    Preset(
        "bunq",
        ColumnMapping(
            date="Date",
            value_date="Interest Date",
            amount="Amount",
            name="Name",
            iban="Counterparty",
            description=("Description",),
            account="Account",
            date_format="%Y-%m-%d",
        ),
        frozenset({"Date", "Interest Date", "Amount", "Counterparty", "Description"}),
    ),
    Preset(
        "knab",
        ColumnMapping(
            date="Transactiedatum",
            value_date="Valutadatum",
            amount="Bedrag",
            direction="CreditDebet",
            name="Tegenrekeninghouder",
            iban="Tegenrekeningnummer",
            description=("Omschrijving",),
            reference="Referentie",
            currency="Valutacode",
            account="Rekeningnummer",
            date_format="%d-%m-%Y",
            decimal_comma=True,
        ),
        frozenset({"Rekeningnummer", "Transactiedatum", "CreditDebet", "Bedrag"}),
    ),
)

# ABN AMRO's TXT export has no header: these are its eight columns.
ABN_AMRO_COLUMNS = (
    "account", "currency", "date", "start_balance", "end_balance", "value_date", "amount",
    "description",
)  # fmt: skip
ABN_AMRO = ColumnMapping(
    date="date",
    value_date="value_date",
    amount="amount",
    description=("description",),
    currency="currency",
    account="account",
    date_format="%Y%m%d",
    decimal_comma=True,
)


def _lines(text: str) -> list[str]:
    lines = text.splitlines()
    # Knab starts with a title line before the header.
    if lines and lines[0].strip().strip(";,").upper().startswith("KNAB EXPORT"):
        return ["", *lines[1:]]
    return lines


def _delimiter(header_line: str) -> str:
    counts = {candidate: header_line.count(candidate) for candidate in (";", ",", "\t", "|")}
    return max(counts, key=counts.__getitem__)


def _header(text: str) -> tuple[list[str], int, str]:
    """The header row, its line number (1-based) and the delimiter."""
    for number, line in enumerate(_lines(text), start=1):
        if line.strip():
            delimiter = _delimiter(line)
            try:
                row = next(csv.reader([line], delimiter=delimiter))
            except csv.Error:
                return [], number, delimiter  # no header a preset knows
            return [cell.strip() for cell in row], number, delimiter
    return [], 0, ","


def detect_preset(text: str) -> str:
    """The name of the bank preset this CSV text fits, or "" when none does."""
    header, _line, delimiter = _header(text)
    names = set(header)
    for preset in PRESETS:
        if preset.signature <= names:
            return preset.name
    if (
        delimiter == "\t"
        and len(header) == len(ABN_AMRO_COLUMNS)
        and re.fullmatch(r"\d{8}", header[2] or "")
    ):
        return "abnamro"
    return ""


def read(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    mapping: ColumnMapping | None = None,
    preset: str = "",
) -> tuple[Statement, ...]:
    if isinstance(source, bytes):
        data, file_name = source, name or "statement.csv"
    else:
        file_name = name or str(source)
        data = Path(source).read_bytes()
    return parse(mt940.decode(data, file_name), file_name, mapping=mapping, preset=preset)


def parse(
    text: str, file_name: str = "statement.csv", *, mapping: ColumnMapping | None = None,
    preset: str = "",
) -> tuple[Statement, ...]:  # fmt: skip
    chosen = preset or ("" if mapping else detect_preset(text))
    has_header = True
    if mapping is None:
        if chosen == "abnamro":
            mapping, has_header = ABN_AMRO, False
        else:
            found = next((candidate for candidate in PRESETS if candidate.name == chosen), None)
            if found is None:
                raise StatementFileError(
                    file_name,
                    "not a known bank CSV export (ING, Rabobank, ABN AMRO, bunq, Knab); "
                    "give a column mapping",
                    line=1,
                )
            mapping = found.mapping
    lines = _lines(text)
    header, header_line, delimiter = _header(text)
    if has_header:
        columns = header
        missing = [
            column
            for column in (mapping.date, mapping.amount, *mapping.description)
            if column and column not in columns
        ]
        if missing:
            raise StatementFileError(
                file_name, f"column {missing[0]!r} is not in the header", line=header_line
            )
        start = header_line
    else:
        columns = list(ABN_AMRO_COLUMNS)
        start = 0
    statement_id = Path(file_name).stem
    reader = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=delimiter)
    entries: list[Entry] = []
    accounts: set[str] = set()
    currency = ""
    try:
        rows = list(decoding.csv_rows(reader))
    except decoding.NotText as error:
        raise StatementFileError(file_name, error.problem, line=start + error.line) from None
    for offset, row in enumerate(rows):
        line = start + offset + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(columns):
            row = row + [""] * (len(columns) - len(row))
        values = dict(zip(columns, (cell.strip() for cell in row), strict=False))
        entry = _entry(values, mapping, file_name, line, statement_id)
        entries.append(entry)
        if mapping.account and values.get(mapping.account):
            accounts.add(values[mapping.account].replace(" ", "").upper())
        currency = currency or entry.currency
    if not entries:
        raise StatementFileError(file_name, "no entries found", line=header_line or 1)
    return (
        Statement(
            statement_id=statement_id,
            account_iban=accounts.pop() if len(accounts) == 1 else "",
            currency=currency or "EUR",
            entries=tuple(entries),
            file_format=f"csv:{chosen or 'mapping'}",
        ),
    )


def _entry(
    values: dict[str, str], mapping: ColumnMapping, file_name: str, line: int, statement_id: str
) -> Entry:
    amount_text = values.get(mapping.amount, "")
    amount = _amount(amount_text, mapping.decimal_comma, file_name, line, mapping.amount)
    credit = amount >= 0
    if mapping.direction:
        direction = values.get(mapping.direction, "").strip().upper()
        credit = direction in {value.upper() for value in mapping.credit_values}
        amount = abs(amount)
    booking_date = _date(values.get(mapping.date, ""), mapping, file_name, line, mapping.date)
    value_date = None
    if mapping.value_date and values.get(mapping.value_date):
        value_date = _date(values[mapping.value_date], mapping, file_name, line, mapping.value_date)
    description = " ".join(
        values.get(column, "") for column in mapping.description if values.get(column)
    )
    details = mt940.describe(description) if description else {}
    references = list(details.get("references", ()))
    if mapping.payment_reference and values.get(mapping.payment_reference):
        references.append(StructuredReference(values[mapping.payment_reference]))
    iban = (values.get(mapping.iban, "") if mapping.iban else "").replace(" ", "").upper()
    reference = values.get(mapping.reference, "") if mapping.reference else ""
    return Entry(
        entry_id=reference or f"{statement_id}/{line}",
        amount=abs(amount),
        credit=credit,
        booking_date=booking_date,
        value_date=value_date or booking_date,
        currency=(values.get(mapping.currency, "") if mapping.currency else "") or "EUR",
        counterparty_name=(values.get(mapping.name, "") if mapping.name else "")
        or details.get("name", ""),
        counterparty_iban=iban or details.get("iban", ""),
        structured_references=tuple(references),
        remittance_text=details.get("text", description),
        end_to_end_id=(values.get(mapping.end_to_end, "") if mapping.end_to_end else "")
        or details.get("end_to_end", ""),
        bank_reference=reference,
        additional_information=description,
        position=line,
    )


def _amount(
    text: str, decimal_comma: bool | None, file_name: str, line: int, column: str
) -> Decimal:
    cleaned = text.replace("+", "")
    if decimal_comma is False:
        cleaned = cleaned.replace(",", "")  # the preset says: commas group thousands
    try:
        amount = money.parse(cleaned, decimal_comma=decimal_comma)
    except DomainError:
        raise StatementFileError(
            file_name, f"{limits.quoted(text)} in column {column!r} is not an amount", line=line
        ) from None
    problem = limits.MONEY.problem(amount)
    if problem:
        raise StatementFileError(
            file_name, f"{limits.quoted(text)} in column {column!r} {problem}", line=line
        )
    return amount.quantize(Decimal("0.01"))


_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")


def _date(text: str, mapping: ColumnMapping, file_name: str, line: int, column: str) -> date:
    formats = (mapping.date_format,) if mapping.date_format else _DATE_FORMATS
    for date_format in formats:
        try:
            return datetime.strptime(text.strip(), date_format).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise StatementFileError(
        file_name, f"{limits.quoted(text)} in column {column!r} is not a date", line=line
    )

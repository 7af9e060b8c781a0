"""SWIFT MT940 statements as the Dutch banks export them, with their `:86:` dialects.

Fields read (SWIFT MT940 / "Customer Statement Message"): `:20:` statement reference, `:25:`
account, `:28C:` sequence number, `:60F:`/`:60M:` opening balance, `:61:` statement line
(value date, optional entry date, C/D/RC/RD mark, optional funds code, amount with a decimal
comma, transaction type, reference for the account owner, `//` the bank's reference, and a
continuation line with supplementary details), `:86:` information to the account owner (six
lines of 65 characters), `:62F:`/`:62M:` closing balance.

The `:86:` field comes in three dialects:
- Code words (ING, Rabobank, ABN AMRO, BNG "MT940S"): `/EREF/…/CNTP/IBAN/BIC/name/city/…`,
  `/REMI/USTD//text/`, `/REMI/STRD/CUR/ref/`, Rabobank `/ORDP//NAME/…/REMI/…` and
  `/REMI//CDTRREFTP//CD/SCOR/ISSR/CUR/CDTRREF/ref`, ABN AMRO `/TRTP/…/IBAN/…/NAME/…/REMI/…`.
  The lines were cut every 65 characters, in the middle of words, so they are joined without
  a space before the code words are split (formats.md §1.2, as Tryton's `mt940` does).
- Numbered sub-fields (Triodos `>20…`, the German `?20…?29` layout): `?20`–`?29` and
  `?60`–`?63` are the description (27 characters each), `?32`/`?33` the name, `?31` the
  account, with SEPA keys `EREF+`, `MREF+`, `SVWZ+` inside the description.
- Free text (ASN, SNS, Knab, older ING/ABN AMRO): the counterparty account and name on the
  first line when the bank puts them there, and labels such as "NAAM:", "REK:", "IBAN:",
  "Omschrijving:" when present.

MT942 (interim transaction report) has the same `:20: :25: :28C: :61: :86:` fields, no
balances, a floor limit `:34F:` (currency, amount) and the report's moment `:13D:`
(YYMMDDHHMM+ZZZZ): its entries are read as notified payments, not yet booked (docs/decisions/
0204). German banks date quarter-end postings on 30 February (a 30/360 calendar): such a value
date is read as the last day of the month, and the entry date, a real one, stays the date that
counts. Transaction types shorter than four characters ("S" followed by spaces) are read as
written.

This parser is our own (docs/decisions/0200-own-mt940-parser.md): the `mt-940` package does
not split the Dutch code words and fails on the ASN file, and an own parser can name the line
of every error. Nothing is returned from a file with an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from tegoed.banking.errors import StatementFileError
from tegoed.common import decoding
from tegoed.domain import limits
from tegoed.domain.statement import Balance, Entry, Statement, StructuredReference, join_wrapped

LINE_WIDTH = 65
_SUBFIELD_WIDTH = 27

# Numbered fields, and the non-SWIFT ":NS:" field some banks add (ignored).
_TAG = re.compile(r"^:(\d{2}[A-Z]?|NS):(.*)$")
_END = re.compile(r"^-\s*(?:\}.*|XXX)?\s*$")
_BALANCE = re.compile(r"^([CD])(\d{6})([A-Z]{3})(\d+(?:,\d*)?)\s*$")
# The parts of a :61: statement line in order, each with what it must look like. The
# transaction type is a letter and three characters; banks also write fewer, ended by a space.
_LINE_PARTS = (
    ("value", "value date", r"\d{6}", "YYMMDD"),
    ("entry", "entry date", r"(?:\d{4})?", "MMDD or nothing"),
    ("mark", "debit/credit mark", r"RC|RD|EC|ED|C|D", "C, D, RC, RD, EC or ED"),
    ("funds", "funds code", r"[A-Z]?", "one letter or nothing"),
    ("amount", "amount", r"\d+(?:,\d*)?(?=[A-Z]|$)", "digits with a decimal comma"),
    (
        "type",
        "transaction type",
        r"[A-Z][A-Z0-9]{3}|[A-Z][A-Z0-9]{0,2}(?=\s|//|$)",
        "a letter and up to three letters or digits, as NTRF",
    ),
)
_LINE = re.compile(
    "^"
    + "".join(f"(?P<{key}>{pattern})" for key, _name, pattern, _shape in _LINE_PARTS)
    + r"(?P<reference>.*?)(?://(?P<bank>.*))?$"
)
_FLOOR_LIMIT = re.compile(r"^([A-Z]{3})([CD]?)(\d+(?:,\d*)?)\s*$")
_REPORT_MOMENT = re.compile(r"^(\d{6})(\d{4})([+-]\d{4})?\s*$")
_IBAN_TEXT = re.compile(r"\b([A-Z]{2}\d{2}[A-Z0-9]{10,30})\b")
_SUBFIELD = re.compile(r"[?>](\d{2})")
_SEPA_KEYS = re.compile(r"(EREF|KREF|MREF|CRED|DEBT|COAM|OAMT|SVWZ|ABWA|ABWE|IBAN|BIC)\+")
_LABELS = re.compile(
    r"\b(NAAM|NAME|REK|IBAN|BIC|OMSCHRIJVING|KENMERK|BETALINGSKENM|MACHTIGING ID|"
    r"INCASSANT ID|VALUTADATUM|TRANSACTIEDATUM)\s*[:.]",
    re.IGNORECASE,
)

# Code words of the Dutch structured :86: (ING, Rabobank, ABN AMRO, BNG).
_CODE_WORDS = (
    "EREF", "CNTP", "REMI", "MARF", "CSID", "RTRN", "PURP", "ULTC", "ULTD", "ULTB", "BENM",
    "ORDP", "NAME", "ADDR", "IBAN", "BIC", "TRTP", "PREF", "TRCD", "ISDT", "NRTX", "PIND",
    "RTYP", "SWOC", "EXCH", "CHGS", "BUSP", "IREF", "OCMT", "CDTRREFTP", "CDTRREF", "ISSR",
    "CD", "ID", "FX", "RREF", "ACCW", "ICDR", "REF",
)  # fmt: skip
_CODE_WORD = re.compile(r"/(" + "|".join(_CODE_WORDS) + r")/")
_STRUCTURED = re.compile(r"^/(" + "|".join(_CODE_WORDS) + r")/")


def is_code_words(information: str) -> bool:
    """A `:86:` (or camt AddtlNtryInf) in the Dutch code-word layout: "/EREF/…/REMI/…"."""
    return bool(_STRUCTURED.match(information.lstrip()))


def looks_like_mt940(head: str) -> bool:
    return bool(re.search(r"^:(20|25|60F|61):", head, re.MULTILINE))


def decode(data: bytes, file_name: str = "statement") -> str:
    """The text of an MT940 or bank CSV file: UTF-8 or, in older exports, Windows-1252."""
    try:
        return decoding.decode(data)
    except decoding.NotText as error:
        raise StatementFileError(file_name, error.problem, line=error.line) from None


def read(source: str | Path | bytes, *, name: str | None = None) -> tuple[Statement, ...]:
    if isinstance(source, bytes):
        data, file_name = source, name or "statement"
    else:
        file_name = name or str(source)
        data = Path(source).read_bytes()
    return parse(decode(data, file_name), file_name)


def parse(text: str, file_name: str = "statement") -> tuple[Statement, ...]:
    """All statements in MT940 text; raises StatementFileError naming the line on error."""
    return tuple(each_statement(text, file_name))


def each_statement(text: str, file_name: str = "statement") -> Iterator[Statement]:
    """The statements in MT940 text one by one, each as soon as it is read. A later one may
    still fail: a caller that must import nothing half-way keeps nothing until the end."""
    fields = _fields(text, file_name)
    current: _Statement | None = None
    for tag, value, line in fields:
        if tag == "20":
            if current is not None:
                yield current.finish(file_name)
            current = _Statement(value.strip(), line)
            continue
        if current is None:
            if tag in ("25", "28", "28C", "60F", "60M", "61", "86", "62F", "62M", "34F", "13D"):
                raise StatementFileError(file_name, f":{tag}: before any :20:", line=line)
            continue
        current.add(tag, value, line, file_name)
    if current is None:
        raise StatementFileError(file_name, "no MT940 statement (:20: … :62F:) found")
    yield current.finish(file_name)


def _fields(text: str, file_name: str) -> list[tuple[str, str, int]]:
    """(tag, value with continuation lines joined by newlines, first line number)."""
    fields: list[tuple[str, list[str], int]] = []
    open_field = False
    for number, raw in enumerate(text.splitlines(), start=1):
        # No field of a bank's MT940 is longer than a few hundred characters: a longer one is
        # cut (limits.MAX_TEXT), so that one field cannot fill the memory.
        line = raw[: limits.MAX_TEXT].rstrip("\r\n")
        if "{4:" in line and not line.startswith(":"):
            # "{1:…}{2:…}{4:" opens a message; what follows is fields.
            open_field = False
            continue
        match = _TAG.match(line)
        if match:
            fields.append((match.group(1), [match.group(2)], number))
            open_field = True
            continue
        if _END.match(line) or line.startswith("{5:"):
            open_field = False
            continue
        if open_field and fields and sum(map(len, fields[-1][1])) < limits.MAX_TEXT:
            fields[-1][1].append(line)
        # Anything else outside a field is a bank's header line ("ABNANL2A", "940").
    return [(tag, "\n".join(lines), number) for tag, lines, number in fields]


class _Statement:
    def __init__(self, reference: str, line: int) -> None:
        self.reference = reference
        self.line = line
        self.account = ""
        self.sequence = ""
        self.opening: Balance | None = None
        self.closing: Balance | None = None
        self.currency = ""
        self.lines: list[dict] = []
        self.closed = False
        # MT942: an interim report of entries not yet on a statement.
        self.interim = False
        self.reported_on: date | None = None

    def add(self, tag: str, value: str, line: int, file_name: str) -> None:
        if tag == "25":
            self.account = _account(value.strip())
        elif tag in ("28", "28C"):
            self.sequence = value.strip()
        elif tag in ("60F", "60M"):
            self.opening, self.currency = _balance(value, line, file_name)
        elif tag == "61":
            self.lines.append(_statement_line(value, line, file_name, self.opening))
        elif tag == "86":
            if self.closed or not self.lines or "information" in self.lines[-1]:
                # Information after the closing balance (ING) is about the whole statement.
                return
            self.lines[-1]["information"] = value
        elif tag in ("62F", "62M"):
            self.closing, _ = _balance(value, line, file_name)
            self.closed = True
        elif tag == "34F":
            self.interim = True
            floor = _interim_field(
                _FLOOR_LIMIT, value, ":34F: floor limit", "currency, D/C mark, amount", line,
                file_name,
            )  # fmt: skip
            self.currency = self.currency or floor.group(1)
        elif tag == "13D":
            self.interim = True
            match = _interim_field(
                _REPORT_MOMENT, value, ":13D: date and time", "YYMMDDHHMM+ZZZZ", line, file_name
            )
            self.reported_on = _date(match.group(1), line, file_name, ":13D: date")

    def finish(self, file_name: str) -> Statement:
        if self.opening is None and not self.interim:
            raise StatementFileError(
                file_name,
                f"statement {self.reference!r} has no opening balance (:60F:), and no floor "
                "limit (:34F:) or date and time (:13D:) of an MT942 interim report",
                line=self.line,
            )
        entries = []
        seen: dict[str, int] = {}
        for position, line in enumerate(self.lines, start=1):
            entry = _entry(line, position, self.reference, self.currency, notified=self.interim)
            count = seen.get(entry.entry_id, 0) + 1
            seen[entry.entry_id] = count
            if count > 1:
                entry = entry._replace(entry_id=f"{entry.entry_id}#{count}")
            entries.append(entry)
        return Statement(
            statement_id=self.reference,
            account_iban=self.account,
            currency=self.currency or "EUR",
            entries=tuple(entries),
            opening_balance=self.opening,
            closing_balance=self.closing,
            sequence_number=self.sequence,
            created_on=self.reported_on,
            file_format="mt942" if self.interim else "mt940",
        )


def _interim_field(
    pattern: re.Pattern, value: str, field: str, shape: str, line: int, file_name: str
) -> re.Match:
    """An MT942 field read by `pattern`, or an error naming the field and its layout."""
    match = pattern.match(value.strip())
    if not match:
        raise StatementFileError(file_name, f"{field} {value.strip()!r} is not {shape}", line=line)
    return match


def _account(value: str) -> str:
    compact = value.replace(" ", "").upper()
    match = _IBAN_TEXT.search(compact)
    if match and _valid_iban(match.group(1)):
        return match.group(1)
    return compact.rsplit("/", 1)[-1]


def _valid_iban(value: str) -> bool:
    """Shaped like an IBAN. The check digits are the bank's business: the file is its word."""
    return bool(_IBAN_TEXT.fullmatch(value))


def _amount(text: str, line: int, file_name: str, part: str) -> Decimal:
    """MT940 amounts have a decimal comma and may omit the decimals: "9," and "500"."""
    amount = Decimal(text.replace(",", "."))
    problem = limits.MONEY.problem(amount)
    if problem:
        raise StatementFileError(file_name, f"{part} {limits.quoted(text)} {problem}", line=line)
    return amount.quantize(Decimal("0.01"))


def _date(text: str, line: int, file_name: str, part: str) -> date:
    try:
        return date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        raise StatementFileError(
            file_name, f"{part} {limits.quoted(text)} is not a date (YYMMDD)", line=line
        ) from None


def _value_date(text: str, line: int, file_name: str) -> date:
    """A :61: value date; 30 February (and the 29th to 31st of shorter months), which banks
    counting 30/360 write, is the last day of that month."""
    year, month, day = 2000 + int(text[:2]), int(text[2:4]), int(text[4:6])
    if 1 <= month <= 12 and 29 <= day <= 31:
        return min(date(year, month, 28) + timedelta(days=day - 28), _month_end(year, month))
    return _date(text, line, file_name, ":61: value date")


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _balance(value: str, line: int, file_name: str) -> tuple[Balance, str]:
    match = _BALANCE.match(value.strip())
    if not match:
        raise StatementFileError(
            file_name,
            f"balance {limits.quoted(value.strip())} is not C/D, YYMMDD, currency, amount",
            line=line,
        )
    sign, on, currency, amount = match.groups()
    signed = _amount(amount, line, file_name, "balance amount") * (-1 if sign == "D" else 1)
    return Balance(signed, _date(on, line, file_name, "balance date")), currency


def _unreadable_part(text: str) -> str:
    """Which part of a :61: line does not fit, and what was expected there."""
    rest = text
    for _key, name, pattern, shape in _LINE_PARTS:
        match = re.match(pattern, rest)
        if match is None:
            return f"the {name} cannot be read at {rest[:20]!r} (expected {shape})"
        rest = rest[match.end() :]
    return f"the reference cannot be read at {rest[:20]!r}"


def _statement_line(value: str, line: int, file_name: str, opening: Balance | None) -> dict:
    first, *rest = value.split("\n")
    match = _LINE.match(first.rstrip())
    if not match:
        problem = _unreadable_part(first.strip())
        raise StatementFileError(
            file_name, f":61: statement line {limits.quoted(first.strip())}: {problem}", line=line
        )
    value_date = _value_date(match.group("value"), line, file_name)
    booking_date = value_date
    if match.group("entry"):
        month, day = int(match.group("entry")[:2]), int(match.group("entry")[2:])
        year = value_date.year
        # A booking in January for a value date in December (and the other way round).
        if month == 1 and value_date.month == 12:
            year += 1
        elif month == 12 and value_date.month == 1:
            year -= 1
        try:
            booking_date = date(year, month, day)
        except ValueError:
            raise StatementFileError(
                file_name,
                f":61: entry date {match.group('entry')!r} is not a date (MMDD)",
                line=line,
            ) from None
    mark = match.group("mark")
    amount = _amount(match.group("amount"), line, file_name, ":61: amount")
    return {
        "line": line,
        "value_date": value_date,
        "booking_date": booking_date,
        # RC (reversal of a credit) is money out, RD money in.
        "credit": mark in ("C", "RD", "EC"),
        "reversal": mark.startswith("R"),
        "amount": amount,
        "type": match.group("type"),
        "reference": match.group("reference").strip(),
        "bank_reference": (match.group("bank") or "").strip(),
        "supplementary": " ".join(part.strip() for part in rest if part.strip()),
    }


def _entry(
    line: dict, position: int, statement_reference: str, currency: str, *, notified: bool
) -> Entry:
    information = line.get("information", "")
    details = describe(information)
    supplementary = line["supplementary"]
    name = details.get("name", "")
    iban = details.get("iban", "")
    owner_reference = line["reference"].replace(" ", "").upper()
    if not iban and _IBAN_TEXT.fullmatch(owner_reference) and _valid_iban(owner_reference):
        # ASN puts the counterparty's IBAN in the reference for the account owner.
        iban = owner_reference
    if supplementary:
        compact = supplementary.replace(" ", "").upper()
        if _IBAN_TEXT.fullmatch(compact) and _valid_iban(compact):
            iban = iban or compact
        elif not name and not compact.startswith("/") and not re.fullmatch(r"[A-Z]?\d+", compact):
            # ASN and SNS put the counterparty's name there; ING its "/TRCD/…" code.
            name = supplementary
    entry_id = line["bank_reference"] or f"{statement_reference}/{position}"
    return Entry(
        entry_id=entry_id,
        amount=line["amount"],
        credit=line["credit"],
        booking_date=line["booking_date"],
        value_date=line["value_date"],
        currency=currency or "EUR",
        counterparty_name=name,
        counterparty_iban=iban,
        counterparty_bic=details.get("bic", ""),
        ultimate_party_name=details.get("ultimate", ""),
        structured_references=details.get("references", ()),
        remittance_text=details.get("text", ""),
        end_to_end_id=details.get("end_to_end", ""),
        mandate_id=details.get("mandate", ""),
        bank_reference=line["bank_reference"],
        entry_reference=line["reference"],
        # Code words cut over lines are joined as the bank cut them (mid-word).
        additional_information=(
            "".join(information.split("\n"))
            if is_code_words(information)
            else " ".join(information.split())
        ),
        bank_transaction_code=line["type"],
        reversal=line["reversal"],
        return_reason=details.get("return_reason", ""),
        position=line["line"],
        notified=notified,
    )


# --- :86: -------------------------------------------------------------------------------


def describe(information: str) -> dict:
    """What a `:86:` field says: name, iban, bic, text, references, end_to_end, mandate."""
    lines = information.split("\n")
    if not information.strip():
        return {}
    joined = "".join(lines)
    if _STRUCTURED.match(joined.lstrip()):
        return _code_words(joined.strip())
    if re.match(r"^\d{3}[?>]\d{2}", joined.strip()):
        return _subfields(information)
    return _free_text(lines)


def _code_words(text: str) -> dict:
    values: dict[str, str] = {}
    matches = list(_CODE_WORD.finditer(text))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        # The slash that closes one value is the one that opens the next code word.
        value = text[match.end() : end]
        code = match.group(1)
        if values.get(code):
            if value:
                values[code] = f"{values[code]} {value}"
        else:
            values[code] = value
    result: dict = {}
    references: list[StructuredReference] = []
    if "CNTP" in values:
        # ING: /CNTP/IBAN/BIC/name/city/
        parts = [part.strip() for part in values["CNTP"].split("/")]
        parts += [""] * 4
        result["iban"], result["bic"], result["name"] = parts[0], parts[1], parts[2]
    for code, key in (("NAME", "name"), ("IBAN", "iban"), ("BIC", "bic")):
        if values.get(code, "").strip():
            result[key] = values[code].strip()
    text_parts: list[str] = []
    remittance = values.get("REMI", "")
    if remittance.startswith("USTD/"):
        text_parts.append(remittance[5:].strip("/ "))
    elif remittance.startswith("STRD/"):
        parts = remittance[5:].strip("/").split("/")
        if len(parts) >= 2:
            references.append(StructuredReference(parts[1].strip(), parts[0].strip()))
        elif parts and parts[0]:
            references.append(StructuredReference(parts[0].strip()))
    else:
        issuer_match = re.search(r"ISSUER:\s*(\w+)\s+REF:\s*(\S+)", remittance, re.IGNORECASE)
        if issuer_match:
            references.append(StructuredReference(issuer_match.group(2), issuer_match.group(1)))
        elif remittance.strip("/ "):
            text_parts.append(remittance.strip("/ "))
    if values.get("CDTRREF", "").strip():
        references.append(
            StructuredReference(values["CDTRREF"].strip("/ "), values.get("ISSR", "").strip("/ "))
        )
    ultimate = values.get("ULTD", "") or values.get("ULTC", "")
    if ultimate.strip("/ "):
        result["ultimate"] = ultimate.strip("/ ").split("/")[0].strip()
    end_to_end = values.get("EREF", "").strip("/ ")
    result["end_to_end"] = end_to_end
    result["mandate"] = values.get("MARF", "").strip("/ ")
    result["return_reason"] = values.get("RTRN", "").strip("/ ")
    result["text"] = " ".join(" ".join(text_parts).split())
    result["references"] = tuple(references)
    if result.get("iban"):
        result["iban"] = result["iban"].replace(" ", "").upper()
    return result


def _subfields(information: str) -> dict:
    text = information.replace("\n", "")
    pieces = _SUBFIELD.split(text[3:])
    fields: dict[str, list[str]] = {}
    # split() gives [before, code, value, code, value, …]
    for index in range(1, len(pieces) - 1, 2):
        fields.setdefault(pieces[index], []).append(pieces[index + 1])
    description_parts = [
        value
        for code in [f"{n:02d}" for n in (*range(20, 30), *range(60, 64))]
        for value in fields.get(code, [])
    ]
    description = join_wrapped(description_parts, _SUBFIELD_WIDTH)
    result: dict = {"name": " ".join(
        "".join(fields.get("32", []) + fields.get("33", [])).split()
    )}  # fmt: skip
    account = "".join(fields.get("31", [])).replace(" ", "").upper()
    if account and _valid_iban(account):
        result["iban"] = account
    compact = "".join(description_parts)
    if _SEPA_KEYS.search(compact):
        keyed = _sepa_keys(compact)
        result["end_to_end"] = keyed.get("EREF", "")
        result["mandate"] = keyed.get("MREF", "")
        description = keyed.get("SVWZ", "") or description
        if keyed.get("IBAN") and not result.get("iban"):
            result["iban"] = keyed["IBAN"].replace(" ", "")
        if keyed.get("ABWA"):
            result["ultimate"] = keyed["ABWA"]
    result["text"] = " ".join(description.split())
    return result


def _sepa_keys(text: str) -> dict[str, str]:
    matches = list(_SEPA_KEYS.finditer(text))
    values: dict[str, str] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        values[match.group(1)] = text[match.end() : end].strip()
    return values


def _free_text(lines: list[str]) -> dict:
    result: dict = {}
    stripped = [line.rstrip() for line in lines]
    # Lines padded to 65 with spaces ended where the writer ended them; a full line without
    # trailing space was cut in the middle of a word.
    text = join_wrapped([line for line in lines if line.strip()], LINE_WIDTH)
    first = stripped[0].strip() if stripped else ""
    match = re.match(r"^([A-Z]{2}\d{2}[A-Z0-9]{10,30}|\d{9,10})\s+(.+)$", first)
    if match and len([line for line in stripped if line.strip()]) > 1:
        # ASN, SNS: "<account> <name>" on the first line, the description below it.
        account, name = match.groups()
        if _valid_iban(account):
            result["iban"] = account
        result["name"] = name.strip()
        text = join_wrapped([line for line in lines[1:] if line.strip()], LINE_WIDTH)
    labels = list(_LABELS.finditer(text))
    if labels:
        values: dict[str, str] = {}
        for index, label in enumerate(labels):
            end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
            values[label.group(1).upper()] = text[label.end() : end].strip(" /")
        name = values.get("NAAM") or values.get("NAME")
        if name:
            result["name"] = name
        account = (values.get("IBAN") or values.get("REK") or "").replace(" ", "").upper()
        if account and _valid_iban(account):
            result["iban"] = account
        described = [text[: labels[0].start()].strip(" /")]
        described += [values[key] for key in ("OMSCHRIJVING", "KENMERK") if values.get(key)]
        text = " ".join(part for part in described if part)
    result["text"] = text
    return result

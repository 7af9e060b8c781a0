"""ISO 20022 camt.052 / camt.053 / camt.054 bank statements, read safely and as a stream.

One code path reads versions 001.01 to 001.13 (and later ones of the same structure) by
matching element names within the file's own namespace: `Sts` as text (up to .07) or `Sts/Cd`
(from .08), `BIC` or `BICFI`, `Dbtr/Nm` or `Dbtr/Pty/Nm`, the transaction amount in
`AmtDtls/TxAmt/Amt` (.02) or `TxDtls/Amt` (.08), `TxDtls` and `Btch` in `NtryDtls` or, in .01,
directly in the entry.
A batch entry with several transaction details becomes one entry per detail, with the detail's
amount (never the batch total) when the details add up to the entry; the Dutch
implementation guidelines (Betaalvereniging camt.053 IG) and formats.md §1.4 describe these
fields.

The parser is hardened: no DTD, no entity expansion, no network access, libxml2's size
limits kept; a document that declares a DOCTYPE is refused outright, as the parser reads it
(wherever it stands and whatever the encoding). Free texts are cut to `limits.MAX_TEXT`. It
streams with `iterparse` and frees every entry after reading it, so memory stays flat on large
files. Booked entries (`Sts` BOOK) are read as payments; pending (PDNG) and informational
(INFO) ones, which camt.052 intraday reports and camt.054 notifications carry before the
booking, as notified payments (`Entry.notified`). An entry with any other status (FUTR, a
bank's own code) is left out and listed in `Statement.skipped` with its status. Errors name the
file, the element and its line.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from tegoed.banking import mt940
from tegoed.banking.errors import StatementFileError
from tegoed.domain import limits
from tegoed.domain.statement import (
    STATUS,
    Balance,
    Entry,
    SkippedEntry,
    Statement,
    StructuredReference,
    join_wrapped,
)

_CONTAINERS = {"Stmt", "Ntfctn", "Rpt"}
_BOOKED = "BOOK"
# Reported before the booking: read as notified payments.
_NOTIFIED = frozenset({"PDNG", "INFO"})
_CENT = Decimal("0.01")
# Free text longer than a field's maximum is wrapped over several Ustrd (140 characters each).
_USTRD_WIDTH = 140


def looks_like_camt(head: bytes) -> bool:
    return b"camt.05" in head or b"BkToCstmr" in head


def read(source: str | Path | BinaryIO, *, name: str | None = None) -> tuple[Statement, ...]:
    """All statements in a camt file; raises StatementFileError and returns nothing on error."""
    return tuple(each_statement(source, name=name))


def each_statement(
    source: str | Path | BinaryIO, *, name: str | None = None
) -> Iterator[Statement]:
    """The statements of a camt file one by one, each as soon as it is read. A later one may
    still fail: a caller that must import nothing half-way keeps nothing until the end."""
    file_name = name or (str(source) if isinstance(source, str | Path) else "statement")
    if isinstance(source, str | Path):
        with open(source, "rb") as stream:
            yield from _read(stream, file_name)
        return
    yield from _read(source, file_name)


def _read(stream: BinaryIO, file_name: str) -> Iterator[Statement]:
    reader = _Reader(file_name)
    events = etree.iterparse(
        stream,
        events=("end",),
        tag=("{*}Ntry", "{*}Stmt", "{*}Ntfctn", "{*}Rpt"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        # camt has no mixed content: the indentation between elements is not kept (faster).
        remove_blank_text=True,
    )
    handle, statements, given = reader.handle, reader.statements, 0
    events = iter(events)
    try:
        first = next(events, None)
        # The DOCTYPE comes before the first element: the parser has read it by now.
        if first is not None and first[1].getroottree().docinfo.doctype:
            raise StatementFileError(file_name, "a DOCTYPE or entity declaration is not allowed")
        for _event, element in itertools.chain((first,) if first else (), events):
            handle(element)
            if len(statements) > given:
                yield statements[given]
                given += 1
    except etree.XMLSyntaxError as error:
        raise StatementFileError(
            file_name, f"not well-formed XML: {error.msg}", line=error.lineno
        ) from None
    if not statements:
        raise StatementFileError(
            file_name, "no camt statement (Stmt, Ntfctn or Rpt) found", element="Document"
        )


class _Reader:
    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.statements: list[Statement] = []
        self.ns = ""
        self.version = ""
        self.header: dict | None = None
        self.entries: list[Entry] = []
        self.suffixes: list[str] = []
        self.warnings: list[str] = []
        self.skipped: list[SkippedEntry] = []
        self.position = 0
        self.dates: dict[str, date] = {}

    # Tags in this file's namespace, built once.
    def _namespace(self, element: etree._Element) -> None:
        tag = element.tag
        self.ns = tag[: tag.index("}") + 1] if tag.startswith("{") else ""
        match = re.search(r"camt\.\d{3}\.\d{3}\.\d{2}", self.ns)
        self.version = match.group() if match else "camt"
        ns = self.ns
        self.names = _Names({ns + name: name for name in _NAMES})
        self.t = {
            name: ns + name
            for name in (
                "Amt", "CdtDbtInd", "RvslInd", "Sts", "Cd", "BookgDt", "ValDt", "Dt", "DtTm",
                "AcctSvcrRef", "NtryRef", "AddtlNtryInf", "NtryDtls", "TxDtls", "Btch", "Refs",
                "EndToEndId", "MndtId", "AmtDtls", "TxAmt", "InstdAmt", "RltdPties", "Dbtr",
                "Cdtr", "DbtrAcct", "CdtrAcct", "UltmtDbtr", "UltmtCdtr", "Nm", "Pty", "Id",
                "IBAN", "Othr", "RltdAgts", "DbtrAgt", "CdtrAgt", "FinInstnId", "BIC", "BICFI",
                "RmtInf", "Ustrd", "Strd", "CdtrRefInf", "Ref", "Tp", "CdOrPrtry", "Issr",
                "Prtry", "RfrdDocInf", "Nb", "AddtlRmtInf", "RtrInf", "Rsn", "BkTxCd", "Domn",
                "Fmly", "SubFmlyCd", "Acct", "Ccy", "Bal", "ElctrncSeqNb", "LglSeqNb",
                "CreDtTm", "NbOfTxs",
            )
        }  # fmt: skip

    def handle(self, element: etree._Element) -> None:
        if not self.ns:
            self._namespace(element)
        local = element.tag[len(self.ns) :]
        if local == "Ntry":
            if self.header is None:
                self.header = self._header(element.getparent())
            self._entry(element)
            # Free what was read: the entry, and entries before it still held by the parent.
            element.clear(keep_tail=True)
            parent = element.getparent()
            while (previous := element.getprevious()) is not None and previous.tag == element.tag:
                parent.remove(previous)
        elif local in _CONTAINERS:
            header = self.header or self._header(element)
            self._finish(header)
            element.clear(keep_tail=True)

    def _header(self, container: etree._Element) -> dict:
        t = self.t
        account = container.find(t["Acct"])
        iban = currency = ""
        if account is not None:
            iban = account.findtext(f"{t['Id']}/{t['IBAN']}") or account.findtext(
                f"{t['Id']}/{t['Othr']}/{t['Id']}", ""
            )
            currency = account.findtext(t["Ccy"], "")
        balances: dict[str, Balance] = {}
        for balance in container.iterfind(t["Bal"]):
            code = balance.findtext(f"{t['Tp']}/{t['CdOrPrtry']}/{t['Cd']}") or balance.findtext(
                f"{t['Tp']}/{t['CdOrPrtry']}/{t['Prtry']}", ""
            )
            amount_element = balance.find(t["Amt"])
            if amount_element is None:
                continue
            amount = self._amount(amount_element)
            if balance.findtext(t["CdtDbtInd"], "CRDT").strip() == "DBIT":
                amount = -amount
            on = self._date(balance.find(t["Dt"]))
            # The first of each kind counts; banks add forward balances (FWAV) after them.
            balances.setdefault(code.strip(), Balance(amount, on))
            if not currency:
                currency = amount_element.get("Ccy", "")
        created = container.findtext(t["CreDtTm"], "")
        return {
            "id": container.findtext(t["Id"], "").strip(),
            "iban": iban.strip(),
            "currency": currency,
            "opening": balances.get("OPBD") or balances.get("PRCD"),
            "closing": balances.get("CLBD"),
            "sequence": (
                container.findtext(t["ElctrncSeqNb"]) or container.findtext(t["LglSeqNb"], "")
            ).strip(),
            "created": _iso_date(created[:10]) if created else None,
        }

    def _finish(self, header: dict) -> None:
        statement_id = header["id"]
        seen: dict[str, int] = {}
        entries = []
        for entry, suffix in zip(self.entries, self.suffixes, strict=True):
            entry_id = entry.entry_id or f"{statement_id}/{entry.position}{suffix}"
            count = seen.get(entry_id, 0) + 1
            seen[entry_id] = count
            if count > 1:
                # Banks reuse a reference within one statement (a batch and its details):
                # later ones get their occurrence number so every entry has its own id.
                entry_id = f"{entry_id}#{count}"
            if entry_id != entry.entry_id:
                entry = entry._replace(entry_id=entry_id)
            entries.append(entry)
        skipped = tuple(
            each._replace(entry_id=each.entry_id or f"{statement_id}/{each.position}")
            for each in self.skipped
        )
        self.statements.append(
            Statement(
                statement_id=statement_id,
                account_iban=header["iban"],
                currency=header["currency"] or (entries[0].currency if entries else "EUR"),
                entries=tuple(entries),
                opening_balance=header["opening"],
                closing_balance=header["closing"],
                sequence_number=header["sequence"],
                created_on=header["created"],
                file_format=self.version,
                warnings=tuple(self.warnings),
                skipped=skipped,
            )
        )
        self.header = None
        self.entries = []
        self.suffixes = []
        self.warnings = []
        self.skipped = []
        self.position = 0

    def _entry(self, ntry: etree._Element) -> None:
        """Read one Ntry by walking down its structure (the hot path of large files).

        Only the containers that hold wanted data are entered, so every element's meaning
        follows from where the walk is: `Amt` directly in the entry is the entry amount, in
        `TxDtls` or `TxDtls/AmtDtls/TxAmt` a transaction amount, and so on. Subtrees that hold
        nothing wanted (charges, interest, card data) are never entered: each element is read
        where the camt schemas put it (`NtryDtls/Btch/NbOfTxs`, `TxDtls/Refs/MndtId`, ...).
        """
        self.position += 1
        names = self.names
        entry: dict = {"amount": None, "indicator": "", "status": ""}
        details: list[dict] = []
        codes: list[str] = []
        for child in ntry:
            local = names[child.tag]
            if local is None:
                continue
            if local == "Amt":
                entry["amount"] = child
            elif local == "CdtDbtInd":
                entry["indicator"] = (child.text or "").strip()
            elif local == "Sts":
                entry["status"] = _status(child, names)
            elif local == "BookgDt" or local == "ValDt":
                for part in child:
                    if names[part.tag] in _DATE_PARTS:
                        entry[local] = part
            elif local == "AcctSvcrRef":
                entry["reference"] = (child.text or "").strip()
            elif local == "BkTxCd":
                _bank_codes(child, names, codes)
            elif local == "NtryDtls":
                self._entry_details(child, entry, details)
            elif local == "TxDtls" or local == "Btch":
                # Version .01 has the details and the batch in the entry itself.
                self._entry_details((child,), entry, details)
            elif local in _ENTRY_TEXT:
                entry[_ENTRY_TEXT[local]] = child.text or ""
        self._emit(ntry, entry, details, "/".join(filter(None, codes)))

    def _entry_details(self, container, entry: dict, details: list) -> None:
        """NtryDtls (or a .01 entry's own TxDtls or Btch): the batch's count of payments and
        one dict per TxDtls."""
        names = self.names
        for child in container:
            local = names[child.tag]
            if local == "TxDtls":
                details.append(self._detail(child))
            elif local == "Btch":
                for part in child:
                    if names[part.tag] == "NbOfTxs":
                        entry["batch"] = part.text or ""

    def _detail(self, tx: etree._Element) -> dict:
        names = self.names
        detail = _new_detail()
        codes: list[str] = []
        for child in tx:
            local = names[child.tag]
            if local == "Refs":
                for part in child:
                    key = _REFERENCES.get(names[part.tag])
                    if key is not None:
                        detail[key] = (part.text or "").strip()
            elif local == "Amt":
                detail["amount"] = child
            elif local == "AmtDtls":
                for part in child:
                    if names[part.tag] == "TxAmt":
                        for amount in part:
                            if names[amount.tag] == "Amt":
                                detail["amount"] = amount
            elif local == "CdtDbtInd":
                detail["indicator"] = (child.text or "").strip()
            elif local == "RltdPties":
                _parties(child, names, detail)
            elif local == "RltdAgts":
                _agents(child, names, detail)
            elif local == "RmtInf":
                _remittance(child, names, detail)
            elif local == "RtrInf":
                _return_reason(child, names, detail)
            elif local == "BkTxCd":
                _bank_codes(child, names, codes)
        detail["code"] = "/".join(filter(None, codes))
        return detail

    def _emit(self, ntry: etree._Element, entry: dict, details: list[dict], code: str) -> None:
        """Entries of one Ntry. The entry's BkTxCd covers its details; a detail's own BkTxCd
        counts only when the entry has none (banks repeat the entry's code in each detail)."""
        status = entry["status"].strip()
        notified = status in _NOTIFIED
        if status and status != _BOOKED and not notified:
            self._skip(entry, status)
            return
        if entry["amount"] is None:
            self._fail(ntry, "entry without Amt")
        amount_element = entry["amount"]
        amount = self._amount(amount_element)
        currency = amount_element.get("Ccy", "EUR")
        indicator = entry["indicator"]
        if indicator not in ("CRDT", "DBIT"):
            self._fail(ntry, f"CdtDbtInd must be CRDT or DBIT, not {limits.quoted(indicator)}")
        credit = indicator == "CRDT"
        reference = entry.get("reference", "")
        entry_reference = entry.get("entry_reference", "").strip()
        common = {
            "currency": currency,
            "booking_date": self._date(entry.get("BookgDt")),
            "value_date": self._date(entry.get("ValDt")),
            "entry_reference": entry_reference,
            "additional_information": " ".join(limits.cap(entry.get("additional", "")).split()),
            "reversal": entry.get("reversal", "").strip().lower() == "true",
            "position": self.position,
            "notified": notified,
        }
        base_id = reference or entry_reference
        if len(details) > 1:
            amounts = [
                self._amount(detail["amount"]) if detail["amount"] is not None else None
                for detail in details
            ]
            if all(value is not None for value in amounts) and sum(amounts) == amount:
                for number, (detail, detail_amount) in enumerate(
                    zip(details, amounts, strict=True), start=1
                ):
                    detail_credit = (
                        credit if not detail["indicator"] else detail["indicator"] == "CRDT"
                    )
                    fields = _detail_fields(detail, detail_credit)
                    # Without a bank reference the id is made at the end of the statement,
                    # from the statement's id and the entry's position: remember the detail.
                    self.suffixes.append("" if base_id else f"/{number}")
                    self.entries.append(
                        Entry(
                            entry_id=f"{base_id}/{number}" if base_id else "",
                            amount=detail_amount,
                            credit=detail_credit,
                            bank_reference=detail["detail_reference"] or reference,
                            bank_transaction_code=code or detail["code"],
                            **fields,
                            **common,
                        )
                    )
                return
            self.warnings.append(
                f"entry {base_id or self.position}: its {len(details)} transaction details do "
                "not add up to the entry; read as one entry"
            )
        if not details:
            count = entry.get("batch", "").strip()
            if count not in ("", "1"):
                self.warnings.append(
                    f"entry {base_id or self.position}: a batch of {count} payments without details"
                )
            fields = _detail_fields(_new_detail(), credit)
        else:
            fields = _detail_fields(details[0], credit)
        if details and not code:
            code = details[0]["code"]
        fields = _with_mirror(fields, common["additional_information"])
        self.suffixes.append("")
        self.entries.append(
            Entry(
                entry_id=base_id,
                amount=amount,
                credit=credit,
                bank_reference=reference,
                bank_transaction_code=code,
                **fields,
                **common,
            )
        )

    def _skip(self, entry: dict, status: str) -> None:
        """An entry with a status that is neither booked nor notified: listed, not read."""
        amount_element = entry["amount"]
        try:
            amount = (
                Decimal((amount_element.text or "").strip()) if amount_element is not None else None
            )
        except InvalidOperation:
            amount = None
        indicator = entry["indicator"]
        self.skipped.append(
            SkippedEntry(
                entry_id=entry.get("reference", "") or entry.get("entry_reference", "").strip(),
                amount=amount,
                credit={"CRDT": True, "DBIT": False}.get(indicator),
                why=STATUS,
                detail=status,
                position=self.position,
            )
        )

    def _amount(self, element: etree._Element) -> Decimal:
        text = (element.text or "").strip()
        try:
            amount = Decimal(text)
        except InvalidOperation:
            self._fail(element, f"{limits.quoted(text)} is not an amount")
        if not amount.is_finite() or amount < 0:
            self._fail(element, f"{limits.quoted(text)} is not an amount in cents")
        problem = limits.MONEY.problem(amount)
        if problem:
            self._fail(element, f"{limits.quoted(text)} {problem}")
        return amount.quantize(_CENT)

    def _date(self, element: etree._Element | None) -> date | None:
        """A date from a Dt or DtTm element; a balance's Dt holds the date in Dt or DtTm."""
        if element is None:
            return None
        # A statement has few distinct dates: read each once.
        text = element.text
        value = self.dates.get(text)
        if value is None:
            if text is None or not text.strip():
                text = element.findtext(self.t["Dt"]) or element.findtext(self.t["DtTm"]) or ""
            stripped = text.strip()
            if not stripped:
                return None
            value = _iso_date(stripped[:10])
            if value is None:
                self._fail(element, f"{limits.quoted(stripped)} is not a date")
            self.dates[text] = value
        return value

    def _fail(self, element: etree._Element, problem: str):
        raise StatementFileError(
            self.file_name,
            problem,
            line=element.sourceline,
            element=element.tag[len(self.ns) :],
        )


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class _Names(dict):
    """Local names by full tag; a tag the walk does not look at gives None (cheaper than get)."""

    def __missing__(self, tag: str) -> None:
        return None


# The entry is walked down its structure: these are the elements the walk looks at.
_NAMES = (
    "Ntry", "Amt", "CdtDbtInd", "RvslInd", "Sts", "Cd", "Prtry", "BookgDt", "ValDt", "Dt",
    "DtTm", "AcctSvcrRef", "NtryRef", "AddtlNtryInf", "BkTxCd", "Domn", "Fmly", "SubFmlyCd",
    "NtryDtls", "Btch", "NbOfTxs", "TxDtls", "Refs", "EndToEndId", "MndtId", "AmtDtls", "TxAmt",
    "RltdPties", "Dbtr", "Cdtr", "UltmtDbtr", "UltmtCdtr", "Pty", "Nm", "DbtrAcct", "CdtrAcct",
    "Id", "IBAN", "RltdAgts", "DbtrAgt", "CdtrAgt", "BIC", "BICFI", "RmtInf", "Ustrd", "Strd",
    "CdtrRefInf", "RfrdDocInf", "Tp", "CdOrPrtry", "Issr", "Ref", "Nb", "AddtlRmtInf", "RtrInf",
    "Rsn",
)  # fmt: skip
# Elements directly in the entry whose text is kept as it is.
_ENTRY_TEXT = {"RvslInd": "reversal", "NtryRef": "entry_reference", "AddtlNtryInf": "additional"}
_REFERENCES = {
    "AcctSvcrRef": "detail_reference",
    "EndToEndId": "end_to_end_id",
    "MndtId": "mandate_id",
}
_DATE_PARTS = frozenset({"Dt", "DtTm"})
_PARTIES = frozenset({"Dbtr", "Cdtr", "UltmtDbtr", "UltmtCdtr"})
_ACCOUNTS = frozenset({"DbtrAcct", "CdtrAcct"})
_AGENTS = frozenset({"DbtrAgt", "CdtrAgt"})
_BICS = frozenset({"BIC", "BICFI"})
_REASONS = frozenset({"Cd", "Prtry"})
_FAMILY_CODES = frozenset({"Cd", "SubFmlyCd"})


def _status(sts: etree._Element, names: dict) -> str:
    """Sts is the code itself up to version .07 and holds it in Sts/Cd from .08 on."""
    status = sts.text or ""
    for part in sts:
        if names[part.tag] == "Cd":
            status = (part.text or "").strip()
    return status


def _bank_codes(code: etree._Element, names: dict, codes: list[str]) -> None:
    """BkTxCd/Domn: domain, family and subfamily, as PMNT/RCDT/ESCT; the bank's own
    proprietary code (BkTxCd/Prtry) is left out."""
    for domain in code:
        if names[domain.tag] != "Domn":
            continue
        for part in domain:
            local = names[part.tag]
            if local == "Cd":
                codes.append((part.text or "").strip())
            elif local == "Fmly":
                for family in part:
                    if names[family.tag] in _FAMILY_CODES:
                        codes.append((family.text or "").strip())


def _parties(parties: etree._Element, names: dict, detail: dict) -> None:
    """RltdPties: names (Dbtr/Nm, or Dbtr/Pty/Nm from .08 on) and accounts (DbtrAcct/Id/IBAN)."""
    for party in parties:
        local = names[party.tag]
        if local in _PARTIES:
            for part in party:
                inner = names[part.tag]
                if inner == "Nm":
                    detail[local] = " ".join((part.text or "").split())
                elif inner == "Pty":
                    for name in part:
                        if names[name.tag] == "Nm":
                            detail[local] = " ".join((name.text or "").split())
        elif local in _ACCOUNTS:
            for part in party:
                if names[part.tag] == "Id":
                    for iban in part:
                        if names[iban.tag] == "IBAN":
                            detail[local] = (iban.text or "").replace(" ", "").upper()


def _agents(agents: etree._Element, names: dict, detail: dict) -> None:
    """RltdAgts: the banks' BIC (DbtrAgt/FinInstnId/BIC, BICFI from .08 on)."""
    for agent in agents:
        local = names[agent.tag]
        if local in _AGENTS:
            for part in agent:
                for bic in part:
                    if names[bic.tag] in _BICS:
                        detail[local] = (bic.text or "").strip()


def _remittance(remittance: etree._Element, names: dict, detail: dict) -> None:
    """RmtInf: free text (Ustrd, and AddtlRmtInf in Strd) in the order written, creditor
    references and referred document numbers."""
    for child in remittance:
        local = names[child.tag]
        if local == "Ustrd":
            detail["texts"].append(child.text or "")
        elif local == "Strd":
            for part in child:
                inner = names[part.tag]
                if inner == "CdtrRefInf" or inner == "RfrdDocInf":
                    _referred(part, inner, names, detail)
                elif inner == "AddtlRmtInf":
                    detail["texts"].append(part.text or "")


def _referred(info: etree._Element, kind: str, names: dict, detail: dict) -> None:
    """Strd/CdtrRefInf (Tp, Ref) or Strd/RfrdDocInf (Nb). Only CdtrRefInf/Tp names the
    reference's issuer; RfrdDocInf/Tp is the kind of document (an invoice), not an issuer."""
    for part in info:
        local = names[part.tag]
        if local == "Tp" and kind == "CdtrRefInf":
            # The issuer is kept per transaction detail: the last one given applies to all its
            # creditor references (a payment carries one reference, rarely more).
            for kind_part in part:
                inner = names[kind_part.tag]
                if inner == "Issr":
                    detail["issuer"] = (kind_part.text or "").strip()
                elif inner == "CdOrPrtry":
                    for code in kind_part:
                        if names[code.tag] == "Prtry":
                            detail["issuer"] = (code.text or "").strip()
        elif local == "Ref" and kind == "CdtrRefInf":
            text = (part.text or "").strip()
            if text:
                detail["references"].append(text)
        elif local == "Nb" and kind == "RfrdDocInf":
            text = (part.text or "").strip()
            if text:
                detail["documents"].append(text)


def _return_reason(info: etree._Element, names: dict, detail: dict) -> None:
    """RtrInf/Rsn/Cd (or Prtry): why the payment came back."""
    for reason in info:
        if names[reason.tag] == "Rsn":
            for code in reason:
                if names[code.tag] in _REASONS:
                    detail["return_reason"] = (code.text or "").strip()


def _with_mirror(fields: dict, additional: str) -> dict:
    """ABN AMRO mirrors its MT940 code words in AddtlNtryInf; entries without transaction
    details ("domestic" credits) have the payer and the description only there."""
    if fields["remittance_text"] or fields["structured_references"]:
        return fields
    if not mt940.is_code_words(additional):
        return fields
    details = mt940.describe(additional)
    return {
        **fields,
        "remittance_text": details.get("text", ""),
        "structured_references": details.get("references", ()),
        "counterparty_name": fields["counterparty_name"] or details.get("name", ""),
        "counterparty_iban": fields["counterparty_iban"] or details.get("iban", ""),
        "end_to_end_id": fields["end_to_end_id"] or details.get("end_to_end", ""),
    }


def _new_detail() -> dict:
    return {
        "amount": None,
        "indicator": "",
        "texts": [],
        "references": [],
        "documents": [],
        "issuer": "",
        "detail_reference": "",
        "end_to_end_id": "",
        "mandate_id": "",
        "return_reason": "",
        "code": "",
    }


def _detail_fields(detail: dict, credit: bool) -> dict:
    """The Entry fields of one transaction detail; the counterparty depends on the direction."""
    # Money in: the counterparty is the debtor (the payer); money out: the creditor.
    party, account, ultimate, agent = (
        ("Dbtr", "DbtrAcct", "UltmtDbtr", "DbtrAgt")
        if credit
        else ("Cdtr", "CdtrAcct", "UltmtCdtr", "CdtrAgt")
    )
    issuer = detail["issuer"]
    return {
        "counterparty_name": detail.get(party, ""),
        "counterparty_iban": detail.get(account, ""),
        "counterparty_bic": detail.get(agent, ""),
        "ultimate_party_name": detail.get(ultimate, ""),
        "structured_references": tuple(
            StructuredReference(reference, issuer) for reference in detail["references"]
        ),
        "referred_documents": tuple(detail["documents"]),
        "remittance_text": limits.cap(join_wrapped(detail["texts"], _USTRD_WIDTH)),
        "end_to_end_id": detail["end_to_end_id"],
        "mandate_id": detail["mandate_id"],
        "return_reason": detail["return_reason"],
    }

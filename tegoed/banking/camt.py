"""ISO 20022 camt.052 / camt.053 / camt.054 bank statements, read safely and as a stream.

One code path reads versions 001.02 to 001.08 by matching element names within the file's own
namespace: `Sts` as text (.02) or `Sts/Cd` (.08), `BIC` or `BICFI`, `Dbtr/Nm` or
`Dbtr/Pty/Nm`, the transaction amount in `AmtDtls/TxAmt/Amt` (.02) or `TxDtls/Amt` (.08).
A batch entry with several transaction details becomes one entry per detail, with the detail's
amount (never the batch total) when the details add up to the entry; the Dutch
implementation guidelines (Betaalvereniging camt.053 IG) and formats.md §1.4 describe these
fields.

The parser is hardened: no DTD, no entity expansion, no network access, libxml2's size
limits kept; a document that declares a DOCTYPE is refused outright. It streams with
`iterparse` and frees every entry after reading it, so memory stays flat on large files.
Only booked entries (`Sts` BOOK) are read. Errors name the file, the element and its line.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from tegoed.banking.errors import StatementFileError
from tegoed.domain.statement import Balance, Entry, Statement, StructuredReference, join_wrapped

_CONTAINERS = {"Stmt", "Ntfctn", "Rpt"}
_HEAD_BYTES = 4096
# Free text longer than a field's maximum is wrapped over several Ustrd (140 characters each).
_USTRD_WIDTH = 140


def looks_like_camt(head: bytes) -> bool:
    return b"camt.05" in head or b"BkToCstmr" in head


def read(source: str | Path | BinaryIO, *, name: str | None = None) -> tuple[Statement, ...]:
    """All statements in a camt file; raises StatementFileError and returns nothing on error."""
    file_name = name or (str(source) if isinstance(source, str | Path) else "statement")
    if isinstance(source, str | Path):
        with open(source, "rb") as stream:
            return _read(stream, file_name)
    return _read(source, file_name)


def _read(stream: BinaryIO, file_name: str) -> tuple[Statement, ...]:
    head = stream.read(_HEAD_BYTES)
    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
        raise StatementFileError(file_name, "a DOCTYPE or entity declaration is not allowed")
    stream.seek(0)
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
    )
    try:
        for _event, element in events:
            reader.handle(element)
    except etree.XMLSyntaxError as error:
        raise StatementFileError(
            file_name, f"not well-formed XML: {error.msg}", line=error.lineno
        ) from None
    if not reader.statements:
        raise StatementFileError(
            file_name, "no camt statement (Stmt, Ntfctn or Rpt) found", element="Document"
        )
    return tuple(reader.statements)


class _Reader:
    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.statements: list[Statement] = []
        self.ns = ""
        self.version = ""
        self.header: dict | None = None
        self.entries: list[Entry] = []
        self.warnings: list[str] = []
        self.position = 0

    # Tags in this file's namespace, built once.
    def _namespace(self, element: etree._Element) -> None:
        tag = element.tag
        self.ns = tag[: tag.index("}") + 1] if tag.startswith("{") else ""
        match = re.search(r"camt\.\d{3}\.\d{3}\.\d{2}", self.ns)
        self.version = match.group() if match else "camt"
        ns = self.ns
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
        for entry in self.entries:
            entry_id = entry.entry_id or f"{statement_id}/{entry.position}"
            count = seen.get(entry_id, 0) + 1
            seen[entry_id] = count
            if count > 1:
                # Banks reuse a reference within one statement (a batch and its details):
                # later ones get their occurrence number so every entry has its own id.
                entry_id = f"{entry_id}#{count}"
            if entry_id != entry.entry_id:
                entry = replace(entry, entry_id=entry_id)
            entries.append(entry)
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
            )
        )
        self.header = None
        self.entries = []
        self.warnings = []
        self.position = 0

    def _entry(self, ntry: etree._Element) -> None:
        t = self.t
        self.position += 1
        status = ntry.find(t["Sts"])
        status_code = ""
        if status is not None:
            status_code = (status.findtext(t["Cd"]) or status.text or "").strip()
        if status_code and status_code != "BOOK":
            self.warnings.append(f"entry {self.position} is {status_code}, not booked: skipped")
            return
        amount_element = ntry.find(t["Amt"])
        if amount_element is None:
            self._fail(ntry, "entry without Amt")
        amount = self._amount(amount_element)
        currency = amount_element.get("Ccy", "EUR")
        indicator = ntry.findtext(t["CdtDbtInd"], "").strip()
        if indicator not in ("CRDT", "DBIT"):
            self._fail(ntry, f"CdtDbtInd must be CRDT or DBIT, not {indicator!r}")
        credit = indicator == "CRDT"
        reversal = ntry.findtext(t["RvslInd"], "").strip().lower() == "true"
        booking_date = self._date(ntry.find(t["BookgDt"]))
        value_date = self._date(ntry.find(t["ValDt"]))
        reference = (ntry.findtext(t["AcctSvcrRef"]) or "").strip()
        entry_reference = (ntry.findtext(t["NtryRef"]) or "").strip()
        additional = " ".join((ntry.findtext(t["AddtlNtryInf"]) or "").split())
        code = self._transaction_code(ntry)
        details = list(ntry.iterfind(f"{t['NtryDtls']}/{t['TxDtls']}"))
        common = {
            "currency": currency,
            "booking_date": booking_date,
            "value_date": value_date,
            "entry_reference": entry_reference,
            "additional_information": additional,
            "bank_transaction_code": code,
            "reversal": reversal,
            "position": self.position,
        }
        base_id = reference or entry_reference
        if len(details) > 1:
            amounts = [self._detail_amount(detail) for detail in details]
            if all(value is not None for value in amounts) and sum(amounts) == amount:
                for number, (detail, detail_amount) in enumerate(
                    zip(details, amounts, strict=True), start=1
                ):
                    detail_credit = self._detail_credit(detail, credit)
                    fields = self._detail(detail, detail_credit)
                    entry_id = f"{base_id}/{number}" if base_id else ""
                    self.entries.append(
                        Entry(
                            entry_id=entry_id,
                            amount=detail_amount,
                            credit=detail_credit,
                            bank_reference=fields.pop("detail_reference") or reference,
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
            count = ntry.findtext(f"{t['NtryDtls']}/{t['Btch']}/{t['NbOfTxs']}")
            if count and count.strip() not in ("", "1"):
                self.warnings.append(
                    f"entry {base_id or self.position}: a batch of {count.strip()} payments "
                    "without details"
                )
            fields = _empty_detail()
        else:
            fields = self._detail(details[0], credit)
        fields.pop("detail_reference")
        self.entries.append(
            Entry(
                entry_id=base_id,
                amount=amount,
                credit=credit,
                bank_reference=reference,
                **fields,
                **common,
            )
        )

    def _detail_amount(self, detail: etree._Element) -> Decimal | None:
        t = self.t
        element = detail.find(t["Amt"])
        if element is None:
            element = detail.find(f"{t['AmtDtls']}/{t['TxAmt']}/{t['Amt']}")
        if element is None:
            return None
        return self._amount(element)

    def _detail_credit(self, detail: etree._Element, default: bool) -> bool:
        indicator = (detail.findtext(self.t["CdtDbtInd"]) or "").strip()
        return default if not indicator else indicator == "CRDT"

    def _detail(self, detail: etree._Element, credit: bool) -> dict:
        t = self.t
        refs = detail.find(t["Refs"])
        end_to_end = mandate = detail_reference = ""
        if refs is not None:
            end_to_end = (refs.findtext(t["EndToEndId"]) or "").strip()
            mandate = (refs.findtext(t["MndtId"]) or "").strip()
            detail_reference = (refs.findtext(t["AcctSvcrRef"]) or "").strip()
        name = iban = bic = ultimate = ""
        parties = detail.find(t["RltdPties"])
        # Money in: the counterparty is the debtor (the payer); money out: the creditor.
        party, account, ultimate_tag, agent = (
            ("Dbtr", "DbtrAcct", "UltmtDbtr", "DbtrAgt")
            if credit
            else ("Cdtr", "CdtrAcct", "UltmtCdtr", "CdtrAgt")
        )
        if parties is not None:
            name = self._party_name(parties.find(t[party]))
            ultimate = self._party_name(parties.find(t[ultimate_tag]))
            account_element = parties.find(t[account])
            if account_element is not None:
                iban = account_element.findtext(f"{t['Id']}/{t['IBAN']}") or ""
        agents = detail.find(t["RltdAgts"])
        if agents is not None:
            institution = agents.find(f"{t[agent]}/{t['FinInstnId']}")
            if institution is not None:
                bic = institution.findtext(t["BIC"]) or institution.findtext(t["BICFI"]) or ""
        texts: list[str] = []
        references: list[StructuredReference] = []
        documents: list[str] = []
        remittance = detail.find(t["RmtInf"])
        if remittance is not None:
            texts = [element.text or "" for element in remittance.iterfind(t["Ustrd"])]
            for structured in remittance.iterfind(t["Strd"]):
                creditor = structured.find(t["CdtrRefInf"])
                if creditor is not None:
                    value = (creditor.findtext(t["Ref"]) or "").strip()
                    if value:
                        issuer = (
                            creditor.findtext(f"{t['Tp']}/{t['Issr']}")
                            or creditor.findtext(f"{t['Tp']}/{t['CdOrPrtry']}/{t['Prtry']}")
                            or ""
                        ).strip()
                        references.append(StructuredReference(value, issuer))
                for document in structured.iterfind(f"{t['RfrdDocInf']}/{t['Nb']}"):
                    if document.text and document.text.strip():
                        documents.append(document.text.strip())
                texts.extend(
                    element.text or "" for element in structured.iterfind(t["AddtlRmtInf"])
                )
        return_reason = (
            detail.findtext(f"{t['RtrInf']}/{t['Rsn']}/{t['Cd']}")
            or detail.findtext(f"{t['RtrInf']}/{t['Rsn']}/{t['Prtry']}")
            or ""
        ).strip()
        return {
            "counterparty_name": name,
            "counterparty_iban": iban.replace(" ", "").upper(),
            "counterparty_bic": bic.strip(),
            "ultimate_party_name": ultimate,
            "structured_references": tuple(references),
            "referred_documents": tuple(documents),
            "remittance_text": join_wrapped(texts, _USTRD_WIDTH),
            "end_to_end_id": end_to_end,
            "mandate_id": mandate,
            "return_reason": return_reason,
            "detail_reference": detail_reference,
        }

    def _party_name(self, party: etree._Element | None) -> str:
        if party is None:
            return ""
        t = self.t
        name = party.findtext(t["Nm"]) or party.findtext(f"{t['Pty']}/{t['Nm']}") or ""
        return " ".join(name.split())

    def _transaction_code(self, ntry: etree._Element) -> str:
        t = self.t
        code = ntry.find(t["BkTxCd"])
        if code is None:
            return ""
        domain = code.find(t["Domn"])
        if domain is not None:
            parts = [
                domain.findtext(t["Cd"], ""),
                domain.findtext(f"{t['Fmly']}/{t['Cd']}", ""),
                domain.findtext(f"{t['Fmly']}/{t['SubFmlyCd']}", ""),
            ]
            return "/".join(part.strip() for part in parts if part)
        return (code.findtext(f"{t['Prtry']}/{t['Cd']}") or "").strip()

    def _amount(self, element: etree._Element) -> Decimal:
        text = (element.text or "").strip()
        try:
            amount = Decimal(text)
        except InvalidOperation:
            self._fail(element, f"{text!r} is not an amount")
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            self._fail(element, f"{text!r} is not an amount in cents")
        return amount.quantize(Decimal("0.01"))

    def _date(self, element: etree._Element | None) -> date | None:
        if element is None:
            return None
        text = element.findtext(self.t["Dt"]) or element.findtext(self.t["DtTm"]) or ""
        text = text.strip()
        if not text:
            return None
        value = _iso_date(text[:10])
        if value is None:
            self._fail(element, f"{text!r} is not a date")
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


def _empty_detail() -> dict:
    return {
        "counterparty_name": "",
        "counterparty_iban": "",
        "counterparty_bic": "",
        "ultimate_party_name": "",
        "structured_references": (),
        "referred_documents": (),
        "remittance_text": "",
        "end_to_end_id": "",
        "mandate_id": "",
        "return_reason": "",
        "detail_reference": "",
    }

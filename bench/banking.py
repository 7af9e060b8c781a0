"""Statement matching: quality on noisy bank days with ground truth, and speed end to end.

`python -m bench banking` (add `--quick` for a smoke test). The generator follows
performance.md §4.1: customers with legal forms, near-duplicate names and 1–3 IBANs (10 %
foreign); Zipf-skewed open invoices with log-normal amounts and subscription duplicates; and
bank days mixing structured references, invoice numbers in free text (with noise, separators,
dropped prefixes and leading zeros, wrapped lines), late payments, instalments, combined
payments with and without the numbers, typing errors, wrong amounts, deducted bank costs,
early-payment discounts, payments without any reference, third-party payers, payment
providers, overpayments, duplicate payments, noise credits and debits. Every line carries its
truth: the invoices it pays and how much.

Reported: precision (automatic matches that are exactly right: same invoices, same amounts),
recall (matchable entries matched automatically and right), both overall and per kind; the
share of suggestions whose best candidate is right; throughput of `tegoed match --json` run as
a command on 40,000 entries against 200,000 open items (camt and MT940; the median of three
runs, and the best), with the CPU seconds of each step; camt parsing speed in MB/s; and peak
memory.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tegoed.domain import payment_reference  # noqa: E402
from tegoed.domain.identifiers import creditor_reference  # noqa: E402

GOALS = {"precision": 0.999, "recall": 0.92, "entries_per_second": 10_000, "camt_mb_per_s": 20}
# `tegoed match` runs per file; the median run counts.
RUNS = 3

# Shares of the lines that pay invoices (performance.md §4.1, "mixed" profile), then extras.
KINDS = {
    "structured": 0.24,
    "number": 0.24,
    "late": 0.10,
    "partial": 0.05,
    "combined_listed": 0.035,
    "combined_unlisted": 0.035,
    "typo": 0.05,
    "wrong_amount": 0.03,
    "bank_costs": 0.02,
    "missing_reference": 0.06,
    "third_party": 0.02,
    "provider": 0.02,
    "discount": 0.02,
    "overpayment": 0.005,
    "duplicate": 0.005,
}
NOISE_SHARE = 0.09
DEBIT_SHARE = 0.10
NOT_MATCHABLE = {"noise", "debit", "duplicate"}

_WORDS = (
    "Bakker Jansen Visser Smit Meijer Mulder Bos Vos Peters Hendriks Dekker Brouwer Dijkstra "
    "Kok Jacobs Vermeulen Willems Schouten Hoekstra Koster Prins Huisman Kuipers Veenstra "
    "Müller Schmidt Schneider Fischer Weber Becker Hoffmann Schäfer Koch Richter Klein Wolf "
    "Dubois Lefèvre Moreau Laurent Girard Rossi Ferrari Nowak Kowalski Wójcik Novák Horváth"
).split()
_TRADES = (
    "Bouw Techniek Installatie Logistiek Transport Advies Media Metaal Hout Groen Zorg Food "
    "Druk Software Elektro Schilders Dakwerken Catering Montage Handel Verhuur Systems "
    "Consulting Maschinenbau Elektrik Services"
).split()
_FORMS = ("B.V.", "BV", "N.V.", "V.O.F.", "GmbH", "GmbH & Co. KG", "AG", "e.K.", "SARL",
          "Ltd", "Sp. z o.o.", "", "")  # fmt: skip
_CITIES = ("AMSTERDAM", "UTRECHT", "ROTTERDAM", "EINDHOVEN", "ZWOLLE", "KÖLN", "LYON")
_BANKS = {"NL": ("ABNA", "INGB", "RABO", "SNSB", "TRIO", "KNAB", "BUNQ", "ASNB")}
_FOREIGN = {"DE": 18, "FR": 23, "IT": 23, "PL": 24, "CH": 17, "GB": 18, "BE": 12}
_PROVIDERS = (
    ("Stichting Mollie Payments", "NL58ABNA0539536540"),
    ("PayPal Europe S.a.r.l. et Cie S.C.A", "LU89751000135104200E"),
    ("Adyen N.V.", "NL51ADYB2017400157"),
    ("Stripe Technology Europe Ltd", "IE85STRI00000000000001"),
)
_NOISE_TEXTS = (
    "Rente {period}", "Terugbetaling {word}", "Overboeking eigen rekening", "Retour {word}",
    "Settlement batch {n}", "Creditrente Q{q}", "Storting", "Restitutie premie {n}",
    "Teruggave belasting {year}", "Cashback {word}", "{n}", "Refund order {n}",
)  # fmt: skip


def _iban(rng: random.Random, country: str = "NL") -> str:
    if country == "NL":
        bban = rng.choice(_BANKS["NL"]) + f"{rng.randrange(10**10):010d}"
    else:
        bban = "".join(rng.choice("0123456789") for _ in range(_FOREIGN[country]))
    numeric = "".join(str(int(char, 36)) for char in bban + country + "00")
    check = 98 - int(numeric) % 97
    return f"{country}{check:02d}{bban}"


@dataclass
class Customer:
    id: str
    name: str
    ibans: list[str]
    discount: bool


@dataclass
class Item:
    number: str
    customer: Customer
    amount: int  # cents
    issue: date
    due: date
    reference: str


@dataclass
class Line:
    kind: str
    amount: int
    credit: bool
    booked: date
    name: str = ""
    iban: str = ""
    text: str = ""
    structured: str = ""
    issuer: str = ""
    truth: dict[str, int] = field(default_factory=dict)
    entry_id: str = ""


class World:
    """Customers, open items and bank days, all from one seed."""

    def __init__(self, seed: int, customers: int, items: int) -> None:
        self.rng = random.Random(seed)
        self.today = date(2026, 11, 20)
        self.customers: list[Customer] = []
        for index in range(customers):
            self.customers.append(self._customer(index))
        # Zipf-like: a few customers hold many open items.
        weights = [1 / (rank + 1) ** 0.8 for rank in range(customers)]
        owners = self.rng.choices(self.customers, weights=weights, k=items)
        self.items: list[Item] = []
        subscription: dict[str, int] = {}
        for sequence, customer in enumerate(owners, start=1):
            if customer.id in subscription and self.rng.random() < 0.2:
                amount = subscription[customer.id]
            else:
                amount = max(500, int(self.rng.lognormvariate(10.6, 1.1)))
                subscription.setdefault(customer.id, amount)
            issue = self.today - timedelta(days=self.rng.randrange(0, 120))
            number = f"RE-2026-{sequence:06d}"
            roll = self.rng.random()
            reference = ""
            if roll < 0.45:
                reference = creditor_reference(f"{sequence:06d}")
            elif roll < 0.6:
                reference = payment_reference.make_kenmerk(2026_000_000 + sequence)
            self.items.append(
                Item(number, customer, amount, issue,
                     issue + timedelta(days=self.rng.choice((14, 30, 60))), reference)
            )  # fmt: skip
        self.by_customer: dict[str, list[Item]] = defaultdict(list)
        for item in self.items:
            self.by_customer[item.customer.id].append(item)

    def _customer(self, index: int) -> Customer:
        rng = self.rng
        words = [rng.choice(_WORDS)]
        if rng.random() < 0.7:
            words.append(rng.choice(_TRADES))
        if rng.random() < 0.2:
            words.append(rng.choice(_WORDS))
        form = rng.choice(_FORMS)
        name = " ".join(words + ([form] if form else []))
        if index and rng.random() < 0.05:
            # A branch of a group: nearly the same name as another customer.
            other = self.customers[rng.randrange(index)].name.split(" ")[0]
            name = f"{other} {rng.choice(_CITIES).title()}"
        ibans = [
            _iban(rng, rng.choice(list(_FOREIGN)) if rng.random() < 0.1 else "NL")
            for _ in range(rng.choice((1, 1, 1, 2, 3)))
        ]
        return Customer(f"K{index + 1:06d}", name, ibans, rng.random() < 0.1)

    # Writing the open items --------------------------------------------------------------

    def write_items(self, path: Path) -> None:
        with open(path, "w", encoding="utf-8") as out:
            out.write(
                "invoice_number,customer_id,customer_name,customer_iban,issue_date,due_date,"
                "currency,amount_open,payment_reference\n"
            )
            for item in self.items:
                name = item.customer.name.replace('"', "")
                out.write(
                    f'{item.number},{item.customer.id},"{name}",{" ".join(item.customer.ibans)},'
                    f"{item.issue},{item.due},EUR,{item.amount // 100}.{item.amount % 100:02d},"
                    f"{item.reference}\n"
                )

    # Bank days ---------------------------------------------------------------------------

    def bank_days(self, count: int, days: int) -> list[Line]:
        rng = self.rng
        pool = list(self.items)
        rng.shuffle(pool)
        taken: set[str] = set()
        lines: list[Line] = []
        kinds = list(KINDS)
        shares = [KINDS[kind] for kind in kinds]
        paying = int(count * (1 - NOISE_SHARE - DEBIT_SHARE))
        paid: list[Line] = []
        cursor = 0

        def next_item(predicate=lambda item: True) -> Item | None:
            nonlocal cursor
            for _ in range(200):
                if cursor >= len(pool):
                    return None
                item = pool[cursor]
                cursor += 1
                if item.number not in taken and predicate(item):
                    taken.add(item.number)
                    return item
            return None

        while len(lines) < paying:
            kind = rng.choices(kinds, weights=shares)[0]
            made = self._line(kind, next_item, taken, paid)
            for line in made:
                lines.append(line)
                if line.truth:
                    paid.append(line)
        lines.extend(self._noise() for _ in range(int(count * NOISE_SHARE)))
        lines.extend(self._debit() for _ in range(int(count * DEBIT_SHARE)))
        lines = lines[:count]
        rng.shuffle(lines)
        # A duplicate must come after the payment it repeats: move it to the end of its day.
        lines.sort(key=lambda line: line.kind == "duplicate")
        start = self.today - timedelta(days=days)
        per_day = max(1, len(lines) // days)
        for position, line in enumerate(lines):
            line.booked = start + timedelta(days=min(days - 1, position // per_day))
            line.entry_id = f"BANK{position + 1:08d}"
        return lines

    def _payer(self, item: Item) -> tuple[str, str]:
        return item.customer.name, self.rng.choice(item.customer.ibans)

    def _number_text(self, item: Item, *, typo: bool = False) -> str:
        rng = self.rng
        number = item.number
        sequence = number.rsplit("-", 1)[1]
        forms = [
            number, number.lower(), number.replace("-", ""), number.replace("-", " "),
            f"2026-{sequence}", f"2026{sequence}", f"RE 2026 {int(sequence)}",
            f"RE-2026-{int(sequence)}", f"re2026/{sequence}", number.replace("-", "."),
        ]  # fmt: skip
        written = rng.choice(forms)
        if typo:
            written = _typo(rng, written)
        before = rng.choice(
            ("Factuur ", "factuurnr. ", "Rechnung ", "Invoice ", "fact ", "", "Betaling ",
             "Ihre Rechnung Nr. ", "ref ")
        )  # fmt: skip
        noise = rng.choice(
            ("", f" klantnr {rng.randrange(10**5):05d}", f" d.d. {item.issue:%d-%m-%Y}",
             " Danke", " bedankt", f" order {rng.randrange(10**6)}", " vriendelijke groet",
             f" {item.issue:%d.%m.%Y}")
        )  # fmt: skip
        return f"{before}{written}{noise}"

    def _line(self, kind, next_item, taken, paid) -> list[Line]:
        rng = self.rng
        if kind == "duplicate":
            if not paid:
                return []
            original = rng.choice(paid)
            if original.kind not in ("structured", "number"):
                return []
            return [
                Line("duplicate", original.amount, True, self.today, original.name,
                     original.iban, original.text, original.structured, original.issuer, {})
            ]  # fmt: skip
        if kind in ("combined_listed", "combined_unlisted"):
            first = next_item()
            if first is None:
                return []
            siblings = [
                item for item in self.by_customer[first.customer.id]
                if item.number not in taken
            ][: rng.randint(1, 4)]  # fmt: skip
            if not siblings:
                taken.discard(first.number)
                return []
            group = [first, *siblings]
            for item in siblings:
                taken.add(item.number)
            name, iban = self._payer(first)
            total = sum(item.amount for item in group)
            if kind == "combined_listed":
                text = "Facturen " + ", ".join(item.number for item in group)
            else:
                text = rng.choice(("Sammelzahlung", "diverse facturen", "", "Betaling facturen"))
            return [Line(kind, total, True, self.today, name, iban, text, "", "",
                         {item.number: item.amount for item in group})]  # fmt: skip
        predicate = (
            (lambda item: item.reference != "")
            if kind == "structured"
            else (
                (lambda item: item.customer.discount) if kind == "discount" else (lambda item: True)
            )
        )
        item = next_item(predicate)
        if item is None:
            return []
        name, iban = self._payer(item)
        line = Line(kind, item.amount, True, self.today, name, iban)
        if kind == "structured":
            line.structured = item.reference
            line.issuer = "ISO" if item.reference.startswith("RF") else "CUR"
            line.truth = {item.number: item.amount}
            return [line]
        line.text = self._number_text(item)
        line.truth = {item.number: item.amount}
        if kind == "late":
            return [line]
        if kind == "partial":
            parts = rng.randint(1, 3)
            lines = []
            remaining = item.amount
            for _ in range(parts):
                part = int(remaining * rng.uniform(0.3, 0.7))
                if part <= 0:
                    break
                lines.append(Line(kind, part, True, self.today, name, iban, line.text, "", "",
                                  {item.number: part}))  # fmt: skip
                remaining -= part
            return lines
        if kind == "typo":
            line.text = self._number_text(item, typo=True)
        elif kind == "wrong_amount":
            delta = min(rng.randint(1, 500), item.amount // 4) * rng.choice((-1, 1))
            line.amount = item.amount + delta
            line.truth = {item.number: min(item.amount, line.amount)}
        elif kind == "bank_costs":
            line.amount = item.amount - min(rng.randint(500, 2500), item.amount // 4)
            line.truth = {item.number: line.amount}
            line.name = name.upper()
            line.iban = _iban(rng, rng.choice(list(_FOREIGN)))
        elif kind == "discount":
            line.amount = item.amount - round(item.amount * 0.02)
            line.truth = {item.number: line.amount}
        elif kind == "missing_reference":
            line.text = rng.choice(("", "Zahlung", "betaling", "Overboeking", "termijn"))
        elif kind == "third_party":
            line.name = f"{rng.choice(_WORDS)} Holding B.V."
            line.iban = _iban(rng)
        elif kind == "provider":
            provider, provider_iban = rng.choice(_PROVIDERS)
            line.text = f"tr_{rng.randrange(16**8):08x} {line.text} {item.customer.name}"
            line.name, line.iban = provider, provider_iban
        elif kind == "overpayment":
            line.amount = item.amount + rng.randint(100, 5000)
        return [line]

    def _noise(self) -> Line:
        rng = self.rng
        text = rng.choice(_NOISE_TEXTS).format(
            period=f"{rng.randint(1, 12):02d}-2026", word=rng.choice(_WORDS),
            n=rng.randrange(10**7), q=rng.randint(1, 4), year=rng.randint(2020, 2025),
        )  # fmt: skip
        return Line("noise", rng.randint(100, 500_000), True, self.today,
                    rng.choice(("Belastingdienst", "ING Bank", "Eigen rekening", "Verzekeraar",
                                rng.choice(_WORDS))), _iban(rng), text)  # fmt: skip

    def _debit(self) -> Line:
        rng = self.rng
        customer = rng.choice(self.customers)
        return Line("debit", rng.randint(100, 200_000), False, self.today, customer.name,
                    customer.ibans[0], "Terugbetaling creditnota")  # fmt: skip


def _typo(rng: random.Random, text: str) -> str:
    positions = [index for index, char in enumerate(text) if char.isdigit()]
    # Only the sequence part: a typo in "2026" would be one in every number of the year.
    positions = [index for index in positions if index >= len(text) - 6] or positions
    kind = rng.random()
    index = rng.choice(positions)
    if kind < 0.4:
        digit = rng.choice([d for d in "0123456789" if d != text[index]])
        return text[:index] + digit + text[index + 1 :]
    if kind < 0.7:
        if index + 1 < len(text) and text[index + 1].isdigit() and text[index] != text[index + 1]:
            return text[:index] + text[index + 1] + text[index] + text[index + 2 :]
        return text[:index] + text[index + 1 :]
    # A dropped prefix or separator.
    return text.replace("RE-", "").replace("-", "", 1)


# --- Renderings ---------------------------------------------------------------------------


def _amount(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _statement_days(lines: list[Line]) -> Iterator[tuple[date, list[Line], int, int]]:
    """One statement a day: the day, its lines, the opening and the closing balance (cents)."""
    by_day: dict[date, list[Line]] = defaultdict(list)
    for line in lines:
        by_day[line.booked].append(line)
    balance = 1_000_000
    for day in sorted(by_day):
        closing = balance + sum(line.amount if line.credit else -line.amount
                                for line in by_day[day])  # fmt: skip
        yield day, by_day[day], balance, closing
        balance = closing


def render_camt(lines: list[Line], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:'
            'tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>BENCH</MsgId>'
            "<CreDtTm>2026-11-20T08:00:00</CreDtTm></GrpHdr>\n"
        )
        for day, day_lines, balance, closing in _statement_days(lines):
            out.write(
                f"<Stmt><Id>STMT-{day}</Id><ElctrncSeqNb>{day.toordinal()}</ElctrncSeqNb>"
                "<Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>"
                f"{_balance('OPBD', balance, day)}{_balance('CLBD', closing, day)}\n"
            )
            for line in day_lines:
                out.write(_entry(line, day))
            out.write("</Stmt>\n")
        out.write("</BkToCstmrStmt></Document>\n")


def _balance(code: str, cents: int, day: date) -> str:
    sign = "CRDT" if cents >= 0 else "DBIT"
    return (
        f'<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">'
        f"{_amount(abs(cents))}</Amt><CdtDbtInd>{sign}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>"
    )


def _entry(line: Line, day: date) -> str:
    """One entry laid out as Dutch banks write camt.053 (indented; codes, agent, mirror text)."""
    party = "Dbtr" if line.credit else "Cdtr"
    amount = _amount(line.amount)
    if line.structured:
        remittance = (
            "            <Strd>\n              <CdtrRefInf>\n                <Tp>\n"
            "                  <CdOrPrtry>\n                    <Cd>SCOR</Cd>\n"
            f"                  </CdOrPrtry>\n                  <Issr>{line.issuer}</Issr>\n"
            f"                </Tp>\n                <Ref>{line.structured}</Ref>\n"
            "              </CdtrRefInf>\n            </Strd>\n"
        )
        mirror = f"Issuer: {line.issuer} Ref: {line.structured}"
    else:
        # Long texts are cut into Ustrd pieces of 140 characters.
        remittance = "".join(
            f"            <Ustrd>{escape(line.text[start : start + 140])}</Ustrd>\n"
            for start in range(0, len(line.text), 140)
        )
        mirror = line.text
    code = "RCDT" if line.credit else "ICDT"
    name = escape(line.name)
    mirror = f"/TRTP/SEPA OVERBOEKING/IBAN/{line.iban}/NAME/{name}/REMI/{escape(mirror)}"
    return f"""      <Ntry>
        <Amt Ccy="EUR">{amount}</Amt>
        <CdtDbtInd>{"CRDT" if line.credit else "DBIT"}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt>
          <Dt>{day}</Dt>
        </BookgDt>
        <ValDt>
          <Dt>{day}</Dt>
        </ValDt>
        <AcctSvcrRef>{line.entry_id}</AcctSvcrRef>
        <BkTxCd>
          <Domn>
            <Cd>PMNT</Cd>
            <Fmly>
              <Cd>{code}</Cd>
              <SubFmlyCd>ESCT</SubFmlyCd>
            </Fmly>
          </Domn>
          <Prtry>
            <Cd>N654</Cd>
            <Issr>ABNAMRO</Issr>
          </Prtry>
        </BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs>
              <AcctSvcrRef>{line.entry_id}</AcctSvcrRef>
              <EndToEndId>NOTPROVIDED</EndToEndId>
            </Refs>
            <AmtDtls>
              <TxAmt>
                <Amt Ccy="EUR">{amount}</Amt>
              </TxAmt>
            </AmtDtls>
            <RltdPties>
              <{party}>
                <Nm>{escape(line.name)}</Nm>
              </{party}>
              <{party}Acct>
                <Id>
                  <IBAN>{line.iban}</IBAN>
                </Id>
              </{party}Acct>
            </RltdPties>
            <RltdAgts>
              <{party}Agt>
                <FinInstnId>
                  <BIC>{line.iban[4:8] if line.iban[:2] == "NL" else "DEUT"}NL2A</BIC>
                </FinInstnId>
              </{party}Agt>
            </RltdAgts>
            <RmtInf>
{remittance}            </RmtInf>
          </TxDtls>
        </NtryDtls>
        <AddtlNtryInf>{mirror}/EREF/NOTPROVIDED</AddtlNtryInf>
      </Ntry>
"""


def render_mt940(lines: list[Line], path: Path) -> None:
    """ING-style structured :86: with lines cut every 65 characters, one statement a day."""
    with open(path, "w", encoding="utf-8") as out:
        for day, day_lines, balance, closing in _statement_days(lines):
            out.write(
                f":20:STMT{day:%y%m%d}\n:25:NL91ABNA0417164300\n:28C:{day.toordinal()}\n"
                f":60F:{_mt_balance(balance, day)}\n"
            )
            for line in day_lines:
                mark = "C" if line.credit else "D"
                out.write(
                    f":61:{day:%y%m%d}{day:%m%d}{mark}{_amount(line.amount).replace('.', ',')}"
                    f"NTRFNONREF//{line.entry_id}\n"
                )
                if line.structured:
                    remittance = f"/REMI/STRD/{line.issuer}/{line.structured}/"
                else:
                    remittance = f"/REMI/USTD//{line.text}/"
                information = (
                    f"/EREF/NOTPROVIDED//CNTP/{line.iban}/INGBNL2A/{line.name}/AMSTERDAM/"
                    f"{remittance}"
                )
                chunks = [information[start : start + 65]
                          for start in range(0, len(information), 65)]  # fmt: skip
                out.write(":86:" + "\n".join(chunks[:6]) + "\n")
            out.write(f":62F:{_mt_balance(closing, day)}\n-\n")


def _mt_balance(cents: int, day: date) -> str:
    return f"{'C' if cents >= 0 else 'D'}{day:%y%m%d}EUR{_amount(abs(cents)).replace('.', ',')}"


# --- Scoring ------------------------------------------------------------------------------


def score(lines: list[Line], results: list[dict]) -> dict:
    if len(lines) != len(results):
        raise RuntimeError(f"{len(results)} results for {len(lines)} lines")
    per_kind: dict[str, Counter] = defaultdict(Counter)
    automatic = correct = matchable = matched_right = suggested = suggested_right = 0
    for line, result in zip(lines, results, strict=True):
        if result["entry"] != line.entry_id:
            raise RuntimeError(f"entry {result['entry']} out of order (expected {line.entry_id})")
        got = {
            allocation["invoice_number"]: int(Decimal(allocation["amount"]) * 100)
            for allocation in result["allocations"]
        }
        right = got == line.truth
        counts = per_kind[line.kind]
        counts["lines"] += 1
        counts[result["status"]] += 1
        if result["status"] == "matched":
            automatic += 1
            correct += right
            counts["matched_right"] += right
        if result["status"] == "suggested":
            suggested += 1
            suggested_right += right
        if line.kind not in NOT_MATCHABLE:
            matchable += 1
            matched_right += result["status"] == "matched" and right
    figures = {
        "precision": round(correct / automatic, 5) if automatic else 1.0,
        "recall": round(matched_right / matchable, 4) if matchable else 0.0,
        "wrong_automatic_matches": automatic - correct,
        "suggestions_top1_right": round(suggested_right / suggested, 3) if suggested else None,
        "review_per_1000_lines": round(1000 * suggested / len(lines), 1),
    }
    figures["recall_per_kind"] = {
        kind: round(counts["matched_right"] / counts["lines"], 3)
        for kind, counts in sorted(per_kind.items())
        if kind not in ("noise", "debit", "duplicate")
    }
    figures["automatic_on_unmatchable"] = {
        kind: per_kind[kind]["matched"] for kind in ("noise", "debit", "duplicate")
    }
    return figures


# --- Running ------------------------------------------------------------------------------


# Runs a command and reports its wall seconds and peak RSS (KiB), its own children included.
# A process started from this large one would count this one's memory as its own (Linux keeps
# the memory a child had before `exec` in its peak), so a small process starts it.
_MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.call(sys.argv[1:])
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(f"\\n{seconds} {peak}\\n")
sys.exit(code)
"""


def _run_command(items: Path, statement: Path) -> tuple[list[dict], float, float]:
    """`tegoed match --json` as a user runs it: wall seconds and its peak RSS in MiB (its
    second process included)."""
    completed = subprocess.run(
        [sys.executable, "-c", _MEASURE, sys.executable, "-m", "tegoed", "match",
         "--open-items", str(items), "--statement", str(statement), "--json"],
        capture_output=True, text=True, check=False, cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tegoed.settings"},
    )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr[-2000:])
    seconds, peak = completed.stderr.split()[-2:]
    results = [json.loads(line) for line in completed.stdout.splitlines()]
    return results, float(seconds), int(peak) / 1024


def _camt_speed(lines: list[Line], directory: Path, megabytes: int) -> float:
    from tegoed.banking import camt

    path = directory / "big.xml"
    repeat = []
    while sum(len(line.text) + 1200 for line in repeat) < megabytes * 1024 * 1024:
        repeat.extend(lines)
    for index, line in enumerate(repeat):
        line.entry_id = f"BIG{index:09d}"
    render_camt(repeat, path)
    size = path.stat().st_size
    started = time.perf_counter()
    statements = camt.read(path)
    seconds = time.perf_counter() - started
    entries = sum(len(statement.entries) for statement in statements)
    assert entries == len(repeat), (entries, len(repeat))
    return round(size / 1024 / 1024 / seconds, 1)


def _phases(items_path: Path, statement: Path) -> dict:
    """CPU seconds of each step in one process (no fork), to see where the time goes.

    `tegoed match` runs the statement steps (parse, read the texts) in a second process while
    this one reads the items and builds the index, then matches and writes.
    """
    import gc

    from tegoed.banking import formats, statement_matching
    from tegoed.domain import matching

    gc.disable()
    try:
        clock = time.process_time
        started = clock()
        items = statement_matching.read_open_items(items_path)
        read_items = clock()
        matcher = matching.Matcher(items)
        indexed = clock()
        entries = [entry for each in formats.read(statement) for entry in each.entries]
        parsed = clock()
        readings = [matching.read(entry) if entry.credit else None for entry in entries]
        read = clock()
        outcomes = list(map(matcher.match, entries, readings))
        matched = clock()
        lines = list(map(statement_matching.as_json_line, outcomes))
        written = clock()
    finally:
        gc.enable()
    return {
        "read_items_s": round(read_items - started, 2),
        "index_s": round(indexed - read_items, 2),
        "parse_s": round(parsed - indexed, 2),
        "read_texts_s": round(read - parsed, 2),
        "match_s": round(matched - read, 2),
        "json_s": round(written - matched, 2),
        "matching_entries_per_cpu_second": int(len(lines) / (matched - read)),
    }


def run(quick: bool) -> dict:
    entries, items, customers = (4_000, 20_000, 2_000) if quick else (40_000, 200_000, 20_000)
    world = World(seed=20261120, customers=customers, items=items)
    lines = world.bank_days(entries, days=10)
    figures: dict = {"entries": len(lines), "open_items": len(world.items)}
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        items_path = folder / "items.csv"
        world.write_items(items_path)
        for rendering, render in (("camt", render_camt), ("mt940", render_mt940)):
            statement = folder / f"statement.{rendering}"
            render(lines, statement)
            # The machine's other work shows in a single run: the median of a few counts.
            runs = [_run_command(items_path, statement) for _ in range(RUNS)]
            results = runs[0][0]
            assert all(run[0] == results for run in runs), "runs gave different results"
            seconds = sorted(run[1] for run in runs)
            median = seconds[len(seconds) // 2]
            quality = score(lines, results)
            figures[f"{rendering}_file_mb"] = round(statement.stat().st_size / 2**20, 1)
            figures[f"{rendering}_seconds_end_to_end"] = round(median, 2)
            figures[f"{rendering}_seconds_each_run"] = [round(each, 2) for each in seconds]
            figures[f"{rendering}_entries_per_second"] = int(len(lines) / median)
            figures[f"{rendering}_entries_per_second_best"] = int(len(lines) / seconds[0])
            figures[f"{rendering}_peak_rss_mib"] = round(max(run[2] for run in runs))
            for key, value in quality.items():
                figures[f"{rendering}_{key}"] = value
            for key, value in _phases(items_path, statement).items():
                figures[f"{rendering}_cpu_{key}"] = value
        figures["camt_parse_mb_per_second"] = _camt_speed(lines, folder, 10 if quick else 40)
    figures["goals_met"] = {
        "precision": min(figures["camt_precision"], figures["mt940_precision"])
        >= GOALS["precision"],
        "recall": min(figures["camt_recall"], figures["mt940_recall"]) >= GOALS["recall"],
        "entries_per_second": min(
            figures["camt_entries_per_second"], figures["mt940_entries_per_second"]
        )
        >= GOALS["entries_per_second"],
        "camt_mb_per_second": figures["camt_parse_mb_per_second"] >= GOALS["camt_mb_per_s"],
    }
    return figures


if __name__ == "__main__":
    for key, value in run(quick="--quick" in sys.argv).items():
        print(f"{key:40} {value}")

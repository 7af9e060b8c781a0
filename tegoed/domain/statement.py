"""A bank statement as every format delivers it: an account, balances and booked entries.

The shape follows ISO 20022 camt.053/camt.054 (BkToCstmrStmt, BkToCstmrDbtCdtNtfctn): a
statement (`Stmt`/`Ntfctn`) of an account with an opening balance (`OPBD`/`PRCD`), a closing
balance (`CLBD`) and entries (`Ntry`), each entry possibly carrying transaction details
(`TxDtls`). MT940 (SWIFT MT940 with the Dutch banks' `:86:` code words) and bank CSV exports are
mapped onto the same shape, so matching and import never care which file a payment came from.

An entry here is one payment: a camt batch entry with several transaction details becomes one
`Entry` per detail, with the detail's own amount (formats.md §1.4).

Banks also report payments before they book them: camt.052 intraday reports and camt.054
notifications with the status PDNG (pending) or INFO, and MT942 interim reports. Those entries
are read as *notified* (`Entry.notified`); the day's statement books them later
(docs/decisions/0204). What a reader leaves out (a status it does not read) is listed in
`Statement.skipped` with the reason, so nothing disappears without a word.

>>> entry = Entry(entry_id="X1", amount=Decimal("12.50"), credit=True,
...               booking_date=date(2026, 3, 2))
>>> entry.signed_amount
Decimal('12.50')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class StructuredReference:
    """A creditor reference the payer's bank carried in a structured field.

    `issuer` is what the file said: "ISO" for an ISO 11649 RF reference, "CUR" for the Dutch
    betalingskenmerk (Currence), "BBA" for the Belgian OGM, or empty when the file did not say.
    """

    reference: str
    issuer: str = ""


class Entry(NamedTuple):
    """One booked payment on the account (credit: money in; debit: money out).

    A named tuple rather than a frozen dataclass, like `matching.OpenItem`: as immutable and
    read the same way, and made six times faster, which counts when a statement holds tens of
    thousands of entries (read once by the parser, built again where they are matched).
    """

    entry_id: str
    amount: Decimal  # positive; `credit` gives the direction
    credit: bool
    booking_date: date | None = None
    value_date: date | None = None
    currency: str = "EUR"
    counterparty_name: str = ""
    counterparty_iban: str = ""
    counterparty_bic: str = ""
    # The party the payer paid on behalf of (UltmtDbtr, MT940 /ULTD/), when given.
    ultimate_party_name: str = ""
    structured_references: tuple[StructuredReference, ...] = ()
    # Document numbers the payer listed in structured remittance (camt RfrdDocInf/Nb).
    referred_documents: tuple[str, ...] = ()
    remittance_text: str = ""
    end_to_end_id: str = ""
    mandate_id: str = ""
    # The bank's references: AcctSvcrRef / NtryRef (camt), the `//` reference of :61: (MT940).
    bank_reference: str = ""
    entry_reference: str = ""
    # Free text the bank added about the booking (camt AddtlNtryInf, MT940 :86: as a whole).
    additional_information: str = ""
    bank_transaction_code: str = ""
    reversal: bool = False
    return_reason: str = ""
    # Line of the file (MT940, CSV) or position of the entry (camt) it was read from.
    position: int = 0
    # Reported by the bank before booking (camt PDNG/INFO, MT942): not yet money on the account.
    notified: bool = False

    @property
    def signed_amount(self) -> Decimal:
        return self.amount if self.credit else -self.amount


# Why an entry is not matched as a payment: a status that is neither booked nor notified (left
# out by the reader), or set apart by matching: no amount, or a currency no open item is in.
STATUS = "status"
ZERO_AMOUNT = "zero_amount"
CURRENCY = "currency"


class SkippedEntry(NamedTuple):
    """An entry that is not matched as a payment, and why (`why` and `detail`, the status code
    or the currency); `reason` says it in English, the review pages in the user's language."""

    entry_id: str
    amount: Decimal | None
    credit: bool | None
    why: str
    detail: str = ""
    position: int = 0

    @property
    def reason(self) -> str:
        if self.why == STATUS:
            return f"status {self.detail}: neither booked (BOOK) nor notified (PDNG, INFO)"
        if self.why == ZERO_AMOUNT:
            return "no amount"
        return f"in {self.detail}, a currency no open item is in"

    def describe(self) -> str:
        direction = {True: " in", False: " out", None: ""}[self.credit]
        amount = "" if self.amount is None else f" ({self.amount}{direction})"
        return f"entry {self.entry_id}{amount}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Report:
    """What became of one statement's entries: how many were read, how many of those are
    notified (not yet booked), and each one left out or set apart, with why."""

    statement_id: str
    account_iban: str
    read: int
    notified: int = 0
    left_out: tuple[SkippedEntry, ...] = ()

    def lines(self) -> list[str]:
        """The report in English, one line per entry left out; none when all went through."""
        if not self.left_out and not self.notified:
            return []
        heading = f"statement {self.statement_id or '?'} of {self.account_iban or '?'}: "
        heading += f"{self.read} entries read"
        if self.notified:
            heading += f", {self.notified} of them notified (not yet booked)"
        if self.left_out:
            heading += f"; {len(self.left_out)} left out or set apart:"
        return [heading, *(f"  {entry.describe()}" for entry in self.left_out)]


@dataclass(frozen=True, slots=True)
class Balance:
    amount: Decimal  # signed: negative when the account is overdrawn
    on: date | None = None


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement (or notification) of one account, as read from a file."""

    statement_id: str
    account_iban: str
    currency: str
    entries: tuple[Entry, ...]
    opening_balance: Balance | None = None
    closing_balance: Balance | None = None
    sequence_number: str = ""
    created_on: date | None = None
    file_format: str = ""
    # Entries of batches the file only gives as a total (no transaction details).
    warnings: tuple[str, ...] = field(default=())
    # Entries left out of `entries`, each with its reason.
    skipped: tuple[SkippedEntry, ...] = field(default=())

    @property
    def entries_total(self) -> Decimal:
        return sum((entry.signed_amount for entry in self.entries), Decimal("0.00"))

    def balance_difference(self) -> Decimal | None:
        """Opening + entries − closing; zero when the statement adds up, None without balances.

        Batch entries split into their details keep the batch total, so the sum is exact.
        """
        if self.opening_balance is None or self.closing_balance is None:
            return None
        return self.opening_balance.amount + self.entries_total - self.closing_balance.amount


def join_wrapped(parts: list[str], width: int) -> str:
    """Join pieces of text a bank cut at a fixed width: a full piece continues the next word.

    A piece of exactly `width` characters was cut mid-word ("CONTRA ACCOUN" + "T HOLDER"); a
    shorter one ended where the writer ended it. Runs of spaces become one.
    """
    if len(parts) == 1:
        # Most texts come in one piece: nothing to join, only the spaces to tidy.
        return " ".join(parts[0].split())
    pieces: list[str] = []
    for index, part in enumerate(parts):
        before = parts[index - 1] if index else ""
        if index and not (len(before) >= width and not before.endswith(" ")):
            pieces.append(" ")
        pieces.append(part)
    return " ".join("".join(pieces).split())

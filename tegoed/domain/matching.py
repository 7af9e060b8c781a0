"""Statement entries ↔ open items: conservative, explainable proposals, in statement order.

Each credit entry is compared with the open items (invoices with an open amount) in order of
strength of the evidence, and the first rule that explains the entry decides:

1. a structured payment reference: an ISO 11649 RF reference or a Dutch betalingskenmerk, from
   the structured remittance field or written in the text (check digits catch typing errors);
2. invoice numbers in the free text, tolerant of prefixes, separators, leading zeros and
   wrapped lines; a number with a typing error only when the amount confirms it;
3. the payer (a known IBAN, or a name close to one customer's) with exactly one open item of
   exactly the paid amount;
4. one entry settling several open items of one customer: a bounded subset-sum search that is
   automatic only when exactly one combination fits;
5. partial payments and 6. small differences (bank costs, an early-payment discount within the
   policy): applied when the invoice is identified, suggested otherwise;
7. payment service providers (Mollie, PayPal, Adyen, Stripe, …): their account is never the
   payer; the real payer is looked for in the text.

Automatic ("matched") only when the evidence names exactly one answer and the amount confirms
it; anything ambiguous is a suggestion with its best candidate first. Entries are applied in
statement order: an item settled by an earlier entry is no longer open for a later one, so a
second payment of the same invoice is flagged as a duplicate (credit on the customer) instead
of being booked twice. Nothing here allocates more than the entry's amount.

Sources: performance.md §3 (cascade, OSA distance for typed numbers, bounded subset-sum,
"if the top two tie, no match"), formats.md §2 (reconciliation order), Upflow's "apply only
when linked to a single open invoice", ERPNext #46725 (never auto-match without the evidence).

>>> from datetime import date
>>> from tegoed.domain.statement import Entry
>>> items = [OpenItem("F2026-0042", "C1", Decimal("121.00"), customer_name="Bakker BV")]
>>> entry = Entry("E1", Decimal("121.00"), True, date(2026, 3, 2),
...               remittance_text="factuur f 2026 42")
>>> outcome, = propose([entry], items)
>>> outcome.status, outcome.allocations
('matched', (Allocation(invoice_number='F2026-0042', amount=Decimal('121.00')),))
"""

from __future__ import annotations

import re
import unicodedata
from bisect import insort
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations, compress, repeat
from operator import and_, contains, ge, le, methodcaller, ne
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from tegoed.domain import discount, money, payment_reference
from tegoed.domain.statement import CURRENCY, ZERO_AMOUNT, Entry, SkippedEntry

MATCHED = "matched"
SUGGESTED = "suggested"
UNMATCHED = "unmatched"
IGNORED = "ignored"

# Flags a proposal can carry; the import turns them into work for a person.
OVERPAYMENT = "overpayment"
DUPLICATE = "duplicate"
PARTIAL = "partial"
SHORT = "short"
DISCOUNT = "discount"
TYPO = "typo"

# A duplicate this sure ends the search: the same invoice named as written, paid in full again.
_FINAL_DUPLICATE = 0.7


class OpenItem(NamedTuple):
    """An invoice with an open amount (or zero: paid, kept to recognise a duplicate payment).

    A named tuple rather than a frozen dataclass: as immutable, read the same way, and made
    seven times faster, which counts when a run reads 200,000 of them.
    """

    invoice_number: str
    customer_id: str
    amount_open: Decimal
    customer_name: str = ""
    customer_ibans: tuple[str, ...] = ()
    issue_date: date | None = None
    due_date: date | None = None
    currency: str = "EUR"
    payment_reference: str = ""
    # The early-payment discount the invoice itself offers (`domain.discount`): its
    # percentage, its amount and the last day; without one the policy's usual discounts are
    # recognised.
    discount_percentage: Decimal = Decimal("0")
    discount: Decimal = Decimal("0.00")
    discount_until: date | None = None


@dataclass(frozen=True, slots=True)
class Policy:
    """What may be decided without a person. Amounts are in the entry's currency."""

    # A shortfall up to this much on an identified invoice is reported as possible bank costs.
    bank_cost_tolerance: Decimal = Decimal("25.00")
    # Early-payment discounts (percent) recognised when paid within `discount_days` of issue.
    discount_percentages: tuple[Decimal, ...] = (
        Decimal("1"),
        Decimal("1.5"),
        Decimal("2"),
        Decimal("2.5"),
        Decimal("3"),
    )
    discount_days: int = 14
    # A discount the invoice offers counts for a payment whose value date is this many days
    # after its last day (`domain.discount.GRACE_DAYS`: D+1 over a long weekend).
    discount_grace_days: int = discount.GRACE_DAYS
    # Payments reach the statement a few days after the payer sent them.
    booking_delay_days: int = 5
    # Combined payments: at most this many invoices, searched among at most this many of the
    # customer's open items (oldest first); bounded so a big customer cannot stall a run.
    max_combination_size: int = 5
    max_items_for_combination: int = 30
    # Payer names: similarity (0–100) needed, and the lead over the runner-up.
    name_similarity: float = 90.0
    name_lead: float = 5.0


DEFAULT_POLICY = Policy()


@dataclass(frozen=True, slots=True)
class Allocation:
    invoice_number: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Proposal:
    """One explanation of an entry: which items it pays, how sure, and why."""

    allocations: tuple[Allocation, ...]
    score: float
    reason: str
    rule: str
    customer_id: str = ""
    flags: tuple[str, ...] = ()

    @property
    def allocated(self) -> Decimal:
        return sum((allocation.amount for allocation in self.allocations), Decimal("0.00"))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to do with one entry: `proposals[0]` is applied when `status` is matched."""

    entry: Entry
    status: str
    proposals: tuple[Proposal, ...] = ()
    reason: str = ""

    @property
    def best(self) -> Proposal | None:
        return self.proposals[0] if self.proposals else None

    @property
    def allocations(self) -> tuple[Allocation, ...]:
        return self.best.allocations if self.best else ()

    @property
    def confidence(self) -> float:
        return self.best.score if self.best else 0.0

    @property
    def flags(self) -> tuple[str, ...]:
        return self.best.flags if self.best else ()

    @property
    def customer_id(self) -> str:
        return self.best.customer_id if self.best else ""


def propose(
    entries: Iterable[Entry], items: Sequence[OpenItem], *, policy: Policy = DEFAULT_POLICY
) -> tuple[Outcome, ...]:
    """Match `entries` in statement order against `items`; see the module docstring."""
    matcher = Matcher(items, policy=policy)
    return tuple(matcher.match(entry) for entry in entries)


# --- Reading numbers and names out of free text -------------------------------------------

_TOKEN = re.compile(r"[A-Z0-9]+")
_DIGITS = re.compile(r"[0-9]+")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")
_NOT_ALNUM_LINES = re.compile(r"[^A-Z0-9\n]+")
_NOT_DIGIT_LINES = re.compile(r"[^0-9\n]+")
_NOT_LETTER_LINES = re.compile(r"[^A-Z\n]+")
_LEADING_ZEROS = re.compile(r"(?<![0-9])0+(?=[0-9])")
_EDGE_DOTS = re.compile(r"^\.+|\.+$", re.MULTILINE)
_NOT_DIGIT = re.compile(r"[^0-9]+")
_NOT_LETTER = re.compile(r"[^A-Z]+")
# Dates, times and IBANs are masked before numbers are read, so "2026-03-12" is not taken for
# invoice 2026-0003 and an account number is not taken for an invoice number.
_NOISE = re.compile(
    r"(?<![0-9])(?:[0-3]?[0-9][-/.][01]?[0-9][-/.](?:19|20)?[0-9]{2}"
    r"|(?:19|20)[0-9]{2}[-/.][01]?[0-9][-/.][0-3]?[0-9]"
    r"|[0-2]?[0-9]:[0-5][0-9](?::[0-5][0-9])?)(?![0-9])"
    r"|(?<![A-Z0-9])[A-Z]{2}[0-9]{2}[A-Z]{4}[0-9]{7,20}(?![A-Z0-9])"
)
# Between the parts of one number: separators people type, or a line break that split it.
_JOINABLE = re.compile(r"^[\s\-/._#:]{0,3}$")
_DIGIT_CHARS = frozenset("0123456789")
_FIRST_DIGIT = re.compile(r"[0-9]")
_OCR = str.maketrans({"O": "0", "I": "1", "L": "1"})
# ", 124", " en 125", " & 126", "/127" after a full invoice number.
_LISTED = re.compile(r"\s*(?:,|;|/|&|\+|EN\b|AND\b|UND\b|ET\b)\s*([0-9]{1,6})(?![0-9A-Z])")
_LIST_HINT = re.compile(r"[0-9]\s*(?:[,;/&+]|\b(?:en|and|und|et)\b)\s*[0-9]", re.IGNORECASE)
_CODE_WORDS = re.compile(r"\s*/[A-Z]{2,9}/")
_NOT_PROVIDED = {"NOTPROVIDED", "NONREF", "NOT PROVIDED"}

_LEGAL_FORMS = {
    "bv", "nv", "vof", "cv", "bvba", "sprl", "gmbh", "ag", "kg", "ek", "eg", "ug", "co",
    "sarl", "sa", "sas", "ltd", "limited", "plc", "llc", "inc", "sp", "zoo", "srl", "spa",
    "holding", "the", "de", "het", "en", "van", "der", "den", "und", "mbh", "kft",
}  # fmt: skip
_PROVIDERS = (
    "mollie", "paypal", "adyen", "stripe", "buckaroo", "multisafepay", "pay.nl", "paynl",
    "ccv", "worldline", "klarna", "riverty", "afterpay", "sumup", "icepay", "ginger",
    "payvision", "checkout.com", "viva wallet", "tikkie", "sisow", "targetpay", "mangopay",
    "online betaalplatform", "stichting derdengelden",
)  # fmt: skip
# Searched in the lower-cased name: an expression with IGNORECASE is five times slower.
_PROVIDER = re.compile("|".join(re.escape(provider) for provider in _PROVIDERS))


def number_keys(number: str) -> tuple[str, str, str, str]:
    """Lookup keys of an invoice number as written anywhere, strongest first.

    (as written without separators, digits only, digit groups without leading zeros, the same
    with the letters): "RE-2026-000123" → ("RE2026000123", "2026000123", "2026.123",
    "RE:2026.123").
    """
    upper = number.upper()
    written = _NOT_ALNUM.sub("", upper)
    digits = _NOT_DIGIT.sub("", upper)
    grouped = ".".join(group.lstrip("0") or "0" for group in _DIGITS.findall(upper))
    letters = _NOT_LETTER.sub("", upper)
    return written, digits, grouped, f"{letters}:{grouped}" if letters and grouped else ""


def _ascii_keeping(kept: str) -> dict[int, None]:
    """A `str.translate` table that deletes every ASCII character but these and newlines."""
    return {code: None for code in range(128) if chr(code) not in kept + "\n"}


_UPPER_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_KEEP_ALNUM = _ascii_keeping(_UPPER_LETTERS + "0123456789")
_ASCII_KEEP_DIGITS = _ascii_keeping("0123456789")
_ASCII_KEEP_LETTERS = _ascii_keeping(_UPPER_LETTERS)
_ASCII_DOTS = {code: "." for code in range(128) if chr(code) not in "0123456789\n"}
_DOTS = re.compile(r"\.{2,}")


def number_keys_of_all(numbers: Sequence[str]) -> tuple[list[str], ...]:
    """`number_keys` of many numbers at once: (written, digits, grouped, letters) lists.

    Each key is made by one regular expression over all numbers joined by newlines, so the
    work is done in C; for 200,000 invoices this is ten times faster than one by one.
    """
    joined = "\n".join(numbers)
    if joined.count("\n") > len(numbers) - 1:
        joined = "\n".join(number.replace("\n", " ") for number in numbers)
    joined = joined.upper()
    if joined.isascii():
        # The same as the expressions below, for plain ASCII: a table is thirty times faster.
        written = joined.translate(_ASCII_KEEP_ALNUM).split("\n")
        digits = joined.translate(_ASCII_KEEP_DIGITS).split("\n")
        letters = joined.translate(_ASCII_KEEP_LETTERS).split("\n")
        # Every other character a dot, runs of dots one, none at either end of a line.
        dotted = _DOTS.sub(".", _LEADING_ZEROS.sub("", joined).translate(_ASCII_DOTS))
        grouped = f"\n{dotted}\n".replace("\n.", "\n").replace(".\n", "\n")[1:-1].split("\n")
    else:
        written = _NOT_ALNUM_LINES.sub("", joined).split("\n")
        digits = _NOT_DIGIT_LINES.sub("", joined).split("\n")
        letters = _NOT_LETTER_LINES.sub("", joined).split("\n")
        grouped = _EDGE_DOTS.sub(
            "", _NOT_DIGIT_LINES.sub(".", _LEADING_ZEROS.sub("", joined))
        ).split("\n")
    if not numbers:
        return [], [], [], []
    return written, digits, grouped, letters


def _fold(text: str) -> str:
    """Upper case without accents: "Müller" → "MULLER"."""
    if text.isascii():
        # Nothing in ASCII decomposes or combines.
        return text.upper()
    normalized = unicodedata.normalize("NFKD", text)
    return "".join(char for char in normalized if not unicodedata.combining(char)).upper()


_WORD = re.compile(r"[a-z0-9]+")


def name_tokens(name: str) -> tuple[str, ...]:
    words = _WORD.findall(_fold(name).lower())
    # "B.V." is read as "b" "v": join single letters before dropping legal forms.
    joined: list[str] = []
    letters = ""
    for word in words:
        if len(word) == 1 and word.isalpha():
            letters += word
            continue
        if letters:
            joined.append(letters)
            letters = ""
        joined.append(word)
    if letters:
        joined.append(letters)
    return tuple(word for word in joined if word not in _LEGAL_FORMS)


def is_payment_provider(name: str) -> bool:
    return bool(name) and _PROVIDER.search(name.lower()) is not None


class Span(NamedTuple):
    """A run of 1–4 text tokens that could be one number as the payer typed it."""

    keys: tuple[str, str, str, str]
    tokens: int
    # Only separators people type inside a number (no spaces): read as written.
    tight: bool
    # Where the run ends in the text (for numbers listed after it).
    end: int = 0


def _masked(text: str) -> str:
    """The text in upper case with dates, times and IBANs blanked out, positions kept."""
    return _NOISE.sub(lambda match: " " * len(match.group()), text.upper())


def _spans(text: str) -> list[Span]:
    """Runs of up to four tokens that could be one number as typed; keys per run.

    Each token's pieces are computed once and a run's keys are their concatenation, the same
    keys `number_keys` gives the run written as one number (its fourth key is the letters).
    """
    upper = _masked(text)
    tokens: list[tuple[int, int, str, str, tuple[str, ...], str] | None] = []
    for match in _TOKEN.finditer(upper):
        word = match.group()
        if word.isalpha():
            # A word is part of a number only as a short prefix ("F", "RE", "INV");
            # "Factuur" or "Rechnung" never is.
            tokens.append((match.start(), match.end(), word, "", (), word) if len(word) <= 5
                          else None)  # fmt: skip
            continue
        if len(word) > 35:
            tokens.append(None)
            continue
        digits = _NOT_DIGIT.sub("", word)
        if len(digits) >= 3 and len(digits) < len(word):
            # O for 0, I or l for 1 among the digits ("2O26-0O42"); a prefix before the
            # first digit ("INV", "FOL") stays as written.
            first = _FIRST_DIGIT.search(word).start()
            rest = word[first:]
            if len(digits) * 10 >= len(rest) * 6:
                word = word[:first] + rest.translate(_OCR)
                digits = _NOT_DIGIT.sub("", word)
        groups = tuple(group.lstrip("0") or "0" for group in _DIGITS.findall(word))
        letters = "" if len(digits) == len(word) else _NOT_LETTER.sub("", word)
        tokens.append((match.start(), match.end(), word, digits, groups, letters))
    spans: list[Span] = []
    count = len(tokens)
    for first in range(count):
        token = tokens[first]
        if token is None:
            continue
        written, digits, groups, letters = token[2], token[3], token[4], token[5]
        tight = True
        previous_end = token[1]
        for last in range(first, min(first + 4, count)):
            if last > first:
                token = tokens[last]
                if token is None:
                    break
                gap = upper[previous_end : token[0]]
                if not _JOINABLE.match(gap):
                    break
                if " " in gap or "\n" in gap:
                    tight = False
                previous_end = token[1]
                written += token[2]
                digits += token[3]
                groups += token[4]
                letters += token[5]
            # A word such as "F" or "RE" may start a number, but only joined to digits.
            if digits:
                spans.append(
                    Span(
                        (written, digits, ".".join(groups), letters),
                        last - first + 1,
                        tight,
                        previous_end,
                    )
                )
    return spans


# An amount in cents, rounded half-up: `scaleb` moves the decimal point exactly.
_SHIFTED = methodcaller("scaleb", 2)
_ROUNDED = methodcaller("to_integral_value", rounding=ROUND_HALF_UP)


def _cents(amount: Decimal) -> int:
    return int(_ROUNDED(_SHIFTED(amount)))


def _cents_of_all(amounts: Iterable[Decimal]) -> list[int]:
    """`_cents` of each amount, the iteration done in C (200,000 items)."""
    return list(map(int, map(_ROUNDED, map(_SHIFTED, amounts))))


def _text(cents: int) -> str:
    return f"{money.from_cents(cents):,.2f}"


class Reading(NamedTuple):
    """What an entry says on its own, read without the open items: pure, so it can be read
    ahead (in another process, while the open items are indexed) and handed to `match`."""

    # The free text and structured references, one per line.
    text: str
    # Reference keys in the order given (structured first, then shapes found in the text),
    # each once, with whether it is kept to explain the outcome even when it names no item
    # (the bank gave it as a reference, or it carries a valid check digit).
    references: tuple[tuple[str, bool], ...]
    provider: bool
    iban: str
    # The runs of text that may be invoice numbers, and the referred documents' numbers;
    # read by position, so plain tuples of the same four fields do as well as `Span`s.
    spans: tuple[Span, ...]


def read(entry: Entry) -> Reading:
    """`Reading` of a credit entry."""
    free = [entry.remittance_text, *entry.referred_documents]
    if entry.end_to_end_id and entry.end_to_end_id.upper() not in _NOT_PROVIDED:
        free.append(entry.end_to_end_id)
    if (
        not entry.remittance_text
        and not entry.structured_references
        and not _CODE_WORDS.match(entry.additional_information)
    ):
        # The bank's own text about the booking, unless it is code words the statement
        # reader already took apart (their dates and ids are no invoice numbers).
        free.append(entry.additional_information)
    written = "\n".join(part for part in free if part)
    references = [reference.reference for reference in entry.structured_references]
    # A structured reference that is no payment reference of ours may still be an invoice
    # number ("RE-2026-000123" in CdtrRefInf/Ref): it is read with the text.
    text = "\n".join(part for part in (written, *references) if part)
    given = {payment_reference.normalize(reference) for reference in references}
    # Anything shaped like a reference is looked up: an exact match with a reference of
    # ours is evidence even where the creditor's references carry no valid check digit.
    references.extend(payment_reference.find_in_text(written, checked=False))
    keys: dict[str, bool] = {}
    for reference in references:
        key = payment_reference.normalize(reference)
        if key not in keys:
            keys[key] = key in given or payment_reference.is_valid(key)
    spans = _spans(text) if text else []
    for document in entry.referred_documents:
        written_key, digits, grouped, lettered = number_keys(document)
        spans.append(Span((written_key, digits, grouped, lettered.partition(":")[0]), 1, True))
    return Reading(
        text,
        tuple(keys.items()),
        is_payment_provider(entry.counterparty_name),
        entry.counterparty_iban.replace(" ", "").upper(),
        tuple(spans),
    )


# --- The matcher -------------------------------------------------------------------------


def _key_table(keys: Sequence[str], positions: Sequence[int]) -> dict[str, tuple[int, ...]]:
    """key → the indices of the items with that key, in index order.

    Made in C for 200,000 items: each index as a one-tuple (`zip(positions)`), and only the
    few keys that several items share gathered again in Python.
    """
    table = dict(zip(keys, zip(positions), strict=True))
    if len(table) < len(keys):
        shared = {key for key, count in Counter(keys).items() if count > 1}
        grouped: dict[str, list[int]] = defaultdict(list)
        for key, index in zip(keys, positions, strict=True):
            if key in shared:
                grouped[key].append(index)
        table.update((key, tuple(found)) for key, found in grouped.items())
    return table


@dataclass(slots=True)
class _Evidence:
    """What an entry says, read once."""

    amount: int
    references: list[str] = field(default_factory=list)
    reference_hits: list[int] = field(default_factory=list)
    text: str = ""
    # item index → strength of the number evidence (3 as written, 2 digits only, 1 groups)
    number_hits: dict[int, int] = field(default_factory=dict)
    spans: tuple[Span, ...] | None = None  # None: not looked up yet
    reading: Reading | None = None
    payer_customers: tuple[str, ...] = ()
    payer_by: str = ""  # "iban", "name", "text"
    provider: bool = False


class Matcher:
    """Indexes the open items once; `match` takes entries one by one in statement order.

    The open amounts it holds change as entries are matched, which is what makes statement
    order count. Build a new matcher for a new run.
    """

    def __init__(self, items: Sequence[OpenItem], *, policy: Policy = DEFAULT_POLICY) -> None:
        self.policy = policy
        self.bank_cost_tolerance = _cents(policy.bank_cost_tolerance)
        # Oldest first: where a person would choose among equals, the oldest goes first.
        ordered = sorted(items, key=lambda item: item.due_date or item.issue_date or date.max)
        self.items: list[OpenItem] = ordered
        # Columns at C speed (items are tuples).
        (
            numbers, customers, amounts, customer_names, customer_ibans, _, _, currencies,
            references, *_discounts,
        ) = zip(*ordered, strict=True) if ordered else ((),) * len(OpenItem._fields)  # fmt: skip
        self.open: list[int] = _cents_of_all(amounts)
        self.initial: list[int] = list(self.open)
        # Who settled an item in this run (entry id), or "" when it came in already paid.
        self.settled_by: dict[int, str] = {}
        with_reference = list(compress(range(len(references)), references))
        self.by_reference = _key_table(
            payment_reference.normalize_all([references[index] for index in with_reference]),
            with_reference,
        )
        # Each customer's items, oldest first.
        self.by_customer: dict[str, list[int]] = {}
        # Open items by open amount (cents), per customer (oldest first) and over all (for
        # typed-wrong numbers): each made when first needed, then kept up to date as entries
        # are applied.
        self._customer_amounts: dict[str, dict[int, list[int]]] = {}
        self._amounts: dict[int, set[int]] | None = None
        self.currencies = list(currencies)
        self.one_currency = len(set(self.currencies)) <= 1
        self.currency_set = frozenset(self.currencies)
        self.customers_by_iban: dict[str, set[str]] = defaultdict(set)
        self.customer_names: dict[str, str] = {}
        self._name_index: dict[str, set[str]] | None = None
        self._name_tokens: dict[str, tuple[str, ...]] = {}

        # Number keys, built with C-level zips: at 200,000 items a loop per item is the cost.
        numbers = list(numbers)
        written, digits, grouped, letters = number_keys_of_all(numbers)
        # Few distinct prefixes ("RE", "F"): one string each instead of one per item.
        prefixes: dict[str, str] = {}
        self.letters = [prefixes.setdefault(prefix, prefix) for prefix in letters]
        count = len(ordered)
        self.index_of = dict(zip(reversed(numbers), range(count - 1, -1, -1), strict=True))
        # Each item's number as digits only and as digit groups, for typed-wrong numbers.
        self.digits_of: list[str] = digits
        self.grouped_of: list[str] = grouped
        positions = range(count)
        # As written, digits only, digit groups (leading zeros left out). A bare short
        # number ("42") would be found in every text: digits-only keys need enough digits,
        # grouped keys at least two groups. The selections are made in C (`map`, `compress`).
        long_digits = list(
            map(and_, map(ge, map(len, digits), repeat(4)), map(ne, digits, written))
        )
        two_groups = list(map(and_, map(contains, grouped, repeat(".")), map(ne, grouped, digits)))
        self.by_key = (
            _key_table(written, positions),
            _key_table(list(compress(digits, long_digits)), list(compress(positions, long_digits))),
            _key_table(list(compress(grouped, two_groups)), list(compress(positions, two_groups))),
        )
        by_customer = self.by_customer
        # Each customer's name and IBANs as on its first item, customers in order of first
        # appearance (the name index is built in that order).
        first = dict.fromkeys(customers)
        first_name = dict(zip(reversed(customers), reversed(customer_names), strict=True))
        first_ibans = dict(zip(reversed(customers), reversed(customer_ibans), strict=True))
        ibans_seen = self.customers_by_iban
        for customer in first:
            self.customer_names[customer] = first_name[customer]
            by_customer[customer] = []
            for iban in first_ibans[customer]:
                ibans_seen[iban].add(customer)
        for index, customer in zip(positions, customers, strict=True):
            by_customer[customer].append(index)
        self.settled_by.update(
            dict.fromkeys(compress(positions, map(le, self.open, repeat(0))), "")
        )

    # The public step --------------------------------------------------------------------

    def match(self, entry: Entry, reading: Reading | None = None) -> Outcome:
        """The outcome of the next entry; `reading` is `read(entry)` if read ahead."""
        if not entry.credit:
            return Outcome(entry, IGNORED, reason="Debit entry: money paid out, not received.")
        if entry.reversal:
            return Outcome(
                entry, UNMATCHED, reason="Reversal of an earlier booking: not a customer payment."
            )
        if entry.amount <= 0 or (self.currency_set and entry.currency not in self.currency_set):
            left_out = self.set_apart(entry)
            return Outcome(entry, UNMATCHED, reason=f"Set apart: {left_out.reason}.")
        evidence = self._read(entry, reading or read(entry))
        suggestions: list[Proposal] = []
        for rule in (
            self._by_reference,
            self._by_number,
            self._by_payer_amount,
            self._by_typo,
            self._by_combination,
            self._by_payer_difference,
        ):
            outcome = rule(entry, evidence)
            if outcome is None:
                continue
            if outcome.status == MATCHED and self._contradicted(entry, evidence, outcome):
                outcome = self._result(entry, SUGGESTED, list(outcome.proposals))
            if outcome.status == MATCHED:
                # A notified payment is not money on the account yet: what is open stays open
                # until the booked entry comes (docs/decisions/0204).
                if not entry.notified:
                    self._apply(entry, outcome.proposals[0])
                return outcome
            if DUPLICATE in outcome.flags and outcome.confidence >= _FINAL_DUPLICATE:
                return outcome
            # A weaker rule may still explain the entry fully (a typed-wrong number that hits
            # someone else's invoice, while the payer has an open item of exactly the amount).
            suggestions.extend(
                proposal for proposal in outcome.proposals if proposal not in suggestions
            )
        if suggestions:
            return self._result(entry, SUGGESTED, suggestions[:5])
        return Outcome(entry, UNMATCHED, reason=self._nothing_found(evidence))

    def set_apart(self, entry: Entry) -> SkippedEntry | None:
        """Why a credit entry is not compared with the open items at all: it has no amount,
        or it is in a currency none of them is in (with no open items, nothing is set apart)."""
        if not entry.credit or entry.reversal:
            return None
        why, detail = "", ""
        if entry.amount <= 0:
            why = ZERO_AMOUNT
        elif self.currency_set and entry.currency not in self.currency_set:
            why, detail = CURRENCY, entry.currency
        if not why:
            return None
        return SkippedEntry(entry.entry_id, entry.amount, True, why, detail, entry.position)

    # Evidence ---------------------------------------------------------------------------

    def _read(self, entry: Entry, reading: Reading) -> _Evidence:
        evidence = _Evidence(amount=_cents(entry.amount), text=reading.text, reading=reading)
        for key, kept in reading.references:
            found = self.by_reference.get(key, ())
            # Kept to explain the outcome: what the bank gave as a reference, what is a valid
            # reference, and what names an invoice.
            if found or kept:
                evidence.references.append(key)
            for index in found:
                if self._currency_fits(index, entry) and index not in evidence.reference_hits:
                    evidence.reference_hits.append(index)
        evidence.provider = reading.provider
        iban = reading.iban
        if iban and not evidence.provider and iban in self.customers_by_iban:
            evidence.payer_customers = tuple(sorted(self.customers_by_iban[iban]))
            evidence.payer_by = "iban"
        return evidence

    def _numbers(self, entry: Entry, evidence: _Evidence) -> dict[int, int]:
        """Invoice numbers in the text (read only when a rule needs them): item → strength."""
        hits = evidence.number_hits
        if evidence.spans is not None:
            return hits
        evidence.spans = evidence.reading.spans
        by_written, by_digits, by_grouped = self.by_key
        letters_of = self.letters
        for (written, digits, grouped, letters), tokens, tight, _end in evidence.spans:
            # "20265774" for RE-2026-005774: separator and leading zeros both left out.
            bare = tokens == 1 and digits == written and len(digits) >= 6
            # Most runs are in none of the tables.
            if not (bare or written in by_written or digits in by_digits or grouped in by_grouped):
                continue
            # How much a hit says: as written beats digits only; joining words across spaces
            # is a guess, and leading zeros left out without the letters are the weakest.
            weight = 3 if tight else 2
            for index in by_written.get(written, ()):
                if weight > hits.get(index, 0) and self._currency_fits(index, entry):
                    hits[index] = weight
            for index in by_digits.get(digits, ()):
                if hits.get(index, 0) < 2 and self._currency_fits(index, entry):
                    hits[index] = 2
            for index in by_grouped.get(grouped, ()):
                weight = 2 if tight or (letters and letters == letters_of[index]) else 1
                if weight > hits.get(index, 0) and self._currency_fits(index, entry):
                    hits[index] = weight
            if bare:
                for cut in (2, 3, 4):
                    key = f"{int(digits[:cut])}.{int(digits[cut:])}"
                    for index in by_grouped.get(key, ()):
                        if index not in hits and self._currency_fits(index, entry):
                            hits[index] = 1
        if hits and _LIST_HINT.search(evidence.text):
            self._abbreviated(entry, evidence)
        return hits

    def _abbreviated(self, entry: Entry, evidence: _Evidence) -> None:
        """ "RE-2026-000123, 124 en 125": numbers listed right after a full one may give only
        its last part. Taken only for invoices of the same customer as the full number."""
        hits = evidence.number_hits
        upper = ""
        found: list[tuple[int, str]] = []
        for (_, _, grouped, _), tokens, _, end in evidence.spans or ():
            if end == 0 or tokens > 4:
                continue
            for index in self.by_key[2].get(grouped, ()):
                if hits.get(index, 0) < 2:
                    continue
                head, dot, last = grouped.rpartition(".")
                if not dot:
                    continue
                upper = upper or _masked(evidence.text)
                position = end
                while (listed := _LISTED.match(upper, position)) is not None:
                    # Invoices paid together were issued close together: "2 termijnen" after
                    # RE-2026-000123 is no invoice 2.
                    number = int(listed.group(1))
                    if len(listed.group(1)) >= 2 and abs(number - int(last)) <= 500:
                        found.append((index, f"{head}.{number}"))
                    position = listed.end()
        for first, key in found:
            customer = self.items[first].customer_id
            for index in self.by_key[2].get(key, ()):
                if (
                    index not in hits
                    and self.items[index].customer_id == customer
                    and self._currency_fits(index, entry)
                ):
                    hits[index] = 2

    def _payer(self, entry: Entry, evidence: _Evidence) -> tuple[str, ...]:
        """Customers the payer may be: by IBAN, else by a clearly best name (lazy: costly)."""
        if evidence.payer_by:
            return evidence.payer_customers
        evidence.payer_by = "none"
        names = []
        if entry.counterparty_name and not evidence.provider:
            names.append(entry.counterparty_name)
        if entry.ultimate_party_name:
            names.append(entry.ultimate_party_name)
        for name in names:
            customer = self._customer_by_name(name)
            if customer:
                evidence.payer_customers = (customer,)
                evidence.payer_by = "name"
                return evidence.payer_customers
        if evidence.provider and entry.remittance_text:
            customer = self._customer_in_text(entry.remittance_text)
            if customer:
                evidence.payer_customers = (customer,)
                evidence.payer_by = "text"
        return evidence.payer_customers

    def _names(self) -> dict[str, set[str]]:
        if self._name_index is None:
            index: dict[str, set[str]] = defaultdict(set)
            for customer, name in self.customer_names.items():
                tokens = name_tokens(name)
                self._name_tokens[customer] = tokens
                for token in tokens:
                    if len(token) >= 3:
                        index[token].add(customer)
            self._name_index = index
        return self._name_index

    def _customer_by_name(self, name: str) -> str:
        index = self._names()
        tokens = name_tokens(name)
        if not tokens:
            return ""
        candidates: set[str] = set()
        for token in tokens:
            holders = index.get(token, ())
            # A token most customers share ("bakkerij", "services") cannot tell them apart.
            if 0 < len(holders) <= 200:
                candidates.update(holders)
        if not candidates:
            return ""
        wanted = " ".join(tokens)
        scored = sorted(
            (
                (fuzz.token_sort_ratio(wanted, " ".join(self._name_tokens[customer])), customer)
                for customer in candidates
            ),
            reverse=True,
        )
        best_score, best = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        if best_score >= self.policy.name_similarity and best_score - runner_up >= (
            self.policy.name_lead
        ):
            return best
        return ""

    def _customer_in_text(self, text: str) -> str:
        """A customer whose whole name (all its words) appears in the text, if only one."""
        index = self._names()
        words = set(name_tokens(text))
        found = set()
        for word in words:
            holders = index.get(word, ())
            if len(holders) > 200:
                continue
            for customer in holders:
                tokens = self._name_tokens[customer]
                # A one-word name such as "Service" is found in too many texts.
                if sum(map(len, tokens)) < 6 or max(map(len, tokens)) < 4:
                    continue
                if all(token in words for token in tokens):
                    found.add(customer)
        return found.pop() if len(found) == 1 else ""

    def _currency_fits(self, index: int, entry: Entry) -> bool:
        return (self.one_currency and entry.currency == self.currencies[0]) or (
            self.currencies[index] == entry.currency
        )

    def _exact(self, customers: Iterable[str], amount: int, entry: Entry) -> list[int]:
        """Open items of these customers whose open amount is exactly `amount`, oldest first."""
        found = [
            index
            for customer in customers
            for index in self._amounts_of(customer).get(amount, ())
            if self._currency_fits(index, entry)
        ]
        return sorted(found) if len(customers) > 1 else found

    def _amounts_of(self, customer: str) -> dict[int, list[int]]:
        """The customer's open items by open amount, oldest first."""
        table = self._customer_amounts.get(customer)
        if table is None:
            table = self._customer_amounts[customer] = defaultdict(list)
            for index in self.by_customer.get(customer, ()):
                if self.open[index] > 0:
                    table[self.open[index]].append(index)
        return table

    def _all_amounts(self) -> dict[int, set[int]]:
        """All open items by open amount (sets: a common amount is open thousands of times,
        and its items come and go as entries are applied)."""
        if self._amounts is None:
            self._amounts = defaultdict(set)
            for index, cents in enumerate(self.open):
                if cents > 0:
                    self._amounts[cents].add(index)
        return self._amounts

    def _open_of(self, customer: str, entry: Entry, limit: int) -> list[int]:
        """The customer's oldest open items, at most `limit` of them."""
        found = []
        for index in self.by_customer.get(customer, ()):
            if self.open[index] > 0 and self._currency_fits(index, entry):
                found.append(index)
                if len(found) >= limit:
                    break
        return found

    # Rules ------------------------------------------------------------------------------

    def _by_reference(self, entry: Entry, evidence: _Evidence) -> Outcome | None:
        hits = evidence.reference_hits
        if not hits:
            return None
        open_hits = [index for index in hits if self.open[index] > 0]
        if not open_hits:
            return self._duplicate(entry, evidence, hits, "payment reference", sure=True)
        if len(open_hits) == 1:
            index = open_hits[0]
            item = self.items[index]
            reference = item.payment_reference
            return self._single(
                entry,
                evidence,
                index,
                rule="reference",
                score=0.99,
                why=f"Payment reference {reference} is that of invoice {item.invoice_number}",
                identified=True,
            )
        return self._listed(entry, evidence, open_hits, "payment references", base=0.97)

    def _by_number(self, entry: Entry, evidence: _Evidence) -> Outcome | None:
        hits = self._numbers(entry, evidence)
        if not hits:
            return None
        open_hits = [index for index in hits if self.open[index] > 0]
        strong = [index for index in open_hits if hits[index] >= 2]
        considered = strong or open_hits
        if not considered:
            # Every number named is already paid: a duplicate, unless a typo explains it.
            best = max(hits, key=hits.__getitem__)
            return self._typo_anywhere(entry, evidence) or self._duplicate(
                entry, evidence, [best], "invoice number", sure=hits[best] >= 2
            )
        amount = evidence.amount
        if len(considered) > 1:
            exact = [index for index in considered if self.open[index] == amount]
            total = sum(self.open[index] for index in considered)
            if total != amount and len(exact) == 1:
                considered = exact
        if len(considered) == 1:
            index = considered[0]
            item = self.items[index]
            if self.open[index] != amount:
                typo = self._typo_anywhere(entry, evidence, exclude={index})
                if typo is not None:
                    return typo
            identified = self.open[index] == amount
            if not identified:
                payer = self._payer(entry, evidence)
                identified = item.customer_id in payer and not any(
                    # Another open item of the payer with exactly this amount: this number may
                    # be a typing error for that one, so it is not a part payment beyond doubt.
                    other != index
                    for other in self._exact(payer, amount, entry)
                )
            if not identified and hits[index] >= 2 and self._bank_costs(index, amount):
                # Named as written and a few euros short: the payer's bank kept its costs.
                identified = True
            return self._single(
                entry,
                evidence,
                index,
                rule="invoice_number",
                score=0.97 if hits[index] >= 2 else 0.9,
                why=f"The description names invoice {item.invoice_number}",
                identified=identified,
            )
        return self._listed(entry, evidence, considered, "invoice numbers", base=0.95)

    def _by_payer_amount(self, entry: Entry, evidence: _Evidence) -> Outcome | None:
        customers = self._payer(entry, evidence)
        if not customers:
            return None
        amount = evidence.amount
        exact = self._exact(customers, amount, entry)
        if not exact:
            return None
        payer = self._describe_payer(entry, evidence)
        if len(exact) > 1:
            # The same amount open several times (a subscription): a number in the text,
            # even typed wrong, may still tell which.
            self._numbers(entry, evidence)
            named = [index for index in exact if self._loosely_named(index, evidence)]
            if len(named) == 1:
                item = self.items[named[0]]
                return self._result(
                    entry,
                    MATCHED,
                    [
                        self._proposal(
                            [(named[0], amount)],
                            0.9,
                            f"{payer}; of its {len(exact)} open items of {_text(amount)}, the "
                            f"description points to {item.invoice_number}",
                            "payer_amount",
                        )
                    ],
                )
            proposals = [
                self._proposal(
                    [(index, amount)],
                    0.6,
                    f"{payer}; {len(exact)} open items have exactly this amount "
                    f"({self.items[index].invoice_number} is the oldest)",
                    "payer_amount",
                )
                for index in exact[:5]
            ]
            return self._result(entry, SUGGESTED, proposals)
        index = exact[0]
        item = self.items[index]
        score = {"iban": 0.93, "name": 0.88, "text": 0.85}.get(evidence.payer_by, 0.85)
        return self._result(
            entry,
            MATCHED,
            [
                self._proposal(
                    [(index, amount)],
                    score,
                    f"{payer}, and invoice {item.invoice_number} is its only open item of "
                    f"exactly {_text(amount)}",
                    "payer_amount",
                )
            ],
        )

    def _by_combination(self, entry: Entry, evidence: _Evidence) -> Outcome | None:
        customers = self._payer(entry, evidence)
        if len(customers) != 1:
            return None
        bound = self.policy.max_items_for_combination
        candidates = self._open_of(customers[0], entry, bound + 1)
        # Beyond the bound a unique combination among the oldest items proves nothing.
        complete = len(candidates) <= bound
        candidates = candidates[:bound]
        found = self._combinations(candidates, evidence.amount, limit=2)
        if not found:
            return None
        payer = self._describe_payer(entry, evidence)
        if len(found) == 1:
            combination = found[0]
            numbers = ", ".join(self.items[index].invoice_number for index in combination)
            return self._result(
                entry,
                MATCHED if complete else SUGGESTED,
                [
                    self._proposal(
                        [(index, self.open[index]) for index in combination],
                        0.88,
                        f"{payer}; invoices {numbers} are the only combination of its open "
                        f"items adding up to {_text(evidence.amount)}",
                        "combination",
                    )
                ],
            )
        proposals = [
            self._proposal(
                [(index, self.open[index]) for index in combination],
                0.5,
                f"{payer}; several combinations of its open items add up to "
                f"{_text(evidence.amount)}: "
                + ", ".join(self.items[index].invoice_number for index in combination),
                "combination",
            )
            for combination in found
        ]
        return self._result(entry, SUGGESTED, proposals)

    def _by_payer_difference(self, entry: Entry, evidence: _Evidence) -> Outcome | None:
        """The payer is known but no open item has the amount: partial or a small difference."""
        customers = self._payer(entry, evidence)
        if not customers:
            return None
        amount = evidence.amount
        candidates = [
            index for customer in customers for index in self._open_of(customer, entry, 200)
        ]
        if not candidates:
            return None
        payer = self._describe_payer(entry, evidence)
        # An invoice's own discount is known to the cent; the policy's usual ones are looked for.
        discounted = [
            index
            for index in candidates
            if self.items[index].discount_until is not None and self._discount(index, entry, amount)
        ]
        for percentage in self.policy.discount_percentages:
            # The open amount this payment would be after the discount: look it up, do not scan.
            estimate = int(Decimal(amount) * 100 / (100 - percentage))
            for cents in range(estimate - 2, estimate + 3):
                for index in self._exact(customers, cents, entry):
                    if index not in discounted and self._discount(index, entry, amount):
                        discounted.append(index)
        if len(discounted) == 1:
            index = discounted[0]
            percentage = self._discount(index, entry, amount)
            item = self.items[index]
            return self._result(
                entry,
                SUGGESTED,  # no invoice named: the discount alone is too thin
                [
                    self._proposal(
                        [(index, amount)],
                        0.7,
                        f"{payer}; {_text(amount)} is invoice {item.invoice_number} less its "
                        f"{percentage}% early-payment discount, paid within the discount period",
                        "discount",
                        flags=(DISCOUNT,),
                    )
                ],
            )
        tolerance = self.bank_cost_tolerance
        near = sorted(
            (self.open[index] - amount, index)
            for index in candidates
            if 0 < self.open[index] - amount <= tolerance
        )
        proposals: list[Proposal] = []
        for difference, index in near[:3]:
            item = self.items[index]
            proposals.append(
                self._proposal(
                    [(index, amount)],
                    0.55,
                    f"{payer}; {_text(amount)} is {_text(difference)} less than invoice "
                    f"{item.invoice_number} (bank costs or a payment difference?)",
                    "difference",
                    flags=(SHORT,),
                )
            )
        larger = [index for index in candidates if self.open[index] > amount]
        for index in larger[:3]:
            if any(
                allocation.invoice_number == self.items[index].invoice_number
                for proposal in proposals
                for allocation in proposal.allocations
            ):
                continue
            item = self.items[index]
            proposals.append(
                self._proposal(
                    [(index, amount)],
                    0.4,
                    f"{payer}; {_text(amount)} may be part of invoice {item.invoice_number} "
                    f"(open {_text(self.open[index])})",
                    "partial",
                    flags=(PARTIAL,),
                )
            )
        if not proposals:
            index = candidates[0]
            item = self.items[index]
            proposals.append(
                self._proposal(
                    [(index, self.open[index])],
                    0.3,
                    f"{payer}; {_text(amount)} is more than any of its open items; the oldest "
                    f"is {item.invoice_number}",
                    "overpayment",
                    flags=(OVERPAYMENT,),
                )
            )
        return self._result(entry, SUGGESTED, proposals[:5])

    # Building blocks --------------------------------------------------------------------

    def _single(
        self,
        entry: Entry,
        evidence: _Evidence,
        index: int,
        *,
        rule: str,
        score: float,
        why: str,
        identified: bool,
    ) -> Outcome:
        """An identified item; what the amount says decides how it is applied."""
        item = self.items[index]
        amount = evidence.amount
        open_amount = self.open[index]
        if amount == open_amount:
            return self._result(
                entry,
                MATCHED,
                [
                    self._proposal(
                        [(index, amount)],
                        score,
                        f"{why}; the amount is exactly its open amount",
                        rule,
                    )
                ],
            )
        if amount > open_amount:
            excess = amount - open_amount
            proposal = self._proposal(
                [(index, open_amount)],
                round(score - 0.05, 2),
                f"{why}; {_text(excess)} more than its open {_text(open_amount)} was paid: "
                "the excess stays as credit on the customer",
                rule,
                flags=(OVERPAYMENT,),
            )
            return self._result(entry, MATCHED if identified else SUGGESTED, [proposal])
        percentage = self._discount(index, entry, amount)
        if percentage is not None:
            proposal = self._proposal(
                [(index, amount)],
                round(score - 0.04, 2),
                f"{why}; {_text(amount)} is the open amount less a {percentage}% early-payment "
                f"discount of {_text(open_amount - amount)}, paid within the discount period",
                rule,
                flags=(DISCOUNT,),
            )
            # The discount's exact cents confirm the invoice as well as the payer would.
            return self._result(entry, MATCHED, [proposal])
        difference = open_amount - amount
        if difference <= self.bank_cost_tolerance:
            flag = SHORT
            detail = (
                f"{_text(difference)} less than its open {_text(open_amount)} was paid "
                "(bank costs or a payment difference): the rest stays open"
            )
        else:
            flag = PARTIAL
            detail = (
                f"a part payment of {_text(amount)} of its open {_text(open_amount)}: "
                f"{_text(difference)} stays open"
            )
        proposal = self._proposal(
            [(index, amount)], round(score - 0.05, 2), f"{why}; {detail}", rule, flags=(flag,)
        )
        if identified:
            return self._result(entry, MATCHED, [proposal])
        weaker = Proposal(
            proposal.allocations,
            0.5,
            proposal.reason + f"; the payer is not known as customer of {item.invoice_number}",
            rule,
            item.customer_id,
            proposal.flags,
        )
        return self._result(entry, SUGGESTED, [weaker])

    def _listed(
        self, entry: Entry, evidence: _Evidence, listed: list[int], what: str, *, base: float
    ) -> Outcome:
        """Several open items named: together, one of them, or a subset must fit the amount."""
        amount = evidence.amount
        total = sum(self.open[index] for index in listed)
        numbers = ", ".join(self.items[index].invoice_number for index in listed)
        if total == amount:
            return self._result(
                entry,
                MATCHED,
                [
                    self._proposal(
                        [(index, self.open[index]) for index in listed],
                        base,
                        f"The {what} name invoices {numbers}, and together they are exactly "
                        f"{_text(amount)}",
                        "combination",
                    )
                ],
            )
        subsets = self._combinations(listed, amount, limit=2, smallest=1)
        if len(subsets) == 1:
            subset = subsets[0]
            chosen = ", ".join(self.items[index].invoice_number for index in subset)
            return self._result(
                entry,
                MATCHED,
                [
                    self._proposal(
                        [(index, self.open[index]) for index in subset],
                        round(base - 0.07, 2),
                        f"The {what} name invoices {numbers}; only {chosen} together are "
                        f"exactly {_text(amount)}",
                        "combination",
                    )
                ],
            )
        customers = {self.items[index].customer_id for index in listed}
        if (
            amount > total
            and len(customers) == 1
            and customers.intersection(self._payer(entry, evidence))
        ):
            # More than all of them: perhaps a credit, perhaps one number typed wrong and
            # another invoice meant. A person decides.
            excess = amount - total
            return self._result(
                entry,
                SUGGESTED,
                [
                    self._proposal(
                        [(index, self.open[index]) for index in listed],
                        round(base - 0.1, 2),
                        f"The {what} name invoices {numbers} of the payer; {_text(excess)} more "
                        "than their open amounts was paid: the excess stays as credit",
                        "combination",
                        flags=(OVERPAYMENT,),
                    )
                ],
            )
        # Less than all of them: applied oldest first, for a person to confirm.
        allocations: list[tuple[int, int]] = []
        remaining = amount
        for index in listed:
            if remaining <= 0:
                break
            part = min(remaining, self.open[index])
            allocations.append((index, part))
            remaining -= part
        return self._result(
            entry,
            SUGGESTED,
            [
                self._proposal(
                    allocations,
                    0.6,
                    f"The {what} name invoices {numbers} (open {_text(total)}), but "
                    f"{_text(amount)} was paid; applied oldest first",
                    "combination",
                    flags=(PARTIAL,) if amount < total else (OVERPAYMENT,),
                )
            ],
        )

    def _by_typo(self, entry: Entry, evidence: _Evidence) -> Outcome | None:
        if self._numbers(entry, evidence):
            return None  # already tried with the number rule
        return self._typo_anywhere(entry, evidence)

    def _typo_anywhere(
        self, entry: Entry, evidence: _Evidence, exclude: set[int] | None = None
    ) -> Outcome | None:
        """A number one keystroke from an open invoice whose open amount is exactly paid."""
        amount = evidence.amount
        # Start from the few open items with exactly this amount and compare their numbers
        # with the text, rather than trying every one-keystroke variant of every number.
        candidates = self._all_amounts().get(amount, ())
        if not candidates or len(candidates) > 500:
            return None
        self._numbers(entry, evidence)
        numbers = [
            (digits, grouped)
            for (_, digits, grouped, _), tokens, _, _ in evidence.spans
            if tokens <= 3 and len(digits) >= 5
        ]
        found: set[int] = set()
        for index in candidates:
            if not self._currency_fits(index, entry):
                continue
            digits, grouped = self.digits_of[index], self.grouped_of[index]
            for written_digits, written_grouped in numbers:
                if abs(len(written_digits) - len(digits)) <= 1 and (
                    OSA.distance(written_digits, digits, score_cutoff=1) <= 1
                ):
                    found.add(index)
                    break
                # Leading zeros left out as well ("RE-2026-12209" for RE-2026-012229).
                if (
                    "." in grouped
                    and written_grouped.count(".") == grouped.count(".")
                    and OSA.distance(written_grouped, grouped, score_cutoff=1) <= 1
                ):
                    found.add(index)
                    break
        if exclude:
            found -= exclude
        if not found:
            return None
        payer = self._payer(entry, evidence)
        if len(found) == 1:
            index = found.pop()
            item = self.items[index]
            # The text names another open invoice as written: only the payer can say the
            # number was typed wrong. A number naming nothing open needs no such proof.
            confirmed = (
                item.customer_id in payer if exclude else not payer or (item.customer_id in payer)
            )
            return self._result(
                entry,
                MATCHED if confirmed else SUGGESTED,
                [
                    self._proposal(
                        [(index, amount)],
                        0.88 if confirmed else 0.5,
                        f"The description has a number one keystroke from invoice "
                        f"{item.invoice_number}, whose open amount is exactly {_text(amount)}",
                        "typo",
                        flags=(TYPO,),
                    )
                ],
            )
        return self._result(
            entry,
            SUGGESTED,
            [
                self._proposal(
                    [(index, amount)],
                    0.4,
                    f"The description has a number close to invoice "
                    f"{self.items[index].invoice_number}, whose open amount is exactly "
                    f"{_text(amount)} (and other invoices are as close)",
                    "typo",
                    flags=(TYPO,),
                )
                for index in sorted(found)[:5]
            ],
        )

    def _duplicate(
        self, entry: Entry, evidence: _Evidence, hits: list[int], what: str, *, sure: bool
    ) -> Outcome:
        index = hits[0]
        item = self.items[index]
        earlier = self.settled_by.get(index, "")
        if earlier and self.initial[index] != evidence.amount:
            # Paid in this run, but not this amount: perhaps not the same payment twice.
            sure = False
        when = f" by entry {earlier} of this statement" if earlier else " before this statement"
        return self._result(
            entry,
            SUGGESTED,
            [
                Proposal(
                    (),
                    _FINAL_DUPLICATE if sure else 0.45,
                    f"The {what} names invoice {item.invoice_number}, which was already paid"
                    f"{when}: probably a duplicate payment; keep {_text(evidence.amount)} as "
                    "credit on the customer or refund it",
                    "duplicate",
                    item.customer_id,
                    (DUPLICATE,),
                )
            ],
        )

    def _contradicted(self, entry: Entry, evidence: _Evidence, outcome: Outcome) -> bool:
        """The text names other open invoices than the ones a weaker rule would pay.

        A payer who writes "RE-2026-137073" and pays 65.83 pays (part of) that invoice, even
        when another of its invoices happens to be open for exactly 65.83: a person decides.
        """
        if outcome.best is None or outcome.best.rule in ("reference", "invoice_number", "typo"):
            return False
        named = [
            index
            for index in (*evidence.reference_hits, *evidence.number_hits)
            if self.open[index] > 0
            and (index in evidence.reference_hits or evidence.number_hits[index] >= 2)
        ]
        if not named:
            return False
        paid = [self.index_of[allocation.invoice_number] for allocation in outcome.allocations]
        return any(
            index not in named and not self._loosely_named(index, evidence) for index in paid
        )

    def _loosely_named(self, index: int, evidence: _Evidence) -> bool:
        """The text has this item's number, its sequence part, or one keystroke from it."""
        if index in evidence.number_hits:
            return True
        digits, grouped = self.digits_of[index], self.grouped_of[index]
        sequence = grouped.rsplit(".", 1)[-1]
        for (_, candidate, _, _), tokens, _, _ in evidence.spans or ():
            if tokens != 1 or not candidate:
                continue
            if str(int(candidate)) == sequence and len(sequence) >= 2:
                return True
            if len(candidate) >= 5 and OSA.distance(candidate, digits, score_cutoff=1) <= 1:
                return True
        return False

    def _bank_costs(self, index: int, amount: int) -> bool:
        """Short by no more than the bank-cost tolerance and a tenth of the open amount."""
        difference = self.open[index] - amount
        return 0 < difference <= self.bank_cost_tolerance and (difference * 10 <= self.open[index])

    def _discount(self, index: int, entry: Entry, amount: int) -> Decimal | None:
        """The discount percentage this payment took, when paid within the discount period.

        Payers round the discounted amount their own way (the discount half-up, the result
        half-up or half-even): any amount within a cent of the exact discounted one counts.
        """
        item = self.items[index]
        paid_on = entry.value_date or entry.booking_date
        if item.discount_until is not None:
            # Offered on the invoice: exactly its discounted amount, paid in time.
            if (
                paid_on is not None
                and discount.in_time(paid_on, item.discount_until, self.policy.discount_grace_days)
                and self.open[index] - amount == _cents(item.discount)
            ):
                return item.discount_percentage.normalize()
            return None
        if item.issue_date is None or paid_on is None:
            return None
        days = (paid_on - item.issue_date).days
        if days < 0 or days > self.policy.discount_days + self.policy.booking_delay_days:
            return None
        open_amount = self.open[index]
        for percentage in self.policy.discount_percentages:
            exact = Decimal(open_amount) * (100 - percentage) / 100
            if abs(exact - amount) < 1:
                return percentage
        return None

    def _combinations(
        self, candidates: list[int], amount: int, *, limit: int, smallest: int = 2
    ) -> list[tuple[int, ...]]:
        """Up to `limit` distinct sets of candidates whose open amounts add up to `amount`.

        Smallest sets first, then the ones with the oldest items. Pair sums are hashed, so
        sizes up to four cost O(k²); size five is only tried among few candidates.
        """
        values = [self.open[index] for index in candidates]
        count = len(values)
        found: list[tuple[int, ...]] = []
        seen: set[tuple[int, ...]] = set()
        maximum = min(self.policy.max_combination_size, count)
        pair_sums: dict[int, list[tuple[int, int]]] | None = None

        def add(positions: Iterable[int]) -> bool:
            key = tuple(sorted(positions))
            if key in seen:
                return False
            seen.add(key)
            found.append(tuple(candidates[position] for position in key))
            return len(found) >= limit

        def ordered() -> list[tuple[int, ...]]:
            # Smallest first, then the one holding the oldest items (Stripe's tie-break).
            return sorted(found, key=lambda combination: (len(combination), combination))

        for size in range(max(smallest, 1), maximum + 1):
            if size == 1:
                for position, value in enumerate(values):
                    if value == amount and add((position,)):
                        return ordered()
            elif size == 2:
                by_value: dict[int, list[int]] = defaultdict(list)
                for position, value in enumerate(values):
                    for other in by_value.get(amount - value, ()):
                        if add((other, position)):
                            return ordered()
                    by_value[value].append(position)
            elif size in (3, 4) or (size == 5 and count <= 16):
                if pair_sums is None:
                    pair_sums = defaultdict(list)
                    for first, second in combinations(range(count), 2):
                        pair_sums[values[first] + values[second]].append((first, second))
                if size == 3:
                    for position, value in enumerate(values):
                        for first, second in pair_sums.get(amount - value, ()):
                            if position < first and add((position, first, second)):
                                return ordered()
                elif size == 4:
                    for (first, second), (third, fourth) in self._pair_pairs(pair_sums, amount):
                        if len({first, second, third, fourth}) == 4 and add(
                            (first, second, third, fourth)
                        ):
                            return ordered()
                else:
                    for position, value in enumerate(values):
                        rest = amount - value
                        for (first, second), (third, fourth) in self._pair_pairs(pair_sums, rest):
                            group = {position, first, second, third, fourth}
                            if len(group) == 5 and add(group):
                                return ordered()
        return ordered()

    @staticmethod
    def _pair_pairs(
        pair_sums: dict[int, list[tuple[int, int]]], amount: int
    ) -> Iterable[tuple[tuple[int, int], tuple[int, int]]]:
        """Each set of four positions once: its two lowest as the first pair."""
        for total, pairs in pair_sums.items():
            others = pair_sums.get(amount - total)
            if not others:
                continue
            for pair in pairs:
                for other in others:
                    if pair[1] < other[0]:
                        yield pair, other

    def _describe_payer(self, entry: Entry, evidence: _Evidence) -> str:
        customers = evidence.payer_customers
        name = self.customer_names.get(customers[0], customers[0]) if customers else ""
        if evidence.payer_by == "iban":
            if len(customers) > 1:
                return f"The payer's IBAN {entry.counterparty_iban} is known for several customers"
            return f"The payer's IBAN {entry.counterparty_iban} is known for customer {name}"
        if evidence.payer_by == "name":
            return f"The payer's name {entry.counterparty_name!r} is customer {name}"
        return f"The text names customer {name} (paid through {entry.counterparty_name})"

    def _nothing_found(self, evidence: _Evidence) -> str:
        if evidence.references and not evidence.reference_hits:
            return (
                f"Payment reference {evidence.references[0]} is not that of an open invoice, "
                "and nothing else identifies the payment"
            )
        if evidence.provider:
            return "Paid through a payment provider; no invoice or customer found in the text"
        return "No payment reference, no known invoice number and no known payer"

    def _proposal(
        self,
        allocations: Sequence[tuple[int, int]],
        score: float,
        reason: str,
        rule: str,
        *,
        flags: tuple[str, ...] = (),
    ) -> Proposal:
        customer = self.items[allocations[0][0]].customer_id if allocations else ""
        return Proposal(
            tuple(
                Allocation(self.items[index].invoice_number, money.from_cents(cents))
                for index, cents in allocations
            ),
            score,
            reason,
            rule,
            customer,
            flags,
        )

    def _result(self, entry: Entry, status: str, proposals: list[Proposal]) -> Outcome:
        return Outcome(entry, status, tuple(proposals), proposals[0].reason if proposals else "")

    def _apply(self, entry: Entry, proposal: Proposal) -> None:
        for allocation in proposal.allocations:
            index = self.index_of[allocation.invoice_number]
            before = self.open[index]
            after = before - _cents(allocation.amount)
            self.open[index] = after
            if after <= 0:
                self.settled_by[index] = entry.entry_id
            of_customer = self._customer_amounts.get(self.items[index].customer_id)
            if of_customer is not None:
                of_customer[before].remove(index)
                if after > 0:
                    insort(of_customer[after], index)
            if self._amounts is not None:
                self._amounts[before].remove(index)
                if after > 0:
                    self._amounts[after].add(index)

"""What goes on an invoice or a letter, as plain values.

`queries` builds these from the models; `rendering` turns them into a PDF and an e-mail body.
Keeping them plain makes rendering a pure function that tests and benchmarks call without a
database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Party:
    name: str
    address_lines: tuple[str, ...] = ()
    country: str = "NL"
    kvk_number: str = ""
    vat_number: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    iban: str = ""
    bic: str = ""
    # The address in parts, for e-invoices; `address_lines` is how it is printed.
    street: str = ""
    postal_code: str = ""
    city: str = ""


@dataclass(frozen=True)
class Look:
    """The organization's letterhead: colours, logo and who signs."""

    primary_colour: str = "#1f4e79"
    accent_colour: str = "#e8eef5"
    logo_path: str | None = None
    show_payment_qr: bool = True
    signatory: str = ""


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    net_amount: Decimal
    unit: str = ""


@dataclass(frozen=True)
class VatGroup:
    rate: Decimal
    base: Decimal
    amount: Decimal


@dataclass(frozen=True)
class DirectDebitNotice:
    """The pre-notification printed on an invoice that will be collected."""

    collection_date: date
    debtor_iban: str
    mandate_reference: str
    creditor_id: str


@dataclass(frozen=True)
class Discount:
    """The early-payment discount the invoice offers (`domain.discount`)."""

    percentage: Decimal
    amount: Decimal
    last_day: date


@dataclass(frozen=True)
class InvoiceDocument:
    language: str
    is_credit_note: bool
    seller: Party
    buyer: Party
    customer_kind: str  # consumer, business or government: picks the late-payment clause
    customer_number: str
    number: str
    issue_date: date
    due_date: date | None
    currency: str
    lines: tuple[Line, ...]
    vat_groups: tuple[VatGroup, ...]
    subtotal: Decimal
    vat_total: Decimal
    total: Decimal
    payment_reference: str = ""
    customer_reference: str = ""
    description: str = ""
    credited_number: str = ""
    direct_debit: DirectDebitNotice | None = None
    look: Look = field(default_factory=Look)
    # The organization's own wording for this language, by block key (see `wording.BLOCKS`).
    texts: Mapping[str, str] = field(default_factory=dict)
    discount: Discount | None = None
    # invoice, credit_note, pro_forma or quote: a quote and a pro forma ask for no payment.
    kind: str = "invoice"

    @property
    def asks_no_payment(self) -> bool:
        return self.kind in ("pro_forma", "quote")

    @property
    def payment_term_days(self) -> int | None:
        if self.due_date is None:
            return None
        return (self.due_date - self.issue_date).days


# Letters ------------------------------------------------------------------------------------

LETTER_KINDS = (
    "pre_due",
    "reminder",
    "formal_demand",
    "consumer_notice",
    "final_notice",
    "broken_promise",
    "thank_you",
    "arrangement",
    "statement",
    "handover",
)


@dataclass(frozen=True)
class Claim:
    """One invoice a letter covers, with what is open and what has run on it."""

    number: str
    issue_date: date
    due_date: date | None
    total: Decimal
    open_amount: Decimal
    interest: Decimal = Decimal("0.00")
    is_credit_note: bool = False


@dataclass(frozen=True)
class InterestPeriod:
    """One row of the interest computation: a stretch at one rate over one principal."""

    invoice_number: str
    start: date
    end: date
    days: int
    principal: Decimal
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True)
class CostStep:
    """One band of the collection-cost scale, or a line such as the minimum."""

    description: str
    amount: Decimal


@dataclass(frozen=True)
class Instalment:
    number: int
    due_date: date
    amount: Decimal


@dataclass(frozen=True)
class HistoryEntry:
    on: date
    description: str


@dataclass(frozen=True)
class Credit:
    """Money of the customer's that a letter sets off: an open credit note, a payment not yet
    booked against an invoice."""

    description: str
    on: date
    amount: Decimal


@dataclass(frozen=True)
class LetterDocument:
    kind: str  # one of LETTER_KINDS
    language: str
    letter_date: date
    seller: Party
    recipient: Party
    customer_number: str
    customer_kind: str
    currency: str
    claims: tuple[Claim, ...]
    level: int = 1  # reminder level, 1 = friendly; higher levels are firmer
    pay_by: date | None = None
    payment_reference: str = ""
    interest_periods: tuple[InterestPeriod, ...] = ()
    interest_notes: tuple[str, ...] = ()
    cost_steps: tuple[CostStep, ...] = ()
    collection_costs: Decimal = Decimal("0.00")
    collection_costs_vat: Decimal = Decimal("0.00")
    collection_costs_vat_rate: Decimal = Decimal("0")
    instalments: tuple[Instalment, ...] = ()
    history: tuple[HistoryEntry, ...] = ()
    look: Look = field(default_factory=Look)
    texts: Mapping[str, str] = field(default_factory=dict)
    contact: str = ""
    # A hand-over sheet goes to the agency (`recipient`, may be blank) and is about `debtor`.
    debtor: Party | None = None
    credits: tuple[Credit, ...] = ()

    @property
    def debtor_party(self) -> Party:
        return self.debtor or self.recipient

    @property
    def principal(self) -> Decimal:
        return sum((claim.open_amount for claim in self.claims), Decimal("0.00"))

    @property
    def interest(self) -> Decimal:
        return sum((claim.interest for claim in self.claims), Decimal("0.00"))

    @property
    def costs_due_now(self) -> bool:
        # The 14-day letter announces the costs as the consequence of not paying in time; they
        # are not owed yet (art. 6:96 lid 6 BW), so they are not part of what it asks to pay.
        return self.kind != "consumer_notice"

    @property
    def credit(self) -> Decimal:
        return sum((credit.amount for credit in self.credits), Decimal("0.00"))

    @property
    def total_due(self) -> Decimal:
        total = self.principal + self.interest
        if self.costs_due_now:
            total += self.collection_costs + self.collection_costs_vat
        return max(total - self.credit, Decimal("0.00"))

"""Letters from the legal engine's computations: reminders, demands, the 14-day letter, more.

`compose` takes the invoices a letter covers and, unchanged, what `tegoed.domain.interest`
(`Breakdown`, or a `Statement` of several claims), `tegoed.domain.collection_costs`
(`CollectionCosts`) and `tegoed.domain.default_notice` (`Notice`) computed, and returns the
`LetterDocument` that `rendering` turns into a PDF and an e-mail. The letter shows those
figures; it never computes interest or costs itself, so the letter and the ledger agree.

`letter_for` (in `queries`) gathers the same inputs from the database for one customer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from tegoed.documents import wording
from tegoed.documents.content import (
    LETTER_KINDS,
    Claim,
    CostStep,
    Credit,
    HistoryEntry,
    Instalment,
    InterestPeriod,
    LetterDocument,
    Look,
    Party,
)
from tegoed.domain import collection_costs, default_notice, interest
from tegoed.domain.errors import DomainError

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LetterInvoice:
    """What the ledger knows of one invoice a letter covers."""

    number: str
    issue_date: date
    due_date: date | None
    total: Decimal
    open_amount: Decimal
    is_credit_note: bool = False
    payment_reference: str = ""


@dataclass(frozen=True)
class Addressing:
    """Who writes to whom, in which language and letterhead."""

    seller: Party
    recipient: Party
    customer_number: str
    customer_kind: str
    language: str
    currency: str = "EUR"
    payment_reference: str = ""
    look: Look = field(default_factory=Look)
    texts: Mapping[str, str] = field(default_factory=dict)
    contact: str = ""


def _breakdowns(
    computed: interest.Statement | Sequence[interest.Breakdown] | None,
) -> dict[str, interest.Breakdown]:
    if computed is None:
        return {}
    claims = computed.claims if isinstance(computed, interest.Statement) else computed
    return {breakdown.key: breakdown for breakdown in claims}


def unpaid_interest(breakdown: interest.Breakdown) -> Decimal:
    """Interest accrued through the end date less what payments went to interest (6:44 BW)."""
    paid = sum((payment.interest for payment in breakdown.payments), ZERO)
    return breakdown.total - paid


def cost_steps(
    costs: collection_costs.CollectionCosts,
    language: str,
    invoices: Sequence[LetterInvoice] = (),
) -> tuple[CostStep, ...]:
    """The scale's lines in the letter's language, then the minimum or maximum if applied.

    Costs computed per invoice (a business debtor) show one line per invoice instead, with the
    principal they were computed on: `invoices` are the letter's, in the order of the costs.
    """
    currency = costs.currency
    language = wording.language_of(language)
    charged = [invoice for invoice in invoices if invoice.open_amount > 0]
    if costs.per_claim and len(charged) == len(costs.shares) > 1:
        on = "over" if language == "nl" else "on"
        label = "Factuur" if language == "nl" else "Invoice"
        return tuple(
            CostStep(
                f"{label} {invoice.number} {on} "
                f"{wording.amount(invoice.open_amount, currency, language)}",
                share,
            )
            for invoice, share in zip(charged, costs.shares, strict=True)
        )
    limits = {
        "minimum": {"nl": "Minimum (art. 2 lid 2 Besluit)", "en": "Statutory minimum"},
        "maximum": {"nl": "Maximum (art. 2 lid 1 Besluit)", "en": "Statutory maximum"},
    }
    steps = []
    for line in costs.brackets:
        portion = wording.amount(line.portion, currency, language)
        if line.kind in limits:
            over = "over" if language == "nl" else "of"
            text = f"{limits[line.kind][language]} {over} {portion}"
        elif line.percent is None:
            # The basis reads "art. 6:96 lid 4 BW: at least €40, …": the citation comes first.
            citation = costs.basis.split(": ")[0]
            fixed = {"nl": "Vast bedrag", "en": "Fixed sum"}[language]
            text = f"{fixed} ({citation})"
        else:
            percent = wording.percentage(line.percent, language)
            text = f"{percent}% over {portion}" if language == "nl" else f"{percent}% of {portion}"
        steps.append(CostStep(text, line.amount))
    if not costs.per_claim:
        for kind, applied in (
            ("minimum", costs.minimum_applied),
            ("maximum", costs.maximum_applied),
        ):
            if applied:
                steps.append(CostStep(limits[kind][language], costs.amount))
    return tuple(steps)


def _interest_notes(
    breakdowns: Sequence[interest.Breakdown], language: str, currency: str
) -> tuple[str, ...]:
    notes = []
    for breakdown in breakdowns:
        for capitalised in breakdown.capitalisations:
            amount = wording.amount(capitalised.amount, currency, language)
            on = wording.long_date(capitalised.on, language)
            notes.append(
                f"{breakdown.key}: op {on} is {amount} rente bij de hoofdsom opgeteld "
                "(art. 6:119 lid 2 BW)."
                if language == "nl"
                else f"{breakdown.key}: on {on}, {amount} interest was added to the principal "
                "(art. 6:119(2) Dutch Civil Code)."
            )
    return tuple(notes)


def _costs_interest_notes(
    breakdowns: Sequence[interest.Breakdown], language: str, currency: str
) -> tuple[str, ...]:
    """One line: the interest on the collection costs (art. 6:119 BW) the interest includes."""
    if not breakdowns:
        return ()
    total = wording.amount(sum((b.total for b in breakdowns), ZERO), currency, language)
    if language == "nl":
        return (
            f"De rente omvat {total} over de incassokosten sinds zij verschuldigd zijn "
            "(art. 6:119 BW).",
        )
    return (
        f"Interest includes {total} on the collection costs since they fell due (art. 6:119 BW).",
    )


def compose(
    kind: str,
    *,
    addressing: Addressing,
    letter_date: date,
    invoices: Sequence[LetterInvoice],
    interest_computed: interest.Statement | Sequence[interest.Breakdown] | None = None,
    costs: collection_costs.CollectionCosts | None = None,
    costs_interest: Sequence[interest.Breakdown] = (),
    notice: default_notice.Notice | None = None,
    level: int = 1,
    pay_by: date | None = None,
    instalments: Sequence[Instalment] = (),
    history: Sequence[HistoryEntry] = (),
    agency: Party | None = None,
    credits: Sequence[Credit] = (),
) -> LetterDocument:
    """The letter of `kind` ("reminder", "formal_demand", "consumer_notice", "arrangement",
    "statement", "handover") over `invoices`, with the engine's figures as given.

    A hand-over sheet is addressed to the collection `agency` (blank when not yet chosen) and
    names the customer as the debtor.
    """
    if kind not in LETTER_KINDS:
        raise DomainError(f"unknown letter {kind!r}; choose from {', '.join(LETTER_KINDS)}")
    if kind == "consumer_notice":
        if notice is None:
            raise DomainError("a 14-day letter needs the notice from default_notice.prepare")
        costs = notice.costs
    if kind == "arrangement" and not instalments:
        raise DomainError("a payment arrangement needs its instalments")
    language = wording.language_of(addressing.language)
    breakdowns = _breakdowns(interest_computed)
    # Interest on the collection costs (art. 6:119 BW) is part of the invoice's interest.
    on_costs = {breakdown.key: breakdown.total for breakdown in costs_interest}
    # One invoice: its own payment reference, so the payment matches it. Several: the
    # invoice numbers in the transfer description (an RF reference names one claim only).
    payment_reference = addressing.payment_reference
    if not payment_reference and len(invoices) == 1:
        payment_reference = invoices[0].payment_reference
    claims = tuple(
        Claim(
            number=invoice.number,
            issue_date=invoice.issue_date,
            due_date=invoice.due_date,
            total=invoice.total,
            open_amount=invoice.open_amount,
            interest=(
                unpaid_interest(breakdowns[invoice.number])
                if invoice.number in breakdowns
                else ZERO
            )
            + on_costs.get(invoice.number, ZERO),
            is_credit_note=invoice.is_credit_note,
        )
        for invoice in invoices
    )
    shown = [breakdowns[invoice.number] for invoice in invoices if invoice.number in breakdowns]
    periods = tuple(
        InterestPeriod(
            invoice_number=breakdown.key,
            start=period.start,
            end=period.end,
            days=period.days,
            principal=period.base,
            rate=period.rate,
            amount=period.amount,
        )
        for breakdown in shown
        for period in breakdown.periods
    )
    if instalments:
        planned = sum((item.amount for item in instalments), ZERO)
        owed = sum((claim.open_amount + claim.interest for claim in claims), ZERO)
        owed += costs.amount + costs.vat if costs is not None else ZERO
        if planned != owed:
            raise DomainError(f"the instalments add up to {planned}, not to the {owed} owed")
    return LetterDocument(
        kind=kind,
        language=language,
        letter_date=letter_date,
        seller=addressing.seller,
        recipient=(agency or Party(name="")) if kind == "handover" else addressing.recipient,
        debtor=addressing.recipient if kind == "handover" else None,
        customer_number=addressing.customer_number,
        customer_kind=addressing.customer_kind,
        currency=addressing.currency,
        claims=claims,
        level=level,
        pay_by=pay_by,
        payment_reference=payment_reference,
        interest_periods=periods,
        interest_notes=_interest_notes(shown, language, addressing.currency)
        + _costs_interest_notes(costs_interest, language, addressing.currency),
        cost_steps=cost_steps(costs, language, invoices) if costs is not None else (),
        collection_costs=costs.amount if costs is not None else ZERO,
        collection_costs_vat=costs.vat if costs is not None else ZERO,
        collection_costs_vat_rate=costs.vat_percent if costs is not None else Decimal("0"),
        instalments=tuple(instalments),
        history=tuple(history),
        look=addressing.look,
        texts=addressing.texts,
        contact=addressing.contact,
        credits=tuple(credits),
    )

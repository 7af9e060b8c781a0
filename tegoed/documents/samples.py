"""Sample documents with made-up customers: the settings preview and the benchmark use them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal

from tegoed.documents import wording
from tegoed.documents.content import (
    Claim,
    CostStep,
    HistoryEntry,
    Instalment,
    InterestPeriod,
    InvoiceDocument,
    LetterDocument,
    Line,
    Look,
    Party,
    VatGroup,
)
from tegoed.domain import identifiers

KINDS = (
    "invoice",
    "reminder-1",
    "reminder-2",
    "reminder-3",
    "formal-demand",
    "consumer-notice",
    "arrangement",
    "statement",
    "handover",
)

SELLER = Party(
    name="Bakkerij De Gouden Korst B.V.",
    address_lines=("Dorpsstraat 12", "1234 AB Utrecht"),
    kvk_number="12345678",
    vat_number="NL004495445B01",
    email="debiteuren@goudenkorst.example",
    phone="030 123 45 67",
    iban="NL91ABNA0417164300",
    bic="ABNANL2A",
    street="Dorpsstraat 12",
    postal_code="1234 AB",
    city="Utrecht",
)
_BUSINESS = Party(
    name="Café Het Hoekje V.O.F.",
    address_lines=("t.a.v. de administratie", "Kerkplein 3", "3511 AA Utrecht"),
    street="Kerkplein 3",
    postal_code="3511 AA",
    city="Utrecht",
)
_CONSUMER = Party(
    name="J. de Vries",
    address_lines=("Lindelaan 8", "3581 KL Utrecht"),
    street="Lindelaan 8",
    postal_code="3581 KL",
    city="Utrecht",
)


def invoice(
    *,
    seller: Party = SELLER,
    look: Look = Look(),  # noqa: B008 - a frozen value
    texts: Mapping[str, str] | None = None,
    language: str = "nl",
    today: date = date(2026, 1, 4),
    number: int = 42,
) -> InvoiceDocument:
    lines = (
        Line(
            "Broodjes wit, dagelijks",
            Decimal("120"),
            Decimal("0.45"),
            Decimal("9"),
            Decimal("54.00"),
            "stuks",
        ),
        Line(
            "Taarten op bestelling", Decimal("3"), Decimal("24.50"), Decimal("9"), Decimal("73.50")
        ),
        Line("Bezorgkosten", Decimal("1"), Decimal("35.00"), Decimal("21"), Decimal("35.00")),
    )
    invoice_number = f"F{today.year}-{number:05d}"
    return InvoiceDocument(
        language=language,
        is_credit_note=False,
        seller=seller,
        buyer=_BUSINESS,
        customer_kind="business",
        customer_number="D01001",
        number=invoice_number,
        issue_date=today,
        due_date=today + timedelta(days=30),
        currency="EUR",
        lines=lines,
        vat_groups=(
            VatGroup(Decimal("21"), Decimal("35.00"), Decimal("7.35")),
            VatGroup(Decimal("9"), Decimal("127.50"), Decimal("11.48")),
        ),
        subtotal=Decimal("162.50"),
        vat_total=Decimal("18.83"),
        total=Decimal("181.33"),
        payment_reference=identifiers.creditor_reference(invoice_number),
        customer_reference="PO-7781",
        look=look,
        texts=texts or {},
    )


def letter(
    kind: str,
    *,
    seller: Party = SELLER,
    look: Look = Look(),  # noqa: B008 - a frozen value
    texts: Mapping[str, str] | None = None,
    language: str = "nl",
    today: date = date(2026, 3, 16),
    variant: int = 0,
) -> LetterDocument:
    """A one-page letter of the kind ("reminder-2", "consumer-notice", …) dated `today`."""
    level = int(kind.rsplit("-", 1)[1]) if kind.startswith("reminder-") else 1
    letter_kind = "reminder" if kind.startswith("reminder") else kind.replace("-", "_")
    consumer = letter_kind == "consumer_notice"
    first_due = today - timedelta(days=45 + variant % 7)
    claims = (
        Claim(
            f"F2026-{100 + variant:05d}",
            first_due - timedelta(days=30),
            first_due,
            Decimal("1210.00"),
            Decimal("1210.00"),
        ),
        Claim(
            f"F2026-{101 + variant:05d}",
            first_due - timedelta(days=16),
            first_due + timedelta(days=14),
            Decimal("423.50"),
            Decimal("223.50"),
        ),
    )
    with_interest = (
        letter_kind in {"formal_demand", "consumer_notice", "handover", "reminder"} and level >= 2
    )
    periods = ()
    costs = Decimal("0.00")
    cost_steps = ()
    if with_interest:
        rate = Decimal("4") if consumer else Decimal("10.15")
        periods = tuple(
            InterestPeriod(
                claim.number,
                claim.due_date + timedelta(days=1),
                today,
                (today - claim.due_date).days,
                claim.open_amount,
                rate,
                (claim.open_amount * rate / 100 * (today - claim.due_date).days / 365).quantize(
                    Decimal("0.01")
                ),
            )
            for claim in claims
        )
        claims = tuple(
            Claim(c.number, c.issue_date, c.due_date, c.total, c.open_amount, p.amount)
            for c, p in zip(claims, periods, strict=True)
        )
    if letter_kind in {"formal_demand", "consumer_notice", "handover"}:
        # 15 % of the first €2,500 of the principal (Besluit BIK art. 2; legal.md §2.3).
        principal = sum((claim.open_amount for claim in claims), Decimal("0.00"))
        costs = (principal * Decimal("0.15")).quantize(Decimal("0.01"))
        step = "15% over" if language == "nl" else "15% of"
        cost_steps = (CostStep(f"{step} {wording.amount(principal, 'EUR', language)}", costs),)
    instalments = ()
    if letter_kind == "arrangement":
        instalments = tuple(
            Instalment(
                number,
                today + timedelta(days=30 * number),
                Decimal("358.37") if number < 4 else Decimal("358.39"),
            )
            for number in range(1, 5)
        )
    history = ()
    if letter_kind == "handover":
        history = (
            HistoryEntry(
                first_due + timedelta(days=7),
                "Eerste herinnering verzonden" if language == "nl" else "First reminder sent",
            ),
            HistoryEntry(
                first_due + timedelta(days=21),
                "Tweede herinnering verzonden" if language == "nl" else "Second reminder sent",
            ),
            HistoryEntry(
                first_due + timedelta(days=35),
                "Ingebrekestelling verzonden" if language == "nl" else "Formal demand sent",
            ),
        )
    return LetterDocument(
        kind=letter_kind,
        level=level,
        language=language,
        letter_date=today,
        seller=seller,
        recipient=_CONSUMER if consumer else _BUSINESS,
        customer_number="D01001",
        customer_kind="consumer" if consumer else "business",
        currency="EUR",
        claims=claims,
        pay_by=today + timedelta(days=14),
        payment_reference="RF18D01001",
        interest_periods=periods,
        cost_steps=cost_steps,
        collection_costs=costs,
        instalments=instalments,
        history=history,
        look=look,
        texts=texts or {},
    )


def document(kind: str, organization, *, language: str, today: date):
    """A sample in the organization's letterhead and wording, or None for an unknown kind."""
    from tegoed.documents import queries

    if kind not in KINDS:
        return None
    seller = queries.seller_of(organization)
    look = queries.look_of(organization)
    texts = queries.text_overrides(organization, language)
    if kind == "invoice":
        return invoice(seller=seller, look=look, texts=texts, language=language, today=today)
    return letter(kind, seller=seller, look=look, texts=texts, language=language, today=today)

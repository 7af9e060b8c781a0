"""Matching entries to open items: one case per rule, statement order, and properties."""

import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tegoed.domain import matching, payment_reference
from tegoed.domain.statement import Entry, StructuredReference

ON = date(2026, 3, 10)
BAKKER = "NL91ABNA0417164300"
JANSEN = "NL20INGB0001234567"


def item(number, customer, amount, *, iban="", reference="", issued=date(2026, 3, 1), name=None):
    names = {"C1": "Bakker Bouw B.V.", "C2": "Jansen Installatie", "C3": "Visser Logistiek"}
    return matching.OpenItem(
        invoice_number=number,
        customer_id=customer,
        amount_open=Decimal(amount),
        customer_name=name or names.get(customer, customer),
        customer_ibans=(iban,) if iban else (),
        issue_date=issued,
        due_date=issued.replace(day=28),
        payment_reference=reference,
    )


ITEMS = [
    item("F2026-0042", "C1", "121.00", iban=BAKKER, reference="RF18539007547034"),
    item("F2026-0043", "C1", "250.00", iban=BAKKER),
    item("F2026-0044", "C1", "99.95", iban=BAKKER),
    item("F2026-0050", "C2", "500.00", iban=JANSEN, reference="5000056789012345"),
    item("F2026-0051", "C2", "75.25", iban=JANSEN),
    item("F2026-0052", "C2", "75.25", iban=JANSEN),
    item("F2026-0060", "C3", "1000.00"),
]


def entry(amount, text="", *, iban="", name="", reference="", credit=True, entry_id="E1"):
    return Entry(
        entry_id=entry_id,
        amount=Decimal(amount),
        credit=credit,
        booking_date=ON,
        counterparty_name=name,
        counterparty_iban=iban,
        structured_references=(StructuredReference(reference),) if reference else (),
        remittance_text=text,
    )


def one(an_entry, items=ITEMS):
    (outcome,) = matching.propose([an_entry], items)
    return outcome


def allocations(outcome):
    return {allocation.invoice_number: str(allocation.amount) for allocation in outcome.allocations}


# fmt: off
RULE_CASES = [
    (
        "RF reference",
        entry("121.00", reference="RF18 5390 0754 7034"),
        "matched",
        {"F2026-0042": "121.00"},
        "reference",
    ),
    (
        "betalingskenmerk",
        entry("500.00", reference="5000 0567 8901 2345"),
        "matched",
        {"F2026-0050": "500.00"},
        "reference",
    ),
    (
        "RF written in the text",
        entry("121.00", "betaling RF18539007547034"),
        "matched",
        {"F2026-0042": "121.00"},
        "reference",
    ),
    (
        "number as written",
        entry("250.00", "Factuur F2026-0043"),
        "matched",
        {"F2026-0043": "250.00"},
        "invoice_number",
    ),
    (
        "number without prefix and zeros",
        entry("250.00", "fact. 2026/43 bedankt"),
        "matched",
        {"F2026-0043": "250.00"},
        "invoice_number",
    ),
    (
        "number cut by a line break",
        entry("250.00", "Factuur F2026-00\n43"),
        "matched",
        {"F2026-0043": "250.00"},
        "invoice_number",
    ),
    (
        "number with spaces",
        entry("250.00", "F 2026 0043"),
        "matched",
        {"F2026-0043": "250.00"},
        "invoice_number",
    ),
    (
        "O typed for 0",
        entry("250.00", "F2O26-OO43"),
        "matched",
        {"F2026-0043": "250.00"},
        "invoice_number",
    ),
    (
        "typo with the amount to confirm it",
        entry("250.00", "Factuur F2026-0034"),
        "matched",
        {"F2026-0043": "250.00"},
        "typo",
    ),
    (
        "IBAN and exact amount",
        entry("99.95", "", iban=BAKKER),
        "matched",
        {"F2026-0044": "99.95"},
        "payer_amount",
    ),
    (
        "name and exact amount",
        entry("1000.00", "", name="VISSER LOGISTIEK"),
        "matched",
        {"F2026-0060": "1000.00"},
        "payer_amount",
    ),
    (
        "combination listed",
        entry("371.00", "F2026-0042 F2026-0043"),
        "matched",
        {"F2026-0042": "121.00", "F2026-0043": "250.00"},
        "combination",
    ),
    (
        "combination unlisted, unique",
        entry("349.95", "", iban=BAKKER),
        "matched",
        {"F2026-0043": "250.00", "F2026-0044": "99.95"},
        "combination",
    ),
    (
        "part payment by the customer",
        entry("200.00", "F2026-0050", iban=JANSEN),
        "matched",
        {"F2026-0050": "200.00"},
        "invoice_number",
    ),
    (
        "bank costs deducted",
        entry("490.00", "Invoice F2026-0050", iban="DE89370400440532013000"),
        "matched",
        {"F2026-0050": "490.00"},
        "invoice_number",
    ),
    (
        "early-payment discount",
        entry("245.00", "F2026-0043"),
        "matched",
        {"F2026-0043": "245.00"},
        "invoice_number",
    ),
    (
        "overpayment: excess stays as credit",
        entry("130.00", "F2026-0042", iban=BAKKER),
        "matched",
        {"F2026-0042": "121.00"},
        "invoice_number",
    ),
    (
        "payment provider, customer in the text",
        entry(
            "1000.00", "tr_8f3 Visser Logistiek order 5512", name="Stichting Mollie Payments"
        ),
        "matched",
        {"F2026-0060": "1000.00"},
        "payer_amount",
    ),
    (
        "same amount twice: which one?",
        entry("75.25", "", iban=JANSEN),
        "suggested",
        {"F2026-0051": "75.25"},
        "payer_amount",
    ),
    (
        "part payment, payer unknown",
        entry("200.00", "F2026-0050", iban="NL02BUNQ2025123456"),
        "suggested",
        {"F2026-0050": "200.00"},
        "invoice_number",
    ),
    ("nothing known", entry("12.34", "rente"), "unmatched", {}, None),
    ("debit", entry("50.00", "F2026-0043", credit=False), "ignored", {}, None),
]
# fmt: on


@pytest.mark.parametrize(
    ("case", "an_entry", "status", "expected", "rule"),
    RULE_CASES,
    ids=lambda value: value if isinstance(value, str) and " " in value else None,
)
def test_rules(case, an_entry, status, expected, rule):
    outcome = one(an_entry)
    assert outcome.status == status, outcome.reason
    assert allocations(outcome) == expected
    if rule:
        assert outcome.best.rule == rule
        assert outcome.reason
        assert 0 < outcome.confidence <= 1


def test_the_reason_says_why():
    outcome = one(entry("121.00", reference="RF18539007547034"))
    assert "RF18539007547034" in outcome.reason
    assert "F2026-0042" in outcome.reason
    assert outcome.confidence >= 0.95


def test_a_typo_that_hits_another_open_invoice_is_not_booked_as_a_part_payment():
    # F2026-0044 (99.95) exists; the payer meant F2026-0043 (250.00) and paid that.
    outcome = one(entry("250.00", "Factuur F2026-0044"))
    assert outcome.status == "suggested"  # an unknown payer cannot say which one it meant
    assert allocations(outcome) == {"F2026-0043": "250.00"}
    outcome = one(entry("250.00", "Factuur F2026-0044", iban=BAKKER))
    assert outcome.status == "matched"
    assert allocations(outcome) == {"F2026-0043": "250.00"}


def test_an_ambiguous_combination_is_only_suggested():
    items = [item(f"F-{n}", "C9", amount, iban=BAKKER) for n, amount in
             enumerate(["10.00", "20.00", "30.00", "40.00"], start=1)]  # fmt: skip
    outcome = one(entry("50.00", "", iban=BAKKER), items)
    assert outcome.status == "suggested"
    combinations = [proposal for proposal in outcome.proposals if proposal.rule == "combination"]
    assert len(combinations) == 2
    assert {"F-1", "F-4"} == {
        allocation.invoice_number for allocation in combinations[0].allocations
    }


def test_entries_are_matched_in_statement_order_and_a_duplicate_is_flagged():
    first = entry("121.00", "F2026-0042", entry_id="A")
    again = entry("121.00", "F2026-0042", entry_id="B")
    outcomes = matching.propose([first, again], ITEMS)
    assert outcomes[0].status == "matched"
    assert outcomes[1].status == "suggested"
    assert outcomes[1].allocations == ()
    assert matching.DUPLICATE in outcomes[1].flags
    assert "entry A" in outcomes[1].reason


def test_instalments_reduce_the_open_amount():
    payments = [entry("200.00", "F2026-0050", iban=JANSEN, entry_id=f"P{n}") for n in (1, 2)]
    payments.append(entry("100.00", "F2026-0050", iban=JANSEN, entry_id="P3"))
    outcomes = matching.propose(payments, ITEMS)
    assert [outcome.status for outcome in outcomes] == ["matched"] * 3
    assert [allocations(outcome) for outcome in outcomes][-1] == {"F2026-0050": "100.00"}


def test_a_paid_invoice_is_recognised_as_paid_before():
    paid = [*ITEMS, item("F2026-0001", "C1", "0.00", iban=BAKKER)]
    outcome = one(entry("80.00", "F2026-0001"), paid)
    assert matching.DUPLICATE in outcome.flags
    assert outcome.status == "suggested"


def test_other_currencies_are_not_matched():
    outcome = one(
        Entry("E1", Decimal("121.00"), True, ON, currency="USD", remittance_text="F2026-0042")
    )
    assert outcome.status == "unmatched"


def test_payment_provider_account_is_never_the_payer():
    items = [
        item("F-1", "C5", "40.00", iban="NL58ABNA0539536540")
    ]  # a Mollie account, wrongly kept
    outcome = one(
        entry("40.00", "tr_123", iban="NL58ABNA0539536540", name="Stichting Mollie Payments"), items
    )
    assert outcome.status == "unmatched"


def test_betalingskenmerk_check_digit_from_the_specification():
    assert payment_reference.kenmerk_is_valid("5000056789012345")
    assert payment_reference.kenmerk_is_valid("1223453462 2567".replace(" ", ""))
    assert not payment_reference.kenmerk_is_valid("5000056789012346")
    assert payment_reference.make_kenmerk(56789012345) == "5000056789012345"
    assert payment_reference.find_in_text("acceptgiro 5000 0567 8901 2345") == ("5000056789012345",)
    assert payment_reference.find_in_text("datum 2026 0302 1200 0000") == ()


@pytest.mark.parametrize(
    ("number", "keys"),
    [
        ("RE-2026-000123", ("RE2026000123", "2026000123", "2026.123", "RE:2026.123")),
        ("20260042", ("20260042", "20260042", "20260042", "")),
        ("F2026/0042", ("F20260042", "20260042", "2026.42", "F:2026.42")),
    ],
)
def test_number_keys(number, keys):
    assert matching.number_keys(number) == keys


@given(st.lists(st.text(alphabet="0123456789ABCre-./ _\tüØ\n", max_size=12), max_size=6))
def test_the_keys_of_many_numbers_are_the_keys_of_each(numbers):
    # Plain ASCII takes translation tables, other text regular expressions: both must agree.
    written, digits, grouped, letters = matching.number_keys_of_all(numbers)
    for position, number in enumerate(numbers):
        keys = matching.number_keys(number.replace("\n", " "))
        assert (written[position], digits[position], grouped[position]) == keys[:3]
        assert letters[position] == keys[3].partition(":")[0] or not keys[3]


amounts = st.integers(min_value=1, max_value=500_000).map(lambda cents: Decimal(cents) / 100)


@settings(max_examples=60, deadline=None)
@given(
    open_amounts=st.lists(amounts, min_size=1, max_size=12),
    paid=st.lists(st.tuples(amounts, st.integers(0, 11), st.booleans()), min_size=1, max_size=12),
)
def test_never_allocates_more_than_the_entry_or_the_open_amount(open_amounts, paid):
    items = [item(f"F-{n:04d}", f"C{n % 3}", str(amount), iban=f"NL{n % 3}") for n, amount in
             enumerate(open_amounts)]  # fmt: skip
    entries = [
        entry(str(amount), f"F-{target:04d}" if with_number else "", iban=f"NL{target % 3}",
              entry_id=f"E{n}")
        for n, (amount, target, with_number) in enumerate(paid)
    ]  # fmt: skip
    booked: dict[str, Decimal] = {}
    for outcome in matching.propose(entries, items):
        total = sum((allocation.amount for allocation in outcome.allocations), Decimal(0))
        assert total <= outcome.entry.amount
        assert all(allocation.amount > 0 for allocation in outcome.allocations)
        if outcome.status == "matched":
            for allocation in outcome.allocations:
                booked[allocation.invoice_number] = (
                    booked.get(allocation.invoice_number, Decimal(0)) + allocation.amount
                )
        assert outcome.status in ("matched", "suggested", "unmatched", "ignored")
    for current in items:
        assert booked.get(current.invoice_number, Decimal(0)) <= current.amount_open


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=80), amounts)
def test_noise_text_never_matches_without_evidence(text, amount):
    outcome = one(entry(str(amount), text, iban="NL00NOBODY0000000000"))
    if outcome.status == "matched":
        # Only a number that is really there can have matched.
        assert any(
            matching.number_keys(allocation.invoice_number)[2].split(".")[-1]
            in "".join(char for char in text.upper().translate(str.maketrans("OIL", "011"))
                       if char.isdigit())
            for allocation in outcome.allocations
        )  # fmt: skip


@pytest.mark.parametrize(
    ("number", "written"),
    [
        ("INV000123", "Invoice INV000123"),
        ("INV000123", "inv0OO123"),
        ("100123", "factuur 100123 dank"),
        ("F26/00042", "Factuur F26 42"),
        ("2026-00042", "nr. 2026-42"),
    ],
)
def test_numbering_schemes(number, written):
    items = [item(number, "C1", "80.00", iban=BAKKER), item("X-1", "C1", "55.00", iban=BAKKER)]
    outcome = one(entry("30.00", written, iban=BAKKER), items)
    # A part payment of the named invoice by its own customer.
    assert outcome.status == "matched", outcome.reason
    assert allocations(outcome) == {number: "30.00"}


def test_a_subscription_payment_is_placed_by_a_typed_wrong_number_only_when_one_fits():
    items = [item(f"{106500 + n}", "C1", "961.60", iban=BAKKER) for n in range(120)]
    outcome = one(entry("961.60", "Rechnung Nr. 106578", iban=BAKKER), items)
    # 106578 is open itself: named as written.
    assert allocations(outcome) == {"106578": "961.60"}
    outcome = one(entry("961.60", "Rechnung Nr. 106678", iban=BAKKER), items)
    # One keystroke from 106578 and from 106608…: several fit, so a person decides.
    assert outcome.status == "suggested"


def test_numbers_after_a_full_one_may_give_only_their_last_part():
    outcome = one(entry("470.95", "Facturen F2026-0042, 43 en 44", iban=BAKKER))
    assert outcome.status == "matched", outcome.reason
    assert allocations(outcome) == {"F2026-0042": "121.00", "F2026-0043": "250.00",
                                    "F2026-0044": "99.95"}  # fmt: skip


def test_a_reference_of_ours_without_a_valid_check_digit_is_still_found():
    items = [item("F-9", "C9", "50.00", reference="1234567812345678")]
    outcome = one(entry("50.00", "acceptgiro 1234 5678 1234 5678"), items)
    assert outcome.status == "matched"
    assert outcome.best.rule == "reference"


@given(st.text())
def test_names_are_folded_the_same_with_and_without_the_ascii_shortcut(text):
    # The shortcut is taken for ASCII text: check it against the general folding.
    ascii_text = text.encode("ascii", "replace").decode()
    general = "".join(
        char
        for char in unicodedata.normalize("NFKD", ascii_text)
        if not unicodedata.combining(char)
    ).upper()
    assert matching._fold(ascii_text) == general
    assert matching._fold("Müller " + ascii_text) == "MULLER " + general

import dataclasses
import datetime
from datetime import date
from decimal import Decimal

import pytest

from tegoed.domain import balance, identifiers, issuing, plausibility
from tegoed.domain.errors import DomainError

D = Decimal


@pytest.mark.parametrize(
    ("paid", "credited", "written_off", "state", "open_amount"),
    [
        ("0", "0", "0", balance.OPEN, "100"),
        ("40", "0", "0", balance.PARTIALLY_PAID, "60"),
        ("100", "0", "0", balance.PAID, "0"),
        ("0", "100", "0", balance.CREDITED, "0"),
        ("60", "40", "0", balance.PAID, "0"),
        ("90", "0", "10", balance.WRITTEN_OFF, "0"),
        ("0", "30", "0", balance.PARTIALLY_PAID, "70"),
    ],
)
def test_state_follows_from_what_was_booked(paid, credited, written_off, state, open_amount):
    result = balance.Balance(D("100"), D(paid), D(credited), D(written_off))
    assert result.state == state
    assert result.open == D(open_amount)


def test_a_draft_is_a_draft_whatever_was_booked():
    assert balance.Balance(D("100"), is_draft=True).state == balance.DRAFT


def draft(**changes):
    values = {
        "customer_kind": "business",
        "customer_name": "Klant B.V.",
        "customer_street": "Stationsplein 2",
        "customer_postal_code": "3511 ED",
        "customer_city": "Utrecht",
        "billing_emails": ("anna@klant.example",),
        "currency": "EUR",
        "issue_date": datetime.date(2026, 2, 1),
        "due_date": datetime.date(2026, 3, 3),
        "lines": (issuing.DraftLine("Advies", D("2"), D("95.00"), D("21")),),
    }
    values.update(changes)
    return issuing.Draft(**values)


def codes(found):
    return [problem.code for problem in found]


def test_a_complete_invoice_has_no_problems():
    assert issuing.problems(draft()) == ()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"customer_street": ""}, "customer_address_missing"),
        ({"customer_postal_code": ""}, "customer_postal_code_missing"),
        ({"billing_emails": ()}, "customer_email_missing"),
        ({"lines": ()}, "no_lines"),
        ({"lines": (issuing.DraftLine("", D("1"), D("5"), D("21")),)}, "line_description_missing"),
        ({"lines": (issuing.DraftLine("x", D("0"), D("5"), D("21")),)}, "line_quantity_zero"),
        ({"lines": (issuing.DraftLine("x", D("1"), D("-5"), D("21")),)}, "total_not_positive"),
        ({"due_date": None}, "due_date_missing"),
        ({"due_date": datetime.date(2026, 1, 31)}, "due_before_issue"),
        ({"due_date": datetime.date(2026, 4, 3)}, "term_too_long"),  # 61 days; 60 is the B2B max
        ({"customer_kind": "government", "due_date": datetime.date(2026, 3, 4)}, "term_too_long"),
        ({"currency": "XYZ"}, "unknown_currency"),
    ],
)
def test_each_missing_piece_is_named(changes, code):
    found = issuing.problems(draft(**changes))
    assert code in codes(found)
    assert issuing.errors(found)


def test_sixty_days_is_allowed_between_businesses_and_consumers_have_no_maximum():
    assert issuing.problems(draft(due_date=datetime.date(2026, 4, 2))) == ()
    long_term = draft(customer_kind="consumer", due_date=datetime.date(2026, 6, 1))
    assert issuing.problems(long_term) == ()


def test_a_general_mailbox_is_a_warning_not_an_error():
    found = issuing.problems(draft(billing_emails=("info@klant.example",)))
    assert codes(found) == ["customer_email_generic"]
    assert issuing.errors(found) == ()


def test_all_problems_are_reported_at_once():
    found = issuing.problems(draft(customer_street="", billing_emails=(), lines=()))
    assert codes(found) == ["customer_address_missing", "customer_email_missing", "no_lines"]


@pytest.mark.parametrize(
    ("function", "value"),
    [
        (identifiers.normalize_kvk, "1234567"),
        (identifiers.normalize_vat, "NL123456789B02"),
        (identifiers.normalize_iban, "NL91ABNA0417164301"),
        (identifiers.normalize_bic, "ABNANL2"),
        (identifiers.normalize_creditor_id, "NL98ZZZ999999999999"),
    ],
)
def test_invalid_identifiers_are_refused_with_the_reason(function, value):
    with pytest.raises(DomainError, match=value.replace(" ", "")[:5]):
        function(value)


def test_rf_references_carry_the_invoice_number_and_validate():
    reference = identifiers.creditor_reference("F2026-00042")
    assert reference.endswith("F202600042")
    assert identifiers.is_creditor_reference(reference)


def test_a_vat_rate_the_countries_do_not_charge_is_a_warning():

    draft = issuing.Draft(
        customer_kind="business",
        customer_name="Klant B.V.",
        customer_street="Markt 1",
        customer_postal_code="1234 AB",
        customer_city="Delft",
        billing_emails=("jan@klant.example",),
        currency="EUR",
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        lines=(
            issuing.DraftLine("Werk", Decimal("1"), Decimal("100"), Decimal("19")),
            issuing.DraftLine("Boek", Decimal("1"), Decimal("10"), Decimal("9")),
        ),
        seller_country="NL",
        customer_country="NL",
    )
    found = issuing.problems(draft)
    assert [(p.code, p.severity, p.params["line"]) for p in found] == [
        ("line_vat_rate_unusual", issuing.WARNING, 1)
    ]
    german = dataclasses.replace(draft, customer_country="DE")
    assert issuing.problems(german) == ()  # 19 % is the German rate


@pytest.mark.parametrize(
    ("received_on", "issued_on", "doubts"),
    [
        (date(2026, 3, 16), date(2026, 3, 1), ()),
        (date(2029, 3, 16), date(2026, 3, 1), ("payment_in_future",)),
        (date(2014, 3, 16), date(2026, 3, 1), ("paid_long_before_issue",)),
        (date(2026, 2, 1), date(2026, 3, 1), ()),  # a prepayment weeks before
    ],
)
def test_unlikely_payment_dates_are_doubts(received_on, issued_on, doubts):

    assert (
        plausibility.payment_doubts(received_on, today=date(2026, 3, 16), issued_on=issued_on)
        == doubts
    )

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tegoed.domain import money
from tegoed.domain.errors import CurrencyMismatch, DomainError

cents = st.integers(min_value=0, max_value=10**12).map(money.from_cents)


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [
        ("2.675", "2.68"),  # half-up, where Python's default (half-even) would give 2.67 too
        ("2.665", "2.67"),  # half-even would give 2.66
        ("0.005", "0.01"),
        ("-0.005", "-0.01"),
        ("10.004999", "10.00"),
    ],
)
def test_rounds_half_up_to_cents(amount, rounded):
    assert money.round_cents(Decimal(amount)) == Decimal(rounded)


@pytest.mark.parametrize(
    ("text", "decimal_comma", "value"),
    [
        ("1234.56", False, "1234.56"),
        ("1.234,56", True, "1234.56"),
        ("€ 12,50", False, "12.50"),
        ("-7", False, "-7"),
        ("1 000,00", True, "1000.00"),
    ],
)
def test_parses_amounts_as_people_write_them(text, decimal_comma, value):
    assert money.parse(text, decimal_comma=decimal_comma) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234,56", "1234.56"),
        ("12,50", "12.50"),
        ("1,234.56", "1234.56"),
        ("1234.56", "1234.56"),
        ("€ 1 000,00", "1000.00"),
        ("-7", "-7"),
    ],
)
def test_tells_the_decimal_mark_from_the_text_when_asked(text, value):
    assert money.parse(text, decimal_comma=None) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "12.3.4", "NaN", "Infinity"])
def test_refuses_text_that_is_not_an_amount(text):
    with pytest.raises(DomainError):
        money.parse(text)


def test_refuses_floats():
    with pytest.raises(TypeError):
        money.parse(1.5)


def test_cents_round_trip_and_refuse_fractions_of_cents():
    assert money.to_cents(Decimal("12.34")) == 1234
    assert money.from_cents(1234) == Decimal("12.34")
    with pytest.raises(DomainError):
        money.to_cents(Decimal("0.001"))


@given(total=cents, parts=st.integers(min_value=1, max_value=50))
def test_equal_shares_add_up_to_the_total_and_differ_by_at_most_a_cent(total, parts):
    shares = money.allocate(total, parts)
    assert sum(shares) == total
    assert max(shares) - min(shares) <= Decimal("0.01")


@given(
    total=cents,
    weights=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=10).filter(
        lambda weights: sum(weights) > 0
    ),
)
def test_weighted_shares_add_up_to_the_total(total, weights):
    shares = money.allocate(total, [Decimal(w) for w in weights])
    assert sum(shares) == total
    assert all(share >= 0 for share in shares)


def test_money_refuses_to_mix_currencies():
    assert money.Money(Decimal("1"), "EUR") + money.Money(Decimal("2"), "EUR") == money.Money(
        Decimal("3"), "EUR"
    )
    with pytest.raises(CurrencyMismatch):
        money.Money(Decimal("1"), "EUR") + money.Money(Decimal("1"), "GBP")


@pytest.mark.parametrize(
    ("text", "mark", "places", "value"),
    [
        ("1.234,56", ",", 2, "1234.56"),
        ("1,234.56", ",", 2, "1234.56"),
        ("1,234.56", ".", 2, "1234.56"),
        ("12,5", ".", 2, "12.5"),
        ("12.50", ",", 2, "12.50"),
        ("1.234.567", ",", 2, "1234567"),
        ("1,250", ",", 3, "1.250"),
        ("-3,50", ",", 2, "-3.50"),
        ("€ 1 234,56", ",", 2, "1234.56"),
        ("1234", ".", 2, "1234"),
    ],
)
def test_reads_a_written_number_by_the_page_language(text, mark, places, value):
    assert money.read_written(text, decimal_mark=mark, places=places) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "mark", "places"), [("1.234", ",", 2), ("1,234", ".", 2), ("1.250", ",", 3)]
)
def test_refuses_a_number_the_languages_read_differently(text, mark, places):
    with pytest.raises(money.AmbiguousAmount):
        money.read_written(text, decimal_mark=mark, places=places)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "1.23.456", "1.234,5,6", "12,34.5", "1e5"])
def test_refuses_what_is_not_a_written_number(text):
    with pytest.raises(DomainError):
        money.read_written(text, decimal_mark=",", places=2)

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from tegoed.common.forms import WrittenDecimalField


def test_an_amount_is_shown_as_the_language_writes_it_and_read_back():
    field = WrittenDecimalField(max_digits=14, decimal_places=2)
    with translation.override("nl"):
        shown = field.prepare_value(Decimal("1237.84"))
        assert shown == "1.237,84"
        assert field.clean(shown) == Decimal("1237.84")
        assert field.clean("1,237.84") == Decimal("1237.84")
    with translation.override("en"):
        assert field.prepare_value(Decimal("1237.84")) == "1,237.84"
        assert field.clean("1.237,84") == Decimal("1237.84")


@pytest.mark.parametrize(
    ("language", "text", "example"), [("nl", "1.234", "1.234,00"), ("en", "1,234", "1,234.00")]
)
def test_a_number_two_languages_read_differently_is_refused_with_an_example(
    language, text, example
):
    field = WrittenDecimalField(max_digits=14, decimal_places=2)
    with translation.override(language), pytest.raises(forms.ValidationError) as refused:
        field.clean(text)
    assert text in refused.value.messages[0] and example in refused.value.messages[0]


def test_a_quantity_takes_three_decimals_in_the_page_language():
    field = WrittenDecimalField(max_digits=12, decimal_places=3)
    with translation.override("nl"):
        assert field.clean("1,250") == Decimal("1.250")
        with pytest.raises(forms.ValidationError):
            field.clean("1.250")

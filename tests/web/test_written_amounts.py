from decimal import Decimal

from django.utils import translation

from tegoed.invoices.forms import WrittenDecimalField


def test_an_amount_is_shown_as_the_language_writes_it_and_read_back():
    field = WrittenDecimalField(max_digits=14, decimal_places=2)
    with translation.override("nl"):
        shown = field.prepare_value(Decimal("1237.84"))
    assert shown == "1237,84"
    assert field.clean(shown) == Decimal("1237.84")
    with translation.override("en"):
        assert field.prepare_value(Decimal("1237.84")) == "1237.84"
    assert field.clean("1.237,84") == Decimal("1237.84")

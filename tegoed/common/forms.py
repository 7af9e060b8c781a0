"""Form fields every app's forms share."""

from __future__ import annotations

import datetime
from decimal import Decimal

from babel import numbers as babel_numbers
from django import forms
from django.utils.translation import gettext as _

from tegoed.accounts.templatetags.tegoed import page_locale
from tegoed.domain import limits, money
from tegoed.domain.errors import DomainError

# How each page language writes a number: (decimal mark, a thousand and a bit written out).
WRITING = {"nl_NL": (",", "1.234,00"), "en_GB": (".", "1,234.00")}


class WrittenDecimalField(forms.DecimalField):
    """A number as the page's language writes it, read by `money.read_written`.

    "1.234,56" and "1,234.56" are read on every page; "1.234" or "1,234" alone is refused
    with an example of how to write it, since a Dutch and an English reader disagree on it.
    """

    # A text input: a number input refuses the decimal comma in some browsers.
    widget = forms.TextInput

    def __init__(self, *args, max_digits: int = limits.MONEY.digits, **kwargs):
        # Without a number of digits "1E+999999" would pass: an amount's column is the limit.
        super().__init__(*args, max_digits=max_digits, **kwargs)
        self.widget.attrs["inputmode"] = "decimal"

    def widget_attrs(self, widget):
        return {}

    def prepare_value(self, value):
        # An amount is shown as the user's language writes it ("1.237,84"); to_python reads it.
        if isinstance(value, Decimal) and self.decimal_places == 2:
            return babel_numbers.format_decimal(value, format="#,##0.00", locale=page_locale())
        return super().prepare_value(value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        mark, example = WRITING.get(page_locale(), WRITING["nl_NL"])
        places = self.decimal_places if self.decimal_places is not None else 2
        try:
            return money.read_written(str(value), decimal_mark=mark, places=places)
        except money.AmbiguousAmount:
            raise forms.ValidationError(
                _(
                    "“%(value)s” can be read two ways. Write the amount with its decimals, "
                    "like %(example)s."
                ),
                code="ambiguous",
                params={"value": value, "example": example},
            ) from None
        except DomainError:
            raise forms.ValidationError(
                _("“%(value)s” is not a number. Write it like %(example)s."),
                code="invalid",
                params={"value": value, "example": example},
            ) from None


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else value

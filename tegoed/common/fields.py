"""Model fields shared by every app.

`MoneyField` keeps an amount as a whole number of cents in a BIGINT column and gives it back
as a `Decimal` with two places. SQLite stores DECIMAL columns as floating point, so a SQL
`SUM()` of money there is float arithmetic; integer cents sum exactly on SQLite and
PostgreSQL alike (docs/decisions/0001-money-as-cents.md).
"""

from decimal import Decimal

from django.core import checks
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from tegoed.domain import limits, money


def validate_money(value: Decimal) -> None:
    """Whole cents within the range every sum of them still fits (`limits.MONEY`)."""
    if limits.MONEY.problem(value):
        raise ValidationError(
            _("Enter an amount of at most %(largest)s with at most two decimals."),
            code="money",
            params={"largest": limits.MONEY.largest},
        )


class MoneyField(models.BigIntegerField):
    description = "An amount in cents, read and written as a Decimal"
    default_validators = [validate_money]

    @cached_property
    def validators(self):
        # The integer range of the column is in cents; validate_money bounds the amount.
        return [*self.default_validators, *self._validators]

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return money.from_cents(int(value))

    def to_python(self, value):
        if value is None or isinstance(value, Decimal):
            return value
        if isinstance(value, float):
            raise TypeError("amounts must not be floats")
        return money.round_cents(money.parse(str(value)))

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        if isinstance(value, float):
            raise TypeError("amounts must not be floats")
        if not isinstance(value, Decimal):
            # Expressions and lookups pass through untouched.
            return super().get_prep_value(value)
        return money.to_cents(value)

    def formfield(self, **kwargs):
        from tegoed.common.forms import WrittenDecimalField

        defaults = {"form_class": WrittenDecimalField, "decimal_places": 2, "max_digits": 14}
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)

    def check(self, **kwargs):
        return [*super().check(**kwargs), *self._check_no_float_default()]

    def _check_no_float_default(self):
        if isinstance(self.default, float):
            return [checks.Error("MoneyField default must not be a float", obj=self)]
        return []


class DayCountField(models.PositiveSmallIntegerField):
    """A number of days, 0 to 32,767 on every database: SQLite would store any integer, and a
    value PostgreSQL refuses must be refused on SQLite too, with the same message."""

    @cached_property
    def validators(self):
        return [*super().validators, MaxValueValidator(limits.SMALL_INTEGER_MAX)]

"""Model fields shared by every app.

`MoneyField` keeps an amount as a whole number of cents in a BIGINT column and gives it back
as a `Decimal` with two places. SQLite stores DECIMAL columns as floating point, so a SQL
`SUM()` of money there is float arithmetic; integer cents sum exactly on SQLite and
PostgreSQL alike (docs/decisions/0001-money-as-cents.md).
"""

from decimal import Decimal

from django.core import checks
from django.db import models

from tegoed.domain import money


class MoneyField(models.BigIntegerField):
    description = "An amount in cents, read and written as a Decimal"

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

"""Amounts and dates the way the page's language writes them.

"€ 1.234,56" and "3 februari 2026" in Dutch, "€1,234.56" and "3 February 2026" in English
(CLDR patterns via Babel), whatever Django's own number localization is set to.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from django import template
from django.utils import translation

register = template.Library()

LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def page_locale() -> str:
    """The Babel locale of the language the page is shown in (forms use it as well)."""
    return LOCALES.get((translation.get_language() or "nl")[:2], "nl_NL")


@register.filter
def money(amount: Decimal | None, currency: str = "EUR") -> str:
    if amount is None or amount == "":
        return ""
    return babel_numbers.format_currency(Decimal(amount), currency or "EUR", locale=page_locale())


@register.filter
def amount(value: Decimal | None) -> str:
    """A plain number with two decimals, for form inputs and tables without a currency sign."""
    if value is None or value == "":
        return ""
    return babel_numbers.format_decimal(Decimal(value), format="#,##0.00", locale=page_locale())


@register.filter
def quantity(value: Decimal | None) -> str:
    """A quantity or rate without trailing zeros, as the page's language writes it: "2,5"."""
    if value is None or value == "":
        return ""
    return babel_numbers.format_decimal(Decimal(value), format="#,##0.####", locale=page_locale())


@register.filter
def longdate(value: datetime.date | None) -> str:
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return babel_dates.format_date(value, format="long", locale=page_locale())


@register.filter
def shortdate(value: datetime.date | None) -> str:
    """Compact for tables: "3 feb 2026" / "3 Feb 2026"."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return babel_dates.format_date(value, format="d MMM y", locale=page_locale()).replace(".", "")


@register.filter
def timestamp(value: datetime.datetime | None) -> str:
    if not value:
        return ""
    from django.utils import timezone

    value = timezone.localtime(value)
    return babel_dates.format_datetime(value, format="d MMM y HH:mm", locale=page_locale()).replace(
        ".", ""
    )


@register.filter
def percent(value: Decimal | float | None) -> str:
    if value is None:
        return ""
    return babel_numbers.format_percent(value, format="#,##0%", locale=page_locale())


@register.filter
def sentence(event, currency: str = "EUR") -> str:
    """An audit event said as a sentence in the page's language."""
    from tegoed.audit.sentences import describe

    return describe(event, currency=currency or "EUR")


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (None or "" drops one)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def url_if_exists(name: str, *args) -> str:
    """The URL, or "" while the page does not exist yet (another part of Tegoed adds it)."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""

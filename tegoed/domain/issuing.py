"""The checks an invoice must pass before it is sent (seed 001: "controleer de factuur").

An invoice that cannot be misunderstood names a customer with a full address, reaches a real
person's mailbox, has lines whose amounts add up, a due date that is a date and not before the
issue date, and a payment term the law allows for the customer (`payment_terms`).

`problems` returns every problem at once, so the user hears exactly what is missing; errors
block issuing, warnings are shown. The messages are codes with parameters: the interface says
them in the user's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from tegoed.domain import limits, payment_terms, vat
from tegoed.domain.money import MINOR_UNITS

ERROR = "error"
WARNING = "warning"

# Mailboxes nobody in particular reads; seeds 001 and 004: reminders go to a named person.
GENERIC_MAILBOXES = (
    "info",
    "admin",
    "office",
    "contact",
    "mail",
    "post",
    "sales",
    "hallo",
    "hello",
)


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    field: str
    severity: str = ERROR
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DraftLine:
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal


@dataclass(frozen=True, slots=True)
class Draft:
    customer_kind: str
    customer_name: str
    customer_street: str
    customer_postal_code: str
    customer_city: str
    billing_emails: tuple[str, ...]
    currency: str
    issue_date: date | None
    due_date: date | None
    lines: tuple[DraftLine, ...]
    is_credit_note: bool = False
    # Where the VAT rates come from: the seller's country and the customer's.
    seller_country: str = ""
    customer_country: str = ""


def problems(draft: Draft) -> tuple[Problem, ...]:
    found: list[Problem] = []
    found += _customer_problems(draft)
    found += _line_problems(draft.lines, is_credit_note=draft.is_credit_note)
    found += _vat_rate_problems(draft)
    found += _date_problems(draft)
    if draft.currency not in MINOR_UNITS:
        found.append(Problem("unknown_currency", "currency", params={"currency": draft.currency}))
    return tuple(found)


def errors(found: Sequence[Problem]) -> tuple[Problem, ...]:
    return tuple(problem for problem in found if problem.severity == ERROR)


def _customer_problems(draft: Draft) -> list[Problem]:
    found = []
    if not draft.customer_name.strip():
        found.append(Problem("customer_name_missing", "customer"))
    if not (draft.customer_street.strip() and draft.customer_city.strip()):
        found.append(Problem("customer_address_missing", "customer"))
    elif not draft.customer_postal_code.strip():
        found.append(Problem("customer_postal_code_missing", "customer"))
    emails = [email for email in draft.billing_emails if email.strip()]
    if not emails:
        found.append(Problem("customer_email_missing", "customer"))
    elif all(_is_generic(email) for email in emails):
        found.append(Problem("customer_email_generic", "customer", WARNING, {"email": emails[0]}))
    return found


def _is_generic(email: str) -> bool:
    return email.split("@", 1)[0].lower() in GENERIC_MAILBOXES


def _line_problems(lines: Sequence[DraftLine], *, is_credit_note: bool) -> list[Problem]:
    if not lines:
        return [Problem("no_lines", "lines")]
    out_of_range = number_problems(lines)
    found = list(out_of_range)
    for number, line in enumerate(lines, start=1):
        if not line.description.strip():
            found.append(Problem("line_description_missing", "lines", params={"line": number}))
        if line.quantity == 0:
            found.append(Problem("line_quantity_zero", "lines", params={"line": number}))
        if line.vat_rate < 0 or line.vat_rate > 100:
            found.append(Problem("line_vat_rate_invalid", "lines", params={"line": number}))
    if out_of_range:
        # Numbers beyond their columns cannot be added up.
        return found
    totals = vat.compute(vat.Line(line.quantity, line.unit_price, line.vat_rate) for line in lines)
    if limits.MONEY.problem(totals.total) or limits.MONEY.problem(totals.subtotal):
        found.append(Problem("total_too_large", "lines", params={"largest": limits.MONEY.largest}))
    elif totals.total <= 0 and not is_credit_note:
        found.append(Problem("total_not_positive", "lines", params={"total": str(totals.total)}))
    return found


def number_problems(lines: Sequence[DraftLine]) -> list[Problem]:
    """Quantities, unit prices and VAT rates beyond their columns' range or precision
    (`limits`): refused, never rounded, so that a line stays quantity × price."""
    found = []
    for number, line in enumerate(lines, start=1):
        for what, value, precision in (
            ("quantity", line.quantity, limits.QUANTITY),
            ("unit_price", line.unit_price, limits.UNIT_PRICE),
            ("vat_rate", line.vat_rate, limits.VAT_RATE),
        ):
            if precision.problem(value):
                found.append(
                    Problem(
                        f"line_{what}_out_of_range",
                        "lines",
                        params={"line": number, "largest": precision.largest,
                                "places": precision.places},
                    )
                )  # fmt: skip
    return found


def _vat_rate_problems(draft: Draft) -> list[Problem]:
    countries = [country for country in (draft.seller_country, draft.customer_country) if country]
    return [
        Problem(
            "line_vat_rate_unusual",
            "lines",
            WARNING,
            {"line": number, "rate": line.vat_rate.normalize(), "country": countries[0]},
        )
        for number, line in enumerate(draft.lines, start=1)
        if countries
        and 0 <= line.vat_rate <= 100
        and not vat.is_usual_rate(line.vat_rate, countries)
    ]


def _date_problems(draft: Draft) -> list[Problem]:
    found = []
    if draft.issue_date is None:
        found.append(Problem("issue_date_missing", "issue_date"))
    if draft.due_date is None:
        found.append(Problem("due_date_missing", "due_date"))
    if draft.issue_date is None or draft.due_date is None:
        return found
    if draft.due_date < draft.issue_date:
        found.append(Problem("due_before_issue", "due_date"))
        return found
    term = (draft.due_date - draft.issue_date).days
    maximum = payment_terms.maximum_days(draft.customer_kind)
    if maximum is not None and term > maximum:
        found.append(
            Problem(
                "term_too_long",
                "due_date",
                params={"days": term, "maximum": maximum, "kind": draft.customer_kind},
            )
        )
    return found

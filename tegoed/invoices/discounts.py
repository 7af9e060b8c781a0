"""The early-payment discount on the ledger: offered when an invoice is issued, booked as a
credit note when a payment takes it (docs/decisions/0003; the rule in `domain.discount`)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from tegoed.domain import discount, vat
from tegoed.invoices.models import Invoice


def terms_for(invoice: Invoice) -> discount.Terms | None:
    """What the invoice would offer: the customer's discount, else the organization's."""
    customer, organization = invoice.customer, invoice.organization
    percentage = customer.early_payment_discount
    if percentage is None:
        percentage = organization.early_payment_discount
    days = customer.early_payment_discount_days
    if days is None:
        days = organization.early_payment_discount_days
    return discount.terms(
        percentage,
        days,
        _taxable_by_rate(invoice),
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
    )


def offer(invoice: Invoice) -> None:
    """Fix the discount on an invoice being issued (dated, with its lines); not saved here."""
    terms = terms_for(invoice)
    if terms is None or terms.amount >= invoice.total:
        invoice.discount_percentage, invoice.discount_amount = Decimal("0"), Decimal("0.00")
        invoice.discount_until = None
        return
    invoice.discount_percentage = terms.percentage
    invoice.discount_amount = terms.amount
    invoice.discount_until = terms.last_day


def taken_by(invoice: Invoice, amount: Decimal, paid_on: datetime.date) -> bool:
    """Whether a payment of `amount` on `paid_on` pays the invoice less its discount."""
    return (
        invoice.offers_discount
        and amount > 0
        and amount == invoice.open_amount - invoice.discount_amount
        and discount.in_time(paid_on, invoice.discount_until)
    )


def take(invoice: Invoice, *, acting_user, today: datetime.date) -> Invoice | None:
    """Book the discount the invoice offered as a credit note, per VAT rate, so the taxable
    amount and the VAT go down with it. None when nothing of it is left open."""
    from tegoed.invoices import services

    invoice.refresh_from_db()
    if not invoice.offers_discount or invoice.open_amount != invoice.discount_amount:
        return None
    rows = discount.per_rate(_taxable_by_rate(invoice), invoice.discount_percentage)
    with translation.override(invoice.customer.language or invoice.organization.language):
        reason = _("Early-payment discount of %(percentage)s%% on invoice %(number)s") % {
            "percentage": _percentage(invoice.discount_percentage),
            "number": invoice.number,
        }
        lines = [services.LineInput(reason, Decimal("1"), taxable, rate) for rate, taxable in rows]
    return services.credit_invoice(
        invoice=invoice,
        acting_user=acting_user,
        today=today,
        reason=reason,
        lines=lines,
        offered=True,
    )


def _taxable_by_rate(invoice: Invoice) -> list[tuple[Decimal, Decimal]]:
    """The taxable amount per VAT rate, highest first: the invoice's VAT breakdown from its
    lines as stored (each line's net amount and rate)."""
    return [(row.rate, row.taxable) for row in vat.compute(invoice.lines.all()).breakdown]


def _percentage(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",") if translation.get_language() == "nl" else text

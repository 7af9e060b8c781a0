"""The audit trail in sentences: what happened, said in the reader's language.

An event keeps its action code and its details as facts; the page turns them into a sentence
when it is shown, so the trail reads the same in Dutch and English and old events read anew
when the wording improves. An action without a sentence here shows its stored summary.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from tegoed.accounts.templatetags.tegoed import longdate, money


def _amount(currency: str) -> Callable[[str], str]:
    return lambda value: money(Decimal(value), currency) if value not in (None, "") else ""


def _day(value: str) -> str:
    return longdate(datetime.date.fromisoformat(value)) if value else ""


SENTENCES = {
    "invoice.drafted": _("Draft made for %(total)s."),
    "invoice.draft_changed": _("Draft changed; total now %(total)s."),
    "invoice.issued": _("Issued as %(number)s for %(total)s, due %(due_date)s."),
    "credit_note.issued": _("Credit note %(number)s issued for %(total)s."),
    "quote.issued": _("Quote %(number)s issued for %(total)s."),
    "pro_forma.issued": _("Pro forma invoice %(number)s issued for %(total)s."),
    "invoice.made_from": _("%(number)s made into a draft invoice."),
    "invoice.credited": _(
        "Credit note %(credit_note)s of %(total)s issued, %(applied)s of it against this "
        "invoice. Reason: %(reason)s"
    ),
    "invoice.written_off": _("%(amount)s written off. Reason: %(reason)s"),
    "invoice.direct_debit_planned": _(
        "To be collected by direct debit on %(collection_date)s under mandate %(mandate)s."
    ),
    "payment.recorded": _("Payment of %(amount)s received on %(received_on)s."),
    "payment.allocated": _("Payment booked against %(allocations)s."),
    "credit.applied": _("%(amount)s of credit from %(credit)s applied."),
    "settlement.proposed": _(
        "Settlement proposed: %(amount)s for the %(open)s open, %(given_up)s to give up, to be "
        "paid by %(pay_by)s. Reason: %(reason)s"
    ),
    "settlement.agreed": _("Settlement of %(amount)s agreed, approved by %(approved_by)s."),
    "settlement.written_off": _(
        "Settlement of %(amount)s received: %(written_off)s written off, proposed by "
        "%(proposed_by)s and approved by %(approved_by)s."
    ),
    "settlement.lapsed": _("Settlement of %(amount)s lapsed: not paid in time."),
    "settlement.cancelled": _("Settlement of %(amount)s cancelled."),
    "dunning.small_amounts_written_off": _(
        "Small amounts written off: %(total)s. Reason: %(reason)s"
    ),
}
MONEY = ("total", "amount", "applied", "refunded", "open", "given_up", "written_off")
DAYS = ("due_date", "received_on", "collection_date", "issue_date", "refunded_on", "pay_by")


def describe(event, *, currency: str = "EUR") -> str:
    """One sentence for an audit event; its stored summary when the action has none."""
    template = SENTENCES.get(event.action)
    details = event.details or {}
    if template is None:
        return event.summary
    amount = _amount(currency)
    values = {key: value for key, value in details.items() if isinstance(value, str)}
    values.update({key: amount(details[key]) for key in MONEY if key in details})
    values.update({key: _day(details[key]) for key in DAYS if key in details})
    if "allocations" in details:
        values["allocations"] = (
            ", ".join(
                f"{row['invoice']} ({amount(row['amount'])})" for row in details["allocations"]
            )
            or "–"
        )
    try:
        return str(template) % values
    except (KeyError, ValueError, TypeError):
        return event.summary

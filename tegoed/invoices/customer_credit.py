"""The customer's credit on the screen: what is left, where it could go, and the two forms.

Shared by the customer page (the whole picture) and the invoice page (credit for this
invoice); the writes are the ledger's `apply_credit` and `refund_credit`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from tegoed.accounts.templatetags.tegoed import longdate, money
from tegoed.domain import credit
from tegoed.invoices import forms, queries
from tegoed.invoices.models import Payment


def name(source) -> str:
    if isinstance(source, Payment):
        return _("the payment of %(day)s") % {"day": longdate(source.received_on)}
    return _("credit note %(number)s") % {"number": source.number}


def label(source, left) -> str:
    what = name(source)
    return _("%(what)s: %(left)s left") % {
        "what": what[:1].upper() + what[1:],
        "left": money(left, source.currency),
    }


def choices_for(customer) -> dict:
    """The form choices: the customer's credit and its open invoices."""
    return _choices(queries.credit_of(customer), list(queries.open_invoices_of(customer)))


def _choices(sources, open_invoices) -> dict:
    return {
        "credits": [
            (queries.credit_token(source), label(source, left)) for source, left in sources
        ],
        "invoices": [
            (str(invoice.public_id), f"{invoice.number} · {money(invoice.open_amount)}")
            for invoice in open_invoices
        ],
    }


def context_for(customer, *, today, apply_form=None, refund_form=None, invoice=None) -> dict:
    """Credit, proposals and forms for the template `invoices/credit.html`; with `invoice`
    only the proposals for that invoice."""
    sources = queries.credit_of(customer)
    if not sources:
        return {"credit_sources": []}
    open_invoices = list(queries.open_invoices_of(customer))
    choices = _choices(sources, open_invoices)
    names = {queries.credit_token(source): name(source) for source, _left in sources}
    by_key = {str(due.public_id): due for due in open_invoices}
    applications = credit.propose(
        [credit.Credit(queries.credit_token(source), left) for source, left in sources],
        [credit.Due(key, due.open_amount, due.due_date) for key, due in by_key.items()],
    )
    return {
        "credit_customer": customer,
        "credit_sources": choices["credits"],
        "credit_total": sum(left for _source, left in sources),
        "credit_proposals": [
            {
                "credit": application.credit,
                "label": names[application.credit],
                "invoice": by_key[application.invoice],
                "amount": application.amount,
                "exact": application.exact,
            }
            for application in applications
            if invoice is None or application.invoice == str(invoice.public_id)
        ],
        "apply_form": apply_form or forms.ApplyCreditForm(**choices),
        "refund_form": refund_form
        or forms.RefundForm(credits=choices["credits"], initial={"refunded_on": today}),
    }

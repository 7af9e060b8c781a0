"""Why a candidate was proposed, said in the user's language for the review pages.

Matching writes its reasons in English (they go to logs, the JSON of `tegoed match` and the
audit trail). The review pages say the same in Dutch or English from what the proposal holds:
the rule that found it, its flags and its invoices.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from tegoed.accounts.templatetags.tegoed import amount, longdate
from tegoed.domain import matching, statement
from tegoed.domain.statement import SkippedEntry


def summary(proposal: dict) -> str:
    """One or two sentences for a stored proposal (see `BankEntry.proposals`)."""
    invoices = ", ".join(
        allocation["invoice_number"] for allocation in proposal.get("allocations", ())
    )
    rule = proposal.get("rule", "")
    flags = set(proposal.get("flags", ()))
    if proposal.get("repeats"):
        return _(
            "Same payer, amount and description as the payment of %(day)s: possibly paid "
            "twice. Keep it as credit on the customer (and refund it from there), or book it "
            "if it is a new payment."
        ) % {"day": longdate(datetime.date.fromisoformat(proposal["repeats"]))}
    if matching.DUPLICATE in flags:
        return _(
            "The invoice named was already paid: probably a second payment of it. Keep the "
            "money as credit on the customer, or refund it."
        )
    sentences = {
        "reference": _("The payment reference is that of %(invoices)s."),
        "invoice_number": _("The description names %(invoices)s."),
        "typo": _(
            "The description has a number one keystroke away from %(invoices)s, and the amount "
            "is exactly what is open on it."
        ),
        "payer_amount": _("The payer is a known customer, with %(invoices)s open for this amount."),
        "combination": _("%(invoices)s together make up this amount."),
        "discount": _("The amount is %(invoices)s less an early-payment discount."),
        "difference": _(
            "The payer is a known customer; the amount is a little less than %(invoices)s."
        ),
        "partial": _("The payer is a known customer; the amount may be part of %(invoices)s."),
        "overpayment": _("The payer is a known customer; the amount is more than %(invoices)s."),
    }
    text = sentences.get(rule, _("Proposed: %(invoices)s.")) % {"invoices": invoices or "—"}
    if matching.OVERPAYMENT in flags:
        text += " " + _("More than is open was paid: the excess stays as credit on the customer.")
    elif matching.DISCOUNT in flags and rule != "discount":
        text += " " + _("An early-payment discount was taken within its period.")
    elif matching.SHORT in flags:
        text += " " + _("A little less was paid (bank costs?): the rest stays open.")
    elif matching.PARTIAL in flags:
        text += " " + _("Part of the invoice was paid: the rest stays open.")
    return text


def of_entry(entry) -> str:
    """What matching concluded about a stored entry, for lists."""
    if entry.notified and entry.replaced_by_id is None:
        found = summary(entry.proposals[0]) if entry.proposals else ""
        return " ".join(
            (_("Notified by the bank, not booked yet: nothing is booked until it is."), found)
        ).strip()
    if entry.proposals:
        return summary(entry.proposals[0])
    if not entry.credit:
        return _("Money paid out: not a customer payment.")
    return _(
        "Nothing found: no payment reference of an open invoice, no invoice number we know, and "
        "a payer we do not know."
    )


def left_out(entry: SkippedEntry) -> str:
    """An entry not matched as a payment, and why, for the upload page."""
    if entry.why == statement.STATUS:
        reason = _("its status %(status)s is neither booked (BOOK) nor notified (PDNG, INFO)") % {
            "status": entry.detail
        }
    elif entry.why == statement.ZERO_AMOUNT:
        reason = _("it has no amount")
    else:
        reason = _("it is in %(currency)s, a currency no open invoice is in") % {
            "currency": entry.detail
        }
    if entry.amount is None:
        return _("Entry %(entry)s was not matched: %(reason)s.") % {
            "entry": entry.entry_id,
            "reason": reason,
        }
    return _("Entry %(entry)s (%(amount)s) was not matched: %(reason)s.") % {
        "entry": entry.entry_id,
        "amount": amount(entry.amount),
        "reason": reason,
    }

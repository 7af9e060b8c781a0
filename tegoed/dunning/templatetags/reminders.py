"""Reminder facts on other apps' pages: what comes next for an invoice or a customer, its
holds and failed deliveries, in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tegoed.accounts import current
from tegoed.accounts.templatetags.tegoed import longdate
from tegoed.domain import dunning
from tegoed.dunning import forms, queries
from tegoed.dunning.models import StepKind

register = template.Library()

# What the run writes on a message when it chose another channel, as the reader reads it.
NOTES = {
    "no e-mail address: sent as a letter": gettext_lazy(
        "No usable e-mail address: sent as a letter."
    )
}


@register.filter
def why(note: str) -> str:
    return str(NOTES[note]) if note in NOTES else note


@register.filter
def next_step(upcoming: queries.Upcoming) -> str:
    """One sentence: what happens next with the invoice, and when."""
    outlook = upcoming.outlook
    step = str(StepKind(outlook.step.kind).label) if outlook.step else ""
    if outlook.reason in (dunning.DUE, dunning.WAITING) and upcoming.send_on is not None:
        return _("%(step)s on %(day)s") % {"step": step, "day": longdate(upcoming.send_on)}
    hold = upcoming.hold
    if outlook.reason == dunning.ON_HOLD and hold is not None:
        if hold.ends_on is not None:
            return _("Paused (%(reason)s) until %(day)s.") % {
                "reason": hold.get_reason_display().lower(),
                "day": longdate(hold.ends_on),
            }
        return _("Paused (%(reason)s) until lifted.") % {
            "reason": hold.get_reason_display().lower()
        }
    sentences = {
        dunning.ON_HOLD: _("Paused by a hold."),
        dunning.AWAITING_APPROVAL: _("Waits until its last message is approved or skipped."),
        dunning.BELOW_THRESHOLD: _("Below the amount chased: proposed for write-off."),
        dunning.BELOW_STEP_MINIMUM: _("Stops here: %(step)s is only for larger amounts.")
        % {"step": step},
        dunning.SCHEDULE_DONE: _("The schedule has run its course."),
        dunning.NO_DUE_DATE: _("No due date: nothing is chased."),
        dunning.PAID: _("Paid."),
    }
    return sentences.get(outlook.reason, outlook.reason)


def _may_act(context) -> bool:
    return bool(context.get("may_change"))


@register.inclusion_tag("dunning/_invoice_panel.html", takes_context=True)
def invoice_reminders(context, invoice):
    request = context["request"]
    today = current.today(request)
    customer = invoice.customer
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "may_change": _may_act(context),
        "invoice": invoice,
        "upcoming": queries.upcoming(customer, today=today, invoice=invoice),
        "steps": queries.steps_of(invoice),
        "holds": queries.holds_of(customer, invoice=invoice),
        "failures": queries.delivery_failures(customer, invoice=invoice),
        "hold_form": forms.HoldForm(auto_id="invoice-hold-%s"),
    }


@register.inclusion_tag("dunning/_customer_panel.html", takes_context=True)
def customer_reminders(context, customer):
    request = context["request"]
    today = current.today(request)
    return {
        "customer": customer,
        "upcoming": queries.upcoming(customer, today=today),
        "holds": queries.holds_of(customer).filter(lifted_at__isnull=True),
        "failures": queries.delivery_failures(customer),
        "today": today,
    }

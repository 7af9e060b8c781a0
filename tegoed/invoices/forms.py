"""Forms of the invoice pages: they parse and validate input; services do the writing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tegoed.accounts.templatetags.tegoed import longdate, quantity
from tegoed.common.forms import DateInput, WrittenDecimalField
from tegoed.common.pagination import Order
from tegoed.customers.queries import PICKED, picked
from tegoed.domain import aging, balance, plausibility
from tegoed.invoices.models import DRAFTED_KINDS, InvoiceKind, PaymentMethod
from tegoed.invoices.queries import OUTSTANDING

SORTS = {
    "-issue_date": Order("issue_date", True, datetime.date),
    "issue_date": Order("issue_date", False, datetime.date),
    "due_date": Order("due_date", False, datetime.date),
    "-due_date": Order("due_date", True, datetime.date),
    "number": Order("number", False, str),
    "-number": Order("number", True, str),
    "-total": Order("total", True, Decimal),
    "total": Order("total", False, Decimal),
}
DRAFT_ORDER = Order("pk", True, int)


class InvoiceFilterForm(forms.Form):
    q = forms.CharField(label=_("Number or payment reference"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All issued")),
            (OUTSTANDING, _("Outstanding (open or partly paid)")),
            (balance.OPEN, _("Open, nothing paid")),
            (balance.PARTIALLY_PAID, _("Partly paid")),
            (balance.PAID, _("Paid")),
            (balance.CREDITED, _("Credited")),
            (balance.WRITTEN_OFF, _("Written off")),
            (balance.DRAFT, _("Drafts")),
        ],
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    bucket = forms.ChoiceField(
        label=_("Days past due"),
        required=False,
        choices=[
            ("", _("Any")),
            (aging.NOT_DUE.key, _("Not yet due")),
            (aging.DAYS_1_30.key, _("1–30 days")),
            (aging.DAYS_31_60.key, _("31–60 days")),
            (aging.DAYS_61_90.key, _("61–90 days")),
            (aging.OVER_90.key, _("More than 90 days")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *InvoiceKind.choices]
    )
    customer = forms.UUIDField(required=False, widget=forms.HiddenInput)
    issued_from = forms.DateField(label=_("Issued from"), required=False, widget=DateInput)
    issued_to = forms.DateField(label=_("Issued until"), required=False, widget=DateInput)
    due_from = forms.DateField(label=_("Due from"), required=False, widget=DateInput)
    due_to = forms.DateField(label=_("Due until"), required=False, widget=DateInput)
    amount_min = WrittenDecimalField(
        label=_("Amount from"), required=False, decimal_places=2, min_value=0
    )
    amount_max = WrittenDecimalField(
        label=_("Amount up to"), required=False, decimal_places=2, min_value=0
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("-issue_date", _("Newest first")),
            ("issue_date", _("Oldest first")),
            ("due_date", _("Due date, earliest first")),
            ("-due_date", _("Due date, latest first")),
            ("number", _("Number")),
            ("-number", _("Number, descending")),
            ("-total", _("Largest amount first")),
            ("total", _("Smallest amount first")),
        ],
    )


class PaymentForm(forms.Form):
    amount = WrittenDecimalField(label=_("Amount"), decimal_places=2, min_value=Decimal("0.01"))
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    payer_name = forms.CharField(label=_("Payer"), required=False, max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=500)
    # Ticked by the user once the form has shown its doubts (`includes/form_errors.html`).
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.doubts: list[str] = []

    def check_doubts(self, *, today, issued_on) -> bool:
        """Whether the payment may be booked: nothing unlikely about it, or the user checked."""
        found = plausibility.payment_doubts(
            self.cleaned_data["received_on"], today=today, issued_on=issued_on
        )
        self.doubts = [doubt_text(doubt, self.cleaned_data["received_on"]) for doubt in found]
        return not self.doubts or self.cleaned_data["confirmed"]


def doubt_text(doubt: str, received_on) -> str:
    day = longdate(received_on)
    if doubt == plausibility.PAYMENT_IN_FUTURE:
        return _("The payment is dated %(day)s, after today.") % {"day": day}
    return _(
        "The payment is dated %(day)s, long before the invoice was issued; is it for this invoice?"
    ) % {"day": day}


class CreditForm(forms.Form):
    """Credit some lines (a quantity of each), an amount at one of the invoice's VAT rates, or,
    with neither, everything not yet credited."""

    reason = forms.CharField(label=_("Reason"), max_length=300)
    amount = WrittenDecimalField(
        label=_("Or an amount excl. VAT"),
        required=False,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    vat_rate = forms.TypedChoiceField(label=_("at VAT %"), coerce=Decimal, required=False)

    def __init__(self, *args, lines=(), **kwargs):
        kwargs.setdefault("auto_id", "credit-%s")
        super().__init__(*args, **kwargs)
        self.invoice_lines = list(lines)
        rates = sorted({line.vat_rate for line in self.invoice_lines}, reverse=True)
        written = [format(rate.normalize(), "f") for rate in rates]
        self.fields["vat_rate"].choices = [(rate, f"{rate} %") for rate in written]
        for line in self.invoice_lines:
            self.fields[f"line_{line.pk}"] = WrittenDecimalField(
                label=line.description,
                required=False,
                decimal_places=3,
                min_value=Decimal("0.001"),
                max_value=line.quantity,
                help_text=_("of %(quantity)s") % {"quantity": quantity(line.quantity)},
            )

    def line_fields(self):
        return [self[f"line_{line.pk}"] for line in self.invoice_lines]

    def clean(self):
        cleaned = super().clean()
        if any(cleaned.get(f"line_{line.pk}") for line in self.invoice_lines) and cleaned.get(
            "amount"
        ):
            raise forms.ValidationError(_("Credit either lines or an amount, not both."))
        return cleaned

    def chosen(self) -> list[tuple[object, Decimal]]:
        """(invoice line, quantity) for each line to credit."""
        return [
            (line, self.cleaned_data[f"line_{line.pk}"])
            for line in self.invoice_lines
            if self.cleaned_data.get(f"line_{line.pk}")
        ]


class WriteOffForm(forms.Form):
    amount = WrittenDecimalField(
        label=_("Amount"), decimal_places=2, min_value=Decimal("0.01"), required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "write-off-%s")
        super().__init__(*args, **kwargs)


class DraftForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Document"),
        choices=[(kind.value, kind.label) for kind in DRAFTED_KINDS],
        initial=InvoiceKind.INVOICE,
        required=False,
        help_text=_("A quote or pro forma invoice asks for no payment and is never chased."),
    )
    customer = forms.CharField(
        label=_("Customer"),
        max_length=300,
        help_text=_("Type part of the name, number or city, then choose from the list."),
        widget=forms.TextInput(
            attrs={
                "list": "customer-suggestions",
                "autocomplete": "off",
                "hx-trigger": "input changed delay:200ms, focus once",
                "hx-target": "#customer-suggestions",
                "hx-select": "#customer-suggestions",
                "hx-swap": "outerHTML",
            }
        ),
    )
    issue_date = forms.DateField(
        label=_("Issue date"),
        required=False,
        widget=DateInput,
        help_text=_("Empty: the day it is issued."),
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=DateInput,
        help_text=_("Empty: the customer's payment term."),
    )
    contract_date = forms.DateField(
        label=_("Contract date"),
        required=False,
        widget=DateInput,
        help_text=_("The day the contract was made. Empty: the issue date."),
    )
    customer_reference = forms.CharField(label=_("Your reference"), required=False, max_length=100)
    description = forms.CharField(label=_("Description"), required=False, max_length=300)

    def __init__(self, *args, find_customer, search_customers, suggestions_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.find_customer = find_customer
        self.search_customers = search_customers
        self.fields["customer"].widget.attrs["hx-get"] = suggestions_url
        # What the picker offers before anything is typed, and after an ambiguous search
        # (without JavaScript the browser's own list still shows them).
        self.suggestions: list = []

    def suggestion_choices(self) -> list[tuple[str, str]]:
        return [(picked(customer), customer.city) for customer in self.suggestions]

    def clean_kind(self):
        return self.cleaned_data.get("kind") or InvoiceKind.INVOICE

    def clean_customer(self):
        """A number (as typed, or as the picker leaves it: "number · name"), or a part of a
        name, number or city that only one customer has."""
        text = self.cleaned_data["customer"].strip()
        customer = self.find_customer(text.split(PICKED)[0])
        if customer is not None:
            return customer
        found = self.search_customers(text)
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(
                _("No customer has “%(text)s” in its name, number or city."),
                params={"text": text},
            )
        self.suggestions = found
        raise forms.ValidationError(
            _("Several customers match “%(text)s”; choose one from the list."),
            params={"text": text},
        )

    def clean(self):
        cleaned = super().clean()
        issue, due = cleaned.get("issue_date"), cleaned.get("due_date")
        if issue and due and due < issue:
            self.add_error("due_date", _("The due date lies before the issue date."))
        return cleaned


class LineForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    quantity = WrittenDecimalField(label=_("Quantity"), max_digits=12, decimal_places=3, initial=1)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    unit_price = WrittenDecimalField(label=_("Unit price"), max_digits=14, decimal_places=4)
    vat_rate = WrittenDecimalField(
        label=_("VAT %"), max_digits=5, decimal_places=2, initial=21, min_value=0, max_value=100
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].widget.attrs["size"] = 30

    def has_changed(self):
        # An empty row keeps its prefilled quantity and VAT rate; it is not a line until it
        # has a description or a price.
        return bool(
            self.data.get(self.add_prefix("description"), "").strip()
            or self.data.get(self.add_prefix("unit_price"), "").strip()
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("unit_price") is not None and not cleaned.get("description"):
            self.add_error("description", _("Describe what the line is for."))
        return cleaned


class BaseLineFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.cleaned_data and not form.cleaned_data.get("DELETE") for form in self):
            raise forms.ValidationError(_("Add at least one line."))


LineFormSet = forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=1, can_delete=True)


class ApplyCreditForm(forms.Form):
    """Apply some of the customer's credit to one of its open invoices."""

    credit = forms.ChoiceField(label=_("Credit on account"))
    invoice = forms.ChoiceField(label=_("Invoice"))
    amount = WrittenDecimalField(label=_("Amount"), decimal_places=2, min_value=Decimal("0.01"))

    def __init__(self, *args, credits=(), invoices=(), **kwargs):
        # Its own ids: the refund form and the invoice's forms share a page with it.
        kwargs.setdefault("auto_id", "apply-credit-%s")
        super().__init__(*args, **kwargs)
        self.fields["credit"].choices = credits
        self.fields["invoice"].choices = invoices


class RefundForm(forms.Form):
    """Record that credit was paid back to the customer."""

    credit = forms.ChoiceField(label=_("Credit on account"))
    amount = WrittenDecimalField(label=_("Amount"), decimal_places=2, min_value=Decimal("0.01"))
    refunded_on = forms.DateField(label=_("Paid back on"), widget=DateInput)
    to_iban = forms.CharField(label=_("To IBAN"), required=False, max_length=34)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, credits=(), invoices=(), **kwargs):
        kwargs.setdefault("auto_id", "refund-%s")
        super().__init__(*args, **kwargs)
        self.fields["credit"].choices = credits

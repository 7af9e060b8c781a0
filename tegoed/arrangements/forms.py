"""Forms of the agreements page: they parse and validate input; services do the writing."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tegoed.accounts.templatetags.tegoed import money
from tegoed.arrangements.models import ArrangementTerms, Channel, DisputeOutcome, DisputeReason
from tegoed.collections.models import AgencyKind, InsolvencyKind, StageKind
from tegoed.common.forms import DateInput, WrittenDecimalField
from tegoed.common.uploads import UploadField


def _open_label(invoice) -> str:
    return _("%(number)s · %(open)s open") % {
        "number": invoice.number,
        "open": money(invoice.open_amount, invoice.currency),
    }


class InvoiceChoice(forms.ModelChoiceField):
    def label_from_instance(self, invoice) -> str:
        return _open_label(invoice)


class InvoicesChoice(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, invoice) -> str:
        return _open_label(invoice)


class TermsForm(forms.ModelForm):
    """The organization's limits for payment arrangements."""

    class Meta:
        model = ArrangementTerms
        fields = [
            "minimum_instalment",
            "maximum_months",
            "grace_days",
            "remind_days_before",
            "waive_interest",
        ]
        # Amounts as the page's language writes them ("25,00" in Dutch).
        field_classes = {"minimum_instalment": WrittenDecimalField}

    def clean_maximum_months(self):
        months = self.cleaned_data["maximum_months"]
        if months < 1:
            raise forms.ValidationError(_("An arrangement runs at least one month."))
        return months

    def clean_minimum_instalment(self):
        minimum = self.cleaned_data["minimum_instalment"]
        if minimum <= 0:
            raise forms.ValidationError(_("The smallest instalment is more than nothing."))
        return minimum


class OnInvoices(forms.Form):
    """A form about some of the customer's open invoices (`invoices`, given by the view)."""

    def __init__(self, *args, invoices, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("invoice", "invoices"):
            if name in self.fields:
                self.fields[name].queryset = invoices


class PromiseForm(OnInvoices):
    invoice = InvoiceChoice(
        label=_("Invoice"), queryset=None, required=False, empty_label=_("All open invoices")
    )
    pay_by = forms.DateField(label=_("Pays by"), widget=DateInput)
    amount = WrittenDecimalField(
        label=_("Amount"),
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        help_text=_("Empty: everything that is open."),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class DisputeForm(OnInvoices):
    invoice = InvoiceChoice(label=_("Invoice"), queryset=None)
    reason = forms.ChoiceField(label=_("Reason"), choices=DisputeReason.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    description = forms.CharField(
        label=_("What the customer says"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    proof = UploadField(
        label=_("Proof (PDF)"),
        required=False,
        help_text=_("Already paid: the customer's proof of payment."),
    )

    def clean_proof(self):
        upload = self.cleaned_data["proof"]
        return (upload.name, upload.read()) if upload else None


class ResolveDisputeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (value, label)
            for value, label in DisputeOutcome.choices
            if value != DisputeOutcome.OPEN
        ],
    )
    credit_amount = WrittenDecimalField(
        label=_("Credit excl. VAT"),
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        help_text=_("Credited: empty credits the whole invoice."),
    )
    pay_by = forms.DateField(
        label=_("New deadline"),
        widget=DateInput,
        required=False,
        help_text=_("Rejected: empty gives 14 days."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


def resolve_prefix(dispute) -> str:
    """Each open dispute on a page has its own form, with its own field ids."""
    return f"resolve-{dispute.pk}"


def resolve_form(dispute) -> ResolveDisputeForm:
    return ResolveDisputeForm(prefix=resolve_prefix(dispute))


class ArrangementForm(OnInvoices):
    invoices = InvoicesChoice(label=_("Invoices"), queryset=None)
    count = forms.IntegerField(label=_("Instalments"), min_value=1, max_value=60, initial=3)
    first_due_on = forms.DateField(label=_("First instalment on"), widget=DateInput)
    with_interest = forms.BooleanField(label=_("Include interest to date"), required=False)
    with_costs = forms.BooleanField(label=_("Include collection costs"), required=False)
    channel = forms.ChoiceField(label=_("Agreed by"), choices=Channel.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class HandoverForm(OnInvoices):
    invoices = InvoicesChoice(label=_("Invoices"), queryset=None)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    confirm_disputed = forms.BooleanField(
        label=_("Hand over disputed invoices too"), required=False
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class AgencyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AgencyKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(
        label=_("Address"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    fee_percent = WrittenDecimalField(
        label=_("Fee, percentage of what is collected"),
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        required=False,
    )


class StageForm(forms.Form):
    """The next stage of a hand-over: summons, judgment, seizure, or closed."""

    kind = forms.ChoiceField(
        label=_("Stage"),
        choices=[choice for choice in StageKind.choices if choice[0] != StageKind.HANDED_OVER],
    )
    on = forms.DateField(label=_("Date"), widget=DateInput)
    costs = WrittenDecimalField(
        label=_("Costs"), decimal_places=2, min_value=Decimal("0"), required=False
    )
    awarded = WrittenDecimalField(
        label=_("Awarded"),
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        help_text=_("A judgment only. Empty: the claim as it stood on the day of the judgment."),
    )
    simple_interest = forms.BooleanField(
        label=_("The judgment awards simple interest"), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_costs(self):
        return self.cleaned_data["costs"] or Decimal("0")


class RemittanceForm(forms.Form):
    """What the agency collected on each handed-over invoice, and the fee it kept."""

    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    fee = WrittenDecimalField(
        label=_("Agency fee"), decimal_places=2, min_value=Decimal("0"), required=False
    )

    def __init__(self, *args, invoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.invoices = list(invoices)
        for invoice in self.invoices:
            self.fields[f"collected_{invoice.pk}"] = WrittenDecimalField(
                label=_("Collected on %(number)s") % {"number": invoice.number},
                decimal_places=2,
                min_value=Decimal("0.01"),
                required=False,
            )

    def clean(self):
        data = super().clean()
        collected = [
            (invoice, data[f"collected_{invoice.pk}"])
            for invoice in self.invoices
            if data.get(f"collected_{invoice.pk}")
        ]
        if not collected and not self.errors:
            raise forms.ValidationError(_("Say what was collected on at least one invoice."))
        data["collected"] = collected
        data["fee"] = data.get("fee") or Decimal("0")
        return data


class SettlementForm(OnInvoices):
    invoices = InvoicesChoice(label=_("Invoices"), queryset=None)
    amount = WrittenDecimalField(
        label=_("Settle for"),
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("What the customer pays; the rest is written off once it is received."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)
    pay_by = forms.DateField(
        label=_("Pays by"), widget=DateInput, required=False, help_text=_("Empty: in 14 days.")
    )


class InsolvencyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InsolvencyKind.choices)
    declared_on = forms.DateField(label=_("Declared on"), widget=DateInput)
    trustee = forms.CharField(label=_("Trustee"), max_length=200, required=False)
    reference = forms.CharField(label=_("Case number"), max_length=100, required=False)

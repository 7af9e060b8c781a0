"""Forms of the reminder screens: they parse and validate input; services do the writing."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tegoed.common.forms import DateInput, WrittenDecimalField
from tegoed.domain.dunning import ADDABLE_KINDS
from tegoed.dunning.models import Channel, DunningSettings, StepKind
from tegoed.dunning.services import SETTINGS_FIELDS

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class ApproveForm(forms.Form):
    personal_note = forms.CharField(
        label=_("Personal note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Put before the standard text, e.g. “As discussed on the phone, …”."),
    )


class SkipForm(forms.Form):
    reason = forms.CharField(label=_("Why not send it"), required=False, max_length=500)


class HoldForm(forms.Form):
    invoice = forms.ChoiceField(label=_("For"), required=False)
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DateInput,
        help_text=_("Empty: until you lift it."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, invoices=(), **kwargs):
        super().__init__(*args, **kwargs)
        if invoices:
            self.fields["invoice"].choices = [
                ("", _("All invoices of this customer")),
                *((str(invoice.public_id), invoice.number) for invoice in invoices),
            ]
        else:
            del self.fields["invoice"]


class CallResultForm(forms.Form):
    reached = forms.TypedChoiceField(
        label=_("Reached"),
        choices=[("yes", _("Reached")), ("no", _("Not reached"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    promise_on = forms.DateField(label=_("Promised to pay by"), required=False, widget=DateInput)
    promise_amount = WrittenDecimalField(
        label=_("Promised amount"), required=False, decimal_places=2, min_value=Decimal("0.01")
    )
    disputed = forms.BooleanField(label=_("Disputes the invoice"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("promise_amount") is not None and data.get("promise_on") is None:
            self.add_error("promise_on", _("Say by which day the amount was promised."))
        return data


class SettingsForm(forms.ModelForm):
    send_weekdays = forms.TypedMultipleChoiceField(
        label=_("Send on"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Never on public holidays, nor on the first working day after one."),
    )
    minimum_open_amount = WrittenDecimalField(
        label=_("Chase from"),
        decimal_places=2,
        min_value=Decimal("0"),
        help_text=_("Below this open amount nothing is chased; a write-off is proposed instead."),
    )

    class Meta:
        model = DunningSettings
        fields = list(SETTINGS_FIELDS)
        widgets = {
            "window_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "window_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class NewScheduleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    copy_of = forms.ChoiceField(label=_("Start from"))

    def __init__(self, *args, policies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_of"].choices = [(str(p.public_id), p.name) for p in policies]


class ScheduleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    nudge = forms.BooleanField(label=_("Send a friendly nudge before the due date"), required=False)
    nudge_days = forms.IntegerField(
        label=_("Days before the due date"), min_value=1, max_value=30, required=False
    )
    customers = forms.CharField(
        label=_("Customers (numbers)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Customer numbers, separated by commas or spaces."),
    )
    tags = forms.TypedMultipleChoiceField(
        label=_("Customers with tag"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, tags=(), own: bool = True, find_customers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.find_customers = find_customers
        if own:
            self.fields["tags"].choices = [(tag.pk, tag.name) for tag in tags]
            if not tags:
                del self.fields["tags"]
        else:
            del self.fields["customers"]
            del self.fields["tags"]

    def clean_customers(self):
        numbers = [
            number for number in self.cleaned_data["customers"].replace(",", " ").split() if number
        ]
        found = self.find_customers(numbers)
        missing = [number for number in numbers if number not in found]
        if missing:
            raise forms.ValidationError(
                _("No customer with number %(numbers)s.") % {"numbers": ", ".join(missing)}
            )
        return list(found.values())

    def clean(self):
        data = super().clean()
        if data.get("nudge") and not data.get("nudge_days"):
            self.add_error("nudge_days", _("Say how many days before the due date."))
        return data


class StepForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    offset_days = forms.IntegerField(
        label=_("Days after the due date"), min_value=-60, max_value=730
    )
    min_gap_days = forms.IntegerField(
        label=_("At least days after the previous step"), min_value=0, max_value=365
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        required=False,
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    claims_interest_and_costs = forms.BooleanField(
        label=_("Claims interest and costs"), required=False
    )
    minimum_amount = WrittenDecimalField(
        label=_("Only from"), decimal_places=2, min_value=Decimal("0")
    )
    needs_approval = forms.BooleanField(label=_("Waits for approval"), required=False)


StepFormSet = forms.formset_factory(StepForm, extra=0)


class AddStepForm(StepForm):
    """A step put into a schedule: where, what kind, its code, and the fields every step has."""

    after = forms.TypedChoiceField(label=_("Place"), coerce=int)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(kind, label) for kind, label in StepKind.choices if kind in ADDABLE_KINDS],
        help_text=_(
            "A reminder speaks as the first, second or third reminder by its place; the texts "
            "are on the page Invoices and letters."
        ),
    )
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("A short name of letters, digits, - or _, shown in the log."),
    )

    field_order = ["after", "kind", "code"]

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["after"].choices = list(places)
        self.fields["channels"].initial = [Channel.EMAIL]


class PreviewForm(forms.Form):
    """The sample invoice of a schedule's preview."""

    due_in = forms.IntegerField(
        label=_("Payment term (days)"), min_value=0, max_value=365, initial=30
    )
    amount = WrittenDecimalField(
        label=_("Amount"), decimal_places=2, min_value=Decimal("0.01"), initial=Decimal("1000")
    )


class SmallWriteOffForm(forms.Form):
    """Which of the run's proposals to write off, and why."""

    steps = forms.MultipleChoiceField(
        label=_("Invoices"), widget=forms.CheckboxSelectMultiple, required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = {str(step.pk): step for step in proposals}
        self.fields["steps"].choices = [(key, key) for key in self.proposals]

    def chosen(self):
        return [self.proposals[key] for key in self.cleaned_data["steps"]]

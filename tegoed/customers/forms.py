"""Forms of the customer pages: they parse and validate input; services do the writing."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from tegoed.common.forms import WrittenDecimalField
from tegoed.customers.models import Contact, Customer, CustomerKind
from tegoed.customers.services import CUSTOMER_FIELDS

SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "number": ("number", "id"),
    "-number": ("-number", "-id"),
}


class CustomerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Name, customer number, KvK number, e-mail or IBAN"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *CustomerKind.choices]
    )
    tag = forms.ChoiceField(label=_("Tag"), required=False, choices=[("", _("All tags"))])
    overdue = forms.BooleanField(label=_("Only with overdue invoices"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("name", _("Name A–Z")),
            ("-name", _("Name Z–A")),
            ("number", _("Customer number")),
            ("-number", _("Customer number, descending")),
        ],
    )

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("All tags")), *((t.name, t.name) for t in tags)]


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = list(CUSTOMER_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        # "1,5" on a Dutch page, "1.5" on an English one.
        field_classes = {"early_payment_discount": WrittenDecimalField}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        members = get_user_model().objects.filter(memberships__organization=organization)
        self.fields["sales_owner"].queryset = members.order_by("username")
        self.fields["credit_limit"].widget.attrs["inputmode"] = "decimal"


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone", "preferred_channel"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone"):
            raise forms.ValidationError(_("Give an e-mail address or a phone number."))
        return cleaned


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))

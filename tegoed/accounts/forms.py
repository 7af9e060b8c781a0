"""Forms of the organization's settings page: they parse input; the services save."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tegoed.accounts import approval
from tegoed.accounts.models import Organization, Role
from tegoed.accounts.services import ORGANIZATION_FIELDS
from tegoed.common.forms import WrittenDecimalField
from tegoed.common.uploads import UploadImageField

# The roles whose approval limit the organization sets (an owner has none; read-only books none).
LIMITED_ROLES = (Role.CREDIT_CONTROLLER, Role.SALES)


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = list(ORGANIZATION_FIELDS)
        # The discount: "1,5" on a Dutch page, "1.5" on an English one.
        field_classes = {"logo": UploadImageField, "early_payment_discount": WrittenDecimalField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty: no discount, and the usual ten days should one be set later.
        self.fields["early_payment_discount"].required = False
        self.fields["early_payment_discount_days"].required = False
        limits = self.instance.approval_limits or {}
        for role in LIMITED_ROLES:
            default = approval.DEFAULT_LIMITS[role]
            self.fields[f"limit_{role}"] = WrittenDecimalField(
                label=_("Approval limit: %(role)s") % {"role": Role(role).label},
                required=False,
                decimal_places=2,
                min_value=Decimal("0"),
                initial=Decimal(limits[role]) if limits.get(role) is not None else default,
                help_text=_("The largest credit or write-off this role books alone."),
            )

    def clean_early_payment_discount(self):
        value = self.cleaned_data.get("early_payment_discount")
        return Decimal("0") if value is None else value

    def clean_early_payment_discount_days(self):
        value = self.cleaned_data.get("early_payment_discount_days")
        return 10 if value is None else value

    def limit_fields(self):
        return [self[f"limit_{role}"] for role in LIMITED_ROLES]

    def setting_fields(self):
        return [self[name] for name in ORGANIZATION_FIELDS]

    def approval_limits(self) -> dict[str, str | None]:
        limits = dict(self.instance.approval_limits or {})
        for role in LIMITED_ROLES:
            value = self.cleaned_data.get(f"limit_{role}")
            limits[role] = None if value is None else str(value)
        return limits


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    approval_limit = WrittenDecimalField(
        label=_("Own approval limit"),
        required=False,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text=_("Empty: the role's."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.CREDIT_CONTROLLER)

from django import forms
from django.utils.translation import gettext_lazy as _

from tegoed.accounts.models import Language
from tegoed.common.uploads import UploadField, UploadImageField
from tegoed.documents.models import DocumentSettings, Mandate, Recurrence, Scheme


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(UploadField):
    """Several files in one field (the pattern of Django's file-upload documentation)."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class UblImportForm(forms.Form):
    files = MultipleFileField(
        label=_("UBL files"),
        widget=MultipleFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
        help_text=_("Invoices and credit notes from your bookkeeping package (UBL 2.1 XML)."),
    )
    dry_run = forms.BooleanField(
        label=_("Only check, import nothing"), required=False, initial=False
    )


class DocumentSettingsForm(forms.ModelForm):
    class Meta:
        model = DocumentSettings
        fields = [
            "primary_colour",
            "accent_colour",
            "logo",
            "signatory",
            "show_payment_qr",
            "pre_notification_days",
        ]
        field_classes = {"logo": UploadImageField}
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
        }


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)


class MandateForm(forms.Form):
    reference = forms.CharField(label=_("Mandate reference"), max_length=35)
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    iban = forms.CharField(label=_("IBAN"), max_length=42)
    debtor_name = forms.CharField(
        label=_("Account holder"),
        max_length=70,
        required=False,
        help_text=_("Empty: the customer's name."),
    )
    recurrence = forms.ChoiceField(label=_("Recurrence"), choices=Recurrence.choices)
    scheme = forms.ChoiceField(label=_("Scheme"), choices=Scheme.choices)


class DirectDebitForm(forms.Form):
    mandate = forms.ModelChoiceField(label=_("Mandate"), queryset=Mandate.objects.none())
    collection_date = forms.DateField(
        label=_("Collection date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the first date the pre-notification allows."),
    )

    def __init__(self, *args, mandates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate"].queryset = mandates


class SepaExportForm(forms.Form):
    collection_date = forms.DateField(
        label=_("Collection date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    scheme = forms.ChoiceField(label=_("Scheme"), choices=Scheme.choices)

from django import forms
from django.utils.translation import gettext_lazy as _

from tegoed.accounts.models import Language
from tegoed.documents.models import DocumentSettings


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
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
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
        }


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)

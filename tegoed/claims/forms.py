from django import forms

from tegoed.claims.models import ClaimTerms, SimpleInterestSource
from tegoed.common.forms import WrittenDecimalField


class ClaimTermsForm(forms.ModelForm):
    class Meta:
        model = ClaimTerms
        fields = [
            "costs_clause_percent",
            "costs_clause_minimum",
            "consumer_due_date_agreed",
            "limitation_warning_months",
        ]
        # Numbers as the page's language writes them ("40,00" in Dutch).
        field_classes = {
            "costs_clause_percent": WrittenDecimalField,
            "costs_clause_minimum": WrittenDecimalField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["limitation_warning_months"].required = False

    def clean_limitation_warning_months(self):
        # Left empty: the months stay as they were (six by default).
        value = self.cleaned_data["limitation_warning_months"]
        return self.instance.limitation_warning_months if value is None else value


class SimpleInterestForm(forms.Form):
    simple = forms.BooleanField(required=False)
    source = forms.ChoiceField(choices=SimpleInterestSource.choices, required=False)

from django import forms

from tegoed.claims.models import ClaimTerms
from tegoed.common.forms import WrittenDecimalField


class ClaimTermsForm(forms.ModelForm):
    class Meta:
        model = ClaimTerms
        fields = ["costs_clause_percent", "costs_clause_minimum", "consumer_due_date_agreed"]
        # Numbers as the page's language writes them ("40,00" in Dutch).
        field_classes = {
            "costs_clause_percent": WrittenDecimalField,
            "costs_clause_minimum": WrittenDecimalField,
        }

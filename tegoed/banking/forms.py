"""Forms of the review pages: they parse input; the services book."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tegoed.common.forms import WrittenDecimalField
from tegoed.common.uploads import UploadField

SPLIT_ROWS = 5


class UploadForm(forms.Form):
    file = UploadField(
        label=_("Statement file"),
        help_text=_(
            "camt.053/054, MT940, or the CSV export of ING, Rabobank, ABN AMRO, bunq, Knab."
        ),
    )


class SplitForm(forms.Form):
    """Pick other invoices, or split the entry over several: invoice number and amount rows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(SPLIT_ROWS):
            self.fields[f"invoice_{row}"] = forms.CharField(
                label=_("Invoice number"), required=False, max_length=40
            )
            self.fields[f"amount_{row}"] = WrittenDecimalField(
                label=_("Amount"), required=False, min_value=0, decimal_places=2, max_digits=14
            )
        self.fields["customer"] = forms.CharField(
            label=_("Or keep as credit for customer number"), required=False, max_length=40
        )

    def rows(self) -> list[tuple[str, object]]:
        return [
            (self.cleaned_data[f"invoice_{row}"].strip(), self.cleaned_data[f"amount_{row}"])
            for row in range(SPLIT_ROWS)
            if self.cleaned_data.get(f"invoice_{row}", "").strip()
        ]

    def clean(self):
        cleaned = super().clean()
        seen = set()
        for row in range(SPLIT_ROWS):
            number = cleaned.get(f"invoice_{row}", "").strip()
            if number and cleaned.get(f"amount_{row}") is None:
                self.add_error(f"amount_{row}", _("Give the amount for this invoice."))
            if number in seen:
                self.add_error(
                    f"invoice_{row}",
                    _("Invoice %(number)s is on an earlier row; put its whole amount there.")
                    % {"number": number},
                )
            if number:
                seen.add(number)
        return cleaned

    def bound_rows(self):
        return [(self[f"invoice_{row}"], self[f"amount_{row}"]) for row in range(SPLIT_ROWS)]

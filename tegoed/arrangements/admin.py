from django.contrib import admin

from tegoed.arrangements.models import ArrangementTerms


@admin.register(ArrangementTerms)
class ArrangementTermsAdmin(admin.ModelAdmin):
    list_display = [
        "organization",
        "minimum_instalment",
        "maximum_months",
        "grace_days",
        "remind_days_before",
    ]

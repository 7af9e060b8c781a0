from django.contrib import admin

from tegoed.claims.models import ClaimTerms, SimpleInterest


@admin.register(ClaimTerms)
class ClaimTermsAdmin(admin.ModelAdmin):
    list_display = [
        "organization",
        "costs_clause_percent",
        "costs_clause_minimum",
        "consumer_due_date_agreed",
    ]


@admin.register(SimpleInterest)
class SimpleInterestAdmin(admin.ModelAdmin):
    list_display = ["invoice", "source", "note", "created_at"]
    raw_id_fields = ["invoice"]

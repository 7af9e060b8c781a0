from django.contrib import admin

from tegoed.rates.models import Rate


@admin.register(Rate)
class RateAdmin(admin.ModelAdmin):
    list_display = ["jurisdiction", "kind", "effective_from", "percent", "status", "source"]
    list_filter = ["jurisdiction", "kind", "status"]
    search_fields = ["source", "note"]
    ordering = ["jurisdiction", "kind", "-effective_from"]
    date_hierarchy = "effective_from"

from django.contrib import admin

from tegoed.collections.models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organization", "email", "fee_percent"]
    list_filter = ["kind"]

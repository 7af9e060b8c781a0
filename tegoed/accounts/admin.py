from django.contrib import admin

from tegoed.accounts.models import Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["slug", "legal_name", "trade_name", "kvk_number", "jurisdiction", "language"]
    list_filter = ["jurisdiction", "language"]
    search_fields = ["slug", "legal_name", "trade_name", "kvk_number", "vat_number"]
    prepopulated_fields = {"slug": ["legal_name"]}
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["slug", "legal_name", "trade_name", "logo"]}),
        ("Address", {"fields": ["street", "postal_code", "city", "country"]}),
        ("Registration", {"fields": ["kvk_number", "vat_number", "jurisdiction"]}),
        ("Bank", {"fields": ["iban", "bic", "sepa_creditor_id"]}),
        ("Contact", {"fields": ["sender_email", "reply_to_email", "phone", "website"]}),
        (
            "Invoicing",
            {
                "fields": [
                    "default_payment_term_days",
                    "invoice_number_prefix",
                    "language",
                    "time_zone",
                ]
            },
        ),
    ]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "user__email", "organization__slug"]
    autocomplete_fields = ["user", "organization"]

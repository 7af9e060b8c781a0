from django.contrib import admin

from tegoed.documents.models import DirectDebit, DocumentSettings, Mandate, TextBlock


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(admin.ModelAdmin):
    list_display = ["organization", "primary_colour", "accent_colour", "pre_notification_days"]


@admin.register(TextBlock)
class TextBlockAdmin(admin.ModelAdmin):
    list_display = ["organization", "key", "language"]
    list_filter = ["language", "key"]
    search_fields = ["text"]


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "customer",
        "iban",
        "signed_on",
        "recurrence",
        "scheme",
        "revoked_on",
    ]
    list_filter = ["scheme", "recurrence"]
    search_fields = ["reference", "customer__name", "iban"]
    raw_id_fields = ["customer"]


@admin.register(DirectDebit)
class DirectDebitAdmin(admin.ModelAdmin):
    list_display = ["invoice", "mandate", "collection_date", "state", "amount", "sequence_type"]
    list_filter = ["state"]
    raw_id_fields = ["invoice", "mandate"]

    def has_add_permission(self, request):
        # A collection is planned through the service, which checks the pre-notification.
        return False

from django.contrib import admin

from tegoed.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is written by services and never edited."""

    list_display = ["at", "organization", "actor", "action", "subject", "summary"]
    list_filter = ["organization", "action"]
    search_fields = ["summary", "subject", "action"]
    date_hierarchy = "at"
    list_select_related = ["organization", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""The admin for the ledger: for looking and searching. Changes go through the services,
so issued invoices, payments and allocations are read-only here."""

from django.contrib import admin

from tegoed.domain import balance
from tegoed.invoices.models import Allocation, Invoice, InvoiceLine, Payment


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InvoiceLineInline(ReadOnlyInline):
    model = InvoiceLine
    fields = ["position", "description", "quantity", "unit", "unit_price", "vat_rate", "net_amount"]


class AllocationInline(ReadOnlyInline):
    model = Allocation
    fk_name = "invoice"
    fields = ["booked_on", "kind", "amount", "payment", "credit_note", "reason"]


class PaymentAllocationInline(ReadOnlyInline):
    model = Allocation
    fk_name = "payment"
    fields = ["booked_on", "invoice", "amount"]


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [(state, state.replace("_", " ")) for state in balance.STATES]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(state=self.value())
        return queryset


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "kind",
        "customer",
        "issue_date",
        "due_date",
        "total",
        "open_amount",
        "state_name",
    ]
    list_filter = [StateFilter, "kind", "organization", "currency", "issue_date"]
    search_fields = ["number", "payment_reference", "customer__name", "customer__number"]
    date_hierarchy = "issue_date"
    list_select_related = ["customer"]
    autocomplete_fields = ["customer", "credits_invoice"]
    inlines = [InvoiceLineInline, AllocationInline]
    show_full_result_count = False
    readonly_fields = ["subtotal", "vat_total", "total", "issued_at", "public_id"]

    @admin.display(description="state", ordering="state")
    def state_name(self, invoice):
        return invoice.state.replace("_", " ")

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.is_draft


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["received_on", "amount", "currency", "payer_name", "payer_iban", "customer"]
    list_filter = ["organization", "method", "received_on"]
    search_fields = ["payer_name", "payer_iban", "description", "bank_reference"]
    date_hierarchy = "received_on"
    list_select_related = ["customer"]
    inlines = [PaymentAllocationInline]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False

from django.contrib import admin

from tegoed.customers.models import BankAccount, Contact, Customer, Note, Tag


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "role", "email", "phone", "preferred_channel"]


class BankAccountInline(admin.TabularInline):
    model = BankAccount
    extra = 0
    fields = ["iban", "holder_name"]


class NoteInline(admin.TabularInline):
    model = Note
    extra = 0
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "kind", "city", "organization", "payment_term_days"]
    list_filter = ["organization", "kind", "language", "tags"]
    search_fields = [
        "number",
        "name",
        "kvk_number",
        "vat_number",
        "contacts__email",
        "bank_accounts__iban",
    ]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization", "sales_owner", "tags"]
    inlines = [ContactInline, BankAccountInline, NoteInline]
    show_full_result_count = False


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "organization"]
    list_filter = ["organization"]
    search_fields = ["name"]

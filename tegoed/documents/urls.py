from django.urls import path

from tegoed.documents import views

app_name = "documents"

urlpatterns = [
    path("invoices/<uuid:public_id>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<uuid:public_id>/ubl/", views.invoice_ubl, name="invoice_ubl"),
    path("import/ubl/", views.import_ubl, name="import_ubl"),
    path("settings/", views.document_settings, name="settings"),
    path("preview/<slug:kind>/", views.preview, name="preview"),
    path("customers/<uuid:public_id>/mandates/", views.mandates, name="mandates"),
    path(
        "invoices/<uuid:public_id>/direct-debit/",
        views.schedule_direct_debit,
        name="schedule_direct_debit",
    ),
    path("direct-debit/export/", views.sepa_export, name="sepa_export"),
]

from django.urls import path

from tegoed.documents import views

app_name = "documents"

urlpatterns = [
    path("invoices/<uuid:public_id>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<uuid:public_id>/ubl/", views.invoice_ubl, name="invoice_ubl"),
    path("import/ubl/", views.import_ubl, name="import_ubl"),
    path("settings/", views.document_settings, name="settings"),
    path("preview/<slug:kind>/", views.preview, name="preview"),
]

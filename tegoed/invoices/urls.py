from django.urls import path

from tegoed.invoices import views

app_name = "invoices"

urlpatterns = [
    path("", views.invoice_list, name="list"),
    path("new/", views.draft_create, name="create"),
    path("export.csv", views.export, {"file_format": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"file_format": "xlsx"}, name="export_xlsx"),
    path("<uuid:public_id>/", views.invoice_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.draft_edit, name="edit"),
    path("<uuid:public_id>/issue/", views.issue, name="issue"),
    path("<uuid:public_id>/payments/", views.record_payment, name="record_payment"),
    path("<uuid:public_id>/credit/", views.credit, name="credit"),
    path("<uuid:public_id>/write-off/", views.write_off, name="write_off"),
    path("<uuid:public_id>/make-invoice/", views.make_invoice, name="make_invoice"),
    # The customer's credit: public_id is the customer's.
    path("credit/<uuid:public_id>/apply/", views.apply_credit, name="apply_credit"),
    path("credit/<uuid:public_id>/refund/", views.refund_credit, name="refund_credit"),
]

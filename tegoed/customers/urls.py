from django.urls import path

from tegoed.customers import views

app_name = "customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("export.csv", views.export, {"file_format": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"file_format": "xlsx"}, name="export_xlsx"),
    path("<uuid:public_id>/", views.customer_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.customer_edit, name="edit"),
    path("<uuid:public_id>/contacts/new/", views.contact_edit, name="contact_create"),
    path("<uuid:public_id>/contacts/<int:contact_id>/", views.contact_edit, name="contact_edit"),
    path("<uuid:public_id>/notes/", views.note_add, name="note_add"),
    path("<uuid:public_id>/personal-data/", views.export_personal_data, name="export"),
    path("<uuid:public_id>/erase/", views.erase_personal_data, name="erase"),
]

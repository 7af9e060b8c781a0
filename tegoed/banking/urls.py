from django.urls import path

from tegoed.banking import views

app_name = "banking"

urlpatterns = [
    path("", views.review, name="queue"),
    path("upload/", views.upload, name="upload"),
    path("export.csv", views.export, {"file_format": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"file_format": "xlsx"}, name="export_xlsx"),
    path("entries/<uuid:public_id>/", views.entry_detail, name="entry"),
    path("entries/<uuid:public_id>/accept/", views.accept, name="accept"),
    path("entries/<uuid:public_id>/split/", views.split, name="split"),
    path("entries/<uuid:public_id>/dismiss/", views.dismiss, name="dismiss"),
]

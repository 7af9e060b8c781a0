from django.urls import path

from tegoed.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/overdue-debtors/", views.overdue_debtors, name="overdue_debtors"),
    path("reports/aging/", views.aging_by_customer, name="aging"),
    path("reports/aging/export.csv", views.aging_export, {"file_format": "csv"}, name="aging_csv"),
    path(
        "reports/aging/export.xlsx",
        views.aging_export,
        {"file_format": "xlsx"},
        name="aging_xlsx",
    ),
    path("reports/limitation/", views.nearing_limitation, name="limitation"),
]

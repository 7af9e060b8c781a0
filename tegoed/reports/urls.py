from django.urls import path

from tegoed.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/overdue-debtors/", views.overdue_debtors, name="overdue_debtors"),
]

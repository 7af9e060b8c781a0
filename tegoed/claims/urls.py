from django.urls import path

from tegoed.claims import views

app_name = "claims"

urlpatterns = [
    path("terms/", views.claim_terms, name="terms"),
    path("invoices/<uuid:public_id>/simple-interest/", views.simple_interest, name="simple"),
]

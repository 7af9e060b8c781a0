from django.urls import path

from tegoed.claims import views

app_name = "claims"

urlpatterns = [
    path("terms/", views.claim_terms, name="terms"),
]

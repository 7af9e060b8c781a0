from django.urls import path

from tegoed.arrangements import views

app_name = "arrangements"

urlpatterns = [
    path("disputes/", views.disputes, name="disputes"),
    path("terms/", views.terms, name="terms"),
    path("disputes/<int:pk>/resolve/", views.resolve_dispute, name="resolve_dispute"),
    path("customers/<uuid:public_id>/", views.customer_agreements, name="customer"),
    path(
        "settlements/<uuid:public_id>/<slug:decision>/",
        views.decide_settlement,
        name="decide_settlement",
    ),
    path(
        "handovers/<uuid:public_id>/<slug:action>/",
        views.handover_step,
        name="handover_step",
    ),
    path("customers/<uuid:public_id>/agencies/", views.add_agency, name="add_agency"),
    path("customers/<uuid:public_id>/<slug:action>/", views.record, name="record"),
]

from django.urls import path

from tegoed.arrangements import views

app_name = "arrangements"

urlpatterns = [
    path("disputes/", views.disputes, name="disputes"),
    path("disputes/<int:pk>/resolve/", views.resolve_dispute, name="resolve_dispute"),
    path("customers/<uuid:public_id>/", views.customer_agreements, name="customer"),
    path("customers/<uuid:public_id>/promise/", views.promise, name="promise"),
    path("customers/<uuid:public_id>/dispute/", views.dispute, name="dispute"),
    path("customers/<uuid:public_id>/arrangement/", views.arrangement, name="arrangement"),
    path("customers/<uuid:public_id>/handover/", views.handover, name="handover"),
    path("customers/<uuid:public_id>/insolvency/", views.insolvency, name="insolvency"),
]

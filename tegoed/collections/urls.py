from django.urls import path

from tegoed.collections import views

app_name = "collections"

urlpatterns = [
    path("schema/handover-dossier.json", views.schema, name="schema"),
    path("handovers/<uuid:public_id>/dossier.json", views.dossier_json, name="dossier_json"),
    path("handovers/<uuid:public_id>/dossier.pdf", views.dossier_pdf, name="dossier_pdf"),
]

"""The hand-over dossier as sent, and its published JSON Schema."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse

from tegoed.accounts.current import organization_required
from tegoed.collections import dossier
from tegoed.collections.queries import get_handover_for_member


def _download(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@organization_required
def dossier_json(request: HttpRequest, public_id) -> HttpResponse:
    handover = get_handover_for_member(request.user, request.membership, public_id)
    content = json.dumps(handover.dossier, indent=2, ensure_ascii=False).encode()
    name = f"dossier-{handover.customer.number}-{handover.handed_over_on.isoformat()}.json"
    return _download(content, "application/json", name)


@organization_required
def dossier_pdf(request: HttpRequest, public_id) -> HttpResponse:
    handover = get_handover_for_member(request.user, request.membership, public_id)
    name = f"dossier-{handover.customer.number}-{handover.handed_over_on.isoformat()}.pdf"
    return _download(bytes(handover.dossier_pdf), "application/pdf", name)


def schema(request: HttpRequest) -> HttpResponse:
    """The dossier's JSON Schema, public: agencies build their import against it."""
    return HttpResponse(dossier.SCHEMA_PATH.read_bytes(), content_type="application/schema+json")

"""Writing the audit trail. Services call `record` in the transaction that makes the change."""

from typing import Any

from django.db import models

from tegoed.audit.models import AuditEvent


def subject_of(instance: models.Model) -> str:
    return f"{instance._meta.label_lower}:{instance.pk}"


def record(
    *,
    organization,
    actor,
    action: str,
    subject: models.Model,
    summary: str,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        organization=organization,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        subject=subject_of(subject),
        summary=summary[:300],
        details=details or {},
    )

"""The audit trail: every state change, who made it, when, and the computation behind it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="audit_events"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # What changed: "invoice.issued", "payment.recorded", "payment.allocated", …
    action = models.CharField(_("action"), max_length=60)
    # The subject as "<model label>:<primary key>", e.g. "invoices.invoice:42".
    subject = models.CharField(_("subject"), max_length=80)
    summary = models.CharField(_("summary"), max_length=300)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organization", "subject"], name="auditevent_subject")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.summary}"

"""The statutory rate table as data: one row per rate and the day it takes effect.

Seeded from `tegoed.domain.jurisdictions` by a data migration; a new government rate is one
row added in the admin. The interest engine reads these rows (`queries.rate_table`), so what
the admin shows is what letters, the portal and the API compute with.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tegoed.accounts.models import Jurisdiction
from tegoed.common.models import TimestampedModel
from tegoed.domain import rate_table


class Kind(models.TextChoices):
    CONSUMER = "consumer", _("consumer (non-commercial)")
    COMMERCIAL = "commercial", _("commercial")
    REFERENCE = "reference", _("reference rate (ECB, Basiszinssatz, Bank of England)")
    CIVIL = "civil", _("legal interest in civil matters")


class Status(models.TextChoices):
    VERIFIED = rate_table.VERIFIED.value, _("verified against the official text")
    CORROBORATED = rate_table.CORROBORATED.value, _("two sources, or one and the formula")
    SINGLE_SOURCE = rate_table.SINGLE_SOURCE.value, _("one source or derived: unverified")
    UNVERIFIED = rate_table.UNVERIFIED.value, _("not verified or conflicting: unverified")


class Rate(TimestampedModel):
    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, choices=Jurisdiction.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    effective_from = models.DateField(_("effective from"))
    percent = models.DecimalField(_("rate (% a year)"), max_digits=7, decimal_places=3)
    source = models.TextField(_("source"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("rate")
        verbose_name_plural = _("rates")
        ordering = ["jurisdiction", "kind", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "kind", "effective_from"], name="rates_rate_one_per_day"
            )
        ]

    def __str__(self):
        return f"{self.jurisdiction} {self.kind} {self.effective_from}: {self.percent} %"

    def to_domain(self) -> rate_table.Rate:
        return rate_table.Rate(
            jurisdiction=self.jurisdiction,
            kind=self.kind,
            effective_from=self.effective_from,
            percent=self.percent.normalize() if self.percent % 1 else self.percent.quantize(1),
            source=self.source,
            status=rate_table.Status(self.status),
            note=self.note,
        )

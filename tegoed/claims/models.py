"""An organization's contract terms that change what its debtors owe: the claim's settings.

Without a row the statutory rules apply (`queries.terms_of`): the collection-cost scale per
invoice for businesses, and consumer interest only from a known day of default.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tegoed.common.models import TimestampedModel


class ClaimTerms(TimestampedModel):
    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="claim_terms"
    )
    costs_clause_percent = models.DecimalField(
        _("agreed collection costs (percentage of each invoice)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "Only when your terms with business customers agree a percentage. Empty: the "
            "statutory scale per invoice."
        ),
    )
    costs_clause_minimum = models.DecimalField(
        _("agreed minimum per invoice"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("40.00"),
        validators=[MinValueValidator(Decimal("40"))],
        help_text=_("At least 40: the fixed sum the law gives for each invoice."),
    )
    consumer_due_date_agreed = models.BooleanField(
        _("consumers agree the due date"),
        default=False,
        help_text=_(
            "Your terms with consumers fix the day of payment, so they are in default the day "
            "after it without a reminder (art. 6:83 sub a BW)."
        ),
    )

    class Meta:
        verbose_name = _("claim terms")
        verbose_name_plural = _("claim terms")

    def __str__(self) -> str:
        return str(self.organization)

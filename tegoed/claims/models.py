"""An organization's contract terms that change what its debtors owe: the claim's settings.

Without a row the statutory rules apply (`queries.terms_of`): the collection-cost scale per
invoice for businesses, and consumer interest only from a known day of default.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
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

    limitation_warning_months = models.PositiveSmallIntegerField(
        _("warn of limitation months ahead"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "The dashboard lists the claims whose last day before limitation falls within "
            "this many months."
        ),
    )

    class Meta:
        verbose_name = _("claim terms")
        verbose_name_plural = _("claim terms")

    def __str__(self) -> str:
        return str(self.organization)


class SimpleInterestSource(models.TextChoices):
    CONTRACT = "contract", _("The contract")
    JUDGMENT = "judgment", _("A judgment")


class SimpleInterest(TimestampedModel):
    """An invoice whose contract or judgment excludes compound interest.

    Art. 6:119 lid 2 BW adds a year's interest to the principal each year; a contract or a
    judgment may say otherwise. With a row here every computation of the invoice's claim —
    the claim page, the letters, the daily run, the dossier — computes simple interest.
    """

    invoice = models.OneToOneField(
        "invoices.Invoice", on_delete=models.CASCADE, related_name="simple_interest"
    )
    source = models.CharField(_("because of"), max_length=10, choices=SimpleInterestSource.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("simple interest")
        verbose_name_plural = _("simple interest")

    def __str__(self) -> str:
        return f"{self.invoice} ({self.get_source_display()})"

"""What an organization sets for its documents, and SEPA direct-debit mandates and collections.

Document wording lives in `wording.DEFAULTS` (Dutch and English); an organization overrides a
block with a `TextBlock` row for one language. Statutory paragraphs (the 14-day term of the
consumer letter) are not text blocks, so an edit cannot make a letter legally invalid.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tegoed.accounts.models import Language
from tegoed.common import validators
from tegoed.common.fields import DayCountField, MoneyField
from tegoed.common.models import TimestampedModel
from tegoed.documents import wording
from tegoed.domain.errors import DomainError


def validate_colour(value: str) -> None:
    if not wording.is_colour(value):
        raise ValidationError(_("%(value)s is not a colour like #1f4e79"), params={"value": value})


class DocumentSettings(TimestampedModel):
    """Letterhead look and direct-debit rules of one organization's invoices and letters."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="document_settings"
    )
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1f4e79", validators=[validate_colour]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#e8eef5", validators=[validate_colour]
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="document-logos/",
        blank=True,
        help_text=_("Empty: the organization's logo."),
    )
    signatory = models.CharField(
        _("letters signed by"),
        max_length=120,
        blank=True,
        help_text=_("Empty: the credit control department."),
    )
    show_payment_qr = models.BooleanField(_("print a payment QR code"), default=True)
    pre_notification_days = DayCountField(
        _("direct-debit pre-notification (days)"),
        default=14,
        help_text=_("Days between the invoice and the collection; the SEPA default is 14."),
    )

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")

    def __str__(self) -> str:
        return str(self.organization)


class TextBlock(TimestampedModel):
    """An organization's own wording of one block, in one language."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="text_blocks"
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    key = models.CharField(_("block"), max_length=60, choices=wording.BLOCK_CHOICES)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["organization", "key", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "language", "key"], name="textblock_unique_key"
            )
        ]
        verbose_name = _("text block")
        verbose_name_plural = _("text blocks")

    def __str__(self) -> str:
        return f"{self.key} ({self.language})"

    def clean(self) -> None:
        try:
            wording.check_placeholders(self.key, self.text)
        except DomainError as error:
            raise ValidationError({"text": str(error)}) from None


class Scheme(models.TextChoices):
    CORE = "CORE", _("Core (consumers and businesses)")
    B2B = "B2B", _("Business to business")


class Recurrence(models.TextChoices):
    ONE_OFF = "one_off", _("One-off")
    RECURRING = "recurring", _("Recurring")


class Mandate(TimestampedModel):
    """A customer's signed permission to collect from their account (SEPA mandate)."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="mandates"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="mandates"
    )
    # The unique mandate reference (UMR), at most 35 characters, unique per creditor.
    reference = models.CharField(_("mandate reference"), max_length=35)
    signed_on = models.DateField(_("signed on"))
    debtor_name = models.CharField(_("account holder"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validators.validate_iban])
    bic = models.CharField(
        _("BIC"), max_length=11, blank=True, validators=[validators.validate_bic]
    )
    scheme = models.CharField(
        _("scheme"), max_length=4, choices=Scheme.choices, default=Scheme.CORE
    )
    recurrence = models.CharField(
        _("recurrence"), max_length=10, choices=Recurrence.choices, default=Recurrence.RECURRING
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)

    class Meta:
        ordering = ["organization", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"], name="mandate_unique_reference"
            )
        ]
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")

    def __str__(self) -> str:
        return self.reference


class DirectDebitState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    EXPORTED = "exported", _("Sent to the bank")
    CANCELLED = "cancelled", _("Cancelled")


class DirectDebit(TimestampedModel):
    """An invoice marked to be collected under a mandate on a date told to the customer."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="direct_debits"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invoice = models.ForeignKey(
        "invoices.Invoice", on_delete=models.PROTECT, related_name="direct_debits"
    )
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="direct_debits")
    # The date the invoice (the pre-notification) names; the bank never collects earlier.
    collection_date = models.DateField(_("collection date"))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=DirectDebitState.choices,
        default=DirectDebitState.PLANNED,
    )
    # Filled on export: what was sent and in which file.
    amount = MoneyField(_("amount collected"), null=True, blank=True)
    sequence_type = models.CharField(_("sequence type"), max_length=4, blank=True)
    message_id = models.CharField(_("file id"), max_length=35, blank=True)
    exported_on = models.DateField(_("sent on"), null=True, blank=True)

    class Meta:
        ordering = ["collection_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice"],
                condition=~Q(state="cancelled"),
                name="directdebit_one_live_per_invoice",
            )
        ]
        indexes = [
            models.Index(
                fields=["organization", "state", "collection_date"], name="directdebit_due"
            )
        ]
        verbose_name = _("direct debit")
        verbose_name_plural = _("direct debits")

    def __str__(self) -> str:
        return f"{self.invoice} → {self.mandate} ({self.collection_date})"


class IssuedPdf(TimestampedModel):
    """The PDF of an issued invoice or credit note as first made: what was sent is kept.

    Made again only when the direct-debit notice printed on it changes (a new
    pre-notification is a new document for the customer).
    """

    invoice = models.OneToOneField(
        "invoices.Invoice", on_delete=models.CASCADE, related_name="issued_pdf"
    )
    direct_debit = models.ForeignKey(
        DirectDebit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pdf = models.BinaryField()

    class Meta:
        verbose_name = _("issued PDF")
        verbose_name_plural = _("issued PDFs")

    def __str__(self) -> str:
        return str(self.invoice)

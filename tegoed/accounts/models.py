"""Organizations (a creditor's administration, the tenant) and who may work in them."""

import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tegoed.common import validators
from tegoed.common.fields import DayCountField, MoneyField
from tegoed.common.models import TimestampedModel
from tegoed.domain import discount


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")


class Jurisdiction(models.TextChoices):
    NETHERLANDS = "NL", _("Netherlands")
    EUROPEAN_UNION = "EU", _("European Union (directive default)")
    BELGIUM = "BE", _("Belgium")
    GERMANY = "DE", _("Germany")
    UNITED_KINGDOM = "UK", _("United Kingdom")


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone"), params={"value": value})


def validate_discount(value) -> None:
    if value is not None and not (0 <= value <= discount.MAXIMUM_PERCENTAGE):
        raise ValidationError(
            _("A discount is between 0 and %(largest)s%%."),
            params={"largest": discount.MAXIMUM_PERCENTAGE},
        )


class Organization(TimestampedModel):
    """A creditor's administration. Every customer, invoice and payment belongs to one."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    legal_name = models.CharField(_("legal name"), max_length=200)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="NL")
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, validators=[validators.validate_kvk]
    )
    vat_number = models.CharField(
        _("VAT number"), max_length=20, blank=True, validators=[validators.validate_vat]
    )
    iban = models.CharField(
        _("IBAN"), max_length=34, blank=True, validators=[validators.validate_iban]
    )
    bic = models.CharField(
        _("BIC"), max_length=11, blank=True, validators=[validators.validate_bic]
    )
    sepa_creditor_id = models.CharField(
        _("SEPA creditor identifier"),
        max_length=35,
        blank=True,
        validators=[validators.validate_creditor_id],
    )
    sender_email = models.EmailField(_("sender e-mail"), blank=True)
    reply_to_email = models.EmailField(_("reply-to e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    default_payment_term_days = DayCountField(_("default payment term (days)"), default=30)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Amsterdam", validators=[validate_time_zone]
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    jurisdiction = models.CharField(
        _("jurisdiction"),
        max_length=2,
        choices=Jurisdiction.choices,
        default=Jurisdiction.NETHERLANDS,
    )
    invoice_number_prefix = models.CharField(
        _("invoice number prefix"),
        max_length=10,
        blank=True,
        help_text=_("Numbers are prefix, year and a sequence: F2026-00001."),
    )

    # Early-payment discount offered on every invoice (seed 003: 1–2 % within 10 days); a
    # customer may have its own (`Customer.early_payment_discount`). Zero: none.
    early_payment_discount = models.DecimalField(
        _("early-payment discount (%)"),
        max_digits=4,
        decimal_places=2,
        default=0,
        validators=[validate_discount],
        help_text=_("Zero: no discount."),
    )
    early_payment_discount_days = DayCountField(
        _("discount when paid within (days)"),
        default=10,
        help_text=_("Counted from the invoice date; never beyond the due date."),
    )

    # The largest credit or write-off each role may book alone, by role: {"credit_controller":
    # "1000.00"}; a role not named uses `approval.DEFAULT_LIMITS` (tegoed/accounts/approval.py).
    approval_limits = models.JSONField(_("approval limits per role"), default=dict, blank=True)

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.trade_name or self.legal_name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    CREDIT_CONTROLLER = "credit_controller", _("Credit controller")
    SALES = "sales", _("Sales")
    READ_ONLY = "read_only", _("Read-only")


class Membership(TimestampedModel):
    """A user's place in an organization; the role decides what they may change."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # This member's own limit, over the role's (`approval.limit_of`); empty: the role's.
    approval_limit = MoneyField(
        _("approval limit"),
        null=True,
        blank=True,
        help_text=_("The largest credit or write-off this member books alone; empty: the role's."),
    )

    class Meta:
        ordering = ["organization", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="membership_one_per_user_and_organization"
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} ({self.get_role_display()})"

    @property
    def can_change(self) -> bool:
        return self.role in {Role.OWNER, Role.CREDIT_CONTROLLER}

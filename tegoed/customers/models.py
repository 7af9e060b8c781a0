"""Customers (debtors), the people to contact there, and the accounts they pay from."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tegoed.accounts.models import Language, validate_discount
from tegoed.common import validators
from tegoed.common.fields import DayCountField, MoneyField
from tegoed.common.models import TimestampedModel


class CustomerKind(models.TextChoices):
    CONSUMER = "consumer", _("Consumer")
    BUSINESS = "business", _("Business")
    GOVERNMENT = "government", _("Government")


class Tag(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="tag_unique_name")
        ]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Customer(TimestampedModel):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="customers"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The customer's number in the creditor's books (debiteurnummer); imports match on it.
    number = models.CharField(_("customer number"), max_length=40)
    kind = models.CharField(
        _("kind"), max_length=12, choices=CustomerKind.choices, default=CustomerKind.BUSINESS
    )
    name = models.CharField(_("name"), max_length=200)
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
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    payment_term_days = DayCountField(
        _("payment term (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the organization's default term."),
    )
    credit_limit = MoneyField(_("credit limit"), null=True, blank=True)
    # This customer's early-payment discount over the organization's; empty: the organization's.
    early_payment_discount = models.DecimalField(
        _("early-payment discount (%)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_discount],
        help_text=_("Empty: the organization's; zero: no discount for this customer."),
    )
    early_payment_discount_days = DayCountField(
        _("discount when paid within (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the organization's."),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="customers", verbose_name=_("tags"))
    notes = models.TextField(_("notes"), blank=True)
    sales_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_customers",
        verbose_name=_("sales owner"),
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="customer_unique_number"
            ),
        ]
        indexes = [models.Index(fields=["organization", "name"], name="customer_org_name")]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("customers:detail", args=[self.public_id])

    @property
    def address_lines(self) -> list[str]:
        line2 = " ".join(part for part in (self.postal_code, self.city) if part)
        return [line for line in (self.street, line2) if line]


class ContactRole(models.TextChoices):
    BILLING = "billing", _("Billing")
    PURCHASING = "purchasing", _("Purchasing")
    MANAGEMENT = "management", _("Management")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    POST = "post", _("Post")


class Contact(TimestampedModel):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(
        _("role"), max_length=12, choices=ContactRole.choices, default=ContactRole.BILLING
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=8, choices=Channel.choices, default=Channel.EMAIL
    )

    class Meta:
        ordering = ["customer", "role", "name", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name or self.email} ({self.get_role_display()})"


class BankAccount(TimestampedModel):
    """An IBAN the customer is known to pay from; statement matching learns these."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="bank_accounts")
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validators.validate_iban])
    holder_name = models.CharField(_("account holder"), max_length=200, blank=True)

    class Meta:
        ordering = ["customer", "iban"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "iban"], name="bankaccount_unique_iban")
        ]
        indexes = [models.Index(fields=["iban"], name="bankaccount_iban")]
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")

    def __str__(self) -> str:
        return self.iban


class Note(TimestampedModel):
    """A line in the customer's timeline: a call, a conversation, an agreement."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="timeline")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return self.text[:60]

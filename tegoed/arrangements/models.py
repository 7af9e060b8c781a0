"""What a customer and the organization agreed, or disagree about: the records behind the holds.

- `Promise`: to pay an amount by a date; kept or broken by the bank data
  (tegoed.domain.promises). Its hold pauses chasing until the promised day.
- `Dispute`: an objection to an invoice (or one of its lines) with its reason; a task for the
  person responsible, and an outcome that closes it. Its hold pauses the invoice until then.
- `Arrangement` and its `Instalment`s: a payment plan within the organization's
  `ArrangementTerms` (tegoed.domain.installments). Its holds pause the invoices it covers
  while it runs; a broken one lifts them and the original schedule resumes.

Each record places its hold through `tegoed.dunning.services.place_hold` with itself as the
source ("arrangements.promise:<pk>"), and lifts it the same way; none pauses anything itself.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tegoed.common.fields import MoneyField
from tegoed.common.models import TimestampedModel
from tegoed.domain import installments, promises


class Channel(models.TextChoices):
    CALL = "call", _("Phone call")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    PORTAL = "portal", _("Customer portal")
    IN_PERSON = "in_person", _("In person")


class PromiseState(models.TextChoices):
    OPEN = promises.OPEN, _("Open")
    KEPT = promises.KEPT, _("Kept")
    BROKEN = promises.BROKEN, _("Broken")


class Promise(TimestampedModel):
    """A promise to pay `amount` by `pay_by`, towards one invoice or the customer's open ones."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="promises"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="promises"
    )
    invoice = models.ForeignKey(
        "invoices.Invoice",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="promises",
    )
    made_on = models.DateField(_("promised on"))
    pay_by = models.DateField(_("to pay by"))
    amount = MoneyField(_("amount"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    call = models.ForeignKey(
        "dunning.CallTask",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promises",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=PromiseState.choices, default=PromiseState.OPEN
    )
    # The day it was found kept or broken, and what had been paid towards it by then.
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    paid = MoneyField(_("paid towards it"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-made_on", "-id"]
        indexes = [models.Index(fields=["organization", "state"], name="promise_org_state")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="promise_amount_positive"),
            models.CheckConstraint(
                condition=Q(pay_by__gte=models.F("made_on")), name="promise_pay_by_after_made"
            ),
        ]
        verbose_name = _("promise to pay")
        verbose_name_plural = _("promises to pay")

    def __str__(self) -> str:
        return f"{self.customer} {self.amount} {self.pay_by}"


class DisputeReason(models.TextChoices):
    NOT_RECEIVED = "not_received", _("Not received")
    WRONG_AMOUNT = "wrong_amount", _("Wrong amount")
    QUALITY = "quality", _("Quality")
    DELIVERY_PENDING = "delivery_pending", _("Delivery still pending")
    EXTRA_WORK = "extra_work", _("Extra work not agreed")
    ALREADY_PAID = "already_paid", _("Already paid")
    OTHER = "other", _("Other")


class DisputeOutcome(models.TextChoices):
    OPEN = "", _("Open")
    CREDITED = "credited", _("Credited")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Dispute(TimestampedModel):
    """A customer's objection to an invoice, and what came of it."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="disputes"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="disputes"
    )
    # Empty: the customer disputes what it owes without naming an invoice (from a call).
    invoice = models.ForeignKey(
        "invoices.Invoice",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="disputes",
    )
    line = models.ForeignKey(
        "invoices.InvoiceLine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disputes",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=DisputeReason.choices)
    description = models.TextField(_("what the customer says"), blank=True)
    # "Already paid": the customer's proof (a PDF), sent on with the task.
    proof_name = models.CharField(_("proof"), max_length=200, blank=True)
    proof = models.BinaryField(_("proof"), blank=True, default=b"")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    call = models.ForeignKey(
        "dunning.CallTask",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disputes",
    )
    opened_on = models.DateField(_("opened on"))
    # Who looks into it: the customer's sales owner unless someone else is named (seed 004).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_disputes",
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=DisputeOutcome.choices, blank=True, default=""
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    credit_note = models.ForeignKey(
        "invoices.Invoice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # After a rejected dispute: the new deadline the customer was given.
    pay_by = models.DateField(_("new deadline"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["organization", "outcome"], name="dispute_org_outcome")]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")

    def __str__(self) -> str:
        return f"{self.customer} {self.get_reason_display()}"

    @property
    def is_open(self) -> bool:
        return self.outcome == DisputeOutcome.OPEN


class ArrangementTerms(TimestampedModel):
    """An organization's limits for payment arrangements (tegoed.domain.installments)."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="arrangement_terms"
    )
    minimum_instalment = MoneyField(_("minimum instalment"), default=Decimal("25.00"))
    maximum_months = models.PositiveSmallIntegerField(_("at most months"), default=6)
    grace_days = models.PositiveSmallIntegerField(
        _("days of grace after a missed instalment"), default=7
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind days before an instalment"), default=3
    )
    waive_interest = models.BooleanField(
        _("waive interest when an arrangement breaks"),
        default=False,
        help_text=_(
            "Off: when an arrangement breaks, interest is claimed from the original due dates. "
            "On: interest runs only from the day after it broke."
        ),
    )

    class Meta:
        verbose_name = _("arrangement terms")
        verbose_name_plural = _("arrangement terms")

    def __str__(self) -> str:
        return str(self.organization)

    def limits(self) -> installments.Limits:
        return installments.Limits(
            minimum_amount=self.minimum_instalment, maximum_months=self.maximum_months
        )


class ArrangementState(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("arrangement", "Running")
    COMPLETED = "completed", _("Paid in full")
    BROKEN = "broken", _("Broken")


class Arrangement(TimestampedModel):
    """A payment arrangement over some of a customer's invoices, paid in instalments."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="arrangements"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="arrangements"
    )
    invoices = models.ManyToManyField("invoices.Invoice", related_name="arrangements")
    agreed_on = models.DateField(_("agreed on"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # What the instalments add up to: the principal, and interest and costs when agreed.
    principal = MoneyField(_("principal"))
    interest = MoneyField(_("interest"), default=0)
    costs = MoneyField(_("costs"), default=0)
    total = MoneyField(_("total"))
    grace_days = models.PositiveSmallIntegerField(_("days of grace"))
    # The organization's choice when it was agreed: no interest for the time before it broke.
    waives_interest = models.BooleanField(_("interest waived"), default=False)
    state = models.CharField(
        _("state"), max_length=10, choices=ArrangementState.choices, default=ArrangementState.ACTIVE
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-agreed_on", "-id"]
        indexes = [models.Index(fields=["organization", "state"], name="arrangement_org_state")]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=models.F("principal") + models.F("interest") + models.F("costs")),
                name="arrangement_total_adds_up",
            )
        ]
        verbose_name = _("payment arrangement")
        verbose_name_plural = _("payment arrangements")

    def __str__(self) -> str:
        return f"{self.customer} {self.total} ({self.agreed_on})"


class Instalment(models.Model):
    arrangement = models.ForeignKey(
        Arrangement, on_delete=models.CASCADE, related_name="instalments"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due on"))
    amount = MoneyField(_("amount"))
    # The day the customer was reminded of it, and the day it was found missed.
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)
    missed_on = models.DateField(_("missed on"), null=True, blank=True)

    class Meta:
        ordering = ["arrangement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "number"], name="instalment_unique_number"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive"),
        ]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")

    def __str__(self) -> str:
        return f"{self.number}: {self.amount} {self.due_on}"

    def as_instalment(self) -> installments.Instalment:
        return installments.Instalment(self.number, self.due_on, self.amount)

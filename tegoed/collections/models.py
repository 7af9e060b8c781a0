"""Hand-over of claims to a collection agency or a bailiff, and what happens after.

- `Agency`: a collection agency (incassobureau) or bailiff (gerechtsdeurwaarder) the
  organization works with.
- `Handover`: the invoices of one customer handed to an agency on a day, with the dossier as it
  was sent (a PDF and a JSON file following the published schema). Its holds stop the daily
  run chasing those invoices.
- `Stage`: the road after the hand-over — summons, judgment, seizure, closed — with dates and
  the costs each brought.
- `Remittance`: money the agency collected and passed on: booked as a payment against the
  invoices, with the agency's fee beside it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tegoed.common.fields import MoneyField
from tegoed.common.models import TimestampedModel


class AgencyKind(models.TextChoices):
    COLLECTION_AGENCY = "agency", _("Collection agency")
    BAILIFF = "bailiff", _("Bailiff")


class Agency(TimestampedModel):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="agencies"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=AgencyKind.choices)
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # What the agency keeps of what it collects, as agreed; recorded per remittance.
    fee_percent = models.DecimalField(
        _("fee %"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="agency_unique_name")
        ]
        verbose_name = _("collection agency")
        verbose_name_plural = _("collection agencies")

    def __str__(self) -> str:
        return self.name


class StageKind(models.TextChoices):
    HANDED_OVER = "handed_over", _("Handed over")
    SUMMONS = "summons", _("Summons")
    JUDGMENT = "judgment", _("Judgment")
    SEIZURE = "seizure", _("Seizure")
    CLOSED = "closed", _("Closed")


class Handover(TimestampedModel):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="handovers"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="handovers"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="handovers")
    invoices = models.ManyToManyField("invoices.Invoice", related_name="handovers")
    handed_over_on = models.DateField(_("handed over on"))
    stage = models.CharField(
        _("stage"), max_length=12, choices=StageKind.choices, default=StageKind.HANDED_OVER
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The dossier as it went to the agency.
    dossier = models.JSONField(_("dossier"))
    dossier_pdf = models.BinaryField(_("dossier PDF"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-handed_over_on", "-id"]
        indexes = [models.Index(fields=["organization", "stage"], name="handover_org_stage")]
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")

    def __str__(self) -> str:
        return f"{self.customer} → {self.agency} ({self.handed_over_on})"


class Stage(models.Model):
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("stage"), max_length=12, choices=StageKind.choices)
    on = models.DateField(_("on"))
    # What this stage cost (court fees, the bailiff's writ), as charged to the organization.
    costs = MoneyField(_("costs"), default=0)
    # A judgment: what the court awarded on the hand-over's invoices (principal, interest and
    # costs to its date). Empty: the claim as it stood that day.
    awarded = MoneyField(_("awarded"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["handover", "on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(costs__gte=0), name="stage_costs_not_negative")
        ]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class Remittance(models.Model):
    """The agency collected `collected` from the debtor and kept `fee`: the payment books what
    was collected against the invoices; the fee is the organization's cost."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="remittances")
    payment = models.OneToOneField(
        "invoices.Payment", on_delete=models.PROTECT, related_name="remittance"
    )
    received_on = models.DateField(_("received on"))
    collected = MoneyField(_("collected"))
    fee = MoneyField(_("agency fee"), default=0)

    class Meta:
        ordering = ["handover", "received_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fee__gte=0) & Q(fee__lte=models.F("collected")),
                name="remittance_fee_within_collected",
            )
        ]
        verbose_name = _("remittance")
        verbose_name_plural = _("remittances")

    def __str__(self) -> str:
        return f"{self.received_on} {self.collected}"


class InsolvencyKind(models.TextChoices):
    BANKRUPTCY = "bankruptcy", _("Bankruptcy (faillissement)")
    DEBT_RESTRUCTURING = "wsnp", _("Debt restructuring (WSNP)")
    SUSPENSION = "suspension", _("Suspension of payments (surseance)")


class Insolvency(TimestampedModel):
    """A customer declared bankrupt or admitted to debt restructuring: chasing stops, statutory
    interest stops on the day of the declaration (art. 128 Faillissementswet), and the claim as
    it stood that day is what is filed with the trustee."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="insolvencies"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="insolvencies"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=InsolvencyKind.choices)
    declared_on = models.DateField(_("declared on"))
    trustee = models.CharField(_("trustee"), max_length=200, blank=True)
    reference = models.CharField(_("case number"), max_length=100, blank=True)
    # The claim on the day of the declaration: principal, interest and costs to that day.
    principal = MoneyField(_("principal"))
    interest = MoneyField(_("interest"))
    costs = MoneyField(_("costs"))
    filed_on = models.DateField(_("claim filed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-declared_on", "-id"]
        verbose_name = _("insolvency")
        verbose_name_plural = _("insolvencies")

    def __str__(self) -> str:
        return f"{self.customer} {self.get_kind_display()} {self.declared_on}"

    @property
    def claim_total(self):
        return self.principal + self.interest + self.costs


class SettlementState(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    AGREED = "agreed", _("Agreed, awaiting payment")
    SETTLED = "settled", _("Settled")
    LAPSED = "lapsed", _("Lapsed: not paid in time")
    CANCELLED = "cancelled", _("Cancelled")


class Settlement(TimestampedModel):
    """Settling for less (seed 003): a customer pays `amount` for the open amount of some
    invoices, and the rest is written off once that is received.

    Proposed by a member with a reason; agreed at once when the amount given up is within the
    proposer's approval limit, otherwise when a member whose limit allows it approves. While
    agreed the invoices are held from the daily run; the run settles it when the payments on
    the invoices since it was agreed reach the amount (`tegoed.collections.settlements`).
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="settlements"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="settlements"
    )
    invoices = models.ManyToManyField("invoices.Invoice", related_name="settlements")
    # What was open of the invoices when proposed, what the customer pays, what is given up.
    open_amount = MoneyField(_("open when proposed"))
    amount = MoneyField(_("settlement amount"))
    reason = models.CharField(_("reason"), max_length=300)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=SettlementState.choices,
        default=SettlementState.AWAITING_APPROVAL,
    )
    pay_by = models.DateField(_("pays by"))
    proposed_on = models.DateField(_("proposed on"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    written_off = MoneyField(_("written off"), default=0)

    class Meta:
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(open_amount__gt=models.F("amount")),
                name="settlement_for_less_than_open",
            ),
        ]
        indexes = [models.Index(fields=["organization", "state"], name="settlement_org_state")]
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")

    def __str__(self) -> str:
        return f"{self.customer}: {self.amount} for {self.open_amount}"

    @property
    def given_up(self):
        return self.open_amount - self.amount

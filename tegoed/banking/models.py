"""Imported bank statements and their entries, with what matching decided for each.

An entry is stored once per organization: its `dedupe_key` is made from the account, the
bank's reference, the dates, the amount and the counterparty, so importing the same file (or
an overlapping export) again books nothing twice. A matched entry points at the payment it
booked; the payment and its allocations are the ledger's, written by the invoices services.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tegoed.common.fields import MoneyField
from tegoed.common.models import TimestampedModel


class StatementImport(TimestampedModel):
    """One file read into the books."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="statement_imports"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(_("format"), max_length=40)
    # SHA-256 of the file: the same file again is recognised before it is read.
    digest = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entries_read = models.PositiveIntegerField(_("entries read"), default=0)
    already_imported = models.PositiveIntegerField(_("already imported"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    suggested = models.PositiveIntegerField(_("suggested"), default=0)
    unmatched = models.PositiveIntegerField(_("unmatched"), default=0)
    ignored = models.PositiveIntegerField(_("ignored"), default=0)
    # Payments the bank reported before booking them (counted apart from the statuses above).
    notified = models.PositiveIntegerField(_("notified"), default=0)
    # Statements whose opening balance plus entries is not their closing balance.
    balance_problems = models.JSONField(_("balance problems"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "digest"], name="statementimport_unique_file"
            )
        ]
        verbose_name = _("statement import")
        verbose_name_plural = _("statement imports")

    def __str__(self) -> str:
        return self.file_name


class BankStatement(models.Model):
    """A statement (or notification) within an imported file."""

    statement_import = models.ForeignKey(
        StatementImport, on_delete=models.CASCADE, related_name="statements"
    )
    statement_id = models.CharField(_("statement"), max_length=100, blank=True)
    account_iban = models.CharField(_("account"), max_length=40, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    sequence_number = models.CharField(_("sequence number"), max_length=40, blank=True)
    opening_balance = MoneyField(_("opening balance"), null=True, blank=True)
    closing_balance = MoneyField(_("closing balance"), null=True, blank=True)
    # Opening + entries − closing; zero when the statement adds up, empty without balances.
    balance_difference = MoneyField(_("balance difference"), null=True, blank=True)

    class Meta:
        ordering = ["statement_import", "id"]
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")

    def __str__(self) -> str:
        return f"{self.account_iban} {self.statement_id}".strip()


class EntryStatus(models.TextChoices):
    MATCHED = "matched", _("Matched")
    SUGGESTED = "suggested", _("Suggested")
    UNMATCHED = "unmatched", _("Not matched")
    IGNORED = "ignored", _("Money out")
    CONFIRMED = "confirmed", _("Confirmed")
    NOT_CUSTOMER_PAYMENT = "not_customer_payment", _("Not a customer payment")


# Entries a person still has to look at.
TO_REVIEW = (EntryStatus.SUGGESTED, EntryStatus.UNMATCHED)


class BankEntry(TimestampedModel):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="bank_entries"
    )
    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="entries")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    position = models.PositiveIntegerField(_("position"))
    entry_id = models.CharField(_("bank reference"), max_length=120)
    dedupe_key = models.CharField(max_length=64)
    amount = MoneyField(_("amount"))
    credit = models.BooleanField(_("money in"))
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    booking_date = models.DateField(_("booking date"), null=True, blank=True)
    value_date = models.DateField(_("value date"), null=True, blank=True)
    counterparty_name = models.CharField(_("counterparty"), max_length=200, blank=True)
    counterparty_iban = models.CharField(_("counterparty IBAN"), max_length=40, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    remittance_text = models.TextField(_("description"), blank=True)
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=EntryStatus.choices, default=EntryStatus.UNMATCHED
    )
    rule = models.CharField(_("rule"), max_length=30, blank=True)
    confidence = models.DecimalField(_("confidence"), max_digits=3, decimal_places=2, default=0)
    reason = models.TextField(_("reason"), blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    # Candidates as matching proposed them, best first:
    # [{"allocations": [{"invoice_number", "amount"}], "score", "reason", "rule", "flags"}]
    proposals = models.JSONField(_("candidates"), default=list, blank=True)
    # Reported by the bank before booking it (camt PDNG/INFO, MT942): matched, nothing booked.
    # The booked entry that takes its place later is `replaced_by` (docs/decisions/0204).
    notified = models.BooleanField(_("notified, not booked yet"), default=False)
    replaced_by = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notification",
        verbose_name=_("booked as"),
    )
    payment = models.ForeignKey(
        "invoices.Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_entries",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "dedupe_key"], name="bankentry_unique_entry"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="bankentry_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["organization", "status"], name="bankentry_org_status"),
            models.Index(fields=["organization", "notified"], name="bankentry_org_notified"),
        ]
        verbose_name = _("bank entry")
        verbose_name_plural = _("bank entries")

    def __str__(self) -> str:
        return f"{self.booking_date} {self.amount} {self.counterparty_name}".strip()

    @property
    def signed_amount(self):
        return self.amount if self.credit else -self.amount

    @property
    def to_review(self) -> bool:
        return self.status in TO_REVIEW and not self.notified

    @property
    def waiting(self) -> bool:
        """A notified payment whose booking has not come (and that nobody set aside)."""
        return (
            self.notified
            and self.replaced_by_id is None
            and self.status != EntryStatus.NOT_CUSTOMER_PAYMENT
        )

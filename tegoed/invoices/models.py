"""The ledger: invoices and credit notes, payments, and allocations between them.

An invoice's open amount and state follow from its total and the allocations booked against
it (payments, credit notes, write-offs). The application never writes them: the database
keeps `paid`, `credited` and `written_off` equal to the sums of the invoice's allocation rows
with triggers that fire on every insert, update and delete of an allocation, and computes
`open_amount` and `state` as generated columns (docs/decisions/0002). A check constraint
refuses allocations beyond the invoice total. Totals are stored because an issued invoice is
immutable.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tegoed.common.fields import MoneyField
from tegoed.common.models import TimestampedModel
from tegoed.domain import balance

# Kept by database triggers from the allocation rows; never written by the application.
BALANCE_FIELDS = ("paid", "credited", "written_off")


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")
    # Documents that ask for no payment: never chased, never in aging, DSO or a claim; every
    # ledger query sums and chases `INVOICE` only. Made into an invoice (`made_from`).
    PRO_FORMA = "pro_forma", _("Pro forma invoice")
    QUOTE = "quote", _("Quote")


# The kinds a person drafts; a credit note is made by crediting an invoice.
DRAFTED_KINDS = (InvoiceKind.INVOICE, InvoiceKind.PRO_FORMA, InvoiceKind.QUOTE)


class Lifecycle(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class Invoice(TimestampedModel):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="invoices"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="invoices"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE
    )
    lifecycle = models.CharField(
        _("lifecycle"), max_length=8, choices=Lifecycle.choices, default=Lifecycle.DRAFT
    )
    # Empty while a draft; given on issue (or taken from the bookkeeping package on import).
    number = models.CharField(_("number"), max_length=40, blank=True)
    # ISO 11649 structured creditor reference, given on issue.
    payment_reference = models.CharField(_("payment reference"), max_length=35, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # The day the contract was made: it chooses the statutory interest margin (docs/legal.md).
    contract_date = models.DateField(
        _("contract date"),
        null=True,
        blank=True,
        help_text=_("The day the contract was made. Empty: the issue date."),
    )
    customer_reference = models.CharField(
        _("your reference"), max_length=100, blank=True, help_text=_("Order or PO number.")
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    subtotal = MoneyField(_("subtotal excl. VAT"), default=0)
    vat_total = MoneyField(_("VAT"), default=0)
    total = MoneyField(_("total"), default=0)
    # For a credit note: the invoice it corrects.
    credits_invoice = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("credits invoice"),
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    # For an invoice made from a quote or pro forma invoice: that document.
    made_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="made_into",
        verbose_name=_("made from"),
    )
    # The early-payment discount offered, fixed on issue (`tegoed.domain.discount`): the
    # percentage, its amount VAT included, and the last day it may be taken. Zero: none.
    discount_percentage = models.DecimalField(
        _("early-payment discount (%)"), max_digits=4, decimal_places=2, default=0, db_default=0
    )
    discount_amount = MoneyField(_("early-payment discount"), default=0, db_default=0)
    discount_until = models.DateField(_("discount until"), null=True, blank=True)
    # The customer and the organization as they were when the document was issued: an issued
    # invoice is a fixed document, whatever is edited later (`services.as_issued`). Empty for
    # drafts and for documents issued before these were kept.
    customer_as_issued = models.JSONField(
        _("customer as issued"), null=True, blank=True, editable=False
    )
    organization_as_issued = models.JSONField(
        _("organization as issued"), null=True, blank=True, editable=False
    )
    paid = MoneyField(_("paid"), default=0, db_default=0, editable=False)
    credited = MoneyField(_("credited"), default=0, db_default=0, editable=False)
    written_off = MoneyField(_("written off"), default=0, db_default=0, editable=False)
    open_amount = models.GeneratedField(
        expression=models.F("total")
        - models.F("paid")
        - models.F("credited")
        - models.F("written_off"),
        output_field=MoneyField(),
        db_persist=True,
        verbose_name=_("open"),
    )
    state = models.GeneratedField(
        expression=models.Case(
            models.When(lifecycle=Lifecycle.DRAFT, then=models.Value(balance.DRAFT)),
            models.When(
                Q(paid=0, credited=0, written_off=0) & Q(total__gt=0),
                then=models.Value(balance.OPEN),
            ),
            models.When(
                total__gt=models.F("paid") + models.F("credited") + models.F("written_off"),
                then=models.Value(balance.PARTIALLY_PAID),
            ),
            models.When(written_off__gt=0, then=models.Value(balance.WRITTEN_OFF)),
            models.When(credited__gte=models.F("total"), then=models.Value(balance.CREDITED)),
            default=models.Value(balance.PAID),
        ),
        output_field=models.CharField(max_length=16),
        db_persist=True,
        verbose_name=_("state"),
    )

    class Meta:
        ordering = ["-issue_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(paid__gte=0, credited__gte=0, written_off__gte=0)
                & Q(total__gte=models.F("paid") + models.F("credited") + models.F("written_off")),
                name="invoice_allocations_within_total",
            ),
            models.UniqueConstraint(
                fields=["organization", "number"],
                condition=~Q(number=""),
                name="invoice_unique_number",
            ),
            models.UniqueConstraint(
                fields=["organization", "payment_reference"],
                condition=~Q(payment_reference=""),
                name="invoice_unique_payment_reference",
            ),
            models.CheckConstraint(
                condition=Q(lifecycle="draft") | (~Q(number="") & Q(issue_date__isnull=False)),
                name="invoice_issued_has_number_and_date",
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True)
                | Q(issue_date__isnull=True)
                | Q(due_date__gte=models.F("issue_date")),
                name="invoice_due_not_before_issue",
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="invoice_total_not_negative"),
        ]
        indexes = [
            models.Index(fields=["organization", "due_date"], name="invoice_org_due"),
            # Open items by state and due date, covering what the aging, the overdue lists and
            # the largest debtors read, so they never touch the table (SQLite cannot use a
            # partial index for a parameterised query, so this index is complete).
            models.Index(
                fields=["organization", "state", "kind", "due_date", "customer", "open_amount"],
                name="invoice_open_items",
            ),
            # Search by number or reference and sort by amount; the unique constraints are
            # partial (drafts have no number) and so not usable for a search on SQLite.
            models.Index(fields=["organization", "number"], name="invoice_org_number"),
            models.Index(
                fields=["organization", "payment_reference"], name="invoice_org_reference"
            ),
            models.Index(fields=["organization", "total"], name="invoice_org_total"),
            # Lists by issue date: the index order is the list order (the id is its tail).
            models.Index(fields=["organization", "issue_date"], name="invoice_org_issue"),
            # The credit sales of a period (the DSO), read from the index alone.
            models.Index(
                fields=["organization", "lifecycle", "issue_date", "kind", "total"],
                name="invoice_org_sales",
            ),
            models.Index(fields=["customer", "due_date"], name="invoice_customer_due"),
        ]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self) -> str:
        label = self.number or _("draft")
        return f"{self.get_kind_display()} {label}"

    def get_absolute_url(self) -> str:
        return reverse("invoices:detail", args=[self.public_id])

    def save(self, *args, **kwargs):
        # The balance columns belong to the database's triggers: an update from a Python
        # object that was read before an allocation must not write its stale sums back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not (field.primary_key or field.generated or field.name in BALANCE_FIELDS)
            ]
        elif set(kwargs.get("update_fields") or ()) & set(BALANCE_FIELDS):
            raise ValueError("the balance of an invoice is kept by the database")
        super().save(*args, **kwargs)

    def balance(self) -> balance.Balance:
        return balance.Balance(
            total=self.total,
            paid=self.paid,
            credited=self.credited,
            written_off=self.written_off,
            is_draft=self.is_draft,
        )

    @property
    def addressee(self) -> dict:
        """Name and address lines as printed on the document: as issued, else the customer's."""
        kept = self.customer_as_issued
        if kept:
            return {"name": kept["name"], "address_lines": kept["address_lines"]}
        return {"name": self.customer.name, "address_lines": self.customer.address_lines}

    @property
    def offers_discount(self) -> bool:
        return self.discount_amount > 0 and self.discount_until is not None

    @property
    def discounted_total(self):
        """What settles the invoice when paid within the discount period."""
        return self.total - self.discount_amount

    @property
    def is_draft(self) -> bool:
        return self.lifecycle == Lifecycle.DRAFT

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    @property
    def is_invoice(self) -> bool:
        return self.kind == InvoiceKind.INVOICE

    @property
    def is_quote_or_pro_forma(self) -> bool:
        """A document that asks for no payment (never chased, never in the ledger's sums)."""
        return self.kind in (InvoiceKind.PRO_FORMA, InvoiceKind.QUOTE)


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3, default=1)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=4)
    vat_rate = models.DecimalField(_("VAT %"), max_digits=5, decimal_places=2, default=21)
    # quantity × unit price, rounded half-up to cents (the line's fact).
    net_amount = MoneyField(_("amount excl. VAT"))

    class Meta:
        ordering = ["invoice", "position", "id"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    def __str__(self) -> str:
        return self.description


class NumberSequence(models.Model):
    """The last number handed out per organization and series (e.g. "F2026")."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    series = models.CharField(max_length=20)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "series"], name="numbersequence_unique_series"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series}: {self.last_number}"


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    DIRECT_DEBIT = "direct_debit", _("Direct debit")
    CARD = "card", _("Card or payment provider")
    CASH = "cash", _("Cash")
    OTHER = "other", _("Other")


class Payment(TimestampedModel):
    """Money received. What is not allocated to invoices is credit on the customer."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="payments"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    received_on = models.DateField(_("received on"))
    amount = MoneyField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    method = models.CharField(
        _("method"),
        max_length=16,
        choices=PaymentMethod.choices,
        default=PaymentMethod.BANK_TRANSFER,
    )
    payer_name = models.CharField(_("payer"), max_length=200, blank=True)
    payer_iban = models.CharField(_("payer IBAN"), max_length=34, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    # The bank's own reference of the entry, when the payment came from a statement.
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["organization", "received_on"], name="payment_org_received"),
        ]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.received_on} {self.currency} {self.amount} {self.payer_name}".strip()


class AllocationKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    CREDIT_NOTE = "credit_note", _("Credit note")
    WRITE_OFF = "write_off", _("Write-off")


class Allocation(TimestampedModel):
    """An amount booked against an invoice: from a payment, a credit note, or written off."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="allocations"
    )
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    kind = models.CharField(_("kind"), max_length=12, choices=AllocationKind.choices)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    credit_note = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    amount = MoneyField(_("amount"))
    booked_on = models.DateField(_("booked on"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["booked_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
            models.CheckConstraint(
                condition=(
                    Q(kind="payment", payment__isnull=False, credit_note__isnull=True)
                    | Q(kind="credit_note", payment__isnull=True, credit_note__isnull=False)
                    | Q(kind="write_off", payment__isnull=True, credit_note__isnull=True)
                ),
                name="allocation_source_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["invoice", "kind"], name="allocation_invoice_kind")]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} → {self.invoice}"


class Refund(TimestampedModel):
    """Credit paid back to the customer: out of a payment's unallocated rest or a credit note."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="refunds"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="refunds"
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="refunds"
    )
    credit_note = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="refunds"
    )
    amount = MoneyField(_("amount"))
    refunded_on = models.DateField(_("refunded on"))
    to_iban = models.CharField(_("to IBAN"), max_length=34, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["refunded_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(
                condition=Q(payment__isnull=False, credit_note__isnull=True)
                | Q(payment__isnull=True, credit_note__isnull=False),
                name="refund_from_payment_or_credit_note",
            ),
        ]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"{self.refunded_on} {self.amount} → {self.customer}"

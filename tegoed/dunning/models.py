"""The daily run's tables: schedules, holds, the steps invoices reached, and the outbox.

- `Policy` and `PolicyStep` are a schedule as data (tegoed.domain.dunning): one per kind of
  customer, seeded with good defaults, and any number of own schedules a customer or a tag
  can be given.
- `Hold` is the one mechanism for every pause: a dispute, a promise, an arrangement, a manual
  stop, a hand-over, a payment the bank has announced. The flows that pause chasing set and
  lift holds; none has a pause of its own.
- `InvoiceStep` records that an invoice reached a level, once (a unique constraint), with the
  interest and costs that step claimed. `InvoiceCheck` keeps per invoice the first day the
  run needs to look at it again.
- `Message` is the outbox: written in the decision's transaction, delivered by the sender,
  marked sent. `CallTask` is a phone call the schedule asks for, with its result.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tegoed.common.fields import MoneyField
from tegoed.common.models import TimestampedModel
from tegoed.domain import dunning


class StepKind(models.TextChoices):
    PRE_DUE = dunning.PRE_DUE, _("Friendly nudge before the due date")
    REMINDER = dunning.REMINDER, _("Reminder")
    FORMAL_DEMAND = dunning.FORMAL_DEMAND, _("Formal demand")
    CONSUMER_NOTICE = dunning.CONSUMER_NOTICE, _("Consumer 14-day letter")
    FINAL_NOTICE = dunning.FINAL_NOTICE, _("Final notice")
    HANDOVER_PROPOSAL = dunning.HANDOVER_PROPOSAL, _("Proposal to hand over")
    BROKEN_PROMISE = dunning.BROKEN_PROMISE, _("Broken promise")
    THANK_YOU = "thank_you", _("Thanks for paying early")
    WRITE_OFF = "write_off", _("Proposed for write-off")


# What a message is about: a step of the schedule, or a message an agreement or a dispute wrote
# when it was decided (its text is written then; the sender sends it as written).
MessageKind = models.TextChoices(
    "MessageKind",
    [(kind.name, (kind.value, kind.label)) for kind in StepKind]
    + [
        ("DISPUTE_TASK", ("dispute_task", _("Dispute to look into"))),
        ("DISPUTE_REJECTED", ("dispute_rejected", _("Dispute rejected"))),
        ("ARRANGEMENT", ("arrangement", _("Payment arrangement"))),
        ("INSTALMENT_DUE", ("instalment_due", _("Instalment due"))),
        ("INSTALMENT_MISSED", ("instalment_missed", _("Instalment missed"))),
        ("ARRANGEMENT_BROKEN", ("arrangement_broken", _("Arrangement broken"))),
    ],
)


class Channel(models.TextChoices):
    EMAIL = dunning.EMAIL, _("E-mail")
    LETTER = dunning.LETTER, _("Letter")
    CALL = dunning.CALL, _("Phone call")


class DunningSettings(TimestampedModel):
    """When an organization's reminders go out, and what it wants beyond the schedule."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="dunning_settings"
    )
    # Monday is 0. Default: Tuesday to Friday (seed 004: not on Monday).
    send_weekdays = models.JSONField(_("send on"), default=list)
    window_start = models.TimeField(_("send from"), default="09:00")
    window_end = models.TimeField(_("send until"), default="16:00")
    sender_name = models.CharField(
        _("sender name"),
        max_length=120,
        blank=True,
        help_text=_("The person reminders come from, e.g. “Anna de Vries, Tegoed BV”."),
    )
    minimum_open_amount = MoneyField(
        _("chase from"),
        default=0,
        help_text=_("Below this open amount nothing is chased; a write-off is proposed instead."),
    )
    use_payment_habits = models.BooleanField(
        _("give late but reliable payers their usual extra days"), default=True
    )
    thank_early_payers = models.BooleanField(_("thank customers who pay early"), default=False)
    # What the run keeps beside its `InvoiceCheck` rows (docs/decisions/0502): the earliest days
    # of the schedules they were computed from, and the highest invoice id the latest run and
    # the latest run on an earlier day saw (invoices above the latter are looked for anew).
    checks_basis = models.CharField(max_length=64, blank=True, editable=False)
    checks_seen_id = models.PositiveBigIntegerField(default=0, editable=False)
    checks_seen_on = models.DateField(null=True, blank=True, editable=False)
    checks_safe_id = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(self.organization)


class Policy(TimestampedModel):
    """A reminder schedule. The default one per kind of customer applies unless a customer,
    or one of its tags, has its own."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="dunning_policies"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    # The kind of customer this is the default schedule for; empty for an own schedule.
    default_for = models.CharField(
        _("default for"),
        max_length=12,
        blank=True,
        choices=[
            ("consumer", _("Consumers")),
            ("business", _("Businesses")),
            ("government", _("Government")),
        ],
    )
    customers = models.ManyToManyField(
        "customers.Customer", blank=True, related_name="dunning_policies"
    )
    tags = models.ManyToManyField("customers.Tag", blank=True, related_name="dunning_policies")

    class Meta:
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "default_for"],
                condition=~Q(default_for=""),
                name="policy_one_default_per_kind",
            ),
            models.UniqueConstraint(fields=["organization", "name"], name="policy_unique_name"),
        ]
        verbose_name = _("reminder schedule")
        verbose_name_plural = _("reminder schedules")

    def __str__(self) -> str:
        return self.name


class PolicyStep(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="steps")
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=StepKind.choices)
    # 0 for the nudge before the due date, then 1, 2, … in schedule order; empty for the
    # broken-promise step, which stays at the level the invoice reached.
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    offset_days = models.SmallIntegerField(
        _("days after the due date"), default=0, help_text=_("Negative: before the due date.")
    )
    min_gap_days = models.PositiveSmallIntegerField(_("at least days after the previous step"))
    channels = models.JSONField(_("channels"), default=list)
    claims_interest_and_costs = models.BooleanField(_("claims interest and costs"), default=False)
    minimum_amount = MoneyField(_("only from"), default=0)
    needs_approval = models.BooleanField(_("waits for approval"), default=False)

    class Meta:
        ordering = ["policy", "level", "id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "code"], name="policystep_unique_code"),
            models.UniqueConstraint(
                fields=["policy", "level"],
                condition=Q(level__isnull=False),
                name="policystep_unique_level",
            ),
        ]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return f"{self.policy} · {self.code}"

    def as_step(self) -> dunning.Step:
        return dunning.Step(
            code=self.code,
            kind=self.kind,
            level=self.level if self.level is not None else -1,
            offset_days=self.offset_days,
            min_gap_days=self.min_gap_days,
            channels=tuple(self.channels),
            claims_interest_and_costs=self.claims_interest_and_costs,
            minimum_amount=self.minimum_amount,
            needs_approval=self.needs_approval,
        )


class HoldReason(models.TextChoices):
    DISPUTE = "dispute", _("Dispute")
    PROMISE = "promise", _("Promise to pay")
    ARRANGEMENT = "arrangement", _("Payment arrangement")
    MANUAL = "manual", _("Stopped by hand")
    HANDOVER = "handover", _("Handed over")
    NOTIFIED_PAYMENT = "notified_payment", _("Payment announced by the bank")
    INSOLVENCY = "insolvency", _("Bankruptcy or debt restructuring")
    SETTLEMENT = "settlement", _("Settling for less")


class Hold(TimestampedModel):
    """A pause in chasing one invoice, or every invoice of a customer (`invoice` empty)."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="holds"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="holds"
    )
    invoice = models.ForeignKey(
        "invoices.Invoice", on_delete=models.CASCADE, null=True, blank=True, related_name="holds"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=HoldReason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField(_("from"))
    # The last day the hold holds; empty: until lifted.
    ends_on = models.DateField(_("until"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The day it was lifted: from this day on it no longer holds.
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    # What placed the hold, "<app_label.model>:<pk>", so the flow that set it can lift it.
    source = models.CharField(_("placed by"), max_length=80, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "lifted_on"], name="hold_org_lifted"),
            models.Index(fields=["organization", "source"], name="hold_org_source"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="hold_ends_after_start",
            )
        ]
        verbose_name = _("hold")
        verbose_name_plural = _("holds")

    def __str__(self) -> str:
        return f"{self.get_reason_display()} · {self.customer}"

    def held_on(self, day) -> bool:
        """Whether the hold pauses chasing on `day`: from its start through its end date, and
        no longer from the day it was lifted."""
        return (
            self.starts_on <= day
            and (self.ends_on is None or day <= self.ends_on)
            and (self.lifted_on is None or day < self.lifted_on)
        )


class RunState(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Run(TimestampedModel):
    """The daily run of one organization on one date."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="dunning_runs"
    )
    on = models.DateField(_("date"))
    state = models.CharField(
        _("state"), max_length=8, choices=RunState.choices, default=RunState.RUNNING
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    invoices_seen = models.PositiveIntegerField(_("invoices looked at"), default=0)
    steps_decided = models.PositiveIntegerField(_("steps decided"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-on"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "on"], name="run_one_per_day")
        ]
        verbose_name = _("run")
        verbose_name_plural = _("runs")

    def __str__(self) -> str:
        return f"{self.organization} {self.on}"


class MessageState(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Waiting for approval")
    PENDING = "pending", _("To send")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    UNCERTAIN = "uncertain", _("Maybe sent: check")
    SKIPPED = "skipped", _("Skipped")


class Delivery(models.TextChoices):
    UNKNOWN = "", _("Not reported")
    DELIVERED = "delivered", _("Delivered")
    BOUNCED = "bounced", _("Bounced")
    REJECTED = "rejected", _("Blocked")
    COMPLAINED = "complained", _("Marked as spam")
    OPENED = "opened", _("Opened")


class Message(TimestampedModel):
    """One e-mail or letter to a customer: the outbox row and, once sent, the record of it."""

    # Read by the composite indexes below; a first run writes a hundred thousand at once.
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="dunning_messages",
        db_index=False,
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="dunning_messages",
        db_index=False,
    )
    run = models.ForeignKey(
        Run, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # The messages of one decision (the e-mail, the letter, the sales owner's note) share it.
    decision = models.UUIDField(_("decision"), null=True, blank=True, db_index=True)
    step_code = models.CharField(_("step"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind.choices)
    level = models.SmallIntegerField(_("level"))
    language = models.CharField(_("language"), max_length=2)
    send_on = models.DateField(_("send on"))
    state = models.CharField(_("state"), max_length=20, choices=MessageState.choices)
    # A note to the organization's own staff (the sales owner), not to the customer.
    internal = models.BooleanField(_("internal"), default=False)
    # Who it goes to; for a letter, empty (the address is the customer's).
    recipients = models.JSONField(_("to"), default=list, blank=True)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    # Why the channel is not the step's own (no usable e-mail address, …).
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The RFC 5322 Message-ID, fixed when the message is decided: a retry carries the same.
    message_id = models.CharField(_("Message-ID"), max_length=200)
    # An approver's own opening sentence, put before the standard text.
    personal_note = models.TextField(_("personal note"), blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The e-mail service provider's id of the sent message, which its tracking webhooks name.
    provider_id = models.CharField(_("provider's id"), max_length=200, blank=True)
    delivery = models.CharField(
        _("delivery"), max_length=12, choices=Delivery.choices, blank=True, default=""
    )
    delivery_detail = models.CharField(_("delivery detail"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-send_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "state", "send_on"], name="message_org_state"),
            models.Index(fields=["customer", "send_on"], name="message_customer"),
            # Only sent messages have one: the index grows as they go out, not as they are
            # decided.
            models.Index(
                fields=["provider_id"], condition=~Q(provider_id=""), name="message_provider"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["message_id"], name="message_unique_message_id")
        ]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.step_code} → {self.customer}"

    def invoice_steps(self):
        """The invoices' steps this message (and the others of its decision) carries."""
        if self.decision is None:
            return self.steps.all()
        return InvoiceStep.objects.filter(message__decision=self.decision)


class Attachment(models.Model):
    """A file as it went out with a message: the letter, a copy of an invoice."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=100, default="application/pdf")
    content = models.BinaryField()

    class Meta:
        ordering = ["message", "id"]

    def __str__(self) -> str:
        return self.name


class InvoiceStep(models.Model):
    """An invoice reached a step: once per level (and once per broken promise).

    Written only by the daily run, up to a million at a time: the database checks the key
    that matters, the invoice, and the unique levels; the organization, run, message and hold
    come from rows the run itself read or wrote in the same transaction, and Django deletes
    the steps with them (docs/decisions/0502).
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    invoice = models.ForeignKey(
        "invoices.Invoice", on_delete=models.CASCADE, related_name="dunning_steps"
    )
    run = models.ForeignKey(
        Run, on_delete=models.SET_NULL, null=True, related_name="steps", db_constraint=False
    )
    message = models.ForeignKey(
        Message,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steps",
        db_constraint=False,
    )
    code = models.CharField(_("step"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=StepKind.choices)
    level = models.SmallIntegerField(_("level"))
    # Set for a broken-promise step: the promise's hold it answers.
    hold = models.ForeignKey(
        Hold,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    decided_on = models.DateField(_("decided on"))
    open_amount = MoneyField(_("open"))
    interest = MoneyField(_("interest"), default=0)
    costs = MoneyField(_("costs"), default=0)

    class Meta:
        ordering = ["invoice", "decided_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "level"],
                condition=Q(kind__in=dunning.LADDER_KINDS),
                name="invoicestep_level_once",
            ),
            models.UniqueConstraint(
                fields=["invoice", "kind"],
                condition=Q(kind__in=[StepKind.THANK_YOU, StepKind.WRITE_OFF]),
                name="invoicestep_aside_once",
            ),
            models.UniqueConstraint(
                fields=["invoice", "hold"],
                condition=Q(kind=dunning.BROKEN_PROMISE),
                name="invoicestep_promise_once",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "invoice"], name="invoicestep_org"),
            models.Index(fields=["hold"], condition=Q(hold__isnull=False), name="invoicestep_hold"),
        ]
        verbose_name = _("step reached")
        verbose_name_plural = _("steps reached")

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.code}"


class InvoiceCheck(models.Model):
    """The first day the daily run looks at an invoice again: a lower bound of the day its next
    step can fall due under any of the organization's schedules (docs/decisions/0502).

    The run writes it with each step it decides and for each invoice it looks at; it reads only
    the rows whose day has come, so a day's run reads the invoices that may move, and a second
    run the same day finds the same few and writes nothing.
    """

    # Derived rows, written a million at a time by a first run: the database does not check
    # the keys (Django deletes the rows with their invoice or organization).
    invoice = models.OneToOneField(
        "invoices.Invoice",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="dunning_check",
        db_constraint=False,
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    look_on = models.DateField(_("look again on"))

    class Meta:
        indexes = [models.Index(fields=["organization", "look_on"], name="invoicecheck_org_day")]
        verbose_name = _("next look")
        verbose_name_plural = _("next looks")

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.look_on}"


class CallState(models.TextChoices):
    OPEN = "open", _("To call")
    DONE = "done", _("Done")


class CallTask(TimestampedModel):
    """A phone call the schedule asks for, and what came of it."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="call_tasks"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="call_tasks"
    )
    run = models.ForeignKey(Run, on_delete=models.SET_NULL, null=True, related_name="calls")
    step_code = models.CharField(_("step"), max_length=40)
    level = models.SmallIntegerField(_("level"))
    due_on = models.DateField(_("call on"))
    note = models.CharField(_("why"), max_length=300, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=CallState.choices, default=CallState.OPEN
    )
    reached = models.BooleanField(_("reached"), null=True)
    promise_on = models.DateField(_("promised to pay by"), null=True, blank=True)
    promise_amount = MoneyField(_("promised amount"), null=True, blank=True)
    disputed = models.BooleanField(_("disputes the invoice"), default=False)
    result_notes = models.TextField(_("notes"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["organization", "state", "due_on"], name="call_org_state")]
        verbose_name = _("phone call")
        verbose_name_plural = _("phone calls")

    def __str__(self) -> str:
        return f"{self.customer} {self.due_on}"

"""Delivering the outbox: e-mails through Django's mail settings, letters as print-ready PDFs.

Each message is composed (text, HTML, the letter, a copy of every invoice it covers), then
claimed (`pending` → `sending`, one UPDATE that only one sender can win), sent, and marked
`sent` with its content as sent, in one transaction. A sender killed between the claim and the
mark leaves the message `sending`; the next sender flags it `uncertain` instead of sending it
again: it may have gone out. Staff look, and send it again with the same Message-ID if it did
not. An SMTP error puts the message back to `pending` with the error shown, for the next send;
after `MAX_ATTEMPTS` it is `failed`.

E-mails go out within the organization's send window; letters are rendered whenever the
sender runs, and the day's letters are printed as one PDF (`letters_pdf`). A large outbox can be
shared out over several processes (`send_pending(workers=…)`, `tegoed send --workers`), each
sending its share as one sender does (docs/decisions/0504).
"""

from __future__ import annotations

import datetime
import functools
import io
import logging
import multiprocessing
import secrets
import smtplib
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from email import generator
from itertools import repeat

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connections, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfWriter

from tegoed.documents import rendering, wording
from tegoed.documents.content import LetterDocument
from tegoed.documents.queries import LetterLedger
from tegoed.domain import default_notice, dunning
from tegoed.domain.errors import DomainError
from tegoed.dunning.models import Attachment, Hold, InvoiceStep, Message, MessageState
from tegoed.dunning.run import THANK_YOU, settings_of

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Messages composed together: what they read is fetched once for the batch.
BATCH = 100
# A message claimed longer ago than this by a sender that never finished: that sender died.
STALE_AFTER = datetime.timedelta(minutes=15)
# The kinds whose letter goes with the e-mail as a PDF; reminders are the e-mail itself.
LETTER_ATTACHED = dunning.FORMAL_KINDS | {dunning.BROKEN_PROMISE}


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str
    attachments: tuple[tuple[str, bytes], ...]
    # Written when the message was decided, attachments included: send it as it is.
    written: bool = False


@dataclass
class SendReport:
    sent: int = 0
    letters: int = 0
    failed: int = 0
    uncertain: int = 0
    waiting: int = 0
    skipped: int = 0

    def add(self, share: SendReport) -> None:
        """Count in what one process sent of a share of the outbox."""
        self.sent += share.sent
        self.letters += share.letters
        self.failed += share.failed
        self.skipped += share.skipped


def within_window(organization, now: datetime.datetime) -> bool:
    config = settings_of(organization)
    local = timezone.localtime(now, organization.tz).time()
    return config.window_start <= local <= config.window_end


def _internal(message: Message, steps: list[InvoiceStep]) -> Composed:
    """The note to the customer's sales owner that their customer reached a formal step."""
    customer = message.customer
    numbers = ", ".join(step.invoice.number for step in steps)
    kind = dict(InvoiceStep._meta.get_field("kind").choices).get(message.kind, message.kind)
    if message.language == "nl":
        subject = f"{customer.name}: {str(kind).lower()} verstuurd"
        text = (
            f"Uw klant {customer.name} ({customer.number}) krijgt vandaag een "
            f"{str(kind).lower()} voor {numbers}. Weet u iets wat wij moeten weten, reageer dan "
            "op dit bericht."
        )
    else:
        subject = f"{customer.name}: {str(kind).lower()} sent"
        text = (
            f"Your customer {customer.name} ({customer.number}) receives a {str(kind).lower()} "
            f"today for {numbers}. If you know something we should know, reply to this message."
        )
    return Composed(subject, text + "\n", "", ())


def _html_context(document, subject: str, salutation: str, paragraphs: list[str]) -> dict:
    """The HTML part says what the text part says: the same paragraphs, the claims as a table."""
    language = document.language
    label = lambda key: wording.label(key, language)  # noqa: E731
    money = lambda value: wording.amount(value, document.currency, language)  # noqa: E731
    rows = [
        [
            claim.number,
            wording.short_date(claim.due_date, language) if claim.due_date else "",
            money(claim.total),
            money(claim.open_amount),
        ]
        for claim in document.claims
    ]
    rows += [
        [credit.description, wording.short_date(credit.on, language), "", money(-credit.amount)]
        for credit in document.credits
    ]
    totals = []
    if document.total_due:
        if document.interest:
            totals.append((label("interest"), money(document.interest)))
        if document.collection_costs:
            totals.append((label("costs"), money(document.collection_costs)))
        if document.collection_costs_vat:
            totals.append((label("costs_vat"), money(document.collection_costs_vat)))
        if document.credit:
            totals.append((label("credit"), money(-document.credit)))
        totals.append((label("total_due"), money(document.total_due)))
    return {
        "subject": subject,
        "language": language,
        "seller": document.seller.name,
        "colour": document.look.primary_colour,
        "salutation": salutation,
        "paragraphs": paragraphs,
        "headings": [label("number"), label("due_date"), label("original"), label("open")],
        "rows": rows,
        "totals": totals,
        "span": 3,
        "closing": rendering.letter_closing(document),
    }


class Batch:
    """What composing a batch of one organization's messages reads, fetched together: each
    message's steps with their invoices, the customers' holds and 14-day letters, and the
    `LetterLedger` the letters are made from. A few queries per batch, none per message."""

    def __init__(self, organization, messages: Sequence[Message], today: datetime.date) -> None:
        self.organization = organization
        self.today = today
        customers = {}
        for message in messages:
            message.organization = organization
            customer = customers.setdefault(message.customer_id, message.customer)
            message.customer = customer
        decisions = {m.decision for m in messages if m.decision is not None}
        alone = [m.pk for m in messages if m.decision is None]
        steps = (
            InvoiceStep.objects.filter(Q(message__decision__in=decisions) | Q(message_id__in=alone))
            .select_related("invoice")
            .annotate(decision=F("message__decision"))
            .order_by("invoice__due_date", "id")
        )
        self._by_decision: dict = defaultdict(list)
        self._by_message: dict = defaultdict(list)
        for step in steps:
            if step.decision is not None:
                self._by_decision[step.decision].append(step)
            else:
                self._by_message[step.message_id].append(step)
        invoice_ids = {step.invoice_id for found in self._all_steps() for step in found}
        self._holds: dict = defaultdict(list)
        for hold in Hold.objects.filter(customer_id__in=list(customers), starts_on__lte=today):
            self._holds[hold.customer_id].append(hold)
        self._notices = dict(
            InvoiceStep.objects.filter(
                invoice_id__in=invoice_ids,
                invoice__customer__kind="consumer",
                kind=dunning.CONSUMER_NOTICE,
            ).values_list("invoice__number", "decided_on")
        )
        numbers = {step.invoice.number for found in self._all_steps() for step in found}
        self.ledger = LetterLedger(organization, list(customers.values()), numbers=numbers)

    def _all_steps(self):
        yield from self._by_decision.values()
        yield from self._by_message.values()

    def steps(self, message: Message) -> list[InvoiceStep]:
        """The invoices' steps this message (and the others of its decision) carries."""
        if message.decision is None:
            return list(self._by_message.get(message.pk, ()))
        return list(self._by_decision.get(message.decision, ()))

    def still_due(self, message: Message, steps: list[InvoiceStep], today: datetime.date):
        """The steps whose invoice is still open and not paused today: a payment or a dispute
        that arrives between the decision and the sending takes the invoice out of the
        message."""
        open_steps = [step for step in steps if step.invoice.open_amount > 0]
        if not open_steps:
            return []
        invoices = {step.invoice_id for step in open_steps}
        held = {
            hold.invoice_id
            for hold in self._holds.get(message.customer_id, ())
            if (hold.invoice_id is None or hold.invoice_id in invoices) and hold.held_on(today)
        }
        if None in held:
            return []
        return [step for step in open_steps if step.invoice_id not in held]

    def interest_from(self, customer, steps: list[InvoiceStep]) -> dict[str, datetime.date]:
        """A consumer owes interest from the day after the term of the 14-day letter (legal.md
        §6)."""
        if customer.kind != "consumer":
            return {}
        numbers = {step.invoice.number for step in steps}
        return {
            number: default_notice.dates(sent_on).costs_due_from
            for number, sent_on in self._notices.items()
            if number in numbers
        }


def _document(message: Message, steps: list[InvoiceStep], batch: Batch) -> LetterDocument:
    """The letter the message is, or carries: over the invoices its steps cover, with interest
    and costs where the steps claimed them, as the claim states them on the day the message
    was decided for (the figures the steps recorded, on an unchanged ledger)."""
    claims = any(step.interest or step.costs for step in steps)
    return batch.ledger.letter_for(
        message.kind,
        message.customer,
        today=message.send_on,
        level=max(message.level, 1),
        numbers=[step.invoice.number for step in steps],
        interest_from=batch.interest_from(message.customer, steps),
        with_costs=claims,
        with_interest=claims,
    )


def letter_of(message: Message) -> LetterDocument:
    """The letter of a reminder as the sender makes it, whatever it still asks today."""
    batch = Batch(message.organization, [message], message.send_on)
    return _document(message, batch.steps(message), batch)


def compose(
    message: Message, *, today: datetime.date | None = None, batch: Batch | None = None
) -> Composed | None:
    """The message as it will go out, from the steps it records and the ledger today; a
    message written when it was decided (an arrangement's confirmation, a dispute's task) as
    it was written. `batch`: what a batch of messages read together; by default this
    message's alone."""
    if message.text:
        files = tuple((file.name, bytes(file.content)) for file in message.attachments.all())
        return Composed(message.subject, message.text, message.html, files, written=True)
    today = today or message.send_on
    if batch is None:
        batch = Batch(message.organization, [message], today)
    steps = batch.steps(message)
    if message.kind != THANK_YOU:
        steps = batch.still_due(message, steps, today)
        if not steps:
            return None
    if message.internal:
        return _internal(message, steps)
    document = _document(message, steps, batch)
    if document.credits and not document.total_due:
        return None  # the customer's own credit covers what the message would ask
    subject, text = rendering.letter_email(document)
    salutation = text.split("\n", 1)[0]
    paragraphs = rendering.letter_paragraphs(document)
    if message.personal_note:
        text = f"{message.personal_note}\n\n{text}"
        paragraphs = [message.personal_note, *paragraphs]
    html = render_to_string(
        "dunning/email.html", _html_context(document, subject, salutation, paragraphs)
    )
    files: list[tuple[str, bytes]] = []
    if message.kind != "thank_you":
        # An e-mail reminder is the letter itself; the invoices go with it.
        with_letter = message.channel != dunning.EMAIL or message.kind in LETTER_ATTACHED
        files = batch.ledger.attachments(document, with_letter=with_letter)
    return Composed(subject, text, html, tuple(files))


class _Generator(generator.BytesGenerator):
    """The e-mail as bytes, as the standard library writes it, with two shortcuts that matter
    for an e-mail of 100 KB and more (most of it base64): a part's line endings converted in
    one pass instead of line by line, and each multipart boundary 128 random bits, which no
    line of a part can hold by chance, instead of a boundary checked against the whole
    message with a regular expression."""

    def _write_lines(self, lines: str) -> None:
        if lines:
            self.write(generator.NLCRE.sub(self._NL, lines))

    @classmethod
    def _make_boundary(cls, text=None) -> str:
        return f"=={secrets.token_urlsafe(16)}=="


def _as_bytes(mime, unixfrom: bool = False, linesep: str = "\n") -> bytes:
    out = io.BytesIO()
    _Generator(out, mangle_from_=False).flatten(mime, unixfrom=unixfrom, linesep=linesep)
    return out.getvalue()


class _Email(EmailMultiAlternatives):
    """An e-mail whose MIME message the mail backend writes with `_Generator`."""

    def message(self):
        mime = super().message()
        mime.as_bytes = functools.partial(_as_bytes, mime)
        return mime


def _email(message: Message, composed: Composed, connection, config) -> EmailMultiAlternatives:
    organization = message.organization
    address = organization.sender_email or settings.DEFAULT_FROM_EMAIL
    name = config.sender_name or organization.display_name
    email = _Email(
        subject=composed.subject,
        body=composed.text,
        from_email=f'"{name}" <{address}>',
        to=list(message.recipients),
        cc=list(message.cc),
        reply_to=[organization.reply_to_email or address],
        headers={"Message-ID": message.message_id},
        connection=connection,
    )
    if composed.html:
        email.attach_alternative(composed.html, "text/html")
    for file_name, content in composed.attachments:
        email.attach(file_name, content, "application/pdf")
    return email


def _claim(message: Message) -> bool:
    return bool(
        Message.objects.filter(pk=message.pk, state=MessageState.PENDING).update(
            state=MessageState.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
        )
    )


def _mark_sent(message: Message, composed: Composed, provider_id: str = "") -> None:
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            state=MessageState.SENT,
            provider_id=provider_id[:200],
            sent_at=timezone.now(),
            subject=composed.subject[:300],
            text=composed.text,
            html=composed.html,
            error="",
            updated_at=timezone.now(),
        )
        if not composed.written:
            Attachment.objects.bulk_create(
                Attachment(message=message, name=name, content=content)
                for name, content in composed.attachments
            )


def _mark_skipped(message: Message) -> None:
    Message.objects.filter(pk=message.pk, state=MessageState.PENDING).update(
        state=MessageState.SKIPPED,
        error="nothing left to ask: paid, set off or paused before it went out",
        updated_at=timezone.now(),
    )


def _mark_failed(message: Message, error: Exception) -> str:
    attempts = Message.objects.filter(pk=message.pk).values_list("attempts", flat=True).get()
    state = MessageState.FAILED if attempts >= MAX_ATTEMPTS else MessageState.PENDING
    Message.objects.filter(pk=message.pk).update(
        state=state, error=f"{type(error).__name__}: {error}"[:500], updated_at=timezone.now()
    )
    return state


def flag_unfinished(organization, now: datetime.datetime) -> int:
    """Messages a sender claimed and never finished: they may have gone out. Flag, don't resend."""
    return Message.objects.filter(
        organization=organization,
        state=MessageState.SENDING,
        updated_at__lt=now - STALE_AFTER,
    ).update(state=MessageState.UNCERTAIN, error="the sender stopped while sending this message")


def send_pending(
    organization, *, now: datetime.datetime, ignore_window: bool = False, workers: int = 1
) -> SendReport:
    """Deliver the organization's messages due by `now`: e-mails within the send window, and
    every letter. Messages are composed in batches of `BATCH` (what they read fetched
    together) and sent over one SMTP connection, the next composed while the last one goes;
    each is still claimed, sent and marked on its own, so a sender that stops leaves at most
    the one message it was sending unsure.

    `workers` above one shares the due messages out, every n-th to the same share, over that
    many processes forked from this one; each has its own database and SMTP connection and
    sends its share as above, so at most one message per process is left unsure. More than
    one only where the CPU, not the mail server, is what limits (docs/decisions/0504)."""
    report = SendReport()
    report.uncertain = flag_unfinished(organization, now)
    today = timezone.localdate(now, organization.tz)
    due = Message.objects.filter(
        organization=organization, state=MessageState.PENDING, send_on__lte=today
    )
    if not (ignore_window or within_window(organization, now)):
        report.waiting = due.filter(channel=dunning.EMAIL).count()
        due = due.exclude(channel=dunning.EMAIL)
    ids = list(due.order_by("send_on", "id").values_list("pk", flat=True))
    shares = [share for share in (ids[start::workers] for start in range(workers)) if share]
    if len(shares) < 2:
        _send(organization, ids, today, report)
        return report
    connections.close_all()  # each process opens its own
    with ProcessPoolExecutor(len(shares), mp_context=multiprocessing.get_context("fork")) as pool:
        for share in pool.map(_send_apart, repeat(organization), shares, repeat(today)):
            report.add(share)
    return report


def _send(organization, ids: list[int], today: datetime.date, report: SendReport) -> None:
    """Send the messages `ids`, in that order, over one SMTP connection."""
    config = settings_of(organization)
    mailer = _Mailer()
    try:
        for start in range(0, len(ids), BATCH):
            messages = list(
                Message.objects.filter(pk__in=ids[start : start + BATCH])
                .select_related("customer")
                .order_by("send_on", "id")
            )
            batch = Batch(organization, messages, today)
            for message in messages:
                _deliver(message, batch, today, config, mailer, report)
        mailer.finish(report)
    finally:
        mailer.close()


def _send_apart(organization, ids: list[int], today: datetime.date) -> SendReport:
    """`_send` in a process of its own, forked by `send_pending`."""
    report = SendReport()
    try:
        _send(organization, ids, today, report)
    finally:
        connections.close_all()
    return report


class _Mailer:
    """The mail server's side of sending: one connection for the whole send (opened with the
    first e-mail, again after an error), used by one thread of its own, so that the next
    message is composed while the server takes the last. At most one e-mail is in flight: it
    is claimed before it goes and marked once the server answered (`finish`), so a sender
    that stops leaves at most that one unsure."""

    def __init__(self) -> None:
        self.connection = None
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smtp")
        self.in_flight: tuple[Message, Composed, EmailMultiAlternatives, Future] | None = None

    def start(self, message: Message, composed: Composed, email: EmailMultiAlternatives) -> None:
        self.in_flight = (message, composed, email, self.thread.submit(self._send, email))

    def _send(self, email: EmailMultiAlternatives) -> None:
        if self.connection is None:
            self.connection = get_connection()
            self.connection.open()
        email.connection = self.connection
        try:
            email.send()
        except (smtplib.SMTPException, OSError):
            self._close()
            raise

    def finish(self, report: SendReport) -> None:
        """Wait for the e-mail in flight and mark it sent, or pending again with the error."""
        if self.in_flight is None:
            return
        message, composed, email, done = self.in_flight
        self.in_flight = None
        try:
            done.result()
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("sending %s failed: %s", message.message_id, error)
            _mark_failed(message, error)
            report.failed += 1
            return
        status = getattr(email, "anymail_status", None)
        provider_id = getattr(status, "message_id", None)
        _mark_sent(message, composed, "" if provider_id is None else str(provider_id))
        report.sent += 1

    def _close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            finally:
                self.connection = None

    def close(self) -> None:
        try:
            self.thread.submit(self._close).result()
        finally:
            self.thread.shutdown()


def _deliver(message: Message, batch: Batch, today, config, mailer: _Mailer, report) -> None:
    """Compose one message; then, once the e-mail before it is done, claim and send it."""
    try:
        composed = compose(message, today=today, batch=batch)
    except DomainError as error:
        # The ledger no longer supports the message (say, nothing in default any more): staff
        # decide; the rest of the outbox goes on.
        Message.objects.filter(pk=message.pk).update(
            state=MessageState.FAILED, error=str(error)[:500], updated_at=timezone.now()
        )
        report.failed += 1
        return
    if composed is None:
        _mark_skipped(message)
        report.skipped += 1
        return
    mailer.finish(report)
    if not _claim(message):
        return
    if message.channel == dunning.LETTER:
        _mark_sent(message, composed)
        report.letters += 1
        return
    mailer.start(message, composed, _email(message, composed, None, config))


def letters_pdf(organization, day: datetime.date) -> bytes | None:
    """The day's letters as one PDF to print: each letter, then the invoice copies it encloses,
    every letter starting on a new sheet (address in the window of a C5/DL envelope)."""
    letters = Message.objects.filter(
        organization=organization, channel=dunning.LETTER, send_on=day, state=MessageState.SENT
    ).order_by("customer__name", "id")
    writer = PdfWriter()
    for message in letters:
        for attachment in message.attachments.all():
            writer.append(io.BytesIO(bytes(attachment.content)))
            if len(writer.pages) % 2:
                writer.add_blank_page()
    if not writer.pages:
        return None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

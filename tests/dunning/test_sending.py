"""Delivering the outbox to a real SMTP server: content, language, attachments, failures."""

import base64
import datetime
import io
from decimal import Decimal

from django.utils import timezone
from pypdf import PdfReader

from tegoed.dunning import run, sending, services
from tegoed.dunning.models import Message, MessageState
from tegoed.invoices import services as invoice_services
from tests.factories import CustomerFactory, issued_invoice

WEDNESDAY = datetime.date(2026, 3, 4)
NOW = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_reminder_arrives_in_the_customers_language_with_the_invoice_attached(organization, smtp):
    dutch = CustomerFactory(organization=organization, language="nl")
    english = CustomerFactory(organization=organization, language="en")
    invoice = issued_invoice(dutch, "125.00")
    issued_invoice(english, "80.00")
    run.run_dunning(organization, today=WEDNESDAY)
    report = sending.send_pending(organization, now=NOW)
    assert report.sent == 2 and report.failed == 0
    received = {tuple(to): message for to, message in smtp.messages}
    [(_to, nl)] = [(to, m) for to, m in received.items() if to == (dutch.contacts.get().email,)]
    assert nl["Subject"] == "Herinnering: openstaande factuur"
    assert nl["Message-ID"] == Message.objects.get(customer=dutch).message_id
    assert nl["Reply-To"] == organization.sender_email
    text = nl.get_body(("plain",)).get_content()
    html = nl.get_body(("html",)).get_content()
    assert invoice.number in text and invoice.number in html and "€\xa0125,00" in html
    assert "vervallen" not in text.lower()  # the first follow-up does not say "overdue"
    [attachment] = list(nl.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert invoice.number in pdf_text(attachment.get_content())
    [(_, en)] = [(to, m) for to, m in received.items() if to == (english.contacts.get().email,)]
    assert en["Subject"] == "Reminder: invoice outstanding"
    stored = Message.objects.get(customer=dutch)
    assert stored.state == MessageState.SENT and stored.text == text.replace("\r\n", "\n")


def test_nothing_goes_out_twice_and_the_window_is_kept(organization, smtp):
    issued_invoice(CustomerFactory(organization=organization), "100.00")
    run.run_dunning(organization, today=WEDNESDAY)
    evening = datetime.datetime(2026, 3, 4, 20, 0, tzinfo=datetime.UTC)
    assert sending.send_pending(organization, now=evening).waiting == 1
    assert smtp.messages == []
    sending.send_pending(organization, now=NOW)
    sending.send_pending(organization, now=NOW)
    run.run_dunning(organization, today=WEDNESDAY)
    sending.send_pending(organization, now=NOW)
    assert len(smtp.messages) == 1


def test_an_smtp_failure_keeps_the_message_pending_with_the_error(organization, smtp, settings):
    issued_invoice(CustomerFactory(organization=organization), "100.00")
    run.run_dunning(organization, today=WEDNESDAY)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    report = sending.send_pending(organization, now=NOW)
    message = Message.objects.get()
    assert report.failed == 1 and message.state == MessageState.PENDING
    assert "Connection refused" in message.error
    settings.EMAIL_PORT = port
    assert sending.send_pending(organization, now=NOW).sent == 1
    assert len(smtp.messages) == 1 and Message.objects.get().state == MessageState.SENT


def test_a_message_claimed_by_a_sender_that_died_is_flagged_not_resent(organization, smtp, member):
    issued_invoice(CustomerFactory(organization=organization), "100.00")
    run.run_dunning(organization, today=WEDNESDAY)
    Message.objects.update(
        state=MessageState.SENDING, updated_at=timezone.now() - datetime.timedelta(hours=1)
    )
    report = sending.send_pending(organization, now=timezone.now())
    assert report.uncertain == 1 and smtp.messages == []
    message = Message.objects.get()
    assert message.state == MessageState.UNCERTAIN
    services.resend_message(message, user=member)
    sending.send_pending(organization, now=NOW)
    assert [m["Message-ID"] for _to, m in smtp.messages] == [message.message_id]


def test_a_formal_demand_goes_out_only_once_approved_with_its_letter(organization, smtp, member):
    customer = CustomerFactory(organization=organization, language="en")
    issued_invoice(customer, "1000.00", issue_date=datetime.date(2025, 12, 1))
    for day in ("2026-01-06", "2026-01-14", "2026-01-21", "2026-01-28", "2026-02-11"):
        run.run_dunning(organization, today=datetime.date.fromisoformat(day))
    Message.objects.filter(state=MessageState.PENDING).update(state=MessageState.SENT)
    email = Message.objects.get(kind="formal_demand", channel="email")
    assert sending.send_pending(organization, now=NOW).sent == 0
    services.approve_message(
        email, user=member, personal_note="We tried to call you twice.", today=WEDNESDAY
    )
    letter = Message.objects.get(kind="formal_demand", channel="letter")
    assert letter.state == MessageState.PENDING  # approved with its e-mail
    report = sending.send_pending(organization, now=NOW)
    assert (report.sent, report.letters) == (1, 1)
    [(_to, received)] = smtp.messages
    assert received["Subject"] == "Formal notice of default"
    assert received.get_body(("plain",)).get_content().startswith("We tried to call you twice.")
    names = [part.get_filename() for part in received.iter_attachments()]
    assert names[0].startswith("formal_demand-") and len(names) == 2
    letters = sending.letters_pdf(organization, WEDNESDAY)
    assert "Formal notice of default" in pdf_text(letters)


def test_a_bounce_reported_by_the_provider_shows_on_the_message(organization, client, settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.ANYMAIL = {"WEBHOOK_SECRET": "postmark:geheim"}
    issued_invoice(CustomerFactory(organization=organization), "100.00")
    run.run_dunning(organization, today=WEDNESDAY)
    sending.send_pending(organization, now=NOW)
    message = Message.objects.get()
    assert message.provider_id
    bounce = {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "MessageID": message.provider_id,
        "Email": message.recipients[0],
        "Description": "The server was unable to deliver your message (ex: unknown user).",
        "BouncedAt": "2026-03-04T10:01:00Z",
        "ID": 42,
    }
    response = client.post(
        "/anymail/postmark/tracking/",
        data=bounce,
        content_type="application/json",
        headers={"authorization": "Basic " + base64.b64encode(b"postmark:geheim").decode()},
    )
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.delivery == "bounced" and "unknown user" in message.delivery_detail
    services.record_delivery(provider_id=message.provider_id, delivery="opened")
    message.refresh_from_db()
    assert message.delivery == "bounced"  # a later open does not hide the bounce


def test_an_invoice_paid_after_the_decision_is_not_reminded(organization, smtp):
    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "100.00")
    run.run_dunning(organization, today=WEDNESDAY)
    invoice_services.record_payment(
        organization=organization,
        amount=Decimal("100.00"),
        received_on=WEDNESDAY,
        acting_user=None,
        customer=customer,
        allocate_to=[(invoice, Decimal("100.00"))],
    )
    report = sending.send_pending(organization, now=NOW)
    assert (report.sent, report.skipped) == (0, 1) and smtp.messages == []
    assert Message.objects.get().state == MessageState.SKIPPED


def test_nothing_further_is_decided_while_a_formal_step_waits_for_approval(organization):
    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "1000.00", issue_date=datetime.date(2025, 12, 1))
    for day in ("2026-01-06", "2026-01-14", "2026-01-21", "2026-01-28", "2026-02-11"):
        run.run_dunning(organization, today=datetime.date.fromisoformat(day))
    assert run.run_dunning(organization, today=datetime.date(2026, 3, 11)).written == 0
    email = Message.objects.get(kind="formal_demand", channel="email")
    services.approve_message(email, user=None, today=datetime.date(2026, 3, 11))
    # The final notice counts its 14 days from the day the demand was approved.
    assert run.run_dunning(organization, today=datetime.date(2026, 3, 24)).written == 0
    assert run.run_dunning(organization, today=datetime.date(2026, 3, 25)).written == 1
    assert invoice.dunning_steps.latest("decided_on").kind == "final_notice"


def test_a_reminder_sets_off_open_credit_and_unbooked_payments(organization, smtp):
    customer = CustomerFactory(organization=organization, language="en")
    invoice = issued_invoice(customer, "300.00")
    invoice_services.record_payment(
        organization=organization,
        amount=Decimal("100.00"),
        received_on=datetime.date(2026, 2, 20),
        acting_user=None,
        customer=customer,
    )
    run.run_dunning(organization, today=WEDNESDAY)
    sending.send_pending(organization, now=NOW)
    [(_to, received)] = smtp.messages
    text = received.get_body(("plain",)).get_content()
    assert f"- {invoice.number}" in text and "Payment received (20 February 2026): -€100.00" in text
    assert "Total due: €200.00" in text
    assert "€200.00" in received.get_body(("html",)).get_content()

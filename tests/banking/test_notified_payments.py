"""Payments the bank notifies before booking them: matched and kept as notified, nothing
booked, their invoices held from dunning; the booked entry takes the notification's place,
booked once; a notification not booked within a few days is flagged; and what an import leaves
out is said, with why. End to end: a morning notification, the daily run that skips the
invoice, the evening statement that books it once."""

import datetime
import json
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tegoed.accounts.models import Role
from tegoed.banking import queries, services
from tegoed.banking.models import BankEntry, EntryStatus
from tegoed.customers.models import BankAccount
from tegoed.domain import balance
from tegoed.dunning.models import Hold, HoldReason
from tegoed.invoices.models import Payment
from tests.banking.test_camt_versions import document, entry_xml
from tests.factories import CustomerFactory, MembershipFactory, issued_invoice

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def invoice(organization):
    customer = CustomerFactory(organization=organization, name="Bakker BV")
    BankAccount.objects.create(customer=customer, iban="NL91ABNA0417164300")
    return issued_invoice(customer, "121.00", issue_date=datetime.date(2026, 2, 1))


def camt(tmp_path, name, message, version, *entries):
    path = tmp_path / name
    path.write_bytes(document(message, version, "".join(entries)))
    return path


def notice(invoice, **kwargs):
    return entry_xml(10, status="INFO", text=f"Factuur {invoice.number}", **kwargs)


def booking(invoice, **kwargs):
    return entry_xml(8, status="BOOK", text=f"Factuur {invoice.number}", **kwargs)


def load(organization, path, today=TODAY):
    return services.import_statement(
        organization=organization, path=path, acting_user=None, today=today
    )


def test_a_notified_payment_is_matched_and_books_nothing(tmp_path, organization, invoice):
    summary = load(
        organization, camt(tmp_path, "n.xml", "054", 10, notice(invoice, reference="N1"))
    )
    assert (summary.notified, summary.counts["matched"]) == (1, 0)
    assert summary.statement_import.notified == 1
    entry = BankEntry.objects.get()
    assert entry.notified and entry.waiting
    assert entry.status == EntryStatus.MATCHED and entry.payment is None
    assert entry.proposals[0]["allocations"] == [
        {"invoice_number": invoice.number, "amount": "121.00"}
    ]
    invoice.refresh_from_db()
    assert invoice.state == balance.OPEN
    assert not Payment.objects.exists()
    # Not a booked entry to review; shown apart, with the invoice it matches.
    assert list(queries.review_queue(organization)) == []
    assert [each.pk for each in queries.waiting_notifications(organization, today=TODAY)] == [
        entry.pk
    ]


def test_the_booked_entry_takes_the_notified_ones_place_and_is_booked_once(
    tmp_path, organization, invoice
):
    load(organization, camt(tmp_path, "n.xml", "054", 10, notice(invoice, reference="N1")))
    # The evening statement: another bank reference, the same end-to-end id.
    summary = load(
        organization, camt(tmp_path, "s.xml", "053", 8, booking(invoice, reference="B1"))
    )
    assert (summary.counts["matched"], summary.replaced) == (1, 1)
    notified, booked = BankEntry.objects.order_by("id")
    assert notified.replaced_by == booked
    assert not notified.waiting and booked.payment is not None
    invoice.refresh_from_db()
    assert invoice.state == balance.PAID
    assert Payment.objects.count() == 1
    assert queries.waiting_notifications(organization, today=TODAY) == []


def test_a_notification_and_its_booking_in_one_intraday_report(tmp_path, organization, invoice):
    pending = entry_xml(8, status="PDNG", reference="R1", text=f"Factuur {invoice.number}")
    summary = load(
        organization,
        camt(tmp_path, "r.xml", "052", 8, pending, booking(invoice, reference="R1")),
    )
    assert (summary.notified, summary.counts["matched"], summary.replaced) == (1, 1, 1)
    assert Payment.objects.count() == 1
    assert not Hold.objects.exists()


def test_cumulative_intraday_reports_import_a_notification_once(tmp_path, organization, invoice):
    load(organization, camt(tmp_path, "10.xml", "052", 2, notice(invoice, reference="N1")))
    later = load(
        organization,
        camt(tmp_path, "14.xml", "052", 2, notice(invoice, reference="N1"),
             notice(invoice, reference="N2", amount="5.00", end_to_end="E2E-5")),
    )  # fmt: skip
    assert (later.already_imported, later.notified) == (1, 1)
    assert BankEntry.objects.filter(notified=True).count() == 2


def test_another_payment_of_the_same_amount_does_not_replace_the_notification(
    tmp_path, organization, invoice
):
    load(organization, camt(tmp_path, "n.xml", "054", 10, notice(invoice, reference="N1")))
    other = booking(invoice, reference="B1", end_to_end="E2E-OTHER")
    summary = load(organization, camt(tmp_path, "s.xml", "053", 8, other))
    assert summary.replaced == 0
    assert BankEntry.objects.get(entry_id="N1").waiting


def test_a_notification_not_booked_within_five_days_is_flagged(tmp_path, organization, invoice):
    load(organization, camt(tmp_path, "n.xml", "054", 10, notice(invoice, reference="N1")))
    (on_time,) = queries.waiting_notifications(organization, today=datetime.date(2026, 3, 7))
    (late,) = queries.waiting_notifications(organization, today=datetime.date(2026, 3, 8))
    assert (on_time.overdue, late.overdue) == (False, True)


def test_a_notified_payment_is_not_booked_by_hand_but_can_be_set_aside(
    tmp_path, organization, invoice
):
    load(organization, camt(tmp_path, "n.xml", "054", 10, notice(invoice, reference="N1")))
    entry = BankEntry.objects.get()
    with pytest.raises(services.ReviewError, match="not booked it"):
        services.accept_proposal(entry=entry, number=0, acting_user=None, today=TODAY)
    services.dismiss_entry(entry=entry, acting_user=None, today=TODAY)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.NOT_CUSTOMER_PAYMENT and not entry.waiting
    assert queries.waiting_notifications(organization, today=TODAY) == []


def test_the_import_command_says_what_it_left_out_on_stderr(tmp_path, organization, invoice):
    path = camt(
        tmp_path, "s.xml", "053", 10,
        notice(invoice, reference="N1").replace("INFO", "FUTR"),
        booking(invoice, reference="Z1", amount="0.00"),
    )  # fmt: skip
    out, err = StringIO(), StringIO()
    call_command(
        "import_statement", str(path), "--organization", organization.slug, stdout=out, stderr=err
    )
    lines = err.getvalue().splitlines()
    assert lines == [
        "import-statement: statement R-1 of NL69INGB0123456789: 1 entries read; 2 left out or "
        "set apart:",
        "import-statement:   entry N1 (121.00 in): status FUTR: neither booked (BOOK) nor "
        "notified (PDNG, INFO)",
        "import-statement:   entry Z1 (0.00 in): no amount",
    ]


def test_an_import_of_nothing_says_why(tmp_path, organization, invoice):
    futures = notice(invoice, reference="N1").replace("INFO", "FUTR")
    err = StringIO()
    call_command(
        "import_statement", str(camt(tmp_path, "f.xml", "053", 10, futures)),
        "--organization", organization.slug, stdout=StringIO(), stderr=err,
    )  # fmt: skip
    assert err.getvalue().splitlines()[-1] == (
        "import-statement: nothing imported: the 1 entries of the file were all left out"
    )


def test_the_import_command_counts_notified_and_booked_now(tmp_path, organization, invoice):
    out = StringIO()
    path = camt(tmp_path, "n.xml", "054", 10, notice(invoice, reference="N1"))
    call_command("import_statement", str(path), "--organization", organization.slug, stdout=out)
    assert "notified, not booked yet (matched, held)" in out.getvalue()


def test_the_upload_page_says_what_was_notified_and_left_out(tmp_path, organization, invoice):
    user = MembershipFactory(organization=organization, role=Role.CREDIT_CONTROLLER).user
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    futures = entry_xml(10, status="FUTR", reference="F1", amount="50.00")
    content = document("054", 10, notice(invoice, reference="N1") + futures)
    response = client.post(
        reverse("banking:upload"),
        {"file": SimpleUploadedFile("melding.xml", content)},
        follow=True,
    )
    page = response.content.decode()
    assert "1 betaling door de bank gemeld, nog niet geboekt" in page
    assert (
        "Post F1 (50,00) is niet gekoppeld: de status FUTR is niet geboekt (BOOK) en niet "
        "gemeld (PDNG, INFO)."
    ) in page
    # The notification is listed apart from the queue, with the invoice it holds.
    assert "Door de bank gemeld, nog niet geboekt" in page
    assert invoice.number in page


def test_a_notified_payment_holds_its_invoice_until_the_booking_is_expected(
    tmp_path, organization, invoice
):
    load(organization, camt(tmp_path, "n.xml", "054", 10, notice(invoice, reference="N1")))
    entry = BankEntry.objects.get()
    (hold,) = Hold.objects.all()
    assert (hold.invoice, hold.reason, hold.source) == (
        invoice,
        HoldReason.NOTIFIED_PAYMENT,
        f"banking.bankentry:{entry.pk}",
    )
    assert (hold.starts_on, hold.ends_on, hold.lifted_at) == (
        TODAY,
        datetime.date(2026, 3, 7),
        None,
    )
    # The booking lifts it.
    load(organization, camt(tmp_path, "s.xml", "053", 8, booking(invoice, reference="B1")))
    hold.refresh_from_db()
    assert hold.lifted_on == TODAY


def test_setting_a_notification_aside_lifts_its_hold(tmp_path, organization, invoice):
    load(organization, camt(tmp_path, "n.xml", "054", 10, notice(invoice, reference="N1")))
    services.dismiss_entry(entry=BankEntry.objects.get(), acting_user=None, today=TODAY)
    assert Hold.objects.get().lifted_on == TODAY


def test_a_notification_imported_after_its_booking_was_due_holds_nothing(
    tmp_path, organization, invoice
):
    summary = load(
        organization,
        camt(tmp_path, "n.xml", "054", 10, notice(invoice, reference="N1")),
        today=datetime.date(2026, 3, 8),
    )
    assert summary.notified == 1
    assert not Hold.objects.exists()


def import_at(organization, path, moment: datetime.datetime) -> str:
    """`tegoed import-statement` as run at `moment` (the command takes today from the clock)."""
    out = StringIO()
    with time_machine.travel(moment):
        call_command("import_statement", str(path), "--organization", organization.slug, stdout=out)
    return out.getvalue()


def run_json(organization, day):
    out = StringIO()
    call_command("run", organization=organization.slug, date=day.isoformat(), json=True,
                 no_send=True, stdout=out)  # fmt: skip
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_end_to_end_morning_notification_daily_run_evening_statement(tmp_path, organization):
    customer = CustomerFactory(organization=organization, name="Bakker BV", number="D100")
    BankAccount.objects.create(customer=customer, iban="NL91ABNA0417164300")
    paid = issued_invoice(customer, "121.00", issue_date=datetime.date(2026, 1, 5))
    unpaid = issued_invoice(customer, "80.00", issue_date=datetime.date(2026, 1, 6))
    day = datetime.date(2026, 3, 4)
    morning = camt(tmp_path, "intraday.xml", "052", 8, entry_xml(
        8, status="PDNG", reference="0930-1", text=f"Factuur {paid.number}",
        booked_on=day.isoformat()))  # fmt: skip
    evening = camt(tmp_path, "statement.xml", "053", 8, entry_xml(
        8, status="BOOK", reference="EOD-77", text=f"Factuur {paid.number}",
        booked_on=day.isoformat()))  # fmt: skip
    import_at(organization, morning, datetime.datetime(2026, 3, 4, 8, 30, tzinfo=datetime.UTC))
    (notified,) = BankEntry.objects.all()
    assert notified.notified and notified.status == EntryStatus.MATCHED

    # The daily run that day chases the other invoice, not the one paid this morning.
    (message,) = run_json(organization, day)
    assert [each["number"] for each in message["invoices"]] == [unpaid.number]

    out = import_at(organization, evening, datetime.datetime(2026, 3, 4, 18, tzinfo=datetime.UTC))
    assert "notified before, booked now" in out
    paid.refresh_from_db()
    assert paid.state == balance.PAID
    assert Payment.objects.filter(allocations__invoice=paid).distinct().count() == 1
    notified.refresh_from_db()
    assert notified.replaced_by.payment is not None and not notified.waiting
    assert Hold.objects.get().lifted_on == day

    # The same statement again, and the next day's run: nothing booked twice, nothing chased.
    import_at(organization, evening, datetime.datetime(2026, 3, 4, 19, tzinfo=datetime.UTC))
    assert Payment.objects.count() == 1
    assert all(
        paid.number not in [each["number"] for each in line["invoices"]]
        for line in run_json(organization, day + datetime.timedelta(days=1))
    )


def test_the_entry_page_says_until_when_a_notification_holds_its_invoices(
    tmp_path, organization, invoice
):
    today = timezone.localdate()  # the page's own day
    path = camt(tmp_path, "n.xml", "054", 10, notice(invoice, reference="N1",
                                                     booked_on=today.isoformat()))  # fmt: skip
    load(organization, path, today=today)
    user = MembershipFactory(organization=organization, role=Role.CREDIT_CONTROLLER).user
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    entry = BankEntry.objects.get()
    page = client.get(reverse("banking:entry", args=[entry.public_id])).content.decode()
    assert "Its invoices get no reminder up to and including" in page
    assert "Set this notification aside" in page


def test_an_mt942_interim_report_then_the_mt940_statement_books_once(
    tmp_path, organization, invoice
):
    line = (
        f":61:2603020302C121,00NTRFNONREF//ING-4711\n"
        f":86:/CNTP/NL91ABNA0417164300/ABNANL2A/Bakker BV/X//REMI/USTD//Factuur {invoice.number}/\n"
    )
    interim = tmp_path / "interim.sta"
    interim.write_text(
        ":20:MT942\n:25:NL69INGB0123456789\n:28C:1\n:34F:EUR0,\n:13D:2603021015+0100\n"
        + line + "-\n", encoding="utf-8",
    )  # fmt: skip
    statement = tmp_path / "day.sta"
    statement.write_text(
        ":20:MT940\n:25:NL69INGB0123456789\n:28C:1\n:60F:C260301EUR0,00\n"
        + line + ":62F:C260302EUR121,00\n-\n", encoding="utf-8",
    )  # fmt: skip
    first = load(organization, interim)
    assert (first.notified, first.statement_import.file_format) == (1, "mt942")
    assert Hold.objects.get().lifted_on is None
    second = load(organization, statement)
    assert (second.counts["matched"], second.replaced, second.already_imported) == (1, 1, 0)
    assert Payment.objects.count() == 1
    assert Hold.objects.get().lifted_on == TODAY

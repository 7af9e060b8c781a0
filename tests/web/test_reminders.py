"""The reminder screens: the day's run, messages, calls, holds, the log and the schedules;
every URL refuses another organization's objects, read-only members change nothing."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tegoed.accounts.models import Role
from tegoed.customers.models import Note
from tegoed.dunning import run, schedules, sending, services
from tegoed.dunning.models import (
    CallState,
    CallTask,
    DunningSettings,
    Hold,
    HoldReason,
    Message,
    MessageState,
    Policy,
    PolicyStep,
    Run,
    RunState,
)
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    MembershipFactory,
    OrganizationFactory,
    issued_invoice,
)
from tests.web.conftest import TODAY, login

pytestmark = pytest.mark.django_db


def in_english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def client_a(controller):
    return in_english(login(controller))


def decided_day(organization, *, prefix: str = "") -> dict:
    """A day's run with something in every section: a business customer whose first reminder
    waits for approval and asks for a call, and a consumer without an e-mail address whose
    reminder went out as a letter."""
    services.ensure_defaults(organization)
    DunningSettings.objects.filter(organization=organization).update(
        send_weekdays=[0, 1, 2, 3, 4, 5, 6]
    )
    PolicyStep.objects.filter(
        policy__organization=organization, policy__default_for="business", code="reminder_1"
    ).update(needs_approval=True, channels=["email", "call"])
    business = CustomerFactory(
        organization=organization, name=f"{prefix}Bouwbedrijf De Vries B.V.", kind="business"
    )
    ContactFactory(customer=business, name="Anna de Vries", phone="+31 20 123 4567")
    issued, due = datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)
    overdue = issued_invoice(business, "1234.56", issue_date=issued, due_date=due)
    consumer = CustomerFactory(
        organization=organization, name=f"{prefix}Jan Jansen", kind="consumer"
    )
    letter_invoice = issued_invoice(consumer, "80.00", issue_date=issued, due_date=due)
    consumer.contacts.update(email="")  # no usable address: the reminder goes as a letter
    run.run_dunning(organization, today=TODAY)
    sending.send_pending(organization, now=timezone.now(), ignore_window=True)
    return {
        "business": business,
        "invoice": overdue,
        "consumer": consumer,
        "letter_invoice": letter_invoice,
        "awaiting": Message.objects.get(customer=business, internal=False),
        "letter": Message.objects.get(customer=consumer),
        "call": CallTask.objects.get(customer=business),
    }


@pytest.fixture
def day(organization):
    return decided_day(organization)


def test_the_day_shows_what_waits_what_went_out_and_the_calls(client_a, day):
    assert day["awaiting"].state == MessageState.AWAITING_APPROVAL
    assert day["letter"].state == MessageState.SENT
    page = client_a.get(reverse("dunning:day")).content.decode()
    assert "Bouwbedrijf De Vries B.V." in page and day["invoice"].number in page
    assert reverse("dunning:approve", args=[day["awaiting"].public_id]) in page
    assert "Jan Jansen" in page  # the letter, sent today
    assert reverse("dunning:letters") in page
    assert reverse("dunning:calls") in page


def test_the_day_shows_a_run_that_stopped_on_an_error(client_a, organization):
    Run.objects.create(
        organization=organization, on=TODAY, state=RunState.FAILED, error="OperationalError: x"
    )
    page = in_english(client_a).get(reverse("dunning:day")).content.decode()
    assert "Today's run: Failed." in page and "OperationalError: x" in page


def test_approve_with_a_personal_note_and_the_note_goes_out(client_a, day, settings):
    message = day["awaiting"]
    response = client_a.post(
        reverse("dunning:approve", args=[message.public_id]),
        {"personal_note": "Zoals vanmorgen besproken:"},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.state == MessageState.PENDING
    assert message.personal_note == "Zoals vanmorgen besproken:"
    assert message.send_on == TODAY  # the organization's today, as the page has it
    sending.send_pending(message.organization, now=timezone.now(), ignore_window=True)
    [sent] = mail.outbox
    assert sent.body.startswith("Zoals vanmorgen besproken:")


def test_an_e_mail_and_its_letter_wait_as_one_decision(client_a, organization):
    services.ensure_defaults(organization)
    DunningSettings.objects.filter(organization=organization).update(send_weekdays=[0, 1, 2])
    PolicyStep.objects.filter(
        policy__organization=organization, policy__default_for="business", code="reminder_1"
    ).update(needs_approval=True, channels=["email", "letter"])
    customer = CustomerFactory(organization=organization, name="Dubbel B.V.")
    invoice = issued_invoice(customer, "300.00", issue_date=datetime.date(2026, 2, 1))
    run.run_dunning(organization, today=TODAY)
    both = Message.objects.filter(customer=customer)
    assert sorted(both.values_list("channel", flat=True)) == ["email", "letter"]
    page = client_a.get(reverse("dunning:day"))
    assert page.context["day"].awaiting.count == 1
    [row] = page.context["day"].awaiting.rows
    assert row.channel == "email" and [other.channel for other in row.together] == ["letter"]
    assert [step.invoice for step in row.carried] == [invoice]
    letter = row.together[0]
    letter_page = client_a.get(reverse("dunning:message", args=[letter.public_id]))
    assert invoice.number in letter_page.content.decode()  # the decision's invoices
    client_a.post(reverse("dunning:approve", args=[row.public_id]))
    assert set(both.values_list("state", flat=True)) == {MessageState.PENDING}


def test_skip_keeps_it_from_going_out(client_a, day):
    message = day["awaiting"]
    client_a.post(reverse("dunning:skip", args=[message.public_id]), {"reason": "Belt zelf"})
    message.refresh_from_db()
    assert message.state == MessageState.SKIPPED and message.error == "Belt zelf"
    # A second decision on the same message is refused with a sentence, not an error page.
    response = client_a.post(reverse("dunning:approve", args=[message.public_id]), follow=True)
    assert "no longer waits for approval" in response.content.decode()


def test_a_failed_message_shows_its_error_and_can_be_sent_again(client_a, day):
    message = day["awaiting"]
    Message.objects.filter(pk=message.pk).update(
        state=MessageState.FAILED, error="SMTPRecipientsRefused: 550 no such user", attempts=5
    )
    page = client_a.get(reverse("dunning:day")).content.decode()
    assert "550 no such user" in page
    client_a.post(reverse("dunning:resend", args=[message.public_id]))
    message.refresh_from_db()
    assert message.state == MessageState.PENDING
    assert message.message_id == day["awaiting"].message_id


def test_the_days_letters_download_as_one_pdf(client_a, day):
    response = client_a.get(reverse("dunning:letters"), {"on": TODAY.isoformat()})
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    empty = client_a.get(reverse("dunning:letters"), {"on": "2026-01-01"}, follow=True)
    assert "No letters went out on that day." in empty.content.decode()


def test_a_message_shows_its_content_and_files(client_a, day):
    letter = day["letter"]
    page = client_a.get(reverse("dunning:message", args=[letter.public_id])).content.decode()
    assert day["letter_invoice"].number in page
    assert "No usable e-mail address: sent as a letter." in page
    download = client_a.get(reverse("dunning:attachment", args=[letter.public_id, 1]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    missing = reverse("dunning:attachment", args=[letter.public_id, 9])
    assert client_a.get(missing).status_code == 404
    preview = client_a.get(reverse("dunning:message", args=[day["awaiting"].public_id]))
    assert day["invoice"].number in preview.content.decode()


def test_a_call_result_with_a_promise_holds_the_reminders(client_a, day):
    call = day["call"]
    page = client_a.get(reverse("dunning:calls")).content.decode()
    assert "+31 20 123 4567" in page and day["invoice"].number in page
    url = reverse("dunning:call_result", args=[call.pk])
    refused = client_a.post(url, {"reached": "yes", "promise_amount": "500,00"})
    assert refused.status_code == 422
    assert "Say by which day the amount was promised." in refused.content.decode()
    response = client_a.post(
        url,
        {
            "reached": "yes",
            "promise_on": "2026-03-27",
            "promise_amount": "1.234,56",
            "notes": "Betaalt na de 25e",
        },
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.state == CallState.DONE and call.promise_amount == call.promise_amount
    hold = Hold.objects.get(customer=day["business"])
    assert hold.reason == HoldReason.PROMISE and hold.ends_on == datetime.date(2026, 3, 27)
    log = client_a.get(reverse("dunning:customer", args=[day["business"].public_id]))
    assert "Betaalt na de 25e" in log.content.decode()


def test_the_call_list_reads_in_the_same_number_of_queries_however_long(client_a, day):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client_a.get(reverse("dunning:calls")).status_code == 200
        return len(captured)

    Note.objects.create(customer=day["business"], text="Eerder gebeld")
    one = queries()
    for _ in range(4):
        other = CustomerFactory(organization=day["business"].organization)
        ContactFactory(customer=other, phone="+31 30 765 4321")
        Note.objects.create(customer=other, text="Eerder gebeld")
        CallTask.objects.create(
            organization=other.organization,
            customer=other,
            step_code="reminder_3",
            level=3,
            due_on=TODAY,
        )
    assert queries() == one


def test_the_customer_page_says_what_comes_next_and_takes_a_manual_hold(client_a, day):
    customer = day["business"]
    Note.objects.create(customer=customer, text="Klant belde over factuur")
    url = reverse("dunning:customer", args=[customer.public_id])
    page = client_a.get(url).content.decode()
    assert "Klant belde over factuur" in page  # the log has the notes too
    assert day["invoice"].number in page
    client_a.post(
        reverse("dunning:hold", args=[customer.public_id]),
        {"invoice": str(day["invoice"].public_id), "until": "2026-04-10", "note": "Bouwstop"},
    )
    hold = Hold.objects.get(customer=customer)
    assert hold.invoice == day["invoice"] and hold.reason == HoldReason.MANUAL
    refused = client_a.post(
        reverse("dunning:hold", args=[customer.public_id]), {"invoice": "not-an-invoice"}
    )
    assert refused.status_code == 302 and Hold.objects.filter(customer=customer).count() == 1
    assert "Paused (stopped by hand) until 10 April 2026." in client_a.get(url).content.decode()
    client_a.post(reverse("dunning:lift", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.lifted_on == TODAY


def test_the_invoice_and_customer_pages_carry_the_reminders(client_a, day):
    invoice = day["invoice"]
    Message.objects.filter(pk=day["awaiting"].pk).update(
        delivery="bounced", delivery_detail="mailbox full"
    )
    page = client_a.get(invoice.get_absolute_url()).content.decode()
    assert "Stop reminders for this invoice" in page
    assert "mailbox full" in page  # a bounce shows on the invoice
    assert "mailbox full" in client_a.get(day["business"].get_absolute_url()).content.decode()


def test_schedules_edit_with_a_preview(client_a, organization):
    services.ensure_defaults(organization)
    policy = Policy.objects.get(organization=organization, default_for="business")
    url = reverse("dunning:schedule", args=[policy.public_id])
    page = client_a.get(url, {"due_in": "14", "amount": "500,00"}).content.decode()
    assert "Formal demand" in page
    steps = list(policy.steps.exclude(level=None).order_by("level"))
    data = {
        "name": "Zakelijk",
        "nudge": "on",
        "nudge_days": "2",
        "steps-TOTAL_FORMS": str(len(steps) + 1),
        "steps-INITIAL_FORMS": str(len(steps) + 1),
    }
    every = [*steps, policy.steps.get(level=None)]
    for index, step in enumerate(every):
        data.update(
            {
                f"steps-{index}-code": step.code,
                f"steps-{index}-offset_days": str(step.offset_days + (5 if index == 0 else 0)),
                f"steps-{index}-min_gap_days": str(step.min_gap_days),
                f"steps-{index}-channels": step.channels,
                f"steps-{index}-minimum_amount": "0,00",
            }
        )
        if step.needs_approval:
            data[f"steps-{index}-needs_approval"] = "on"
    assert client_a.post(url, data).status_code == 302
    first = policy.steps.get(code="reminder_1")
    assert first.offset_days == 8 and not first.needs_approval
    assert policy.steps.get(kind="pre_due").offset_days == -2
    assert policy.steps.get(code="formal_demand").needs_approval
    data["steps-0-channels"] = ["fax"]
    assert client_a.post(url, data).status_code == 422


def test_an_own_schedule_for_a_customer(client_a, organization):
    services.ensure_defaults(organization)
    business = Policy.objects.get(organization=organization, default_for="business")
    customer = CustomerFactory(organization=organization, number="D200")
    client_a.post(
        reverse("dunning:schedule_create"),
        {"name": "Trage betalers", "copy_of": str(business.public_id)},
    )
    own = Policy.objects.get(organization=organization, name="Trage betalers")
    assert own.steps.count() == business.steps.count()
    url = reverse("dunning:schedule", args=[own.public_id])
    form = client_a.get(url).context["formset"]
    data = {"name": "Trage betalers", "customers": "D200 D999"}
    data.update({f"steps-{key}": value for key, value in form.management_form.initial.items()})
    for index, each in enumerate(form):
        for name in each.fields:
            value = each.initial.get(name)
            if name == "minimum_amount":
                value = "0,00"
            if value is not None and value is not False:
                data[f"steps-{index}-{name}"] = "on" if value is True else value
    refused = client_a.post(url, data)
    assert "No customer with number D999." in refused.content.decode()
    data["customers"] = "D200"
    assert client_a.post(url, data).status_code == 302
    assert list(own.customers.all()) == [customer]


def test_add_move_and_remove_a_step_on_the_schedule_page(client_a, organization):
    client = in_english(client_a)
    services.ensure_defaults(organization)
    policy = Policy.objects.get(organization=organization, default_for="business")
    url = reverse("dunning:schedule", args=[policy.public_id])
    page = client.get(url, {"after": "1"})
    form = page.context["add_form"]
    assert form["after"].value() == 1 and form["code"].value() == "reminder_4"
    # Halfway between the first reminder (3 days) and the second (14 days).
    assert form["offset_days"].value() == 8 and form["min_gap_days"].value() == 5
    assert "Uses the wording of the second reminder." in page.content.decode()
    data = {
        "add-after": "1",
        "add-kind": "reminder",
        "add-code": "phone_first",
        "add-offset_days": "8",
        "add-min_gap_days": "3",
        "add-channels": ["email", "call"],
        "add-minimum_amount": "100,00",
    }
    added = client.post(reverse("dunning:step_add", args=[policy.public_id]), data)
    assert added.status_code == 302 and added.url.endswith("#step-phone_first")
    assert policy.steps.get(code="phone_first").level == 2
    assert policy.steps.get(code="reminder_2").level == 3
    page = client.get(url).content.decode()
    assert "2. Reminder" in page and "phone_first" in page

    # A formal demand after the first reminder is refused on the page, with the reason.
    refused = client.post(
        reverse("dunning:step_add", args=[policy.public_id]),
        {**data, "add-code": "too_soon", "add-kind": "formal_demand"},
    )
    assert refused.status_code == 422
    assert "fewer than three reminders" in refused.content.decode()
    assert not policy.steps.filter(code="too_soon").exists()

    moved = client.post(
        reverse("dunning:step_move", args=[policy.public_id, "phone_first"]), {"by": "1"}
    )
    assert moved.status_code == 302
    assert policy.steps.get(code="phone_first").level == 3

    remove = reverse("dunning:step_remove", args=[policy.public_id, "phone_first"])
    asked = client.get(remove).content.decode()
    assert "The 4 steps after it move one place up." in asked
    assert client.post(remove).status_code == 302
    assert not policy.steps.filter(code="phone_first").exists()
    assert [step.code for step in policy.steps.exclude(level=None).order_by("level")] == [
        "reminder_1",
        "reminder_2",
        "reminder_3",
        "formal_demand",
        "final_notice",
        "handover",
    ]
    # The third reminder cannot go: the page says why before anything is asked.
    refusal = client.get(reverse("dunning:step_remove", args=[policy.public_id, "reminder_3"]))
    assert "fewer than three reminders" in refusal.content.decode()
    assert "Remove this step</button>" not in refusal.content.decode()
    assert client.post(refusal.request["PATH_INFO"]).status_code == 422
    assert policy.steps.filter(code="reminder_3").exists()


def test_the_removal_says_how_many_invoices_under_way_it_moves(client_a, organization):
    services.ensure_defaults(organization)
    policy = Policy.objects.get(organization=organization, default_for="business")
    customer = CustomerFactory(organization=organization)
    issued_invoice(customer, "800.00", issue_date=datetime.date(2025, 11, 1))
    for day in range(6, 15):
        run.run_dunning(organization, today=datetime.date(2026, 1, day))
    schedules.add_step(
        policy,
        user=None,
        after=3,
        code="reminder_4",
        kind="reminder",
        offset_days=30,
        min_gap_days=5,
    )
    asked = in_english(client_a).get(
        reverse("dunning:step_remove", args=[policy.public_id, "reminder_2"])
    )
    assert "1 open invoice on this schedule has reached step 2 or later." in (
        asked.content.decode()
    )


def test_settings_change(client_a, organization):
    page = client_a.get(reverse("dunning:settings"))
    assert page.status_code == 200
    response = client_a.post(
        reverse("dunning:settings"),
        {
            "send_weekdays": ["1", "2", "3"],
            "window_start": "08:30",
            "window_end": "15:00",
            "sender_name": "Anna de Vries",
            "minimum_open_amount": "25,00",
            "use_payment_habits": "on",
        },
    )
    assert response.status_code == 302
    config = DunningSettings.objects.get(organization=organization)
    assert config.send_weekdays == [1, 2, 3] and str(config.minimum_open_amount) == "25.00"
    assert config.window_start == datetime.time(8, 30) and not config.thank_early_payers
    empty = client_a.post(reverse("dunning:settings"), {"window_start": "16:00"})
    assert empty.status_code == 422


# Who may see and do what ------------------------------------------------------------------


def other_organizations_objects() -> dict:
    organization = OrganizationFactory(slug="b-side", legal_name="Ander Bedrijf B.V.")
    found = decided_day(organization, prefix="B ")
    services.place_hold(
        organization,
        customer=found["business"],
        reason=HoldReason.MANUAL,
        today=TODAY,
    )
    return {
        "public_id": found["awaiting"].public_id,
        "letter": found["letter"].public_id,
        "call": found["call"].pk,
        "hold": Hold.objects.get(organization=organization).pk,
        "customer": found["business"].public_id,
        "policy": Policy.objects.filter(organization=organization).first().public_id,
    }


def test_every_reminder_url_refuses_another_organizations_objects(client_a, organization):
    decided_day(organization)
    other = other_organizations_objects()
    urls = [
        reverse("dunning:message", args=[other["public_id"]]),
        reverse("dunning:approve", args=[other["public_id"]]),
        reverse("dunning:skip", args=[other["public_id"]]),
        reverse("dunning:resend", args=[other["letter"]]),
        reverse("dunning:attachment", args=[other["letter"], 1]),
        reverse("dunning:call_result", args=[other["call"]]),
        reverse("dunning:customer", args=[other["customer"]]),
        reverse("dunning:hold", args=[other["customer"]]),
        reverse("dunning:lift", args=[other["hold"]]),
        reverse("dunning:schedule", args=[other["policy"]]),
        reverse("dunning:step_add", args=[other["policy"]]),
        reverse("dunning:step_remove", args=[other["policy"], "reminder_1"]),
        reverse("dunning:step_move", args=[other["policy"], "reminder_1"]),
    ]
    for url in urls:
        assert client_a.get(url).status_code in (404, 405), url
        assert client_a.post(url, {"reached": "yes"}).status_code == 404, url
    for url in (reverse("dunning:day"), reverse("dunning:calls"), reverse("dunning:schedules")):
        assert "B Bouwbedrijf" not in client_a.get(url).content.decode()
    assert Message.objects.filter(state=MessageState.AWAITING_APPROVAL).count() == 2
    assert Hold.objects.filter(lifted_at__isnull=True).count() == 1
    assert not CallTask.objects.filter(state=CallState.DONE).exists()


def test_read_only_sees_everything_and_changes_nothing(organization, day):
    member = MembershipFactory(organization=organization, role=Role.READ_ONLY)
    reader = in_english(login(member.user))
    services.place_hold(organization, customer=day["business"], reason="manual", today=TODAY)
    policy = Policy.objects.filter(organization=organization).first()
    for url in (
        reverse("dunning:day"),
        reverse("dunning:calls"),
        reverse("dunning:customer", args=[day["business"].public_id]),
        reverse("dunning:schedules"),
        reverse("dunning:settings"),
        reverse("dunning:schedule", args=[policy.public_id]),
        reverse("dunning:message", args=[day["awaiting"].public_id]),
    ):
        response = reader.get(url)
        assert response.status_code == 200, url
        assert "Approve" not in response.content.decode(), url
    refused = [
        reverse("dunning:approve", args=[day["awaiting"].public_id]),
        reverse("dunning:skip", args=[day["awaiting"].public_id]),
        reverse("dunning:resend", args=[day["letter"].public_id]),
        reverse("dunning:call_result", args=[day["call"].pk]),
        reverse("dunning:hold", args=[day["business"].public_id]),
        reverse("dunning:lift", args=[Hold.objects.get().pk]),
        reverse("dunning:schedule", args=[policy.public_id]),
        reverse("dunning:schedule_create"),
        reverse("dunning:settings"),
        reverse("dunning:step_add", args=[policy.public_id]),
        reverse("dunning:step_remove", args=[policy.public_id, "reminder_1"]),
        reverse("dunning:step_move", args=[policy.public_id, "reminder_1"]),
    ]
    for url in refused:
        assert reader.post(url, {"reached": "yes", "name": "x"}).status_code == 403, url
    day["awaiting"].refresh_from_db()
    assert day["awaiting"].state == MessageState.AWAITING_APPROVAL
    assert Hold.objects.filter(lifted_at__isnull=True).count() == 1
    assert Policy.objects.filter(organization=organization).count() == 3
    assert not PolicyStep.objects.filter(policy=policy, code="x").exists()
    assert policy.steps.filter(code="reminder_1").exists()
    page = reader.get(reverse("dunning:schedule", args=[policy.public_id])).content.decode()
    assert "Add a step" not in page and "Remove this step" not in page


def test_sales_sees_only_its_own_customers_reminders(organization, day):
    seller = MembershipFactory(organization=organization, role=Role.SALES).user
    client = in_english(login(seller))
    page = client.get(reverse("dunning:day")).content.decode()
    assert "Bouwbedrijf De Vries" not in page
    for url in (
        reverse("dunning:message", args=[day["awaiting"].public_id]),
        reverse("dunning:customer", args=[day["business"].public_id]),
    ):
        assert client.get(url).status_code == 404, url


def test_names_with_script_render_harmless_on_the_reminder_pages(client_a, organization):
    found = decided_day(organization, prefix="<script>alert('x')</script> ")
    Note.objects.create(customer=found["business"], text="<img src=x onerror=alert(1)>")
    for url in (
        reverse("dunning:day"),
        reverse("dunning:calls"),
        reverse("dunning:customer", args=[found["business"].public_id]),
        reverse("dunning:message", args=[found["awaiting"].public_id]),
        found["invoice"].get_absolute_url(),
    ):
        html = client_a.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert" in html, url

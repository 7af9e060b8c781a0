"""End to end in headless Chromium: approve a reminder and see it sent, record a call with a
promise and see the customer's reminders held. Screenshots of the reminder pages at phone and
desktop width go to test-artifacts/."""

import re

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from tegoed.dunning import sending, services
from tegoed.dunning.models import HoldReason, Message, MessageState, Policy
from tests.factories import MembershipFactory, OrganizationFactory
from tests.web.browsing import ARTIFACTS, shoot
from tests.web.test_browser import pytestmark  # noqa: F401
from tests.web.test_reminders import decided_day


def signed_in(chromium, live_server, user, *, width: int, height: int):
    """A page whose browser carries the user's session (the login form has its own test)."""
    client = Client()
    client.force_login(user)
    page = chromium.new_page(
        viewport={"width": width, "height": height}, locale="nl-NL", is_mobile=width < 500
    )
    page.context.add_cookies(
        [
            {
                "name": name,
                "value": cookie.value,
                "url": live_server.url,
            }
            for name, cookie in client.cookies.items()
        ]
    )
    return page


@pytest.mark.django_db(transaction=True)
def test_approve_a_reminder_then_record_a_promise_on_the_phone(live_server, browser):
    organization = OrganizationFactory(legal_name="Van Dijk Installatietechniek B.V.")
    user = MembershipFactory(organization=organization).user
    day = decided_day(organization)
    page = signed_in(browser, live_server, user, width=1280, height=900)
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Herinneringen", exact=True).click()
    page.wait_for_url("**/reminders/")
    awaiting = page.locator("#awaiting")
    expect(awaiting).to_contain_text("Bouwbedrijf De Vries B.V.")
    expect(awaiting).to_contain_text(day["invoice"].number)
    shoot(page, "reminders-day-desktop")

    # Approve with a personal note: it leaves the list and waits for the sender.
    awaiting.get_by_text("Met een persoonlijke notitie").click()
    awaiting.get_by_label("Persoonlijke notitie").fill("Zoals vanmorgen besproken:")
    awaiting.get_by_role("button", name="Goedkeuren met deze notitie").click()
    expect(page.locator(".messages")).to_contain_text("Goedgekeurd: Bouwbedrijf De Vries B.V.")
    expect(page.locator("#awaiting")).to_contain_text("Niets wacht op goedkeuring.")
    message = Message.objects.get(pk=day["awaiting"].pk)
    assert message.state == MessageState.PENDING

    # The sender runs: the reminder is sent, with the note first, and the page says so.
    sending.send_pending(organization, now=timezone.now(), ignore_window=True)
    page.reload()
    sent = page.locator("#sent")
    expect(sent).to_contain_text("Bouwbedrijf De Vries B.V.")
    expect(sent).to_contain_text("Verstuurd")
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert message.text.startswith("Zoals vanmorgen besproken:")
    shoot(page, "reminders-day-after-approval-desktop")

    # The call list: reached, a promise to pay in ten days.
    page.get_by_role("link", name=re.compile("Bellijst")).first.click()
    page.wait_for_url("**/reminders/calls/")
    expect(page.locator("main")).to_contain_text("+31 20 123 4567")
    shoot(page, "reminders-calls-desktop")
    page.get_by_label("Bereikt", exact=True).check()
    page.get_by_label("Belooft te betalen vóór").fill("2026-03-26")
    page.get_by_label("Toegezegd bedrag").fill("1.234,56")
    page.get_by_label("Notities").fill("Betaalt na de 25e, na goedkeuring van de projectleider")
    page.get_by_role("button", name=re.compile("Resultaat opslaan")).click()
    expect(page.locator(".messages")).to_contain_text("Gesprek met Bouwbedrijf De Vries B.V.")
    expect(page.locator("main")).to_contain_text("Vandaag niemand te bellen.")

    # The customer's reminders are held until the promised day, and the log has it all.
    customer = day["business"]
    [hold] = customer.holds.all()
    assert hold.reason == HoldReason.PROMISE and hold.ends_on.isoformat() == "2026-03-26"
    page.goto(f"{live_server.url}/reminders/customers/{customer.public_id}/")
    expect(page.locator("main")).to_contain_text("Betalingsbelofte")
    expect(page.locator("#log")).to_contain_text("Betaalt na de 25e")
    expect(page.locator("#log")).to_contain_text("Zoals vanmorgen besproken")
    paused = "Gepauzeerd (betalingsbelofte) tot en met 26 maart 2026."
    expect(page.locator("main")).to_contain_text(paused)
    shoot(page, "reminders-customer-desktop")

    policy = Policy.objects.get(organization=organization, default_for="business")
    pages = {
        "reminders-day": "/reminders/",
        "reminders-calls": "/reminders/calls/",
        "reminders-customer": f"/reminders/customers/{customer.public_id}/",
        "reminders-message": f"/reminders/messages/{message.public_id}/",
        "reminders-schedule": f"/reminders/schedules/{policy.public_id}/",
        "reminders-schedules": "/reminders/schedules/",
        "reminders-settings": "/reminders/schedules/settings/",
        "invoice-reminders": day["invoice"].get_absolute_url(),
    }
    for name in ("reminders-message", "reminders-schedule", "reminders-schedules",
                 "invoice-reminders"):  # fmt: skip
        page.goto(f"{live_server.url}{pages[name]}")
        shoot(page, f"{name}-desktop")
    phone = signed_in(browser, live_server, user, width=390, height=844)
    for name, path in pages.items():
        phone.goto(f"{live_server.url}{path}")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name} scrolls sideways at phone width ({width}px)"
        shoot(phone, f"{name}-phone")
    assert refused == []


@pytest.mark.django_db(transaction=True)
def test_add_a_step_to_a_schedule_see_it_in_the_preview_then_remove_it(live_server, browser):
    organization = OrganizationFactory(legal_name="Van Dijk Installatietechniek B.V.")
    user = MembershipFactory(organization=organization).user
    services.ensure_defaults(organization)
    policy = Policy.objects.get(organization=organization, default_for="business")
    url = f"{live_server.url}/reminders/schedules/{policy.public_id}/"
    page = signed_in(browser, live_server, user, width=1280, height=900)
    page.goto(url)
    preview = page.locator("#preview tbody tr")
    expect(preview).to_have_count(6)

    # "Add a step after this one" on the first reminder opens the form at that place.
    page.locator("#step-reminder_1").get_by_role("link", name="Stap hierna toevoegen").click()
    adding = page.locator("#add-step")
    expect(adding.get_by_label("Plaats")).to_have_value("1")
    adding.get_by_label("Code").fill("bellen")
    adding.get_by_label("Dagen na de vervaldatum").fill("8")
    adding.get_by_label("Minstens dagen na de vorige stap").fill("3")
    adding.get_by_label("Telefoongesprek").check()
    shoot(page, "reminders-schedule-add-desktop")
    adding.get_by_role("button", name="Stap toevoegen").click()
    expect(page.locator(".messages")).to_contain_text("Stap 2. Herinnering toegevoegd")

    # In the ladder as step 2, the later steps one on; in the preview 8 days after the due date.
    expect(page.locator("#step-bellen legend")).to_contain_text("2. Herinnering")
    expect(page.locator("#step-reminder_2 legend")).to_contain_text("3. Herinnering")
    expect(page.locator("#step-bellen")).to_contain_text("tweede herinnering")
    expect(preview).to_have_count(7)
    # 8 days after the due date, or the first send day after it.
    assert 8 <= int(preview.nth(1).locator("td.num").inner_text()) <= 11
    expect(preview.nth(1)).to_contain_text("Telefoongesprek")
    shoot(page, "reminders-schedule-added-desktop")
    phone = signed_in(browser, live_server, user, width=390, height=844)
    phone.goto(f"{url}?after=1#add-step")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the schedule scrolls sideways at phone width ({width}px)"
    shoot(phone, "reminders-schedule-add-phone")
    for part in ("step-bellen", "add-step", "preview"):
        phone.locator(f"#{part}").screenshot(path=str(ARTIFACTS / f"reminders-{part}-phone.png"))

    # Removed after a confirmation that says what moves.
    page.locator("#step-bellen").get_by_role("link", name="Deze stap verwijderen").click()
    moves = "De 5 stappen erna schuiven één plaats naar voren."
    expect(page.locator("main")).to_contain_text(moves)
    shoot(page, "reminders-step-remove-desktop")
    phone.goto(page.url)
    shoot(phone, "reminders-step-remove-phone")
    page.get_by_role("button", name="Deze stap verwijderen").click()
    expect(page.locator(".messages")).to_contain_text("verwijderd")
    expect(page.locator("#step-bellen")).to_have_count(0)
    expect(page.locator("#step-reminder_2 legend")).to_contain_text("2. Herinnering")
    expect(preview).to_have_count(6)
    assert not policy.steps.filter(code="bellen").exists()

"""Inviting a member from the settings page: the e-mail goes through a real SMTP server, its
link lets the invitee choose a password once, within its days, and then work in the
organization."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tegoed.accounts import invitations
from tegoed.accounts.models import Membership, Role
from tegoed.audit.models import AuditEvent
from tests.dunning.conftest import Inbox, smtp_server
from tests.factories import MembershipFactory, OrganizationFactory
from tests.web.browsing import PHONE, log_in, needs_chromium, on_phone, shoot
from tests.web.conftest import login


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    with smtp_server(inbox) as port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
        yield inbox


def link_in(message) -> str:
    return re.search(r"https?://\S+/accounts/invitation/\S+/", message.get_content()).group(0)


@pytest.fixture
def owner(db):
    organization = OrganizationFactory(legal_name="Van Dijk Installatietechniek B.V.")
    return MembershipFactory(organization=organization, role=Role.OWNER).user


@pytest.mark.django_db
def test_an_invitation_is_mailed_and_its_link_works_once(owner, smtp):
    organization = owner.memberships.get().organization
    response = login(owner).post(
        reverse("accounts:invite"), {"email": "Petra@Boekhouding.example", "role": "sales"},
        follow=True,
    )  # fmt: skip
    assert "Uitnodiging verstuurd naar petra@boekhouding.example" in response.content.decode()
    assert "Uitgenodigd, nog geen wachtwoord" in response.content.decode()
    ((recipients, message),) = smtp.messages
    assert recipients == ["petra@boekhouding.example"]
    assert (
        message["Subject"]
        == "Uitnodiging om in Tegoed te werken voor Van Dijk Installatietechniek B.V."
    )
    assert message["Reply-To"] == owner.email
    assert "als verkoop" in message.get_content().lower()
    membership = Membership.objects.get(user__email="petra@boekhouding.example")
    assert membership.role == Role.SALES and membership.organization == organization
    assert not membership.user.has_usable_password()
    assert AuditEvent.objects.filter(action="membership.invited").count() == 1

    path = link_in(message).split("testserver", 1)[-1]
    invitee = Client()
    assert "Kies uw wachtwoord" in invitee.get(path).content.decode()
    short = invitee.post(path, {"new_password1": "kort", "new_password2": "kort"})
    assert short.status_code == 200 and 'aria-invalid="true"' in short.content.decode()
    chosen = {"new_password1": "correct horse battery", "new_password2": "correct horse battery"}
    assert invitee.post(path, chosen)["Location"] == "/"
    assert "Van Dijk Installatietechniek" in invitee.get("/").content.decode()
    # Used: the link no longer works, for anyone.
    assert Client().get(path).status_code == 404
    assert "niet meer geldig" in Client().get(path).content.decode()


@pytest.mark.django_db
def test_an_invitation_expires_and_a_wrong_token_is_refused(owner, smtp):
    organization = owner.memberships.get().organization
    membership = invitations.invite_member(
        organization=organization, email="jan@example.com", role="read_only", acting_user=owner
    )
    path = reverse("accounts:accept_invitation", args=[invitations.token_for(membership)])
    assert Client().get(path).status_code == 200
    later = timezone.now() + datetime.timedelta(days=invitations.VALID_DAYS, hours=1)
    with time_machine.travel(later, tick=False):
        assert Client().get(path).status_code == 404
    tampered = path.replace(path.split("/")[-2][-6:], "AAAAAA")
    assert Client().get(tampered).status_code == 404
    assert smtp.messages == []  # invite_member itself sends nothing


@pytest.mark.django_db
def test_only_an_owner_invites_and_a_member_is_not_invited_twice(owner, smtp):
    organization = owner.memberships.get().organization
    controller = MembershipFactory(organization=organization, role=Role.CREDIT_CONTROLLER).user
    data = {"email": "nieuw@example.com", "role": "owner"}
    assert login(controller).post(reverse("accounts:invite"), data).status_code == 403
    again = login(owner).post(
        reverse("accounts:invite"), {"email": controller.email, "role": "sales"}, follow=True
    )
    assert "is al lid van deze organisatie" in again.content.decode()
    bad = login(owner).post(reverse("accounts:invite"), {"email": "geen adres", "role": "sales"},
                            follow=True)  # fmt: skip
    assert "geldig e-mailadres" in bad.content.decode()
    assert smtp.messages == [] and not get_user_model().objects.filter(username="nieuw@example.com")


@pytest.mark.django_db
def test_someone_with_an_account_is_added_and_told_to_sign_in(owner, smtp):
    bookkeeper = MembershipFactory(organization=OrganizationFactory()).user
    login(owner).post(reverse("accounts:invite"), {"email": bookkeeper.email, "role": "sales"})
    ((_recipients, message),) = smtp.messages
    assert "/accounts/invitation/" not in message.get_content()
    assert "/accounts/login/" in message.get_content()
    assert bookkeeper.memberships.count() == 2
    assert bookkeeper.has_usable_password()


@pytest.mark.django_db
def test_a_mail_server_that_refuses_is_reported_and_the_invitation_can_be_sent_again(
    owner, settings, smtp
):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    owner_client = login(owner)
    failed = owner_client.post(
        reverse("accounts:invite"), {"email": "anna@example.com", "role": "sales"}, follow=True
    ).content.decode()
    assert "kon niet worden verstuurd" in failed and "Opnieuw versturen" in failed
    settings.EMAIL_PORT = port
    owner_client.post(reverse("accounts:invite_again", args=["anna@example.com"]))
    assert [recipients for recipients, _message in smtp.messages] == [["anna@example.com"]]


@pytest.mark.browser
@needs_chromium
@pytest.mark.django_db(transaction=True)
def test_an_owner_invites_a_member_who_chooses_a_password_in_the_browser(
    live_server, browser, owner, smtp
):
    page = log_in(browser, live_server, owner)
    page.goto(f"{live_server.url}/accounts/settings/")
    page.locator("#id_email").fill("petra@boekhouding.example")
    page.locator("#id_role").select_option("credit_controller")
    shoot(page, "invite-member-desktop")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.locator(".messages")).to_contain_text("Uitnodiging verstuurd")
    shoot(page, "invite-sent-desktop")

    ((_recipients, message),) = smtp.messages
    invitee = browser.new_page(viewport=PHONE, is_mobile=True, locale="nl-NL")
    invitee.goto(link_in(message))
    expect(invitee.get_by_role("heading", name="Kies uw wachtwoord")).to_be_visible()
    assert invitee.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(invitee, "invite-accept-phone")
    invitee.locator("#id_new_password1").fill("correct horse battery staple")
    invitee.locator("#id_new_password2").fill("correct horse battery staple")
    invitee.get_by_role("button", name="Wachtwoord opslaan en inloggen").click()
    invitee.wait_for_url(f"{live_server.url}/")
    expect(invitee.locator(".messages")).to_contain_text("Van Dijk Installatietechniek B.V.")
    shoot(invitee, "invite-welcome-phone")
    page.reload()
    assert "Uitgenodigd" not in page.inner_text("main")
    on_phone(browser, live_server, page, {"invite-settings": "/accounts/settings/"})

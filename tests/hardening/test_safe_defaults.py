"""Production's defaults: a key is required, the deploy checks pass, sign-ins are throttled
with a lock an owner sees and lifts, every page carries a Content-Security-Policy, and the
health check asks the database."""

import json
import logging
import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.db import DatabaseError
from django.urls import reverse

from tegoed.accounts.models import Role
from tegoed.audit.models import AuditEvent
from tegoed.common.logs import JsonFormatter
from tests.factories import MembershipFactory
from tests.web.conftest import login

PRODUCTION = {
    "PATH": os.environ["PATH"],
    "DJANGO_SETTINGS_MODULE": "tegoed.settings",
    "TEGOED_VAR_DIR": "/nonexistent",
}


def tegoed(*args: str, **environment: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tegoed", *args],
        env={**PRODUCTION, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_does_not_start_without_a_secret_key():
    refused = tegoed("check")
    assert refused.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set" in refused.stderr
    assert tegoed("check", DEBUG="true").returncode == 0


def test_the_deploy_checks_find_nothing_with_a_key_and_hosts():
    checked = tegoed(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY="k" * 20 + "-production-key-" + "x9" * 20, ALLOWED_HOSTS="tegoed.example",
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert "no issues" in checked.stdout


def test_production_sends_https_headers_and_trusts_the_proxy_header_it_is_given():
    shown = tegoed(
        "shell", "-c",
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_PROXY_SSL_HEADER, 'testserver' in s.ALLOWED_HOSTS)",
        SECRET_KEY="a-production-key", SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https",
    )  # fmt: skip
    assert shown.stdout.splitlines()[-1].split() == [
        "True", "True", "True", "31536000", "('HTTP_X_FORWARDED_PROTO',", "'https')", "False"
    ]  # fmt: skip


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy(organization):
    client = login(MembershipFactory(organization=organization).user)
    for url in (reverse("accounts:login"), "/", reverse("customers:list")):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe" not in policy


@pytest.mark.django_db
def test_the_health_check_answers_with_the_database(client, monkeypatch):
    answer = client.get("/health/", HTTP_HOST="10.0.0.7")  # any address, plain HTTP
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"

    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("tegoed.common.health.connection.cursor", broken)
    down = client.get("/health/")
    assert down.status_code == 503
    assert down.json() == {"status": "error", "database": "connection refused"}


@pytest.mark.django_db
def test_wrong_passwords_lock_the_account_until_an_owner_lifts_it(client, organization):
    member = MembershipFactory(organization=organization, role=Role.CREDIT_CONTROLLER).user
    member.set_password("right-password-1")
    member.save()
    login_url = reverse("accounts:login")
    wrong = {"username": member.username, "password": "wrong"}
    for _attempt in range(4):
        assert client.post(login_url, wrong).status_code == 200
    assert client.post(login_url, wrong).status_code == 429  # the fifth locks
    right = {"username": member.username, "password": "right-password-1"}
    locked = client.post(login_url, right)
    assert locked.status_code == 429
    assert "Te vaak een verkeerd wachtwoord" in locked.content.decode()  # the page speaks Dutch

    owner = login(MembershipFactory(organization=organization, role=Role.OWNER).user)
    page = owner.get(reverse("accounts:sign_in_locks"))
    assert member.username in page.content.decode()
    owner.post(reverse("accounts:sign_in_locks"), {"username": member.username})
    assert not AccessAttempt.objects.filter(username=member.username).exists()
    assert AuditEvent.objects.filter(action="sign_in_lock.lifted").exists()
    assert client.post(login_url, right).status_code == 302


@pytest.mark.django_db
def test_only_an_owner_sees_the_locks_and_only_of_members(client, organization):
    controller = login(
        MembershipFactory(organization=organization, role=Role.CREDIT_CONTROLLER).user
    )
    assert controller.get(reverse("accounts:sign_in_locks")).status_code == 403
    stranger = MembershipFactory().user  # a member of another organization
    for _attempt in range(5):
        client.post(reverse("accounts:login"), {"username": stranger.username, "password": "x"})
    owner = login(MembershipFactory(organization=organization, role=Role.OWNER).user)
    assert stranger.username not in owner.get(reverse("accounts:sign_in_locks")).content.decode()
    owner.post(reverse("accounts:sign_in_locks"), {"username": stranger.username})
    assert AccessAttempt.objects.filter(username=stranger.username).exists()


def test_logs_are_one_json_object_a_line():
    record = logging.LogRecord(
        "tegoed.banking", logging.WARNING, __file__, 1, "imported %s", ("x",), None
    )
    record.organization = "demo"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "WARNING" and entry["message"] == "imported x"
    assert entry["organization"] == "demo" and entry["time"].endswith("+00:00")

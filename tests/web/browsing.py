"""Helpers of the browser tests: Debian's chromium, screenshots to test-artifacts/, logging in,
and the check that a page fits a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
)


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(browser, live_server, user, *, viewport=DESKTOP, locale="nl-NL"):
    """A page of a new browser context, logged in as `user`."""
    page = browser.new_page(viewport=viewport, locale=locale, is_mobile=viewport is PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam" if locale.startswith("nl") else "Username").fill(
        user.username
    )
    page.get_by_label("Wachtwoord" if locale.startswith("nl") else "Password").fill(
        "correct horse battery"
    )
    page.get_by_role("button", name="Inloggen" if locale.startswith("nl") else "Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def on_phone(browser, live_server, page, paths: dict[str, str]) -> None:
    """Open each path at phone width with the page's session; none may scroll sideways."""
    phone = browser.new_page(viewport=PHONE, is_mobile=True, locale="nl-NL")
    phone.context.add_cookies(page.context.cookies())
    for name, path in paths.items():
        phone.goto(f"{live_server.url}{path}")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name} scrolls sideways at phone width ({width}px)"
        shoot(phone, f"{name}-phone")
    phone.close()

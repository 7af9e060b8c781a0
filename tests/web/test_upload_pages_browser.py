"""In headless Chromium: a statement too large is refused on a page of the normal layout that
leads back to the form, and an empty one is named as empty; at desktop and phone width."""

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from tegoed.accounts.models import Role
from tests.factories import MembershipFactory, OrganizationFactory
from tests.web.browsing import PHONE, log_in, needs_chromium, shoot

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]


@override_settings(TEGOED_MAX_UPLOAD_BYTES=4000)
def test_too_large_and_empty_statements_are_explained(live_server, browser, tmp_path):
    owner = MembershipFactory(organization=OrganizationFactory(), role=Role.OWNER).user
    large = tmp_path / "afschrift-2025.xml"
    large.write_bytes(b"<x/>" * 2000)
    empty = tmp_path / "leeg.sta"
    empty.write_bytes(b"")

    for viewport, width in ((None, "desktop"), (PHONE, "phone")):
        page = log_in(browser, live_server, owner, **({"viewport": viewport} if viewport else {}))
        page.goto(f"{live_server.url}/bank/")
        page.set_input_files("input[type=file]", str(large))
        page.get_by_role("button", name="Inlezen en koppelen").click()
        expect(page.get_by_role("heading", name="Bestand te groot")).to_be_visible()
        assert "bestanden tot 3,9" in page.inner_text("main")
        assert page.get_by_role("navigation", name="Hoofdmenu").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
        shoot(page, f"upload-too-large-{width}")
        page.get_by_role("link", name="Terug naar het formulier").click()
        page.wait_for_url(f"{live_server.url}/bank/")

        page.set_input_files("input[type=file]", str(empty))
        page.get_by_role("button", name="Inlezen en koppelen").click()
        expect(page.locator(".messages")).to_contain_text("leeg.sta is leeg (0 bytes)")
        shoot(page, f"upload-empty-{width}")
        page.close()

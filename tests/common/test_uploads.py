import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import translation

from tegoed.common.uploads import validate_upload_size


@override_settings(TEGOED_MAX_UPLOAD_BYTES=1000)
@pytest.mark.django_db
def test_a_request_larger_than_the_limit_is_refused_before_it_is_read():
    response = Client().post(
        "/accounts/login/",
        data={"file": SimpleUploadedFile("big.xml", b"x" * 2000)},
    )
    assert response.status_code == 413
    small = Client().post("/accounts/login/", data={"username": "a", "password": "b"})
    assert small.status_code != 413


@override_settings(TEGOED_MAX_UPLOAD_BYTES=1000)
def test_a_form_names_the_file_and_the_limit():
    with translation.override("en"), pytest.raises(ValidationError, match=r"big\.xml is 2\.0"):
        validate_upload_size(SimpleUploadedFile("big.xml", b"x" * 2048))
    validate_upload_size(SimpleUploadedFile("small.xml", b"x" * 10))


@override_settings(TEGOED_MAX_UPLOAD_BYTES=1000)
@pytest.mark.django_db
def test_a_too_large_upload_is_refused_in_the_layout_with_a_way_back():
    from tests.factories import MembershipFactory

    client = Client()
    client.force_login(MembershipFactory().user)
    response = client.post(
        "/bank/upload/",
        data={"file": SimpleUploadedFile("big.xml", b"x" * 2000)},
        HTTP_REFERER="http://testserver/bank/",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "File too large" in page and "files up to 1000" in page
    assert 'class="main-nav"' in page  # the normal layout, with its navigation
    assert 'href="http://testserver/bank/">Back to the form' in page
    elsewhere = client.post(
        "/bank/upload/",
        data={"file": SimpleUploadedFile("big.xml", b"x" * 2000)},
        HTTP_REFERER="https://example.com/",
    )
    assert 'href="/">' in elsewhere.content.decode()


def _owner_client(organization):
    from tegoed.accounts.models import Role
    from tests.factories import MembershipFactory

    client = Client()
    client.force_login(MembershipFactory(organization=organization, role=Role.OWNER).user)
    return client


@pytest.mark.django_db
def test_every_upload_form_says_an_empty_file_is_empty():
    from tests.factories import CustomerFactory, OrganizationFactory, issued_invoice

    organization = OrganizationFactory()
    client = _owner_client(organization)
    empty = "leeg.xml is leeg (0 bytes)"

    def post(url, data, **extra):
        return client.post(url, data, follow=True, **extra).content.decode()

    statement = SimpleUploadedFile("leeg.xml", b"")
    assert empty in post("/bank/upload/", {"file": statement})

    ubl = SimpleUploadedFile("leeg.xml", b"")
    assert empty in post("/documents/import/ubl/", {"files": [ubl]})

    logo = SimpleUploadedFile("leeg.png", b"", content_type="image/png")
    assert "leeg.png is leeg" in post("/documents/settings/", {"logo": logo})

    from tests.web.test_organization_settings import settings_data

    logo = SimpleUploadedFile("leeg.png", b"", content_type="image/png")
    assert "leeg.png is leeg" in post(
        "/accounts/settings/", {**settings_data(organization), "logo": logo}
    )

    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "100.00")
    proof = SimpleUploadedFile("bewijs.pdf", b"")
    page = post(
        f"/arrangements/customers/{customer.public_id}/dispute/",
        {
            "dispute-invoice": invoice.pk,
            "dispute-reason": "already_paid",
            "dispute-channel": "email",
            "dispute-proof": proof,
        },
    )
    assert "bewijs.pdf is leeg" in page
    from tegoed.arrangements.models import Dispute

    assert not Dispute.objects.exists()


@pytest.mark.django_db
def test_the_favicon_is_linked_and_served_at_the_root():
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"
    login_page = Client().get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/tegoed/favicon.svg"' in login_page

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

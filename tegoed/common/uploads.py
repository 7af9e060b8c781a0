"""The limit on what a browser may send: uploads of statements, CSV and UBL files, logos.

Django limits the size of form fields but not of uploaded files, which it streams to disk. The
middleware refuses a request whose declared length is over the limit before anything is read
(413), with a page in the normal layout that leads back to the form; the validator gives a
form the same limit with a message in the user's language, for a request that does not declare
its length. Every upload field of the project is an `UploadField` or `UploadImageField`, so an
empty file is refused by name, not taken for a file of the wrong kind.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def limit() -> int:
    return settings.TEGOED_MAX_UPLOAD_BYTES


def validate_upload_size(upload) -> None:
    if upload.size > limit():
        raise ValidationError(
            _("%(name)s is %(size)s; files up to %(limit)s are accepted.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit()),
            }
        )


def refuse_empty(upload) -> None:
    if upload and not upload.size:
        raise ValidationError(
            _("%(name)s is empty (0 bytes); choose the file again, or another one.")
            % {"name": upload.name},
            code="empty",
        )


class UploadField(forms.FileField):
    """A file field that names an empty file and keeps to the upload limit."""

    default_validators = [validate_upload_size]

    def to_python(self, data):
        refuse_empty(data)
        return super().to_python(data)


class UploadImageField(forms.ImageField):
    default_validators = [validate_upload_size]

    def to_python(self, data):
        refuse_empty(data)
        return super().to_python(data)


def _way_back(request) -> str:
    """The page the form was on, when the browser says so and it is ours; else the start."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("reports:dashboard")


def limit_request_size(get_response):
    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit():
            return render(
                request,
                "413.html",
                {
                    "limit": filesizeformat(limit()),
                    "size": filesizeformat(length),
                    "back": _way_back(request),
                },
                status=413,
            )
        return get_response(request)

    return middleware

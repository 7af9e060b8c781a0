"""The limit on what a browser may send: uploads of statements, CSV and UBL files, logos.

Django limits the size of form fields but not of uploaded files, which it streams to disk. The
middleware refuses a request whose declared length is over the limit before anything is read
(413); the validator gives a form the same limit with a message in the user's language, for a
request that does not declare its length.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
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


def limit_request_size(get_response):
    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit():
            message = _("The upload is larger than %(limit)s.") % {"limit": filesizeformat(limit())}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return get_response(request)

    return middleware

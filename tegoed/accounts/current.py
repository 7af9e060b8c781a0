"""The organization a staff user is working in for this request.

The chosen organization is kept in the session and checked against the user's memberships on
every request, so a membership that is taken away stops access at once. Without a choice the
user's first organization is used. The page language is the user's own choice (the language
cookie), else the language the browser asks for when Tegoed speaks it, else the organization's
language.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation.trans_real import parse_accept_lang_header

from tegoed.accounts.models import Membership, Role
from tegoed.accounts.queries import memberships_for_user

SESSION_KEY = "tegoed_organization"


class CurrentOrganizationMiddleware:
    """Sets `request.membership` and `request.organization` (None when the user has none)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = current_membership(request)
        request.membership = membership
        request.organization = membership.organization if membership else None
        if membership is not None:
            if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and not browser_language(
                request
            ):
                translation.activate(membership.organization.language)
                request.LANGUAGE_CODE = translation.get_language()
            timezone.activate(membership.organization.tz)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def browser_language(request: HttpRequest) -> str | None:
    """The first language the browser asks for that Tegoed speaks, if any."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def current_membership(request: HttpRequest) -> Membership | None:
    memberships = memberships_for_user(request.user)
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if chosen is not None:
        membership = memberships.filter(organization__public_id=chosen).first()
        if membership is not None:
            return membership
    return memberships.order_by("organization__legal_name", "organization_id").first()


def choose_organization(request: HttpRequest, membership: Membership) -> None:
    request.session[SESSION_KEY] = str(membership.organization.public_id)


def today(request: HttpRequest):
    """Today in the organization's time zone: the one place the web UI reads the clock."""
    return timezone.localdate(timezone=request.organization.tz)


def may_change(request: HttpRequest) -> bool:
    return request.membership is not None and request.membership.can_change


def is_sales(request: HttpRequest) -> bool:
    return request.membership is not None and request.membership.role == Role.SALES


def organization_required(view):
    """Log in first; a user without any organization sees a page saying so."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.organization is None:
            return render(request, "accounts/no_organization.html", status=403)
        return view(request, *args, **kwargs)

    wrapper.organization_required = True
    return wrapper


def change_required(view):
    """For views that change the books: owners and credit controllers only (403 otherwise)."""

    @organization_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_change(request):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def require_owner(request: HttpRequest) -> None:
    """Only an owner may see or do this (403): sign-in locks, a customer's personal data. A
    view that fetches an object fetches it first, so another organization's is a 404."""
    if request.membership is None or request.membership.role != Role.OWNER:
        raise PermissionDenied


def owner_required(view):
    @organization_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        require_owner(request)
        return view(request, *args, **kwargs)

    return wrapper


def organization_context(request: HttpRequest) -> dict:
    """Template context: the organization, the role and the user's other organizations."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"organization": None, "membership": None, "may_change": False}
    return {
        "organization": membership.organization,
        "membership": membership,
        "may_change": membership.can_change,
        "memberships": lambda: list(memberships_for_user(request.user)),
    }

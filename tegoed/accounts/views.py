"""Log in, log out, and switch between the organizations a user works in."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tegoed.accounts.current import choose_organization, organization_required
from tegoed.accounts.queries import memberships_for_user


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@require_POST
@organization_required
def switch_organization(request: HttpRequest) -> HttpResponse:
    membership = (
        memberships_for_user(request.user)
        .filter(organization__public_id__iexact=request.POST.get("organization", ""))
        .first()
    )
    if membership is None:
        raise Http404
    choose_organization(request, membership)
    # Back to the dashboard: the page the user was on belongs to the other organization.
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)

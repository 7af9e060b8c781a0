"""Log in, log out, switch between the organizations a user works in, and (owners) the
members' sign-in locks."""

from __future__ import annotations

import copy
import smtplib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tegoed.accounts import approval, forms, invitations, queries, services
from tegoed.accounts.current import (
    choose_organization,
    organization_required,
    owner_required,
    require_owner,
)
from tegoed.accounts.models import Role
from tegoed.accounts.queries import memberships_for_user
from tegoed.domain.errors import DomainError


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


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """What django-axes answers a locked-out sign-in: the page says why and for how long."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


@owner_required
def sign_in_locks(request: HttpRequest) -> HttpResponse:
    """Members locked out by wrong passwords; the owner may lift a lock at once."""
    if request.method == "POST":
        username = request.POST.get("username", "")
        try:
            services.lift_sign_in_lock(
                organization=request.organization, username=username, acting_user=request.user
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s can sign in again.") % {"name": username})
        return redirect("accounts:sign_in_locks")
    locks = queries.sign_in_locks(request.organization, now=timezone.now())
    return render(request, "accounts/sign_in_locks.html", {"locks": locks})


@organization_required
def organization_settings(request: HttpRequest) -> HttpResponse:
    """The organization's own settings and its members; owners change them, others read."""
    organization = request.organization
    may_own = request.membership.role == Role.OWNER
    form = forms.OrganizationForm(
        request.POST or None, request.FILES or None, instance=copy.copy(organization)
    )
    if request.method == "POST":
        require_owner(request)
        if form.is_valid():
            try:
                services.update_organization(
                    organization=organization,
                    acting_user=request.user,
                    approval_limits=form.approval_limits(),
                    **{name: form.cleaned_data[name] for name in services.ORGANIZATION_FIELDS},
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Settings saved; new invoices use them."))
                return redirect("accounts:settings")
    members = [
        (member, approval.limit_of(member), invitations.is_pending(member))
        for member in organization.memberships.select_related("user", "organization").order_by(
            "user__username"
        )
    ]
    context = {
        "form": form,
        "members": members,
        "may_own": may_own,
        "roles": Role.choices,
        "invitation_form": forms.InvitationForm(),
        "valid_days": invitations.VALID_DAYS,
    }
    return render(request, "accounts/settings.html", context)


@require_POST
@organization_required
def member(request: HttpRequest, username: str) -> HttpResponse:
    membership = queries.get_membership_in(request.organization, username)
    require_owner(request)
    form = forms.MembershipForm(request.POST)
    if form.is_valid():
        try:
            services.update_membership(
                membership=membership,
                role=form.cleaned_data["role"],
                approval_limit=form.cleaned_data["approval_limit"],
                acting_user=request.user,
            )
        except (services.MembershipError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request, _("%(user)s: changes saved.") % {"user": membership.user.get_username()}
            )
    else:
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
    return redirect("accounts:settings")


def _send_invitation(request: HttpRequest, membership) -> None:
    """Send the invitation and say so; a refusing mail server is reported, not hidden."""
    if invitations.is_pending(membership):
        token = invitations.token_for(membership)
        link = request.build_absolute_uri(reverse("accounts:accept_invitation", args=[token]))
    else:
        link = request.build_absolute_uri(reverse("accounts:login"))
    email = membership.user.email
    try:
        invitations.send_invitation(membership, link=link, inviter=request.user)
    except (OSError, smtplib.SMTPException) as error:
        messages.error(
            request,
            _("The invitation to %(email)s could not be sent (%(error)s); try “Send again”.")
            % {"email": email, "error": error},
        )
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": email})


@require_POST
@organization_required
def invite(request: HttpRequest) -> HttpResponse:
    require_owner(request)
    form = forms.InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
        return redirect("accounts:settings")
    try:
        membership = invitations.invite_member(
            organization=request.organization,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            acting_user=request.user,
        )
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        _send_invitation(request, membership)
    return redirect("accounts:settings")


@require_POST
@organization_required
def invite_again(request: HttpRequest, username: str) -> HttpResponse:
    membership = queries.get_membership_in(request.organization, username)
    require_owner(request)
    _send_invitation(request, membership)
    return redirect("accounts:settings")


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Choose a password from the invitation's link, then work in the organization."""
    membership = invitations.membership_for_token(token)
    if membership is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    user = membership.user
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        choose_organization(request, membership)
        messages.success(
            request,
            _("Welcome. You work in %(organization)s.")
            % {"organization": membership.organization.display_name},
        )
        return redirect("reports:dashboard")
    context = {"form": form, "invited": membership}
    return render(request, "accounts/accept_invitation.html", context)

"""Inviting a member: the owner names an e-mail address and a role; the invitee gets an e-mail
with a link to choose a password and is then signed in.

The link carries a signed token (Django's signing, with the install's secret key) that expires
after `VALID_DAYS` and holds a fingerprint of the user's password hash: choosing a password
changes the hash, so the link works once. Someone who already has an account (a bookkeeper
working for several organizations) is added at once and told so; their password is theirs.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tegoed.accounts.models import Membership, Organization, Role
from tegoed.accounts.services import MembershipError
from tegoed.audit import services as audit

VALID_DAYS = 7
SALT = "tegoed.accounts.invitation"


def _fingerprint(user) -> str:
    return salted_hmac(SALT, user.password).hexdigest()[:16]


def token_for(membership: Membership) -> str:
    return signing.dumps(
        {"m": membership.pk, "u": membership.user_id, "p": _fingerprint(membership.user)},
        salt=SALT,
        compress=True,
    )


def membership_for_token(token: str) -> Membership | None:
    """The membership the token invites to, while it is valid and unused; None otherwise."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=VALID_DAYS * 24 * 3600)
        membership = Membership.objects.select_related("user", "organization").get(
            pk=payload["m"], user_id=payload["u"]
        )
    except (signing.BadSignature, Membership.DoesNotExist, KeyError, TypeError, ValueError):
        return None
    if payload.get("p") != _fingerprint(membership.user) or not membership.user.is_active:
        return None
    return membership


def is_pending(membership: Membership) -> bool:
    """Invited, and no password chosen yet."""
    return not membership.user.has_usable_password()


@transaction.atomic
def invite_member(*, organization: Organization, email: str, role: str, acting_user) -> Membership:
    """A membership for the address (a new account without a password, or the existing
    account with that address)."""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise MembershipError(
            _("“%(email)s” is not an e-mail address.") % {"email": email}
        ) from None
    if role not in Role.values:
        raise MembershipError(_("Unknown role."))
    users = get_user_model().objects
    user = users.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        user = users.filter(username__iexact=email).first()
    if (
        user is not None
        and Membership.objects.filter(organization=organization, user=user).exists()
    ):
        raise MembershipError(
            _("%(email)s is already a member of this organization.") % {"email": email}
        )
    if user is None:
        user = users.create_user(username=email.lower(), email=email.lower(), password=None)
    membership = Membership.objects.create(organization=organization, user=user, role=role)
    audit.record(
        organization=organization,
        actor=acting_user,
        action="membership.invited",
        subject=membership,
        summary=_("%(email)s invited as %(role)s") % {"email": email, "role": Role(role).label},
        details={"email": email, "role": role},
    )
    return membership


def send_invitation(membership: Membership, *, link: str, inviter) -> None:
    """The invitation e-mail, in the organization's language; raises when the mail server
    refuses, so that the owner can send it again."""
    organization = membership.organization
    context = {
        "organization": organization.display_name,
        "inviter": inviter.get_full_name() or inviter.get_username(),
        "role": None,
        "link": link,
        "pending": is_pending(membership),
        "days": VALID_DAYS,
        "username": membership.user.get_username(),
    }
    with translation.override(organization.language):
        context["role"] = str(Role(membership.role).label)
        subject = _("Invitation to work in %(organization)s in Tegoed") % {
            "organization": organization.display_name
        }
        body = render_to_string("accounts/invitation_email.txt", context)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[membership.user.email],
        reply_to=[inviter.email] if inviter.email else None,
    )
    message.send(fail_silently=False)

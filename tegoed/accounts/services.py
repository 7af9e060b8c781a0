"""Writes about people rather than the books: lifting a member's sign-in lock."""

from __future__ import annotations

from axes.utils import reset
from django.db import transaction
from django.utils.translation import gettext as _

from tegoed.accounts.models import Membership
from tegoed.audit import services as audit
from tegoed.domain.errors import DomainError


@transaction.atomic
def lift_sign_in_lock(*, organization, username: str, acting_user) -> int:
    """Forget a member's wrong passwords (and those from the addresses they came from), so
    that the member can sign in at once; returns how many attempts were forgotten."""
    membership = (
        Membership.objects.filter(organization=organization, user__username=username)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise DomainError(_("%(name)s is not a member of this organization.") % {"name": username})
    forgotten = reset(username=username)
    audit.record(
        organization=organization,
        actor=acting_user,
        action="sign_in_lock.lifted",
        subject=membership,
        summary=_("Sign-in lock of %(name)s lifted") % {"name": username},
        details={"attempts_forgotten": forgotten},
    )
    return forgotten

"""Who may work in which organization. Every tenant-scoped read starts here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.core.management.base import CommandError
from django.db.models import Max, QuerySet, Sum
from django.http import Http404

from tegoed.accounts.models import Membership, Organization


def memberships_for_user(user) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organization")


def require_membership(user, organization: Organization) -> Membership:
    """The user's membership of the organization; 404 when there is none.

    404 rather than 403: a user of organization A must not learn what exists in B.
    """
    membership = memberships_for_user(user).filter(organization=organization).first()
    if membership is None:
        raise Http404
    return membership


def get_organization_by_slug(slug: str) -> Organization:
    """For the command line, where the operator of the install acts for every organization."""
    try:
        return Organization.objects.get(slug=slug)
    except Organization.DoesNotExist:
        known = ", ".join(Organization.objects.values_list("slug", flat=True)[:20]) or "none"
        raise CommandError(f"No organization {slug!r} (known: {known})") from None


@dataclass(frozen=True, slots=True)
class SignInLock:
    username: str
    failures: int
    last_attempt: datetime.datetime
    locked_until: datetime.datetime
    addresses: tuple[str, ...]


def sign_in_locks(organization: Organization, *, now: datetime.datetime) -> list[SignInLock]:
    """Members of the organization locked out by wrong passwords (django-axes), now."""
    names = list(
        Membership.objects.filter(organization=organization).values_list(
            "user__username", flat=True
        )
    )
    rows = (
        AccessAttempt.objects.filter(username__in=names)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
        .order_by("username")
    )
    locks = []
    for row in rows:
        locked_until = row["last_attempt"] + settings.AXES_COOLOFF_TIME
        if row["failures"] >= settings.AXES_FAILURE_LIMIT and locked_until > now:
            addresses = AccessAttempt.objects.filter(username=row["username"]).values_list(
                "ip_address", flat=True
            )
            locks.append(
                SignInLock(
                    row["username"],
                    row["failures"],
                    row["last_attempt"],
                    locked_until,
                    tuple(sorted({address for address in addresses if address})),
                )
            )
    return locks


def get_membership_in(organization: Organization, username: str) -> Membership:
    """A user's membership of the organization; 404 for anyone else."""
    membership = (
        Membership.objects.select_related("user", "organization")
        .filter(organization=organization, user__username=username)
        .first()
    )
    if membership is None:
        raise Http404
    return membership

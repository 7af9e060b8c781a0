"""Who may work in which organization. Every tenant-scoped read starts here."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db.models import QuerySet
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

"""Writes about people rather than the books: a member's sign-in lock, the organization's own
settings and its members' roles.

Issued invoices keep the organization as it was when they were issued
(`invoices.services.keep_as_issued`), so a change of settings reaches new invoices only.
"""

from __future__ import annotations

from decimal import Decimal

from axes.utils import reset
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tegoed.accounts.models import Membership, Organization, Role
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


ORGANIZATION_FIELDS = (
    "legal_name", "trade_name", "street", "postal_code", "city", "country", "kvk_number",
    "vat_number", "iban", "bic", "sepa_creditor_id", "sender_email", "reply_to_email", "phone",
    "website", "logo", "language", "invoice_number_prefix", "default_payment_term_days",
    "early_payment_discount", "early_payment_discount_days",
)  # fmt: skip


class MembershipError(DomainError):
    """A change of members the organization cannot take (the message says why)."""


@transaction.atomic
def update_organization(*, organization: Organization, acting_user, **values) -> Organization:
    """Save the organization's own settings; `approval_limits` by role among them."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    changed = {}
    for name, value in values.items():
        if name not in (*ORGANIZATION_FIELDS, "approval_limits"):
            raise ValueError(f"not an organization setting: {name}")
        if getattr(organization, name) != value:
            changed[name] = value
            setattr(organization, name, value)
    organization.full_clean()
    organization.save()
    if changed:
        audit.record(
            organization=organization,
            actor=acting_user,
            action="organization.changed",
            subject=organization,
            summary=", ".join(sorted(changed)),
            details={"fields": sorted(changed)},
        )
    return organization


@transaction.atomic
def update_membership(
    *, membership: Membership, role: str, approval_limit: Decimal | None, acting_user
) -> Membership:
    """Give a member another role or approval limit; an organization keeps at least one owner."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role not in Role.values:
        raise MembershipError(_("Unknown role."))
    others = Membership.objects.filter(organization=membership.organization, role=Role.OWNER)
    if (
        membership.role == Role.OWNER
        and role != Role.OWNER
        and not others.exclude(pk=membership.pk).exists()
    ):
        raise MembershipError(_("An organization keeps at least one owner."))
    if approval_limit is not None and approval_limit < 0:
        raise ValidationError(_("An approval limit is zero or more."))
    membership.role, membership.approval_limit = role, approval_limit
    membership.save(update_fields=["role", "approval_limit", "updated_at"])
    audit.record(
        organization=membership.organization,
        actor=acting_user,
        action="membership.changed",
        subject=membership,
        summary=f"{membership.user}: {role} {approval_limit if approval_limit is not None else ''}",
        details={
            "role": role,
            "approval_limit": None if approval_limit is None else str(approval_limit),
        },
    )
    return membership

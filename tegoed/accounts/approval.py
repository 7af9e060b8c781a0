"""Who may book a correction alone: the approval limit per role (and per member).

A credit note or a write-off gives up money, so each is checked against the acting member's
limit before the ledger books it (`tegoed.invoices.services.credit_invoice` and `write_off`,
which every flow that gives up money calls: the screen, settling for less, the daily run's
small-amount write-off). The limit is, in order: the member's own `Membership.approval_limit`,
the organization's limit for the role (`Organization.approval_limits`), the default below.
None means no limit. Work done by the system itself (a scheduled run, the command line) has
no member and is bounded by its own policy, not by a role.
"""

from __future__ import annotations

from decimal import Decimal

from tegoed.accounts.models import Membership, Role

DEFAULT_LIMITS: dict[str, Decimal | None] = {
    Role.OWNER: None,
    Role.CREDIT_CONTROLLER: Decimal("1000.00"),
    Role.SALES: Decimal("0.00"),
    Role.READ_ONLY: Decimal("0.00"),
}


def limit_of(membership: Membership) -> Decimal | None:
    """The largest amount this member may credit or write off alone; None: no limit."""
    if membership.approval_limit is not None:
        return membership.approval_limit
    limits = membership.organization.approval_limits or {}
    if membership.role in limits:
        value = limits[membership.role]
        return None if value in (None, "") else Decimal(value)
    return DEFAULT_LIMITS.get(membership.role, Decimal("0.00"))


def limit_for(user, organization) -> Decimal | None:
    """The limit of a user acting in an organization; None for the system (no user)."""
    if not getattr(user, "is_authenticated", False):
        return None
    membership = (
        Membership.objects.select_related("organization")
        .filter(user=user, organization=organization)
        .first()
    )
    return Decimal("0.00") if membership is None else limit_of(membership)


def allows(user, organization, amount: Decimal) -> bool:
    """Whether the user may credit or write off `amount` alone in the organization."""
    limit = limit_for(user, organization)
    return limit is None or amount <= limit

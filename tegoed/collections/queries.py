"""Reads of hand-overs; `get_handover_for_member` is the only way views fetch one."""

from django.http import Http404

from tegoed.collections.models import Handover


def get_handover_for_member(user, membership, public_id) -> Handover:
    """The hand-over if it belongs to the organization the user works in (a salesperson: one
    of their own customers); 404 otherwise."""
    from tegoed.accounts.queries import require_membership

    organization = membership.organization
    require_membership(user, organization)
    try:
        handover = Handover.objects.select_related("customer", "agency").get(
            organization=organization, public_id=public_id
        )
    except (Handover.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if membership.role == "sales" and handover.customer.sales_owner_id != user.pk:
        raise Http404
    return handover

"""Writes of the claim's settings, each with its audit event."""

from django.db import transaction
from django.utils.translation import gettext as _

from tegoed.audit import services as audit
from tegoed.claims.models import ClaimTerms, SimpleInterest, SimpleInterestSource


def save_claim_terms(*, terms: ClaimTerms, acting_user) -> ClaimTerms:
    """Keep the organization's clause for collection costs and its consumer due dates."""
    terms.full_clean()
    terms.save()
    clause = (
        f"{terms.costs_clause_percent} %, at least {terms.costs_clause_minimum}"
        if terms.costs_clause_percent is not None
        else "the statutory scale"
    )
    audit.record(
        organization=terms.organization,
        actor=acting_user,
        action="claims.terms_changed",
        subject=terms,
        summary=f"collection costs: {clause}; consumers agree the due date: "
        f"{'yes' if terms.consumer_due_date_agreed else 'no'}",
    )
    return terms


def set_simple_interest(
    invoice, *, simple: bool, source: str = SimpleInterestSource.CONTRACT, note: str = "",
    acting_user=None,
) -> None:  # fmt: skip
    """Switch the invoice's claim to simple interest (a contract or judgment says so) or back
    to the yearly compounding of art. 6:119 lid 2 BW."""
    if source not in SimpleInterestSource.values:
        raise ValueError(f"unknown source {source!r}")
    with transaction.atomic():
        if simple:
            SimpleInterest.objects.update_or_create(
                invoice=invoice,
                defaults={"source": source, "note": note[:300], "recorded_by": acting_user},
            )
        else:
            SimpleInterest.objects.filter(invoice=invoice).delete()
        audit.record(
            organization=invoice.organization,
            actor=acting_user,
            action="claims.simple_interest" if simple else "claims.compound_interest",
            subject=invoice,
            summary=(
                _("%(number)s: simple interest (%(source)s)")
                % {"number": invoice.number, "source": SimpleInterestSource(source).label}
                if simple
                else _("%(number)s: interest compounds each year again")
                % {"number": invoice.number}
            ),
            details={"simple": simple, "source": source, "note": note},
        )

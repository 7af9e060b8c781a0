"""Writes of the claim's settings, each with its audit event."""

from tegoed.audit import services as audit
from tegoed.claims.models import ClaimTerms


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

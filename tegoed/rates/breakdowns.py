"""The interest, cost and claim breakdowns as JSON-ready dicts: amounts and rates as strings.

One shape for the CLI, the API and the audit trail, so that each shows the same figures.
"""

from decimal import Decimal

from tegoed.domain import claim, collection_costs, interest, limitation
from tegoed.domain.rate_table import Rate


def amount(value: Decimal) -> str:
    return f"{value:.2f}"


def rate(value: Decimal) -> str:
    """A percentage with at least two decimals: "8.05", "2.00", "10.50"."""
    if value.as_tuple().exponent >= -2:  # type: ignore[operator]
        return f"{value:.2f}"
    return str(value.normalize())


def interest_as_json(breakdown: interest.Breakdown) -> dict:
    return {
        "total": amount(breakdown.total),
        "currency": breakdown.currency,
        "principal": amount(breakdown.principal),
        "from": breakdown.start.isoformat(),
        "to": breakdown.end.isoformat(),
        "jurisdiction": breakdown.jurisdiction,
        "kind": breakdown.kind,
        "basis": breakdown.basis,
        "day_count": breakdown.day_count.value,
        "compounding": breakdown.compounding.value,
        "periods": [
            {
                "from": period.start.isoformat(),
                "to": period.end.isoformat(),
                "days": period.days,
                "rate": rate(period.rate),
                "rate_per": period.rate_per.value,
                "base": amount(period.base),
                "amount": amount(period.amount),
                "basis": period.basis,
                "day_basis": period.day_basis,
                "rate_status": period.rate_status.value,
                "rate_unverified": period.rate_unverified,
                "rate_sources": list(period.rate_sources),
                "note": period.note,
            }
            for period in breakdown.periods
        ],
        "capitalised": [
            {"on": c.on.isoformat(), "amount": amount(c.amount), "base": amount(c.base)}
            for c in breakdown.capitalisations
        ],
        "payments": [_payment_as_json(p) for p in breakdown.payments],
        "interest_outstanding": amount(breakdown.interest_outstanding),
        "principal_outstanding": amount(breakdown.principal_outstanding),
        "costs_outstanding": amount(breakdown.costs_outstanding),
        "outstanding": amount(breakdown.outstanding),
        "rate_unverified": breakdown.rate_unverified,
        "notes": list(breakdown.notes),
    }


def _payment_as_json(payment: interest.AppliedPayment) -> dict:
    return {
        "on": payment.on.isoformat(),
        "amount": amount(payment.amount),
        "costs": amount(payment.costs),
        "interest": amount(payment.interest),
        "principal": amount(payment.principal),
        "unapplied": amount(payment.unapplied),
    }


def costs_as_json(costs: collection_costs.CollectionCosts) -> dict:
    return {
        "amount": amount(costs.amount),
        "vat": amount(costs.vat),
        "vat_percent": rate(costs.vat_percent),
        "total": amount(costs.total),
        "currency": costs.currency,
        "principal": amount(costs.principal),
        "jurisdiction": costs.jurisdiction,
        "debtor": costs.debtor,
        "basis": costs.basis,
        "brackets": [
            {
                "from": amount(line.lower),
                "to": None if line.upper is None else amount(line.upper),
                "percent": None if line.percent is None else rate(line.percent),
                "portion": amount(line.portion),
                "amount": amount(line.amount),
                "description": line.description,
            }
            for line in costs.brackets
        ],
        "scale_amount": amount(costs.scale_amount),
        "minimum_applied": costs.minimum_applied,
        "maximum_applied": costs.maximum_applied,
        "shares": [amount(share) for share in costs.shares],
        "status": costs.status.value,
        "notes": list(costs.notes),
    }


def rate_as_json(row: Rate) -> dict:
    return {
        "jurisdiction": row.jurisdiction,
        "kind": row.kind,
        "effective_from": row.effective_from.isoformat(),
        "rate": rate(row.percent),
        "status": row.status.value,
        "source": row.source,
        "note": row.note,
    }


def limitation_as_json(result: limitation.Limitation) -> dict:
    return {
        "last_day": result.last_day.isoformat(),
        "time_barred_on": result.time_barred_on.isoformat(),
        "basis": result.basis,
        "periods": [
            {"from": p.starts_on.isoformat(), "to": p.ends_on.isoformat(), "reason": p.reason}
            for p in result.periods
        ],
    }


def claim_as_json(result: claim.Claim) -> dict:
    """The claim on a day: totals, then each invoice with its interest, costs and payments."""
    last_day = result.limitation_last_day
    return {
        "date": result.on.isoformat(),
        "jurisdiction": result.jurisdiction,
        "debtor": result.debtor,
        "currency": result.currency,
        "principal": amount(result.principal),
        "interest": amount(result.interest),
        "costs": amount(result.costs),
        "costs_interest": amount(result.costs_interest),
        "paid": amount(result.paid),
        "total": amount(result.total),
        "limitation_last_day": last_day.isoformat() if last_day else None,
        "costs_basis": result.costs_basis,
        "announced_costs": costs_as_json(result.announced_costs)
        if result.announced_costs is not None
        else None,
        "invoices": [
            {
                "number": line.number,
                "due_date": line.due_on.isoformat() if line.due_on else None,
                "in_default": line.in_default,
                "principal": amount(line.principal),
                "paid": amount(line.paid),
                "interest_from": line.interest_from.isoformat() if line.interest_from else None,
                "interest_accrued": amount(line.interest_accrued),
                "costs": amount(line.costs),
                "costs_due_from": line.costs_due_from.isoformat() if line.costs_due_from else None,
                "simple_interest": line.simple_interest,
                "judgment": {
                    "date": line.judgment.on.isoformat(),
                    "awarded": amount(line.judgment.awarded),
                }
                if line.judgment
                else None,
                "outstanding": {
                    "principal": amount(line.principal_outstanding),
                    "interest": amount(line.interest_outstanding),
                    "costs": amount(line.costs_outstanding),
                    "costs_interest": amount(line.costs_interest_outstanding),
                    "total": amount(line.total),
                },
                "payments": [_payment_as_json(p) for p in line.payments],
                "interest": interest_as_json(line.interest) if line.interest else None,
                "costs_interest": interest_as_json(line.costs_interest)
                if line.costs_interest
                else None,
                "limitation": limitation_as_json(line.limitation) if line.limitation else None,
                "notes": list(line.notes),
            }
            for line in result.invoices
        ],
        "rate_unverified": result.rate_unverified,
        "small_claims_cumulation": result.small_claims_cumulation,
        "notes": list(result.notes),
    }

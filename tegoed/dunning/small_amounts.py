"""Small open amounts written off rather than chased (seed 003: "know when to stop").

The daily run proposes every overdue invoice whose open amount is below the organization's
threshold (`DunningSettings.minimum_open_amount`, "chase from") for write-off, once, as an
`InvoiceStep` of kind write-off, and sends it no reminder. A person approves the proposals in
one go on the small write-offs page; each is booked by the ledger's one write-off
(`invoices.services.write_off`), within the acting member's approval limit, all or none.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tegoed.accounts.templatetags.tegoed import money
from tegoed.audit import services as audit
from tegoed.domain.errors import DomainError
from tegoed.dunning.models import InvoiceStep
from tegoed.dunning.queries import write_off_proposals
from tegoed.dunning.run import settings_of
from tegoed.invoices import services as ledger


class SmallWriteOffError(DomainError):
    """Nothing was written off; the message says why."""


def proposals(organization, membership, user) -> QuerySet[InvoiceStep]:
    return write_off_proposals(organization, membership, user)


def default_reason(organization) -> str:
    threshold = settings_of(organization).minimum_open_amount
    return _("Small amount below the threshold of %(threshold)s: not worth chasing.") % {
        "threshold": money(threshold)
    }


@transaction.atomic
def write_off_small_amounts(
    organization, *, steps: list[InvoiceStep], acting_user, today: datetime.date, reason: str
) -> tuple[int, Decimal]:
    """Write off what is open of each proposed invoice; all, or none with the reason why."""
    if not steps:
        raise SmallWriteOffError(_("Choose the invoices to write off."))
    if not reason.strip():
        raise SmallWriteOffError(_("Say why the amounts are written off."))
    total = Decimal("0.00")
    numbers = []
    for step in steps:
        invoice = step.invoice
        if invoice.organization_id != organization.pk:
            raise SmallWriteOffError(_("The invoice belongs to another organization."))
        allocation = ledger.write_off(
            invoice=invoice, acting_user=acting_user, today=today, reason=reason
        )
        total += allocation.amount
        numbers.append(invoice.number)
    audit.record(
        organization=organization,
        actor=acting_user,
        action="dunning.small_amounts_written_off",
        subject=organization,
        summary=f"{len(numbers)} small amounts written off: {total}",
        details={"invoices": numbers, "total": str(total), "reason": reason},
    )
    return len(numbers), total

"""Settling for less (seed 003: "settle for less when that is wiser").

A member proposes that a customer pays `amount` for what is open of some invoices, with a
reason and a day to pay by. What is given up (open less amount) is a write-off, so it is
within an approval limit (`tegoed/accounts/approval.py`): within the proposer's it is agreed
at once; above it, it waits until a member whose limit allows it approves. From the proposal
the invoices are held from the daily run until the day to pay by.

The daily run (`arrangements.daily.review`) settles an agreed settlement once the payments
booked on its invoices since it was proposed reach the amount: what is still open is written
off by the ledger's one write-off, with the reason and who approved it. Not paid by the day
to pay by (plus the days a transfer takes, `domain.discount.GRACE_DAYS`), it lapses and the
schedule resumes for the whole amount.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from tegoed.accounts import approval
from tegoed.accounts.templatetags.tegoed import money
from tegoed.arrangements.services import user_or_none
from tegoed.audit import services as audit
from tegoed.collections.models import Settlement, SettlementState
from tegoed.domain import discount
from tegoed.domain.errors import DomainError
from tegoed.domain.money import ZERO
from tegoed.dunning import services as dunning_services
from tegoed.dunning.models import HoldReason
from tegoed.invoices import services as ledger
from tegoed.invoices.models import Allocation, AllocationKind, Invoice, InvoiceKind, Lifecycle

# Days to pay a settlement when the proposal names none.
DEFAULT_DAYS_TO_PAY = 14


class SettlementError(DomainError):
    """A settlement the books cannot take; the message says why."""


def _source(settlement: Settlement) -> str:
    return f"collections.settlement:{settlement.pk}"


def _name(user) -> str:
    return user.get_username() if getattr(user, "is_authenticated", False) else _("the system")


@transaction.atomic
def propose_settlement(
    organization,
    *,
    customer,
    user,
    today: datetime.date,
    invoices: Sequence[Invoice],
    amount: Decimal,
    reason: str,
    pay_by: datetime.date | None = None,
) -> Settlement:
    """Propose (and, within the proposer's approval limit, agree) a settlement."""
    if customer.organization_id != organization.pk:
        raise SettlementError(_("This customer belongs to another administration."))
    if not invoices:
        raise SettlementError(_("Choose the invoices the settlement is for."))
    if not reason.strip():
        raise SettlementError(_("Say why you settle for less."))
    pay_by = pay_by or today + datetime.timedelta(days=DEFAULT_DAYS_TO_PAY)
    if pay_by < today:
        raise SettlementError(_("The day to pay by lies in the past."))
    locked = list(
        Invoice.objects.select_for_update()
        .filter(pk__in=[invoice.pk for invoice in invoices])
        .order_by("pk")
    )
    for invoice in locked:
        if (
            invoice.customer_id != customer.pk
            or invoice.kind != InvoiceKind.INVOICE
            or invoice.lifecycle != Lifecycle.ISSUED
            or invoice.open_amount <= 0
        ):
            raise SettlementError(
                _("Invoice %(number)s is not an open invoice of this customer.")
                % {"number": invoice.number or invoice.pk}
            )
    if Settlement.objects.filter(
        invoices__in=locked,
        state__in=[SettlementState.AWAITING_APPROVAL, SettlementState.AGREED],
    ).exists():
        raise SettlementError(_("One of these invoices is already in a running settlement."))
    currency = locked[0].currency
    open_amount = sum((invoice.open_amount for invoice in locked), ZERO)
    if amount <= 0 or amount >= open_amount:
        raise SettlementError(
            _("A settlement is for less than the %(open)s that is open, and more than nothing.")
            % {"open": money(open_amount, currency)}
        )
    settlement = Settlement.objects.create(
        organization=organization,
        customer=customer,
        open_amount=open_amount,
        amount=amount,
        reason=reason.strip(),
        pay_by=pay_by,
        proposed_on=today,
        proposed_by=user_or_none(user),
    )
    settlement.invoices.set(locked)
    for invoice in locked:
        dunning_services.place_hold(
            organization,
            customer=customer,
            invoice=invoice,
            reason=HoldReason.SETTLEMENT,
            until=pay_by,
            note=reason.strip()[:300],
            user=user,
            source=_source(settlement),
            today=today,
        )
    audit.record(
        organization=organization,
        actor=user,
        action="settlement.proposed",
        subject=customer,
        summary=f"{customer.name}: {amount} for {open_amount}",
        details={
            "invoices": [invoice.number for invoice in locked],
            "open": str(open_amount),
            "amount": str(amount),
            "given_up": str(open_amount - amount),
            "reason": settlement.reason,
            "pay_by": pay_by.isoformat(),
        },
    )
    if approval.allows(user, organization, settlement.given_up):
        _agree(settlement, user=user, today=today)
    return settlement


def _agree(settlement: Settlement, *, user, today: datetime.date) -> None:
    settlement.state = SettlementState.AGREED
    settlement.approved_by = user_or_none(user)
    settlement.agreed_on = today
    settlement.save(update_fields=["state", "approved_by", "agreed_on", "updated_at"])
    audit.record(
        organization=settlement.organization,
        actor=user,
        action="settlement.agreed",
        subject=settlement.customer,
        summary=f"{settlement.customer.name}: {settlement.amount} agreed by {_name(user)}",
        details={
            "amount": str(settlement.amount),
            "given_up": str(settlement.given_up),
            "approved_by": _name(user),
        },
    )


@transaction.atomic
def approve_settlement(settlement: Settlement, *, user, today: datetime.date) -> Settlement:
    """Agree a settlement that waited for someone whose approval limit allows it."""
    settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
    if settlement.state != SettlementState.AWAITING_APPROVAL:
        raise SettlementError(_("This settlement does not wait for approval."))
    currency = settlement.invoices.values_list("currency", flat=True).first() or "EUR"
    ledger.check_approval(user, settlement.organization, settlement.given_up, currency=currency)
    _agree(settlement, user=user, today=today)
    return settlement


@transaction.atomic
def cancel_settlement(settlement: Settlement, *, user, today: datetime.date) -> Settlement:
    """Stop a settlement that has not been settled; the schedule resumes."""
    settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
    if settlement.state not in (SettlementState.AWAITING_APPROVAL, SettlementState.AGREED):
        raise SettlementError(_("This settlement is no longer running."))
    _end(settlement, SettlementState.CANCELLED, user=user, today=today)
    return settlement


def _end(settlement: Settlement, state: str, *, user, today: datetime.date) -> None:
    settlement.state = state
    settlement.save(update_fields=["state", "updated_at"])
    dunning_services.lift_holds(
        settlement.organization, source=_source(settlement), user=user, today=today
    )
    audit.record(
        organization=settlement.organization,
        actor=user,
        action=f"settlement.{state}",
        subject=settlement.customer,
        summary=f"{settlement.customer.name}: settlement of {settlement.amount} {state}",
        details={"amount": str(settlement.amount), "reason": settlement.reason},
    )


def paid_towards(settlement: Settlement) -> Decimal:
    """What was paid on the settlement's invoices since it was proposed."""
    paid = Allocation.objects.filter(
        invoice__in=settlement.invoices.all(),
        kind=AllocationKind.PAYMENT,
        booked_on__gte=settlement.proposed_on,
    ).aggregate(total=Sum("amount"))["total"]
    return paid if paid is not None else ZERO


@transaction.atomic
def settle(settlement: Settlement, *, today: datetime.date) -> Settlement:
    """The amount was received: write off what is still open, with the reason and approver."""
    settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
    if settlement.state != SettlementState.AGREED:
        raise SettlementError(_("Only an agreed settlement can be settled."))
    approver = _name(settlement.approved_by)
    reason = _("Settled for %(amount)s: %(reason)s (approved by %(approver)s)") % {
        "amount": settlement.amount,
        "reason": settlement.reason,
        "approver": approver,
    }
    written_off = ZERO
    for invoice in settlement.invoices.order_by("pk"):
        invoice.refresh_from_db()
        if invoice.open_amount > 0:
            # The system books it: the approver's limit was checked when it was agreed.
            written_off += ledger.write_off(
                invoice=invoice, acting_user=None, today=today, reason=reason[:300]
            ).amount
    settlement.written_off = written_off
    settlement.settled_on = today
    settlement.save(update_fields=["written_off", "settled_on", "updated_at"])
    _end(settlement, SettlementState.SETTLED, user=None, today=today)
    audit.record(
        organization=settlement.organization,
        actor=None,
        action="settlement.written_off",
        subject=settlement.customer,
        summary=f"{settlement.customer.name}: {written_off} written off, approved by {approver}",
        details={
            "amount": str(settlement.amount),
            "written_off": str(written_off),
            "reason": settlement.reason,
            "approved_by": approver,
            "proposed_by": _name(settlement.proposed_by),
        },
    )
    return settlement


def review_settlements(organization, *, today: datetime.date) -> None:
    """The daily run's part: settle what was paid; let lapse what was not paid in time."""
    running = Settlement.objects.filter(
        organization=organization,
        state__in=[SettlementState.AWAITING_APPROVAL, SettlementState.AGREED],
    ).select_related("approved_by", "proposed_by", "customer", "organization")
    for settlement in running:
        if settlement.state == SettlementState.AGREED and (
            paid_towards(settlement) >= settlement.amount
        ):
            settle(settlement, today=today)
        elif not discount.in_time(today, settlement.pay_by):
            with transaction.atomic():
                _end(settlement, SettlementState.LAPSED, user=None, today=today)

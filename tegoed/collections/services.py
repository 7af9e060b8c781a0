"""Use cases of the hand-over: hand invoices over with their dossier, follow the stages, book
what the agency passes on; and a customer's insolvency. Each runs in one transaction and
writes an audit event."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from tegoed.arrangements.models import Dispute, DisputeOutcome
from tegoed.arrangements.services import ArrangementError, check_parties, user_or_none
from tegoed.audit import services as audit
from tegoed.claims.models import SimpleInterest, SimpleInterestSource
from tegoed.collections import dossier
from tegoed.collections.models import (
    Agency,
    Handover,
    Insolvency,
    InsolvencyKind,
    Remittance,
    Stage,
    StageKind,
)
from tegoed.domain import limits
from tegoed.domain.errors import DomainError
from tegoed.domain.money import ZERO
from tegoed.dunning import services as dunning_services
from tegoed.dunning.models import HoldReason
from tegoed.invoices import services as invoice_services
from tegoed.invoices.models import Invoice, InvoiceKind, Lifecycle, PaymentMethod

# The order of the road after a hand-over; a stage cannot go back.
ORDER = [StageKind.HANDED_OVER, StageKind.SUMMONS, StageKind.JUDGMENT, StageKind.SEIZURE]


class HandoverError(ArrangementError):
    """A hand-over, stage or remittance that cannot be recorded as asked."""


class DisputedInvoices(HandoverError):
    """Some invoices are under dispute: hand them over only when confirmed."""


def hand_over(
    organization,
    *,
    customer,
    invoices: Sequence,
    agency,
    today: datetime.date,
    note: str = "",
    confirm_disputed: bool = False,
    user=None,
) -> Handover:
    """Hand `invoices` of `customer` to `agency` with the dossier; the daily run stops chasing
    them. Invoices under an open dispute are handed over only with `confirm_disputed`."""
    if not invoices:
        raise HandoverError(_("Choose the invoices to hand over."))
    if agency.organization_id != organization.pk:
        raise HandoverError(_("This agency belongs to another administration."))
    for invoice in invoices:
        check_parties(organization, customer, invoice)
        if invoice.open_amount <= 0:
            raise HandoverError(_("Invoice %(number)s is paid.") % {"number": invoice.number})
    already = Handover.objects.filter(invoices__in=invoices).exclude(stage=StageKind.CLOSED)
    if already.exists():
        raise HandoverError(
            _("Invoice %(number)s has already been handed over.")
            % {"number": already.values_list("invoices__number", flat=True).first()}
        )
    disputed = sorted(
        Dispute.objects.filter(invoice__in=invoices, outcome=DisputeOutcome.OPEN).values_list(
            "invoice__number", flat=True
        )
    )
    if disputed and not confirm_disputed:
        raise DisputedInvoices(
            _("Invoice %(numbers)s is under dispute. Hand it over anyway?")
            % {"numbers": ", ".join(disputed)}
        )
    try:
        contents = dossier.build(customer, invoices, agency=agency, today=today, note=note)
        sheet = dossier.pdf(customer, invoices, contents, agency=agency, today=today)
    except DomainError as error:
        raise HandoverError(str(error)) from error
    with transaction.atomic():
        handover = Handover.objects.create(
            organization=organization,
            customer=customer,
            agency=agency,
            handed_over_on=today,
            note=note[:300],
            dossier=contents,
            dossier_pdf=sheet,
            created_by=user_or_none(user),
        )
        handover.invoices.set(invoices)
        Stage.objects.create(
            handover=handover, kind=StageKind.HANDED_OVER, on=today, recorded_by=user_or_none(user)
        )
        for invoice in invoices:
            dunning_services.place_hold(
                organization,
                customer=customer,
                invoice=invoice,
                reason=HoldReason.HANDOVER,
                note=agency.name,
                user=user,
                source=audit.subject_of(handover),
                today=today,
            )
        audit.record(
            organization=organization,
            actor=user,
            action="collections.handed_over",
            subject=customer,
            summary=_("Handed over to %(agency)s: %(numbers)s")
            % {"agency": agency.name, "numbers": ", ".join(i.number for i in invoices)},
            details={
                "handover": handover.pk,
                "total": contents["totals"]["total"],
                "disputed": disputed,
            },
        )
    return handover


def add_agency(
    organization,
    *,
    kind: str,
    name: str,
    address: str = "",
    email: str = "",
    phone: str = "",
    fee_percent: Decimal | None = None,
    user=None,
) -> Agency:
    """A collection agency or bailiff the organization hands claims over to."""
    name = name.strip()
    if Agency.objects.filter(organization=organization, name=name).exists():
        raise HandoverError(_("There is an agency called %(name)s already.") % {"name": name})
    if fee_percent is not None and not ZERO <= fee_percent <= 100:
        raise HandoverError(_("The fee is a percentage from 0 to 100."))
    with transaction.atomic():
        agency = Agency.objects.create(
            organization=organization,
            kind=kind,
            name=name,
            address=address.strip(),
            email=email,
            phone=phone.strip(),
            fee_percent=fee_percent,
        )
        audit.record(
            organization=organization,
            actor=user,
            action="collections.agency_added",
            subject=agency,
            summary=_("%(name)s added as %(kind)s")
            % {"name": name, "kind": agency.get_kind_display().lower()},
            details={"kind": kind, "name": name},
        )
    return agency


def record_stage(
    handover: Handover,
    *,
    kind: str,
    on: datetime.date,
    today: datetime.date,
    costs: Decimal = ZERO,
    note: str = "",
    awarded: Decimal | None = None,
    simple_interest: bool = False,
    user=None,
) -> Stage:
    """The next stage on the road (summons, judgment, seizure) or the end of it (closed), with
    the costs it brought. Closing lifts the hold: what is still open is the ledger's again.

    A summons interrupts limitation (art. 3:316 BW); a judgment starts twenty years (art. 3:324
    BW) and makes what it `awarded` on the hand-over's invoices — by default the claim as it
    stood on its day — the principal on which interest runs from the next day, simple when
    the judgment says so (`simple_interest`). The claim reads them from the stage
    (tegoed.claims.history)."""
    if kind not in StageKind.values or kind == StageKind.HANDED_OVER:
        raise HandoverError(_("Unknown stage: %(stage)s") % {"stage": kind})
    if limits.MONEY.problem(costs) or costs < 0:
        raise HandoverError(_("Costs are an amount in whole cents, not negative."))
    if kind != StageKind.JUDGMENT and (awarded is not None or simple_interest):
        raise HandoverError(_("Only a judgment awards an amount or sets simple interest."))
    if awarded is not None and (limits.MONEY.problem(awarded) or awarded <= 0):
        raise HandoverError(_("The amount awarded is positive, in whole cents."))
    if on > today or on < handover.handed_over_on:
        raise HandoverError(
            _("A stage falls between the hand-over (%(start)s) and today.")
            % {"start": handover.handed_over_on.isoformat()}
        )
    with transaction.atomic():
        handover = Handover.objects.select_for_update().get(pk=handover.pk)
        if handover.stage == StageKind.CLOSED:
            raise HandoverError(_("This hand-over is closed."))
        if kind != StageKind.CLOSED and ORDER.index(kind) <= ORDER.index(handover.stage):
            raise HandoverError(
                _("The hand-over is already at %(stage)s.")
                % {"stage": handover.get_stage_display().lower()}
            )
        stage = Stage.objects.create(
            handover=handover,
            kind=kind,
            on=on,
            costs=costs,
            awarded=awarded,
            note=note[:300],
            recorded_by=user_or_none(user),
        )
        if simple_interest:
            for invoice in handover.invoices.all():
                SimpleInterest.objects.update_or_create(
                    invoice=invoice,
                    defaults={
                        "source": SimpleInterestSource.JUDGMENT,
                        "note": note[:300],
                        "recorded_by": user_or_none(user),
                    },
                )
        handover.stage = kind
        handover.save(update_fields=["stage", "updated_at"])
        if kind == StageKind.CLOSED:
            dunning_services.lift_holds(
                handover.organization,
                source=audit.subject_of(handover),
                user=user,
                note=note,
                today=today,
            )
        audit.record(
            organization=handover.organization,
            actor=user,
            action="collections.stage",
            subject=handover.customer,
            summary=_("%(agency)s: %(stage)s on %(day)s")
            % {"agency": handover.agency.name, "stage": stage.get_kind_display(), "day": on},
            details={
                "handover": handover.pk,
                "stage": kind,
                "costs": str(costs),
                "note": note,
                "awarded": None if awarded is None else str(awarded),
                "simple_interest": simple_interest,
            },
        )
    return stage


def record_remittance(
    handover: Handover,
    *,
    received_on: datetime.date,
    collected: Sequence[tuple[object, Decimal]],
    fee: Decimal = ZERO,
    user=None,
) -> Remittance:
    """The agency collected these amounts on the handed-over invoices and kept `fee`: the
    collected amounts are booked as a payment against the invoices, the fee beside it."""
    handed = set(handover.invoices.values_list("pk", flat=True))
    if any(invoice.pk not in handed for invoice, _amount in collected):
        raise HandoverError(_("Book only against the invoices of this hand-over."))
    if any(limits.MONEY.problem(amount) or amount <= 0 for _invoice, amount in collected):
        raise HandoverError(_("What was collected is positive, in whole cents."))
    total = sum((amount for _invoice, amount in collected), ZERO)
    if limits.MONEY.problem(fee) or fee < 0 or fee > total:
        raise HandoverError(
            _("The fee is at most what was collected (%(total)s).") % {"total": total}
        )
    with transaction.atomic():
        payment = invoice_services.record_payment(
            organization=handover.organization,
            amount=total,
            received_on=received_on,
            acting_user=user,
            customer=handover.customer,
            method=PaymentMethod.OTHER,
            payer_name=handover.agency.name,
            description=_("Collected by %(agency)s") % {"agency": handover.agency.name},
            allocate_to=list(collected),
        )
        remittance = Remittance.objects.create(
            handover=handover, payment=payment, received_on=received_on, collected=total, fee=fee
        )
        audit.record(
            organization=handover.organization,
            actor=user,
            action="collections.remittance",
            subject=handover.customer,
            summary=_("%(agency)s collected %(total)s, fee %(fee)s")
            % {"agency": handover.agency.name, "total": total, "fee": fee},
            details={"handover": handover.pk, "collected": str(total), "fee": str(fee)},
        )
    return remittance


def record_insolvency(
    organization,
    *,
    customer,
    kind: str,
    declared_on: datetime.date,
    today: datetime.date,
    trustee: str = "",
    reference: str = "",
    note: str = "",
    user=None,
) -> Insolvency:
    """The customer was declared bankrupt or admitted to debt restructuring on `declared_on`:
    reminders stop for all its invoices, and the claim to file with the trustee is fixed as it
    stood that day — statutory interest runs no further (art. 128 Faillissementswet)."""
    if customer.organization_id != organization.pk:
        raise HandoverError(_("This customer belongs to another administration."))
    if kind not in InsolvencyKind.values:
        raise HandoverError(_("Unknown kind of insolvency: %(kind)s") % {"kind": kind})
    if declared_on > today:
        raise HandoverError(_("The declaration lies in the past."))
    invoices = list(
        Invoice.objects.filter(
            customer=customer,
            kind=InvoiceKind.INVOICE,
            lifecycle=Lifecycle.ISSUED,
            open_amount__gt=0,
            issue_date__lte=declared_on,
        ).order_by("due_date", "number")
    )
    found = dossier.claim_with_history(customer, invoices, declared_on) if invoices else None
    with transaction.atomic():
        insolvency = Insolvency.objects.create(
            organization=organization,
            customer=customer,
            kind=kind,
            declared_on=declared_on,
            trustee=trustee[:200],
            reference=reference[:100],
            principal=found.principal if found else ZERO,
            interest=found.interest + found.costs_interest if found else ZERO,
            costs=found.costs if found else ZERO,
            note=note[:300],
            created_by=user_or_none(user),
        )
        dunning_services.place_hold(
            organization,
            customer=customer,
            reason=HoldReason.INSOLVENCY,
            note=insolvency.get_kind_display(),
            user=user,
            source=audit.subject_of(insolvency),
            today=today,
        )
        audit.record(
            organization=organization,
            actor=user,
            action="collections.insolvency",
            subject=customer,
            summary=_("%(kind)s on %(day)s; claim to file %(total)s")
            % {
                "kind": insolvency.get_kind_display(),
                "day": declared_on.isoformat(),
                "total": insolvency.claim_total,
            },
            details={
                "insolvency": insolvency.pk,
                "invoices": [invoice.number for invoice in invoices],
                "principal": str(insolvency.principal),
                "interest": str(insolvency.interest),
                "costs": str(insolvency.costs),
            },
        )
    return insolvency


def file_claim(insolvency: Insolvency, *, filed_on: datetime.date, user=None) -> Insolvency:
    """The claim was filed with the trustee on `filed_on`."""
    if filed_on < insolvency.declared_on:
        raise HandoverError(_("A claim is filed after the declaration."))
    with transaction.atomic():
        insolvency.filed_on = filed_on
        insolvency.save(update_fields=["filed_on", "updated_at"])
        audit.record(
            organization=insolvency.organization,
            actor=user,
            action="collections.claim_filed",
            subject=insolvency.customer,
            summary=_("Claim of %(total)s filed with the trustee on %(day)s")
            % {"total": insolvency.claim_total, "day": filed_on.isoformat()},
            details={"insolvency": insolvency.pk},
        )
    return insolvency

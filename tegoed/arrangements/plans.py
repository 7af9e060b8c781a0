"""Payment arrangements: agree one, confirm it in writing, and follow it day by day.

`agree_arrangement` checks the instalments against what is owed and the organization's limits
(tegoed.domain.installments), holds the invoices it covers, and puts the confirmation — the
`arrangement` letter as PDF, by e-mail or post — in the outbox. The confirmation records the
customer's acknowledgement of the debt, which interrupts limitation (art. 3:318 BW).

`review_arrangements` is the daily part, called by the daily run before it plans: it reminds
before each instalment, alerts when one is missed, breaks the arrangement when the grace days
are over — its holds are lifted and the original schedule resumes, with interest from the
original due dates as every letter computes it — and closes it when all is paid.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext as _

from tegoed.arrangements.models import Arrangement, ArrangementState, ArrangementTerms, Instalment
from tegoed.arrangements.services import ArrangementError, check_parties, user_or_none
from tegoed.audit import services as audit
from tegoed.claims import history
from tegoed.documents import content, rendering, wording
from tegoed.documents.queries import letter_for
from tegoed.domain import installments
from tegoed.domain.errors import DomainError
from tegoed.domain.money import ZERO
from tegoed.dunning import services as dunning_services
from tegoed.dunning.models import Channel, HoldReason, MessageKind
from tegoed.invoices.models import Allocation, AllocationKind, Payment

# Without a day for the first instalment, it falls this many days after the agreement.
FIRST_INSTALMENT_AFTER_DAYS = 14


def terms_of(organization) -> ArrangementTerms:
    """The organization's limits, or the defaults (unsaved) until it sets its own."""
    found = ArrangementTerms.objects.filter(organization=organization).first()
    return found or ArrangementTerms(organization=organization)


def save_terms(terms: ArrangementTerms, *, user) -> ArrangementTerms:
    """Keep the organization's limits. Running arrangements keep whether their interest is
    waived; the days of grace and of reminding count for them too."""
    with transaction.atomic():
        terms.save()
        audit.record(
            organization=terms.organization,
            actor=user,
            action="arrangements.terms_changed",
            subject=terms,
            summary=_(
                "Arrangement terms: at least %(minimum)s an instalment, at most %(months)s "
                "months, %(grace)s days of grace; interest waived when one breaks: %(waived)s"
            )
            % {
                "minimum": terms.minimum_instalment,
                "months": terms.maximum_months,
                "grace": terms.grace_days,
                "waived": _("yes") if terms.waive_interest else _("no"),
            },
        )
    return terms


def _letter(arrangement_kind: str, customer, invoices, *, today, with_interest, with_costs, plan):
    return letter_for(
        arrangement_kind,
        customer,
        today=today,
        numbers=[invoice.number for invoice in invoices],
        interest_from=consumer_default(customer, invoices, today),
        with_interest=with_interest,
        with_costs=with_costs,
        instalments=[content.Instalment(item.number, item.due_on, item.amount) for item in plan],
    )


def consumer_default(customer, invoices, today: datetime.date) -> dict[str, datetime.date]:
    """A consumer is in default, and owes the costs, from the day after the term of a 14-day
    letter (art. 6:96 lid 6 BW): per invoice number, that day when it has come."""
    if customer.kind != "consumer":
        return {}
    numbers = {invoice.pk: invoice.number for invoice in invoices}
    return {
        numbers[pk]: day
        for pk, day in history.consumer_notices(list(numbers)).items()
        if day <= today
    }


def agree_arrangement(
    organization,
    *,
    customer,
    invoices: Sequence,
    channel: str,
    today: datetime.date,
    count: int | None = None,
    first_due_on: datetime.date | None = None,
    instalments: Sequence[tuple[datetime.date, Decimal]] | None = None,
    with_interest: bool = False,
    with_costs: bool = False,
    note: str = "",
    user=None,
) -> Arrangement:
    """Agree to let the customer pay `invoices` — and the interest and costs to date when
    agreed — in `count` equal monthly instalments from `first_due_on`, or in the given
    (day, amount) `instalments`. Refused when they do not add up or break the limits."""
    if not invoices:
        raise ArrangementError(_("Choose the invoices the arrangement covers."))
    for invoice in invoices:
        check_parties(organization, customer, invoice)
        if invoice.open_amount <= 0:
            raise ArrangementError(_("Invoice %(number)s is paid.") % {"number": invoice.number})
    taken = Arrangement.objects.filter(
        invoices__in=invoices, state=ArrangementState.ACTIVE
    ).values_list("invoices__number", flat=True)
    if taken:
        raise ArrangementError(
            _("Invoice %(number)s is already in a running arrangement.") % {"number": taken[0]}
        )
    terms = terms_of(organization)
    in_default = consumer_default(customer, invoices, today)
    if with_costs and customer.kind == "consumer":
        without = [invoice.number for invoice in invoices if invoice.number not in in_default]
        if without:
            raise ArrangementError(
                _(
                    "A consumer owes collection costs only after the term of a 14-day letter has "
                    "passed (art. 6:96 lid 6 BW); not yet on %(numbers)s."
                )
                % {"numbers": ", ".join(without)}
            )
    try:
        owed_by = letter_for(
            "statement",
            customer,
            today=today,
            numbers=[invoice.number for invoice in invoices],
            interest_from=in_default,
            with_interest=with_interest,
            with_costs=with_costs,
        )
        owed = owed_by.total_due
        if instalments is None:
            plan = installments.plan(
                owed,
                count=count or 3,
                first_due_on=first_due_on
                or today + datetime.timedelta(days=FIRST_INSTALMENT_AFTER_DAYS),
            )
        else:
            plan = tuple(
                installments.Instalment(number, day, amount)
                for number, (day, amount) in enumerate(instalments, start=1)
            )
        installments.check(plan, owed=owed, agreed_on=today, limits=terms.limits())
        letter = _letter(
            "arrangement",
            customer,
            invoices,
            today=today,
            with_interest=with_interest,
            with_costs=with_costs,
            plan=plan,
        )
    except DomainError as error:
        raise ArrangementError(str(error)) from error
    with transaction.atomic():
        arrangement = Arrangement.objects.create(
            organization=organization,
            customer=customer,
            agreed_on=today,
            channel=channel,
            principal=owed_by.principal,
            interest=owed_by.interest,
            costs=owed - owed_by.principal - owed_by.interest,
            total=owed,
            grace_days=terms.grace_days,
            waives_interest=terms.waive_interest,
            note=note[:300],
            created_by=user_or_none(user),
        )
        arrangement.invoices.set(invoices)
        Instalment.objects.bulk_create(
            Instalment(
                arrangement=arrangement, number=item.number, due_on=item.due_on, amount=item.amount
            )
            for item in plan
        )
        source = audit.subject_of(arrangement)
        for invoice in invoices:
            dunning_services.place_hold(
                organization,
                customer=customer,
                invoice=invoice,
                reason=HoldReason.ARRANGEMENT,
                user=user,
                source=source,
                today=today,
            )
        subject, text = rendering.letter_email(letter)
        pdf = (f"arrangement-{today.isoformat()}.pdf", rendering.render_letter(letter))
        recipients = dunning_services.customer_addresses(customer)
        dunning_services.write_message(
            organization,
            customer=customer,
            kind=MessageKind.ARRANGEMENT,
            subject=subject,
            text=text,
            today=today,
            recipients=recipients,
            channel=Channel.EMAIL if recipients else Channel.LETTER,
            attachments=(pdf,),
        )
        audit.record(
            organization=organization,
            actor=user,
            action="arrangements.arrangement_agreed",
            subject=customer,
            summary=_("Payment arrangement: %(total)s in %(count)s instalments from %(day)s")
            % {"total": owed, "count": len(plan), "day": plan[0].due_on.isoformat()},
            details={
                "arrangement": arrangement.pk,
                "invoices": [invoice.number for invoice in invoices],
                "instalments": [[item.due_on.isoformat(), str(item.amount)] for item in plan],
                # The confirmed arrangement acknowledges the debt (art. 3:318 BW).
                "acknowledgement": today.isoformat(),
            },
        )
    return arrangement


def paid_towards(arrangement: Arrangement, *, today: datetime.date) -> Decimal:
    """What the customer paid since the agreement, as known on `today`: what was booked against
    the arrangement's invoices, and what is left unbooked of its payments (interest and costs
    agreed in the arrangement are no invoice to book against)."""
    since = (arrangement.agreed_on, today)
    booked = Allocation.objects.filter(
        invoice__in=arrangement.invoices.all(), kind=AllocationKind.PAYMENT, booked_on__range=since
    ).aggregate(total=Sum("amount"))["total"]
    loose = ZERO
    for amount, used in (
        Payment.objects.filter(customer=arrangement.customer, received_on__range=since)
        .annotate(used=Sum("allocations__amount"))
        .values_list("amount", "used")
    ):
        loose += amount - (used or ZERO)
    return (booked or ZERO) + loose


def _customer_message(arrangement: Arrangement, kind: str, subject: str, text: str, today) -> None:
    recipients = dunning_services.customer_addresses(arrangement.customer)
    if recipients:
        dunning_services.write_message(
            arrangement.organization,
            customer=arrangement.customer,
            kind=kind,
            subject=subject,
            text=text,
            today=today,
            recipients=recipients,
        )


def _staff_message(arrangement: Arrangement, kind: str, subject: str, text: str, today) -> None:
    staff = arrangement.created_by or arrangement.customer.sales_owner
    if staff is not None and staff.email:
        dunning_services.write_message(
            arrangement.organization,
            customer=arrangement.customer,
            kind=kind,
            subject=subject,
            text=text,
            today=today,
            recipients=(staff.email,),
            internal=True,
            language=arrangement.organization.language,
        )


def _values(arrangement: Arrangement, instalment: Instalment, unpaid: Decimal, grace_until=None):
    language = wording.language_of(arrangement.customer.language)
    currency = arrangement.invoices.values_list("currency", flat=True).first() or "EUR"
    values = {
        "number": instalment.number,
        "amount": wording.amount(unpaid, currency, language),
        "day": wording.long_date(instalment.due_on, language),
        "invoices": ", ".join(arrangement.invoices.values_list("number", flat=True)),
        "customer": arrangement.customer.name,
        "organization": arrangement.organization.display_name,
    }
    if grace_until is not None:
        values["grace"] = wording.long_date(grace_until, language)
    return values


def _letter_text(*paragraphs: str, organization) -> str:
    return "\n\n".join([_("Dear customer,"), *paragraphs, _("Kind regards,")]) + (
        f"\n{organization.display_name}\n"
    )


def _remind(arrangement, instalment, unpaid, today) -> None:
    with translation.override(arrangement.customer.language):
        values = _values(arrangement, instalment, unpaid)
        subject = _("Instalment %(number)s of your payment arrangement") % values
        text = _letter_text(
            _(
                "As agreed in your payment arrangement for %(invoices)s, instalment %(number)s "
                "of %(amount)s is due on %(day)s. Please mention %(invoices)s with your payment."
            )
            % values,
            organization=arrangement.organization,
        )
    _customer_message(arrangement, MessageKind.INSTALMENT_DUE, subject, text, today)


def _missed(arrangement, instalment, unpaid, today) -> None:
    grace_until = instalment.due_on + datetime.timedelta(days=arrangement.grace_days)
    with translation.override(arrangement.customer.language):
        values = _values(arrangement, instalment, unpaid, grace_until)
        subject = _("Instalment %(number)s of your payment arrangement has not been received") % (
            values
        )
        text = _letter_text(
            _(
                "We have not received instalment %(number)s of your payment arrangement for "
                "%(invoices)s, due on %(day)s: %(amount)s is still open. If it is not paid by "
                "%(grace)s, the arrangement ends and the whole amount becomes due at once, with "
                "interest from the original due dates."
            )
            % values,
            organization=arrangement.organization,
        )
    _customer_message(arrangement, MessageKind.INSTALMENT_MISSED, subject, text, today)
    with translation.override(arrangement.organization.language):
        values = _values(arrangement, instalment, unpaid, grace_until)
        subject = _("%(customer)s missed instalment %(number)s") % values
        text = (
            _(
                "%(customer)s has not paid instalment %(number)s (%(amount)s, due %(day)s) of "
                "the arrangement for %(invoices)s. The arrangement ends on %(grace)s unless it "
                "is paid."
            )
            % values
            + "\n"
        )
    _staff_message(arrangement, MessageKind.INSTALMENT_MISSED, subject, text, today)


def _broken(arrangement, instalment, unpaid, today) -> None:
    with translation.override(arrangement.customer.language):
        values = _values(arrangement, instalment, unpaid)
        subject = _("Your payment arrangement has ended") % values
        text = _letter_text(
            _(
                "Instalment %(number)s of your payment arrangement for %(invoices)s, due on "
                "%(day)s, has not been paid within the extra days we gave. The arrangement has "
                "therefore ended, and what is still open on %(invoices)s is due at once. You "
                "will hear from us about it."
            )
            % values,
            organization=arrangement.organization,
        )
    _customer_message(arrangement, MessageKind.ARRANGEMENT_BROKEN, subject, text, today)


def _end(arrangement: Arrangement, state: str, today: datetime.date, summary: str) -> None:
    arrangement.state = state
    arrangement.ended_on = today
    arrangement.save(update_fields=["state", "ended_on", "updated_at"])
    dunning_services.lift_holds(
        arrangement.organization, source=audit.subject_of(arrangement), today=today
    )
    audit.record(
        organization=arrangement.organization,
        actor=None,
        action=f"arrangements.arrangement_{state}",
        subject=arrangement.customer,
        summary=summary,
        details={"arrangement": arrangement.pk},
    )


def review_arrangement(
    arrangement: Arrangement, *, today: datetime.date, terms: ArrangementTerms
) -> str:
    """Follow one running arrangement on `today` under the organization's `terms`; its state
    afterwards."""
    rows = list(arrangement.instalments.all())
    found = installments.standing(
        [row.as_instalment() for row in rows],
        paid=paid_towards(arrangement, today=today),
        today=today,
        grace_days=arrangement.grace_days,
    )
    with transaction.atomic():
        if found.completed:
            _end(
                arrangement,
                ArrangementState.COMPLETED,
                today,
                _("Payment arrangement paid in full"),
            )
            return arrangement.state
        if found.missed is not None:
            missed = rows[found.missed.number - 1]
            unpaid = found.unpaid(found.missed)
            if found.broken:
                _broken(arrangement, missed, unpaid, today)
                _end(
                    arrangement,
                    ArrangementState.BROKEN,
                    today,
                    _("Payment arrangement broken: instalment %(number)s not paid")
                    % {"number": missed.number},
                )
                return arrangement.state
            if missed.missed_on is None:
                _missed(arrangement, missed, unpaid, today)
                missed.missed_on = today
                missed.save(update_fields=["missed_on"])
        for row in rows:
            unpaid = found.unpaid(row.as_instalment())
            remind_from = row.due_on - datetime.timedelta(days=terms.remind_days_before)
            if row.reminded_on is None and unpaid > 0 and remind_from <= today <= row.due_on:
                _remind(arrangement, row, unpaid, today)
                row.reminded_on = today
                row.save(update_fields=["reminded_on"])
    return arrangement.state


def review_arrangements(organization, *, today: datetime.date) -> None:
    terms = terms_of(organization)
    for arrangement in (
        Arrangement.objects.filter(
            organization=organization, state=ArrangementState.ACTIVE, agreed_on__lte=today
        )
        .select_related("customer", "customer__sales_owner", "organization", "created_by")
        .prefetch_related("instalments")
    ):
        review_arrangement(arrangement, today=today, terms=terms)

"""The agreements page of a customer — promises, disputes, arrangements, hand-overs — and the
list of open disputes. Thin: forms parse, services write, queries read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tegoed.accounts.current import change_required, may_change, organization_required, today
from tegoed.arrangements import forms, plans, queries, services
from tegoed.collections import services as collections
from tegoed.collections.models import Agency, Handover, Insolvency
from tegoed.customers.queries import get_customer_for_member
from tegoed.domain.errors import DomainError


def _with_resolve_forms(disputes) -> list:
    disputes = list(disputes)
    for dispute in disputes:
        dispute.resolve_form = forms.resolve_form(dispute)
    return disputes


def _page(request: HttpRequest, customer, status: int = 200, **bound) -> HttpResponse:
    invoices = queries.open_invoices_of(customer)
    agencies = Agency.objects.filter(organization=request.organization)
    day = today(request)
    context = {
        "customer": customer,
        "may_change": may_change(request),
        "open_invoices": invoices,
        "promise_form": bound.get("promise_form")
        or forms.PromiseForm(invoices=invoices, prefix="promise"),
        "dispute_form": bound.get("dispute_form")
        or forms.DisputeForm(invoices=invoices, prefix="dispute"),
        "arrangement_form": bound.get("arrangement_form")
        or forms.ArrangementForm(
            invoices=invoices, initial={"first_due_on": day}, prefix="arrangement"
        ),
        "handover_form": bound.get("handover_form")
        or forms.HandoverForm(invoices=invoices, agencies=agencies, prefix="handover"),
        "has_agencies": agencies.exists(),
        "insolvency_form": bound.get("insolvency_form")
        or forms.InsolvencyForm(prefix="insolvency"),
        "insolvencies": Insolvency.objects.filter(customer=customer),
        "handovers": Handover.objects.filter(customer=customer).prefetch_related(
            "invoices", "stages"
        )[:10],
        "terms": plans.terms_of(request.organization),
        **queries.agreements_of(customer),
    }
    context["disputes"] = _with_resolve_forms(context["disputes"])
    return render(request, "arrangements/customer.html", context, status=status)


def _customer(request: HttpRequest, public_id):
    return get_customer_for_member(request.user, request.membership, public_id)


def _done(request: HttpRequest, customer, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect(reverse("arrangements:customer", args=[customer.public_id]))


@organization_required
def customer_agreements(request: HttpRequest, public_id) -> HttpResponse:
    return _page(request, _customer(request, public_id))


@change_required
def promise(request: HttpRequest, public_id) -> HttpResponse:
    customer = _customer(request, public_id)
    form = forms.PromiseForm(
        request.POST, invoices=queries.open_invoices_of(customer), prefix="promise"
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.promise_to_pay(
                request.organization,
                customer=customer,
                invoice=data["invoice"],
                amount=data["amount"],
                pay_by=data["pay_by"],
                channel=data["channel"],
                note=data["note"],
                user=request.user,
                today=today(request),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, customer, _("Promise to pay recorded; reminders wait."))
    return _page(request, customer, status=400, promise_form=form)


@change_required
def dispute(request: HttpRequest, public_id) -> HttpResponse:
    customer = _customer(request, public_id)
    form = forms.DisputeForm(
        request.POST, invoices=queries.open_invoices_of(customer), prefix="dispute"
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            found = services.open_dispute(
                request.organization,
                customer=customer,
                invoice=data["invoice"],
                reason=data["reason"],
                channel=data["channel"],
                description=data["description"],
                user=request.user,
                today=today(request),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            who = found.assigned_to
            return _done(
                request,
                customer,
                _("Dispute recorded; reminders for %(number)s wait. Task for %(who)s.")
                % {
                    "number": found.invoice.number,
                    "who": (who.get_full_name() or who.get_username()) if who else "—",
                },
            )
    return _page(request, customer, status=400, dispute_form=form)


@organization_required
def resolve_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("arrangements:disputes")
    found = queries.get_dispute_for_member(request.user, request.membership, pk)
    # The person the task went to may close it, besides those who may change the books.
    if not (may_change(request) or found.assigned_to_id == request.user.pk):
        raise PermissionDenied
    form = forms.ResolveDisputeForm(request.POST, prefix=forms.resolve_prefix(found))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.resolve_dispute(
                found,
                outcome=data["outcome"],
                credit_amount=data["credit_amount"],
                pay_by=data["pay_by"],
                note=data["note"],
                user=request.user,
                today=today(request),
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Dispute resolved."))
    else:
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
    return redirect(request.POST.get("next") or reverse("arrangements:disputes"))


@change_required
def arrangement(request: HttpRequest, public_id) -> HttpResponse:
    customer = _customer(request, public_id)
    form = forms.ArrangementForm(
        request.POST, invoices=queries.open_invoices_of(customer), prefix="arrangement"
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            plans.agree_arrangement(
                request.organization,
                customer=customer,
                invoices=list(data["invoices"]),
                count=data["count"],
                first_due_on=data["first_due_on"],
                with_interest=data["with_interest"],
                with_costs=data["with_costs"],
                channel=data["channel"],
                note=data["note"],
                user=request.user,
                today=today(request),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return _done(
                request, customer, _("Arrangement agreed; the confirmation is in the outbox.")
            )
    return _page(request, customer, status=400, arrangement_form=form)


@change_required
def handover(request: HttpRequest, public_id) -> HttpResponse:
    customer = _customer(request, public_id)
    form = forms.HandoverForm(
        request.POST,
        invoices=queries.open_invoices_of(customer),
        agencies=Agency.objects.filter(organization=request.organization),
        prefix="handover",
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            collections.hand_over(
                request.organization,
                customer=customer,
                invoices=list(data["invoices"]),
                agency=data["agency"],
                note=data["note"],
                confirm_disputed=data["confirm_disputed"],
                user=request.user,
                today=today(request),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, customer, _("Handed over; the dossier is ready to download."))
    return _page(request, customer, status=400, handover_form=form)


@change_required
def insolvency(request: HttpRequest, public_id) -> HttpResponse:
    customer = _customer(request, public_id)
    form = forms.InsolvencyForm(request.POST, prefix="insolvency")
    if form.is_valid():
        data = form.cleaned_data
        try:
            collections.record_insolvency(
                request.organization,
                customer=customer,
                kind=data["kind"],
                declared_on=data["declared_on"],
                trustee=data["trustee"],
                reference=data["reference"],
                user=request.user,
                today=today(request),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, customer, _("Insolvency recorded; reminders have stopped."))
    return _page(request, customer, status=400, insolvency_form=form)


@organization_required
def disputes(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "arrangements/disputes.html",
        {
            "disputes": _with_resolve_forms(
                queries.open_disputes(request.organization, request.user)
            ),
            "may_change": may_change(request),
        },
    )

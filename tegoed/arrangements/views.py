"""The agreements page of a customer — promises, disputes, arrangements, hand-overs — and the
list of open disputes. Thin: forms parse, services write, queries read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tegoed.accounts import approval
from tegoed.accounts.current import change_required, may_change, organization_required, today
from tegoed.arrangements import forms, plans, queries, services
from tegoed.collections import services as collections
from tegoed.collections import settlements
from tegoed.collections.models import Agency, Handover, Insolvency, Settlement
from tegoed.customers.queries import get_customer_for_member
from tegoed.domain.errors import DomainError


def _with_resolve_forms(disputes) -> list:
    disputes = list(disputes)
    for dispute in disputes:
        dispute.resolve_form = forms.resolve_form(dispute)
    return disputes


# What each form on the agreements page records: its form, the service, what to say when done.
# The forms' fields are named as the services' arguments.
ACTIONS = {
    "promise": (
        forms.PromiseForm,
        services.promise_to_pay,
        gettext_lazy("Promise to pay recorded; reminders wait."),
    ),
    "dispute": (
        forms.DisputeForm,
        services.open_dispute,
        gettext_lazy("Dispute recorded; its reminders wait and the task has been sent."),
    ),
    "arrangement": (
        forms.ArrangementForm,
        plans.agree_arrangement,
        gettext_lazy("Arrangement agreed; the confirmation is in the outbox."),
    ),
    "handover": (
        forms.HandoverForm,
        collections.hand_over,
        gettext_lazy("Handed over; the dossier is ready to download."),
    ),
    "settlement": (
        forms.SettlementForm,
        settlements.propose_settlement,
        gettext_lazy(
            "Settlement recorded: agreed when within your approval limit, otherwise it waits "
            "for approval below. Reminders wait until the day to pay by."
        ),
    ),
    "insolvency": (
        forms.InsolvencyForm,
        collections.record_insolvency,
        gettext_lazy("Insolvency recorded; reminders have stopped."),
    ),
}


def _form(request: HttpRequest, customer, action: str, data=None, files=None):
    form_class = ACTIONS[action][0]
    options = {"prefix": action}
    if issubclass(form_class, forms.OnInvoices):
        options["invoices"] = queries.open_invoices_of(customer)
    if form_class is forms.HandoverForm:
        options["agencies"] = Agency.objects.filter(organization=request.organization)
    if form_class is forms.ArrangementForm and data is None:
        options["initial"] = {"first_due_on": today(request)}
    return form_class(data, files, **options)


def _handover_forms(handover, data=None) -> tuple[forms.StageForm, forms.RemittanceForm]:
    return (
        forms.StageForm(data, prefix=f"stage-{handover.pk}"),
        forms.RemittanceForm(
            data, prefix=f"remittance-{handover.pk}", invoices=handover.invoices.all()
        ),
    )


def _with_handover_forms(handovers) -> list:
    handovers = list(handovers)
    for handover in handovers:
        handover.stage_form, handover.remittance_form = _handover_forms(handover)
    return handovers


def _page(request: HttpRequest, customer, status: int = 200, bound=None) -> HttpResponse:
    context = {
        "customer": customer,
        "may_change": may_change(request),
        "open_invoices": queries.open_invoices_of(customer),
        **{
            f"{action}_form": bound
            if bound is not None and bound.prefix == action
            else _form(request, customer, action)
            for action in ACTIONS
        },
        "has_agencies": Agency.objects.filter(organization=request.organization).exists(),
        "agency_form": bound
        if isinstance(bound, forms.AgencyForm)
        else forms.AgencyForm(prefix="agency"),
        "insolvencies": Insolvency.objects.filter(customer=customer),
        "settlements": Settlement.objects.filter(customer=customer)
        .select_related("proposed_by", "approved_by")
        .prefetch_related("invoices")[:10],
        "approval_limit": approval.limit_of(request.membership),
        "handovers": _with_handover_forms(
            Handover.objects.filter(customer=customer)
            .select_related("agency")
            .prefetch_related("invoices", "stages", "remittances")[:10]
        ),
        "terms": plans.terms_of(request.organization),
        **queries.agreements_of(customer),
    }
    context["disputes"] = _with_resolve_forms(context["disputes"])
    return render(request, "arrangements/customer.html", context, status=status)


def _customer(request: HttpRequest, public_id):
    return get_customer_for_member(request.user, request.membership, public_id)


@organization_required
def customer_agreements(request: HttpRequest, public_id) -> HttpResponse:
    return _page(request, _customer(request, public_id))


@change_required
def record(request: HttpRequest, public_id, action: str) -> HttpResponse:
    """Record what one of the page's forms says, through its service."""
    if action not in ACTIONS or request.method != "POST":
        raise Http404
    customer = _customer(request, public_id)
    form = _form(request, customer, action, request.POST, request.FILES)
    if form.is_valid():
        data = {
            name: list(value) if name == "invoices" else value
            for name, value in form.cleaned_data.items()
        }
        try:
            ACTIONS[action][1](
                request.organization,
                customer=customer,
                user=request.user,
                today=today(request),
                **data,
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, ACTIONS[action][2])
            return redirect(reverse("arrangements:customer", args=[customer.public_id]))
    return _page(request, customer, status=400, bound=form)


@organization_required
def resolve_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    # Fetched first: another organization's dispute is not found, whatever the method.
    found = queries.get_dispute_for_member(request.user, request.membership, pk)
    if request.method != "POST":
        return redirect("arrangements:disputes")
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


@change_required
def decide_settlement(request: HttpRequest, public_id, decision: str) -> HttpResponse:
    """Approve a settlement that waits for someone whose limit allows it, or cancel one."""
    found = get_object_or_404(Settlement, organization=request.organization, public_id=public_id)
    customer = _customer(request, found.customer.public_id)
    if request.method != "POST" or decision not in ("approve", "cancel"):
        raise Http404
    action = (
        settlements.approve_settlement if decision == "approve" else settlements.cancel_settlement
    )
    try:
        action(found, user=request.user, today=today(request))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Settlement approved; reminders wait until the day to pay by.")
            if decision == "approve"
            else _("Settlement cancelled; the reminders resume."),
        )
    return redirect(reverse("arrangements:customer", args=[customer.public_id]) + "#settlements")


@change_required
def handover_step(request: HttpRequest, public_id, action: str) -> HttpResponse:
    """Record a hand-over's next stage, or what the agency collected on it."""
    handover = get_object_or_404(Handover, organization=request.organization, public_id=public_id)
    customer = _customer(request, handover.customer.public_id)
    if request.method != "POST" or action not in ("stage", "remittance"):
        raise Http404
    stage_form, remittance_form = _handover_forms(handover, request.POST)
    form = stage_form if action == "stage" else remittance_form
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "stage":
                collections.record_stage(
                    handover,
                    kind=data["kind"],
                    on=data["on"],
                    today=today(request),
                    costs=data["costs"],
                    note=data["note"],
                    awarded=data["awarded"],
                    simple_interest=data["simple_interest"],
                    user=request.user,
                )
            else:
                collections.record_remittance(
                    handover,
                    received_on=data["received_on"],
                    collected=data["collected"],
                    fee=data["fee"],
                    user=request.user,
                )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Stage recorded.") if action == "stage" else _("Collected amount booked."),
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(reverse("arrangements:customer", args=[customer.public_id]) + "#handovers")


@change_required
def add_agency(request: HttpRequest, public_id) -> HttpResponse:
    """Add a collection agency or bailiff from a customer's agreements page."""
    customer = _customer(request, public_id)
    if request.method != "POST":
        raise Http404
    form = forms.AgencyForm(request.POST, prefix="agency")
    if form.is_valid():
        try:
            agency = collections.add_agency(
                request.organization, user=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s added.") % {"name": agency.name})
            return redirect(
                reverse("arrangements:customer", args=[customer.public_id]) + "#handovers"
            )
    return _page(request, customer, status=400, bound=form)


@change_required
def terms(request: HttpRequest) -> HttpResponse:
    """The organization's limits for payment arrangements."""
    form = forms.TermsForm(request.POST or None, instance=plans.terms_of(request.organization))
    if request.method == "POST" and form.is_valid():
        plans.save_terms(form.save(commit=False), user=request.user)
        messages.success(request, _("The arrangement terms are saved."))
        return redirect("arrangements:terms")
    return render(
        request, "arrangements/terms.html", {"form": form}, status=422 if form.errors else 200
    )

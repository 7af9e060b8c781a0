"""Reminder pages: the day's run, one message, the call list, a customer's reminders and
communication log, and the schedules with their settings.

Each view parses the request, fetches through an access function, calls a service and
renders; none writes a row itself. Everyone in the organization sees; owners and credit
controllers act.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from tegoed.accounts import current
from tegoed.accounts.current import change_required, may_change, organization_required
from tegoed.accounts.templatetags.tegoed import money
from tegoed.customers.models import Customer
from tegoed.customers.queries import get_customer_for_member, tags_of
from tegoed.documents import wording
from tegoed.domain import dunning
from tegoed.domain.errors import DomainError
from tegoed.dunning import forms, queries, run, sending, services, small_amounts
from tegoed.dunning import schedules as schedule_editing  # the view `schedules` lists them
from tegoed.dunning.models import Channel, HoldReason, StepKind
from tegoed.invoices.models import Invoice


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """To the page the form was on, when it is one of ours; else to `fallback`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def _message(request: HttpRequest, public_id):
    return queries.get_message_for_user(request.user, request.organization, public_id)


# The day's run ----------------------------------------------------------------------------


@organization_required
def day(request: HttpRequest) -> HttpResponse:
    today = current.today(request)
    context = {
        "today": today,
        "day": queries.day_of(request.organization, request.membership, request.user, today=today),
        "approve_form": forms.ApproveForm(),
        "skip_form": forms.SkipForm(),
    }
    return render(request, "dunning/day.html", context)


def _decide(request: HttpRequest, public_id, decide, done: str) -> HttpResponse:
    """Apply a staff decision to a message; say what happened, or why it could not be."""
    message = _message(request, public_id)
    try:
        decide(message)
    except services.DunningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % {"customer": message.customer.name})
    return _back(request, reverse("dunning:day"))


@require_POST
@change_required
def approve(request: HttpRequest, public_id) -> HttpResponse:
    form = forms.ApproveForm(request.POST)
    note = form.cleaned_data["personal_note"] if form.is_valid() else ""
    return _decide(
        request,
        public_id,
        lambda message: services.approve_message(
            message, user=request.user, personal_note=note or None, today=current.today(request)
        ),
        _("Approved: %(customer)s. It goes out with the next send."),
    )


@require_POST
@change_required
def skip(request: HttpRequest, public_id) -> HttpResponse:
    form = forms.SkipForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _decide(
        request,
        public_id,
        lambda message: services.skip_message(message, user=request.user, reason=reason),
        _("Skipped: %(customer)s."),
    )


@require_POST
@change_required
def resend(request: HttpRequest, public_id) -> HttpResponse:
    return _decide(
        request,
        public_id,
        lambda message: services.resend_message(message, user=request.user),
        _("%(customer)s: back in the outbox, with the same Message-ID."),
    )


@organization_required
def letters(request: HttpRequest) -> HttpResponse:
    """The day's letters as one PDF to print."""
    try:
        on = datetime.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        on = current.today(request)
    content = sending.letters_pdf(request.organization, on)
    if content is None:
        messages.info(request, _("No letters went out on that day."))
        return redirect("dunning:day")
    return FileResponse(
        iter([content]),
        as_attachment=True,
        filename=f"letters-{on.isoformat()}.pdf",
        content_type="application/pdf",
    )


# One message ------------------------------------------------------------------------------


@organization_required
def message_detail(request: HttpRequest, public_id) -> HttpResponse:
    message = _message(request, public_id)
    steps = list(
        message.invoice_steps().select_related("invoice").order_by("invoice__due_date", "id")
    )
    preview = None
    if not message.sent_at:
        # Not gone out yet: show what would go out now.
        try:
            preview = sending.compose(message)
        except DomainError as error:
            messages.error(request, str(error))
    context = {
        "message": message,
        "steps": steps,
        "preview": preview,
        "attachments": list(message.attachments.order_by("id")),
        "approve_form": forms.ApproveForm(initial={"personal_note": message.personal_note}),
        "skip_form": forms.SkipForm(),
    }
    return render(request, "dunning/message.html", context)


@organization_required
def attachment(request: HttpRequest, public_id, number: int) -> HttpResponse:
    found = queries.get_attachment_for_user(request.user, request.organization, public_id, number)
    return FileResponse(
        iter([bytes(found.content)]),
        as_attachment=True,
        filename=found.name,
        content_type=found.content_type,
    )


# Calls ----------------------------------------------------------------------------------


def _call_page(request: HttpRequest, bound=None) -> HttpResponse:
    today = current.today(request)
    calls = list(
        queries.open_calls(request.organization, request.membership, request.user, today=today)[
            : queries.SECTION_SIZE
        ]
    )
    cards = queries.call_cards(calls)
    for card in cards:
        form = bound if bound is not None and bound.call_pk == card.call.pk else None
        card.form = form or forms.CallResultForm(auto_id=f"call{card.call.pk}-%s")
    status = 422 if bound is not None else 200
    return render(request, "dunning/calls.html", {"cards": cards, "today": today}, status=status)


@organization_required
def calls(request: HttpRequest) -> HttpResponse:
    return _call_page(request)


@require_POST
@change_required
def call_result(request: HttpRequest, call: int) -> HttpResponse:
    task = queries.get_call_for_user(request.user, request.organization, call)
    form = forms.CallResultForm(request.POST, auto_id=f"call{task.pk}-%s")
    form.call_pk = task.pk
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_call(
                task,
                user=request.user,
                reached=data["reached"],
                promise_on=data["promise_on"],
                promise_amount=data["promise_amount"],
                disputed=data["disputed"],
                notes=data["notes"],
                today=current.today(request),
            )
        except services.DunningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Call with %(customer)s recorded.") % {"customer": task.customer.name}
            )
            return redirect("dunning:calls")
    return _call_page(request, bound=form)


# One customer ---------------------------------------------------------------------------


def _customer(request: HttpRequest, public_id) -> Customer:
    return get_customer_for_member(request.user, request.membership, public_id)


@organization_required
def customer(request: HttpRequest, public_id) -> HttpResponse:
    found = _customer(request, public_id)
    today = current.today(request)
    upcoming = queries.upcoming(found, today=today)
    context = {
        "customer": found,
        "today": today,
        "upcoming": upcoming,
        "holds": queries.holds_of(found),
        "failures": queries.delivery_failures(found),
        "log": queries.communication_log(found),
        "hold_form": forms.HoldForm(invoices=[row.invoice for row in upcoming]),
    }
    return render(request, "dunning/customer.html", context)


@require_POST
@change_required
def hold(request: HttpRequest, public_id) -> HttpResponse:
    """Stop chasing a customer, or one of its invoices, by hand."""
    found = _customer(request, public_id)
    invoices = list(
        Invoice.objects.filter(
            customer=found, lifecycle="issued", kind="invoice", open_amount__gt=0
        ).order_by("due_date", "number")
    )
    form = forms.HoldForm(request.POST, invoices=invoices)
    fallback = reverse("dunning:customer", args=[found.public_id])
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
        return _back(request, fallback)
    chosen = form.cleaned_data.get("invoice")
    invoice = next((row for row in invoices if str(row.public_id) == chosen), None)
    try:
        services.place_hold(
            request.organization,
            customer=found,
            invoice=invoice,
            reason=HoldReason.MANUAL,
            until=form.cleaned_data["until"],
            note=form.cleaned_data["note"],
            user=request.user,
            today=current.today(request),
        )
    except services.DunningError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Reminders stopped for %(what)s.")
            % {"what": invoice.number if invoice else found.name},
        )
    return _back(request, fallback)


@require_POST
@change_required
def lift(request: HttpRequest, hold: int) -> HttpResponse:
    found = queries.get_hold_for_user(request.user, request.organization, hold)
    services.lift_hold(found, user=request.user, today=current.today(request))
    messages.success(request, _("Reminders resume where the schedule stood."))
    return _back(request, reverse("dunning:customer", args=[found.customer.public_id]))


# Schedules ------------------------------------------------------------------------------


@organization_required
def schedules(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    if may_change(request):
        services.ensure_defaults(organization)
    found = list(queries.policies(organization))
    context = {
        "policies": found,
        "config": run.settings_of(organization),
        "send_days": [
            str(name)
            for day, name in forms.WEEKDAYS
            if day in run.settings_of(organization).send_weekdays
        ],
        "new_form": forms.NewScheduleForm(policies=found),
    }
    return render(request, "dunning/schedules.html", context)


@require_POST
@change_required
def schedule_create(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    found = list(queries.policies(organization))
    form = forms.NewScheduleForm(request.POST, policies=found)
    if form.is_valid():
        source = queries.get_policy_for_user(
            request.user, organization, form.cleaned_data["copy_of"]
        )
        try:
            policy = schedule_editing.create_schedule(
                organization, name=form.cleaned_data["name"], copy_of=source, user=request.user
            )
        except services.DunningError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Schedule %(name)s made.") % {"name": policy.name})
            return redirect("dunning:schedule", public_id=policy.public_id)
    else:
        messages.error(request, _("Give the new schedule a name."))
    return redirect("dunning:schedules")


def _step_initial(policy) -> list[dict]:
    return [
        {
            "code": step.code,
            "offset_days": step.offset_days,
            "min_gap_days": step.min_gap_days,
            "channels": step.channels,
            "claims_interest_and_costs": step.claims_interest_and_costs,
            "minimum_amount": step.minimum_amount,
            "needs_approval": step.needs_approval,
        }
        for step in sorted(
            policy.steps.all(), key=lambda step: (step.level is None, step.level or 0)
        )
        if step.kind != dunning.PRE_DUE
    ]


def _preview(request: HttpRequest, policy) -> tuple[forms.PreviewForm, list]:
    """The schedule's timeline for a sample invoice issued today and never paid."""
    today = current.today(request)
    form = forms.PreviewForm(request.GET if "due_in" in request.GET else None)
    due_in, amount = 30, Decimal("1000.00")
    if form.is_bound and form.is_valid():
        due_in, amount = form.cleaned_data["due_in"], form.cleaned_data["amount"]
    elif not form.is_bound:
        form = forms.PreviewForm(initial={"due_in": due_in, "amount": amount})
    config = run.settings_of(request.organization)
    due_date = today + datetime.timedelta(days=due_in)
    entries = dunning.timeline(
        schedule_editing.as_policy(policy),
        issue_date=today,
        due_date=due_date,
        open_amount=amount,
        send_days=run.send_days_of(config, (today.year, today.year + 1, today.year + 2)),
    )
    kinds = dict(StepKind.choices)
    channels = dict(Channel.choices)
    rows = [
        {
            "on": entry.on,
            "kind": kinds.get(entry.step.kind, entry.step.kind),
            "step": entry.step,
            "days": (entry.on - due_date).days,
            "channels": [str(channels.get(channel, channel)) for channel in entry.step.channels],
        }
        for entry in entries
    ]
    return form, {"rows": rows, "due_date": due_date, "issue_date": today, "amount": amount}


# The blocks a step's message speaks with (`wording.block_prefix`), for the schedule page.
WORDING = {
    "reminder_1": gettext_lazy("first reminder"),
    "reminder_2": gettext_lazy("second reminder"),
    "reminder_3": gettext_lazy("third reminder"),
    "formal_demand": gettext_lazy("formal demand"),
    "consumer_notice": gettext_lazy("consumer 14-day letter"),
    "final_notice": gettext_lazy("final notice"),
    "broken_promise": gettext_lazy("broken promise"),
    "pre_due": gettext_lazy("nudge before the due date"),
}


def _places(policy) -> list[tuple[int, str]]:
    """Where a step can go: at the start of the ladder, or after one of its steps."""
    places = [(0, _("At the start, as step 1"))]
    for row in sorted((row for row in policy.steps.all() if row.level), key=lambda row: row.level):
        places.append(
            (
                row.level,
                _("After %(level)s. %(kind)s (%(code)s)")
                % {"level": row.level, "kind": row.get_kind_display(), "code": row.code},
            )
        )
    return places


def _add_form(request: HttpRequest, policy, data=None) -> forms.AddStepForm:
    """The form to add a step; by default after the last reminder (or the step the page was
    asked to add after), with days halfway to the next step."""
    places = _places(policy)
    rows = [row for row in policy.steps.all() if row.level is not None]
    ladder = sorted((row.as_step() for row in rows), key=lambda step: step.level)
    reminders = [step.level for step in ladder if step.kind == dunning.REMINDER]
    after = max(reminders, default=0)
    wanted = request.GET.get("after", "")
    if wanted.isdigit() and int(wanted) < len(places):
        after = int(wanted)
    offset, gap = dunning.suggested_days(ladder, after=after)
    codes = {row.code for row in policy.steps.all()}
    number = next(n for n in range(len(reminders) + 1, 1000) if f"reminder_{n}" not in codes)
    initial = {
        "after": after,
        "kind": dunning.REMINDER,
        "code": f"reminder_{number}",
        "offset_days": offset,
        "min_gap_days": gap,
        "minimum_amount": Decimal("0"),
    }
    return forms.AddStepForm(data, initial=initial, places=places, prefix="add")


def _step_rows(policy, steps) -> list[dict]:
    """Each step of the schedule's form with its row, the wording its message uses, and whether
    it can move up or down the ladder."""
    labelled = {step.code: step for step in policy.steps.all()}
    top = max((step.level or 0 for step in labelled.values()), default=0)
    rows = []
    for each in steps:
        step = labelled.get(each["code"].value())
        prefix = wording.block_prefix(step.kind, step.level or 1) if step else ""
        rows.append(
            {
                "step": step,
                "form": each,
                "wording": WORDING.get(prefix),
                "in_ladder": bool(step and step.level),
                "up": bool(step and step.level and step.level > 1),
                "down": bool(step and step.level and step.level < top),
            }
        )
    return rows


def _schedule_page(
    request: HttpRequest, policy, form, steps, add_form=None, status: int | None = None
) -> HttpResponse:
    if not may_change(request):
        for each in (form, *steps):
            for field in each.fields.values():
                field.disabled = True
    preview_form, preview = _preview(request, policy)
    add_form = add_form or _add_form(request, policy)
    failed = bool(form.errors or steps.total_error_count() or add_form.errors)
    context = {
        "policy": policy,
        "form": form,
        "steps": _step_rows(policy, steps),
        "formset": steps,
        "add_form": add_form,
        "preview_form": preview_form,
        "preview": preview,
    }
    return render(
        request, "dunning/schedule.html", context, status=status or (422 if failed else 200)
    )


def _find_customers(organization):
    def find(numbers):
        found = Customer.objects.filter(organization=organization, number__in=numbers)
        return {customer.number: customer for customer in found}

    return find


def _schedule_forms(policy, tags, own, find_customers):
    """The schedule's form and its steps' forms, as they stand."""
    nudge = next((step for step in policy.steps.all() if step.kind == dunning.PRE_DUE), None)
    initial = {
        "name": policy.name,
        "nudge": nudge is not None,
        "nudge_days": -nudge.offset_days if nudge else 3,
        "customers": " ".join(policy.customers.order_by("number").values_list("number", flat=True)),
        "tags": [tag.pk for tag in policy.tags.all()],
    }
    form = forms.ScheduleForm(initial=initial, tags=tags, own=own, find_customers=find_customers)
    return form, forms.StepFormSet(initial=_step_initial(policy), prefix="steps")


@organization_required
def schedule(request: HttpRequest, public_id) -> HttpResponse:
    organization = request.organization
    policy = queries.get_policy_for_user(request.user, organization, public_id)
    own = not policy.default_for
    tags = list(tags_of(organization))
    find_customers = _find_customers(organization)
    if request.method != "POST":
        form, steps = _schedule_forms(policy, tags, own, find_customers)
        return _schedule_page(request, policy, form, steps)
    if not may_change(request):
        raise PermissionDenied
    form = forms.ScheduleForm(request.POST, tags=tags, own=own, find_customers=find_customers)
    steps = forms.StepFormSet(request.POST, prefix="steps")
    if form.is_valid() and steps.is_valid():
        data = form.cleaned_data
        try:
            schedule_editing.update_schedule(
                policy,
                user=request.user,
                name=data["name"],
                steps={
                    row["code"]: {field: row[field] for field in schedule_editing.STEP_FIELDS}
                    for row in steps.cleaned_data
                },
                nudge_days=data["nudge_days"] if data["nudge"] else None,
                customers=data.get("customers") if own else None,
                tags=(
                    [tag for tag in tags if tag.pk in data.get("tags", [])]
                    if own and tags
                    else None
                ),
            )
        except services.DunningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Schedule saved."))
            return redirect("dunning:schedule", public_id=policy.public_id)
    return _schedule_page(request, policy, form, steps)


@require_POST
@change_required
def step_add(request: HttpRequest, public_id) -> HttpResponse:
    """Put a step into the schedule; the page again with the form's errors if it cannot."""
    organization = request.organization
    policy = queries.get_policy_for_user(request.user, organization, public_id)
    add_form = _add_form(request, policy, request.POST)
    if add_form.is_valid():
        data = add_form.cleaned_data
        try:
            step = schedule_editing.add_step(
                policy,
                user=request.user,
                after=data["after"],
                code=data["code"],
                kind=data["kind"],
                **{field: data[field] for field in schedule_editing.STEP_FIELDS},
            )
        except services.DunningError as error:
            add_form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Step %(level)s. %(kind)s added; the steps after it moved one place on.")
                % {"level": step.level, "kind": step.get_kind_display()},
            )
            return redirect(
                reverse("dunning:schedule", args=[policy.public_id]) + f"#step-{step.code}"
            )
    form, steps = _schedule_forms(
        policy, list(tags_of(organization)), not policy.default_for, _find_customers(organization)
    )
    return _schedule_page(request, policy, form, steps, add_form=add_form, status=422)


@change_required
def step_remove(request: HttpRequest, public_id, code: str) -> HttpResponse:
    """Ask, then take a step out of the schedule."""
    policy = queries.get_policy_for_user(request.user, request.organization, public_id)
    step = policy.steps.filter(code=code).first()
    if step is None:
        raise Http404
    refusal = ""
    if request.method == "POST":
        try:
            schedule_editing.remove_step(policy, user=request.user, code=code)
        except services.DunningError as error:
            refusal = str(error)
        else:
            messages.success(
                request,
                _("Step %(kind)s (%(code)s) removed; the steps after it moved one place up.")
                % {"kind": step.get_kind_display(), "code": code},
            )
            return redirect("dunning:schedule", public_id=policy.public_id)
    else:
        try:
            schedule_editing.check_removal(policy, code=code)
        except services.DunningError as error:
            refusal = str(error)
    context = {
        "policy": policy,
        "step": step,
        "refusal": refusal,
        "under_way": queries.under_way(policy, from_level=step.level) if step.level else 0,
        "following": [
            row
            for row in sorted(
                (row for row in policy.steps.all() if row.level), key=lambda row: row.level
            )
            if step.level and row.level > step.level
        ],
    }
    return render(
        request,
        "dunning/step_remove.html",
        context,
        status=422 if refusal and request.method == "POST" else 200,
    )


@require_POST
@change_required
def step_move(request: HttpRequest, public_id, code: str) -> HttpResponse:
    """Move a step one place up or down the ladder."""
    policy = queries.get_policy_for_user(request.user, request.organization, public_id)
    by = -1 if request.POST.get("by") == "-1" else 1
    try:
        schedule_editing.move_step(policy, user=request.user, code=code, by=by)
    except services.DunningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Step moved."))
    return redirect(reverse("dunning:schedule", args=[policy.public_id]) + f"#step-{code}")


@organization_required
def settings(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    config = run.settings_of(organization)
    if request.method == "POST":
        if not may_change(request):
            raise PermissionDenied
        form = forms.SettingsForm(request.POST, instance=config)
        if form.is_valid():
            try:
                services.update_settings(
                    organization,
                    user=request.user,
                    **{name: form.cleaned_data[name] for name in services.SETTINGS_FIELDS},
                )
            except services.DunningError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Reminder settings saved."))
                return redirect("dunning:schedules")
    else:
        form = forms.SettingsForm(instance=config)
    if not may_change(request):
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "dunning/settings.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


# Small amounts written off ----------------------------------------------------------------


@organization_required
def small_write_offs(request: HttpRequest) -> HttpResponse:
    """The run's proposals to write off small amounts, approved in one go."""
    organization = request.organization
    proposed = list(small_amounts.proposals(organization, request.membership, request.user))
    form = forms.SmallWriteOffForm(
        initial={
            "steps": [str(step.pk) for step in proposed],
            "reason": small_amounts.default_reason(organization),
        },
        proposals=proposed,
    )
    if request.method == "POST":
        if not may_change(request):
            raise PermissionDenied
        form = forms.SmallWriteOffForm(request.POST, proposals=proposed)
        if form.is_valid():
            try:
                count, total = small_amounts.write_off_small_amounts(
                    organization,
                    steps=form.chosen(),
                    acting_user=request.user,
                    today=current.today(request),
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s amount written off, %(total)s in all.",
                        "%(count)s amounts written off, %(total)s in all.",
                        count,
                    )
                    % {"count": count, "total": money(total)},
                )
                return redirect("dunning:small_write_offs")
    context = {
        "form": form,
        "proposed": proposed,
        "total": sum((step.invoice.open_amount for step in proposed), Decimal("0.00")),
        "threshold": run.settings_of(organization).minimum_open_amount,
        "may_change": may_change(request),
    }
    return render(request, "dunning/small_write_offs.html", context)

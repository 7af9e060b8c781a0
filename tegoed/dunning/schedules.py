"""Reminder schedules edited: an own schedule made from a copy, a schedule's steps and nudge
changed, steps added, removed and moved in its ladder.

Each change runs in one transaction and writes an audit event. Invoices keep the levels they
reached (docs/decisions/0503).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tegoed.audit import services as audit
from tegoed.domain import dunning
from tegoed.domain.errors import DomainError
from tegoed.dunning import defaults
from tegoed.dunning.models import Policy, PolicyStep
from tegoed.dunning.services import DunningError


def as_policy(policy: Policy, *, minimum_open_amount: Decimal = Decimal("0")) -> dunning.Policy:
    """The domain's view of a schedule and its steps."""
    steps = list(policy.steps.all())
    return dunning.Policy(
        steps=tuple(step.as_step() for step in steps if step.level is not None),
        broken_promise=next(
            (step.as_step() for step in steps if step.kind == dunning.BROKEN_PROMISE), None
        ),
        minimum_open_amount=minimum_open_amount,
    )


STEP_FIELDS = (
    "offset_days",
    "min_gap_days",
    "channels",
    "claims_interest_and_costs",
    "minimum_amount",
    "needs_approval",
)


def create_schedule(organization, *, name: str, copy_of: Policy, user) -> Policy:
    """A schedule of the organization's own, starting as a copy of `copy_of`'s steps."""
    name = name.strip()
    if copy_of.organization_id != organization.pk:
        raise DunningError(_("This schedule belongs to another administration."))
    if Policy.objects.filter(organization=organization, name=name).exists():
        raise DunningError(_("There is a schedule called %(name)s already.") % {"name": name})
    with transaction.atomic():
        policy = Policy.objects.create(organization=organization, name=name)
        PolicyStep.objects.bulk_create(
            PolicyStep(
                policy=policy,
                code=step.code,
                kind=step.kind,
                level=step.level,
                **{field: getattr(step, field) for field in STEP_FIELDS},
            )
            for step in copy_of.steps.all()
        )
        audit.record(
            organization=organization,
            actor=user,
            action="dunning.schedule_created",
            subject=policy,
            summary=_("Reminder schedule %(name)s made from %(source)s")
            % {"name": name, "source": copy_of.name},
            details={"copy_of": copy_of.pk},
        )
    return policy


def update_schedule(
    policy: Policy,
    *,
    user,
    name: str,
    steps: dict[str, dict],
    nudge_days: int | None,
    customers=None,
    tags=None,
) -> Policy:
    """Change a schedule's steps (by code), switch the friendly nudge before the due date on
    (`nudge_days` before it) or off, and, for an own schedule, who it applies to.

    Invoices keep the levels they reached: a changed step applies from their next step on.
    A customer or tag given to this schedule leaves any other own schedule.
    """
    name = name.strip()
    organization = policy.organization
    if Policy.objects.filter(organization=organization, name=name).exclude(pk=policy.pk).exists():
        raise DunningError(_("There is a schedule called %(name)s already.") % {"name": name})
    if nudge_days is not None and nudge_days < 1:
        raise DunningError(_("The nudge goes out at least one day before the due date."))
    with transaction.atomic():
        rows = {
            step.code: step for step in PolicyStep.objects.select_for_update().filter(policy=policy)
        }
        before = sorted(
            (row.as_step() for row in rows.values() if row.level is not None),
            key=lambda step: step.level,
        )
        unknown = set(steps) - set(rows)
        if unknown:
            raise DunningError(f"unknown step {sorted(unknown)[0]}")
        for code, values in steps.items():
            for field in STEP_FIELDS:
                if field in values:
                    setattr(rows[code], field, values[field])
        nudge = next((row for row in rows.values() if row.kind == dunning.PRE_DUE), None)
        if nudge_days is not None:
            if nudge is None:
                nudge = PolicyStep(policy=policy, **defaults.step_fields(defaults.PRE_DUE))
                rows[nudge.code] = nudge
            nudge.offset_days = -nudge_days
        elif nudge is not None:
            del rows[nudge.code]
            nudge.delete()
        _check_ladder(
            policy,
            before,
            sorted(
                (row for row in rows.values() if row.level is not None),
                key=lambda row: row.level,
            ),
        )
        for row in rows.values():
            row.save()
        policy.name = name
        policy.save(update_fields=["name", "updated_at"])
        if not policy.default_for and customers is not None:
            for other in Policy.objects.filter(organization=organization).exclude(pk=policy.pk):
                other.customers.remove(*customers)
            policy.customers.set(customers)
        if not policy.default_for and tags is not None:
            for other in Policy.objects.filter(organization=organization).exclude(pk=policy.pk):
                other.tags.remove(*tags)
            policy.tags.set(tags)
        audit.record(
            organization=organization,
            actor=user,
            action="dunning.schedule_changed",
            subject=policy,
            summary=_("Reminder schedule %(name)s changed") % {"name": name},
            details={
                "steps": {
                    code: {field: str(value) for field, value in values.items()}
                    for code, values in steps.items()
                },
                "nudge_days": nudge_days,
            },
        )
    return policy


# Steps added, removed and moved --------------------------------------------------------------

LADDER_RULES = {
    dunning.TOO_FEW_REMINDERS: gettext_lazy(
        "%(step)s would come after fewer than three reminders: a formal step needs at least "
        "three before it."
    ),
    dunning.NOTICE_BEFORE_DEFAULT: gettext_lazy(
        "%(step)s would go out before the invoice is late: a 14-day letter goes out at least a "
        "day after the due date."
    ),
    dunning.COSTS_BEFORE_NOTICE: gettext_lazy(
        "%(step)s would claim interest and costs before the 14-day letter: a consumer owes "
        "them only after it."
    ),
}


def _described(row: PolicyStep) -> str:
    return f"{row.get_kind_display()} ({row.code})"


def _ladder_rows(policy: Policy) -> list[PolicyStep]:
    """The schedule's steps before and after the due date, locked, in level order."""
    return list(
        PolicyStep.objects.select_for_update()
        .filter(policy=policy, level__isnull=False)
        .order_by("level")
    )


def _check_ladder(policy: Policy, before: list[dunning.Step], after: list[PolicyStep]) -> None:
    """Refuse a ladder (`after`, in level order) that breaks a rule the schedule kept
    `before` (`dunning.ladder_problems`); a rule a schedule already broke (made so by hand)
    does not stop other changes."""
    consumer = policy.default_for == "consumer"
    old = dunning.ladder_problems(before, consumer=consumer)
    try:
        steps = [row.as_step() for row in after]
        dunning.Policy(steps=tuple(steps))
    except DomainError as error:
        raise DunningError(str(error)) from None
    new = dunning.ladder_problems(steps, consumer=consumer)
    rows = {row.code: row for row in after}
    broken = sorted(new - old, key=lambda problem: (rows[problem.code].level or 0, problem.rule))
    if broken:
        raise DunningError(
            " ".join(
                str(LADDER_RULES[problem.rule]) % {"step": _described(rows[problem.code])}
                for problem in broken
            )
        )


def _renumber(rows: list[PolicyStep], levels: dict[str, int]) -> dict[str, list[int]]:
    """Give the rows their new levels (by code); the levels that changed, [old, new].

    A level is unique per schedule only where set: the moving rows are first taken off their
    levels, then put on their new ones, so no two rows ever share one."""
    changed = {
        row.code: [row.level, levels[row.code]] for row in rows if row.level != levels[row.code]
    }
    moving = [row for row in rows if row.code in changed]
    PolicyStep.objects.filter(pk__in=[row.pk for row in moving]).update(level=None)
    for row in moving:
        row.level = levels[row.code]
        PolicyStep.objects.filter(pk=row.pk).update(level=row.level)
    return changed


def add_step(policy: Policy, *, user, after: int, code: str, kind: str, **values) -> PolicyStep:
    """Put a step into the schedule after level `after` (0: the first after the due date).

    Levels are places in the ladder: the steps after it move one level on. The levels invoices
    reached stay as recorded; each goes on with the step that now follows its level
    (docs/decisions/0503). A step that would break a rule of the ladder is refused."""
    code = code.strip()
    unknown = set(values) - set(STEP_FIELDS)
    if unknown:
        raise DunningError(f"unknown field {sorted(unknown)[0]}")
    if kind not in dunning.ADDABLE_KINDS:
        raise DunningError(_("Choose what kind of step to add."))
    if code in (defaults.PRE_DUE[0], defaults.BROKEN_PROMISE[0]):
        raise DunningError(
            _("The code %(code)s belongs to a step of its own; choose another.") % {"code": code}
        )
    with transaction.atomic():
        rows = _ladder_rows(policy)
        if PolicyStep.objects.filter(policy=policy, code=code).exists():
            raise DunningError(
                _("This schedule has a step with code %(code)s already.") % {"code": code}
            )
        top = max((row.level for row in rows), default=0)
        if not 0 <= after <= top:
            raise DunningError(_("Choose where in the schedule the step goes."))
        fields = {
            "channels": [dunning.EMAIL],
            "claims_interest_and_costs": False,
            "minimum_amount": Decimal("0"),
            "needs_approval": kind in dunning.FORMAL_KINDS,
            **values,
        }
        step = PolicyStep(policy=policy, code=code, kind=kind, level=after + 1, **fields)
        try:
            step.full_clean(exclude=["channels"], validate_unique=False, validate_constraints=False)
            ladder = dunning.with_step([row.as_step() for row in rows], step.as_step(), after=after)
        except ValidationError as error:
            raise DunningError(" ".join(error.messages)) from None
        except DomainError as error:
            raise DunningError(str(error)) from None
        levels = {each.code: each.level for each in ladder}
        after_rows = sorted(
            [*(_with_level(row, levels[row.code]) for row in rows), step],
            key=lambda row: row.level,
        )
        _check_ladder(policy, [row.as_step() for row in rows], after_rows)
        changed = _renumber(rows, levels)
        step.save()
        policy.save(update_fields=["updated_at"])
        audit.record(
            organization=policy.organization,
            actor=user,
            action="dunning.step_added",
            subject=policy,
            summary=_("Step %(step)s added to reminder schedule %(name)s as step %(level)s")
            % {"step": _described(step), "name": policy.name, "level": step.level},
            details={
                "code": code,
                "kind": kind,
                "level": step.level,
                "values": {field: str(fields[field]) for field in STEP_FIELDS if field in fields},
                "levels_changed": changed,
            },
        )
    return step


def _with_level(row: PolicyStep, level: int) -> PolicyStep:
    """A copy of `row` at `level`, to check a ladder before writing it."""
    copy = PolicyStep(
        policy_id=row.policy_id,
        code=row.code,
        kind=row.kind,
        level=level,
        **{field: getattr(row, field) for field in STEP_FIELDS},
    )
    copy.pk = row.pk
    return copy


def _removal(policy: Policy, code: str):
    """The schedule's ladder rows, the step `code`, the rows that stay and their new levels;
    refused as `remove_step` says."""
    rows = _ladder_rows(policy)
    found = next((row for row in rows if row.code == code), None)
    if found is None:
        if PolicyStep.objects.filter(policy=policy, code=code).exists():
            raise DunningError(_("The step for a broken promise stays in every schedule."))
        raise DunningError(_("This schedule has no step %(code)s.") % {"code": code})
    if found.kind == dunning.PRE_DUE:
        raise DunningError(
            _("The nudge before the due date is switched off on the schedule, not removed.")
        )
    ladder = dunning.without_step([row.as_step() for row in rows], code)
    levels = {each.code: each.level for each in ladder}
    remaining = [row for row in rows if row.code != code]
    _check_ladder(
        policy,
        [row.as_step() for row in rows],
        [_with_level(row, levels[row.code]) for row in remaining],
    )
    return found, remaining, levels


def check_removal(policy: Policy, *, code: str) -> None:
    """Whether the step `code` can be removed: a `DunningError` saying why not."""
    with transaction.atomic():
        _removal(policy, code)


def remove_step(policy: Policy, *, user, code: str) -> None:
    """Take the step `code` out of the schedule; the steps after it move one level up.

    Invoices keep the levels they reached (docs/decisions/0503). The nudge before the due date
    (switched off on the schedule) and the broken-promise step cannot be removed; a removal
    that would break a rule of the ladder is refused."""
    with transaction.atomic():
        found, remaining, levels = _removal(policy, code)
        level = found.level
        found.delete()
        changed = _renumber(remaining, levels)
        policy.save(update_fields=["updated_at"])
        audit.record(
            organization=policy.organization,
            actor=user,
            action="dunning.step_removed",
            subject=policy,
            summary=_("Step %(step)s removed from reminder schedule %(name)s")
            % {"step": _described(found), "name": policy.name},
            details={
                "code": code,
                "kind": found.kind,
                "level": level,
                "values": {field: str(getattr(found, field)) for field in STEP_FIELDS},
                "levels_changed": changed,
            },
        )


def move_step(policy: Policy, *, user, code: str, by: int) -> None:
    """Move the step `code` `by` places later in the ladder (negative: earlier); the steps it
    passes move the other way. Invoices keep the levels they reached (docs/decisions/0503)."""
    with transaction.atomic():
        rows = _ladder_rows(policy)
        found = next((row for row in rows if row.code == code and row.level), None)
        if found is None:
            raise DunningError(_("This schedule has no step %(code)s.") % {"code": code})
        try:
            ladder = dunning.moved([row.as_step() for row in rows], code, by=by)
        except DomainError:
            raise DunningError(_("The step cannot move further that way.")) from None
        levels = {each.code: each.level for each in ladder}
        _check_ladder(
            policy,
            [row.as_step() for row in rows],
            sorted((_with_level(row, levels[row.code]) for row in rows), key=lambda row: row.level),
        )
        changed = _renumber(rows, levels)
        policy.save(update_fields=["updated_at"])
        audit.record(
            organization=policy.organization,
            actor=user,
            action="dunning.step_moved",
            subject=policy,
            summary=_("Step %(step)s of reminder schedule %(name)s moved to step %(level)s")
            % {"step": _described(found), "name": policy.name, "level": levels[code]},
            details={"code": code, "levels_changed": changed},
        )

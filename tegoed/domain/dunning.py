"""Reminder schedules: which step an open invoice is due for, and when.

A policy is a ladder of steps (seed 002: a schedule per customer profile — consumer, business,
government): an optional friendly nudge before the due date (level 0), a polite first follow-up
that does not say "overdue" (seed 003), further reminders each firmer in tone, at least three
before the formal demand (seed 002) — for consumers the 14-day letter of art. 6:96 lid 6 BW —,
a final notice and a proposal to hand the claim over. Each step is due `offset_days` after the
due date and at least `min_gap_days` after the step before it.

The rules that peers get wrong (domain/peers.md §3) are decided here, once:

- **Catching up.** An invoice advances at most one level per run; a run after missed days sends
  the next level, and the levels after it follow at their minimum gap. No level is skipped.
- **The pre-due nudge** is only for invoices not yet due; an invoice already due starts at
  level 1 rather than being nudged late.
- **Holds pause the clock.** Days under a hold (dispute, promise, arrangement, manual stop,
  hand-over, a payment the bank has announced) push the next step back by as many days.
- **Payment habits** (seed 004): a customer who reliably pays N days late gets those days
  before every step after the due date.
- **A broken promise** gets its own step when the promise's hold ends unpaid, at the level the
  invoice had reached; the ladder then resumes.
- **Small amounts** (seed 003): below the policy's threshold nothing is chased; a write-off is
  proposed instead. A step with a minimum amount above the open amount ends the ladder there.

- **Steps added, removed or moved** (`with_step`, `without_step`, `moved`): levels are places in
  the ladder, so the later steps move; the levels invoices reached stay as recorded, and a
  ladder must keep its rules (`ladder_problems`; docs/decisions/0503).

The module never reads the clock: `today` comes in, so "what would the run have done on
1 March?" is a function call.

>>> policy = Policy(steps=(Step("reminder_1", REMINDER, 1, offset_days=3),))
>>> outlook(Item(due_date=date(2026, 3, 2), open_amount=Decimal("100")), policy, date(2026, 3, 5))
Outlook(step=Step(code='reminder_1', ...), due_on=datetime.date(2026, 3, 5), reason='due')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from tegoed.domain import habits
from tegoed.domain.errors import DomainError
from tegoed.domain.schedule import SendDays

# Kinds of step. The kind decides the wording of the message and what the law asks of it.
PRE_DUE = "pre_due"
REMINDER = "reminder"
FORMAL_DEMAND = "formal_demand"
CONSUMER_NOTICE = "consumer_notice"
FINAL_NOTICE = "final_notice"
HANDOVER_PROPOSAL = "handover_proposal"
BROKEN_PROMISE = "broken_promise"
KINDS = (
    PRE_DUE,
    REMINDER,
    FORMAL_DEMAND,
    CONSUMER_NOTICE,
    FINAL_NOTICE,
    HANDOVER_PROPOSAL,
    BROKEN_PROMISE,
)
# The kinds that climb the ladder: each level is reached once per invoice.
LADDER_KINDS = KINDS[:-1]
# Steps of these kinds state a claim with legal effect; by default they wait for approval.
FORMAL_KINDS = frozenset({FORMAL_DEMAND, CONSUMER_NOTICE, FINAL_NOTICE, HANDOVER_PROPOSAL})

EMAIL = "email"
LETTER = "letter"
CALL = "call"
CHANNELS = (EMAIL, LETTER, CALL)

# Why an invoice has no step due today; shown on the invoice and in the dry-run plan.
DUE = "due"
WAITING = "waiting"
PAID = "paid"
ON_HOLD = "on_hold"
AWAITING_APPROVAL = "awaiting_approval"
BELOW_THRESHOLD = "below_threshold"
BELOW_STEP_MINIMUM = "below_step_minimum"
SCHEDULE_DONE = "schedule_done"
NO_DUE_DATE = "no_due_date"

# A late payer's usual delay counts from this many settled invoices on, up to this many days.
HABIT_MINIMUM_INVOICES = 3
HABIT_MAXIMUM_DAYS = 30


@dataclass(frozen=True, slots=True)
class Step:
    code: str
    kind: str
    level: int
    offset_days: int = 0
    min_gap_days: int = 0
    channels: tuple[str, ...] = (EMAIL,)
    claims_interest_and_costs: bool = False
    minimum_amount: Decimal = Decimal("0")
    needs_approval: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise DomainError(f"unknown kind of step {self.kind!r}")
        unknown = set(self.channels) - set(CHANNELS)
        if unknown:
            raise DomainError(f"unknown channel {sorted(unknown)[0]!r}")
        if self.min_gap_days < 0:
            raise DomainError("the minimum gap after the previous step cannot be negative")
        if (self.kind == PRE_DUE) != (self.level == 0):
            raise DomainError("the nudge before the due date, and only it, is level 0")


@dataclass(frozen=True, slots=True)
class Policy:
    """A ladder of steps in level order, the broken-promise step and the threshold."""

    steps: tuple[Step, ...]
    broken_promise: Step | None = None
    minimum_open_amount: Decimal = Decimal("0")

    def __post_init__(self) -> None:
        levels = [step.level for step in self.steps]
        if levels != sorted(set(levels)):
            raise DomainError("the steps of a schedule must have increasing levels")
        ladder = [level for level in levels if level > 0]
        if ladder != list(range(1, len(ladder) + 1)):
            raise DomainError("the levels after the due date must be 1, 2, 3, … without gaps")

    def step_at(self, level: int) -> Step | None:
        return next((step for step in self.steps if step.level == level), None)


# Rules a ladder keeps when steps are added or removed (`ladder_problems`); their codes, which
# the screens turn into sentences.
TOO_FEW_REMINDERS = "too_few_reminders"
NOTICE_BEFORE_DEFAULT = "notice_before_default"
COSTS_BEFORE_NOTICE = "costs_before_notice"
# Reminders before the first formal step (seed 002).
REMINDERS_BEFORE_FORMAL = 3
# The kinds a step added to a ladder may have: the nudge and the broken-promise step have
# places of their own.
ADDABLE_KINDS = (REMINDER, FORMAL_DEMAND, CONSUMER_NOTICE, FINAL_NOTICE, HANDOVER_PROPOSAL)


@dataclass(frozen=True, slots=True)
class Problem:
    """A rule the ladder breaks (one of the codes above), at the step `code`."""

    rule: str
    code: str


def ladder_problems(steps: Sequence[Step], *, consumer: bool = False) -> frozenset[Problem]:
    """What is wrong with a ladder (its steps in level order) in law or by the seeds.

    - At least three reminders before the first formal step: a formal demand, a consumer's
      14-day letter, a final notice or a proposal to hand over (seed 002).
    - A 14-day letter only once default has begun: at least a day after the due date
      (art. 6:96 lid 6 BW; docs/legal.md).
    - Interest and costs claimed only after the 14-day letter, in a schedule that has one and
      in a consumer's schedule (a consumer owes the costs only after it).
    """
    found: set[Problem] = set()
    reminders = 0
    notice = False
    formal = False
    has_notice = consumer or any(each.kind == CONSUMER_NOTICE for each in steps)
    for step in steps:
        if step.kind == REMINDER:
            reminders += 1
        if step.kind in FORMAL_KINDS and not formal:
            formal = True
            if reminders < REMINDERS_BEFORE_FORMAL:
                found.add(Problem(TOO_FEW_REMINDERS, step.code))
        if step.kind == CONSUMER_NOTICE and step.offset_days < 1:
            found.add(Problem(NOTICE_BEFORE_DEFAULT, step.code))
        if step.claims_interest_and_costs and has_notice and not notice:
            found.add(Problem(COSTS_BEFORE_NOTICE, step.code))
        if step.kind == CONSUMER_NOTICE:
            notice = True
    return frozenset(found)


def _renumbered(steps: Sequence[Step]) -> tuple[Step, ...]:
    """`steps` in their order, the nudge kept at level 0 and the others at 1, 2, 3, …"""
    ladder = [step for step in steps if step.level != 0]
    nudge = [step for step in steps if step.level == 0]
    return (
        *nudge,
        *(replace(step, level=level) for level, step in enumerate(ladder, start=1)),
    )


def with_step(steps: Sequence[Step], step: Step, *, after: int) -> tuple[Step, ...]:
    """The ladder with `step` put after level `after` (0: first after the due date); the steps
    after it move one level on. Levels are places in the ladder."""
    ladder = [each for each in steps if each.level != 0]
    if not 0 <= after <= len(ladder):
        raise DomainError(f"no level {after} to put a step after")
    if step.kind not in ADDABLE_KINDS:
        raise DomainError(f"a step of kind {step.kind!r} has a place of its own")
    if any(each.code == step.code for each in steps):
        raise DomainError(f"the schedule has a step {step.code!r} already")
    nudge = [each for each in steps if each.level == 0]
    return _renumbered([*nudge, *ladder[:after], step, *ladder[after:]])


def without_step(steps: Sequence[Step], code: str) -> tuple[Step, ...]:
    """The ladder without the step `code`; the steps after it move one level up."""
    found = next((each for each in steps if each.code == code), None)
    if found is None:
        raise DomainError(f"no step {code!r} in the schedule")
    if found.kind not in ADDABLE_KINDS:
        raise DomainError(f"the step {code!r} has a place of its own")
    return _renumbered([each for each in steps if each.code != code])


def moved(steps: Sequence[Step], code: str, *, by: int) -> tuple[Step, ...]:
    """The ladder with the step `code` `by` places later (negative: earlier)."""
    ladder = [each for each in steps if each.level != 0]
    index = next((n for n, each in enumerate(ladder) if each.code == code), None)
    if index is None:
        raise DomainError(f"no step {code!r} after the due date in the schedule")
    target = index + by
    if not 0 <= target < len(ladder):
        raise DomainError(f"the step {code!r} cannot move that far")
    step = ladder.pop(index)
    ladder.insert(target, step)
    return _renumbered([each for each in steps if each.level == 0] + ladder)


def suggested_days(steps: Sequence[Step], *, after: int) -> tuple[int, int]:
    """(days after the due date, days after the step before) for a step put after level
    `after`: halfway to the next step, or a week after the last."""
    ladder = [each for each in steps if each.level != 0]
    before = ladder[after - 1] if 0 < after <= len(ladder) else None
    following = ladder[after] if after < len(ladder) else None
    start = before.offset_days if before is not None else 0
    if following is not None and following.offset_days > start + 1:
        offset = (start + following.offset_days) // 2
    else:
        offset = start + 7
    return offset, (offset - start if before is not None else 0)


@dataclass(frozen=True, slots=True)
class Item:
    """What the ledger knows of one open invoice, as of `today`.

    `held_days` counts the days a hold paused the invoice's clock since its last step (or since
    its due date when it has none); `awaiting_approval` is set while its last step's message
    waits for approval (nothing further is decided before it goes out); `broken_promise` when a
    promise's hold ended unpaid and no step has answered it yet.
    """

    due_date: date | None
    open_amount: Decimal
    reached_level: int | None = None
    last_step_on: date | None = None
    held_days: int = 0
    on_hold: bool = False
    extra_days: int = 0
    broken_promise: bool = False
    awaiting_approval: bool = False


@dataclass(frozen=True, slots=True)
class Outlook:
    """The next step of an invoice, the day it is due, and why it is (not) due today."""

    step: Step | None
    due_on: date | None
    reason: str

    @property
    def is_due(self) -> bool:
        return self.reason == DUE


def next_ladder_step(item: Item, policy: Policy, today: date) -> Step | None:
    """The step after the invoice's reached level; the nudge only while not yet due."""
    for step in policy.steps:
        if item.reached_level is not None and step.level <= item.reached_level:
            continue
        if step.kind == PRE_DUE and (item.due_date is None or today >= item.due_date):
            continue
        return step
    return None


def step_due_on(step: Step, item: Item) -> date:
    """The day `step` falls due for `item`: its offset from the due date (plus the customer's
    usual delay after the due date), at least its gap after the last step, later by the days
    the clock was held."""
    assert item.due_date is not None
    extra = item.extra_days if step.level > 0 else 0
    day = item.due_date + timedelta(days=step.offset_days + extra)
    if item.last_step_on is not None:
        day = max(day, item.last_step_on + timedelta(days=step.min_gap_days))
    return day + timedelta(days=item.held_days)


def outlook(item: Item, policy: Policy, today: date) -> Outlook:
    """The invoice's next step and whether it is due on `today`."""
    if item.open_amount <= 0:
        return Outlook(None, None, PAID)
    if item.due_date is None:
        return Outlook(None, None, NO_DUE_DATE)
    if item.on_hold:
        return Outlook(None, None, ON_HOLD)
    if item.awaiting_approval:
        return Outlook(None, None, AWAITING_APPROVAL)
    overdue = today > item.due_date
    if overdue and item.open_amount < policy.minimum_open_amount:
        return Outlook(None, None, BELOW_THRESHOLD)
    if item.broken_promise and policy.broken_promise is not None:
        return Outlook(policy.broken_promise, today, DUE)
    step = next_ladder_step(item, policy, today)
    if step is None:
        return Outlook(None, None, SCHEDULE_DONE)
    if item.open_amount < step.minimum_amount:
        return Outlook(step, None, BELOW_STEP_MINIMUM)
    due_on = step_due_on(step, item)
    if step.kind == PRE_DUE and due_on >= item.due_date:
        # A nudge that would land on or after the due date is no longer a nudge.
        due_on = item.due_date - timedelta(days=1)
    return Outlook(step, due_on, DUE if due_on <= today else WAITING)


@dataclass(frozen=True, slots=True)
class Earliest:
    """The earliest any of an organization's schedules lets a step fall due, in days: `first`
    after the due date for an invoice without a step (None: no schedule has a step), and per
    reached level the (days after the due date, days after the last step) of the next level.

    Payment habits, holds and approvals only ever add days, so `look_on` is a lower bound of
    the day an invoice's next step can fall due under any of the schedules, whatever holds,
    habits or approvals come and go: the run need not look at the invoice before it.
    """

    first: int | None
    after: dict[int, tuple[int, int]]

    def look_on(
        self, due_date: date | None, reached_level: int | None, last_step_on: date | None
    ) -> date:
        """The first day the invoice's next step can fall due; `date.max` when none can."""
        if due_date is None:
            return date.max
        if reached_level is None:
            if self.first is None:
                return date.max
            return due_date + timedelta(days=self.first)
        if reached_level not in self.after:
            return date.max
        offset, gap = self.after[reached_level]
        day = due_date + timedelta(days=offset)
        if last_step_on is not None:
            day = max(day, last_step_on + timedelta(days=gap))
        return day


def earliest(policies: Sequence[Policy]) -> Earliest:
    """The earliest days of `policies` taken together (`Earliest`)."""
    first: list[int] = []
    after: dict[int, list[tuple[int, int]]] = {}
    for policy in policies:
        for step in policy.steps:
            if step.level == 0:
                # A nudge lands the day before the due date at the latest.
                first.append(min(step.offset_days, -1))
                continue
            if step.level == 1:
                first.append(step.offset_days)
            after.setdefault(step.level - 1, []).append((step.offset_days, step.min_gap_days))
    return Earliest(
        first=min(first, default=None),
        after={
            level: (min(offset for offset, _gap in days), min(gap for _offset, gap in days))
            for level, days in sorted(after.items())
        },
    )


def habit_days(profile: habits.Profile) -> int:
    """The extra days of a late but reliable payer (seed 004), 0 for anyone else.

    Reliable: enough settled invoices, none paid on time, and not getting worse; the extra
    days are the recent average delay, whole days, capped.
    """
    if (
        profile.invoices < HABIT_MINIMUM_INVOICES
        or profile.recent_average_days_late is None
        or profile.on_time_share != 0
        or profile.trend == habits.WORSENING
    ):
        return 0
    return min(int(profile.recent_average_days_late), HABIT_MAXIMUM_DAYS)


def held_days(holds: Sequence[tuple[date, date | None]], since: date, today: date) -> int:
    """Days in (`since`, `today`] covered by at least one hold (start, end or None: open).

    A hold's end date is its last day. Overlapping holds count each day once.
    """
    days: set[date] = set()
    for start, end in holds:
        first = max(start, since + timedelta(days=1))
        last = min(end or today, today)
        days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    return len(days)


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    step: Step
    on: date


def timeline(
    policy: Policy,
    *,
    issue_date: date,
    due_date: date,
    open_amount: Decimal,
    send_days: SendDays,
    extra_days: int = 0,
) -> tuple[TimelineEntry, ...]:
    """The steps an invoice that is never paid would go through, with their send days: the
    preview of a schedule for a sample invoice."""
    entries: list[TimelineEntry] = []
    item = Item(due_date=due_date, open_amount=open_amount, extra_days=extra_days)
    today = issue_date
    for _guard in range(len(policy.steps) + 1):
        step = next_ladder_step(item, policy, today)
        if step is None or open_amount < step.minimum_amount:
            break
        found = outlook(item, policy, today)
        if found.due_on is None:
            break
        on = send_days.first_on_or_after(max(found.due_on, today))
        entries.append(TimelineEntry(step, on))
        item = Item(
            due_date=due_date,
            open_amount=open_amount,
            reached_level=step.level,
            last_step_on=on,
            extra_days=extra_days,
        )
        today = on
    return tuple(entries)

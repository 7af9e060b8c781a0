"""Steps added to a schedule, removed and moved: levels are places in the ladder, invoices keep
the levels they reached, the ladder's rules hold, and the run notices the change itself
(docs/decisions/0503)."""

import datetime
from decimal import Decimal

import pytest

from tegoed.audit.models import AuditEvent
from tegoed.domain import dunning
from tegoed.dunning import queries, run, schedules, services
from tegoed.dunning.models import DunningSettings, InvoiceStep, Policy, PolicyStep
from tests.dunning.test_looks import days, decided, everything
from tests.factories import CustomerFactory, issued_invoice

START = datetime.date(2026, 1, 6)
EXTRA = {
    "offset_days": 7,
    "min_gap_days": 2,
    "channels": ["email", "call"],
    "claims_interest_and_costs": False,
    "minimum_amount": Decimal("50.00"),
    "needs_approval": False,
}


def schedule(organization, kind: str = "business") -> Policy:
    services.ensure_defaults(organization)
    return Policy.objects.get(organization=organization, default_for=kind)


def ladder(policy: Policy) -> list[tuple[int | None, str]]:
    steps = sorted(policy.steps.all(), key=lambda step: (step.level is None, step.level or 0))
    return [(step.level, step.code) for step in steps]


def test_a_step_added_after_the_first_moves_the_later_ones_one_level_on(organization, member):
    policy = schedule(organization)
    step = schedules.add_step(
        policy, user=member, after=1, code="phone_check", kind=dunning.REMINDER, **EXTRA
    )
    assert step.level == 2 and step.channels == ["email", "call"]
    assert step.minimum_amount == Decimal("50.00")
    assert ladder(policy) == [
        (1, "reminder_1"),
        (2, "phone_check"),
        (3, "reminder_2"),
        (4, "reminder_3"),
        (5, "formal_demand"),
        (6, "final_notice"),
        (7, "handover"),
        (None, "broken_promise"),
    ]
    event = AuditEvent.objects.get(action="dunning.step_added")
    assert event.details["level"] == 2 and event.details["code"] == "phone_check"
    assert event.details["levels_changed"]["reminder_2"] == [2, 3]
    assert event.details["levels_changed"]["handover"] == [6, 7]
    assert "phone_check" in event.summary


def test_a_step_added_first_comes_after_the_nudge(organization, member):
    policy = schedule(organization)
    schedules.update_schedule(policy, user=member, name=policy.name, steps={}, nudge_days=3)
    schedules.add_step(policy, user=member, after=0, code="early", kind=dunning.REMINDER, **EXTRA)
    assert ladder(policy)[:3] == [(0, "pre_due"), (1, "early"), (2, "reminder_1")]
    # A formal step at the end is fine: three reminders and more come before it.
    schedules.add_step(
        policy,
        user=member,
        after=7,
        code="court",
        kind=dunning.HANDOVER_PROPOSAL,
        **{**EXTRA, "channels": []},
    )
    assert ladder(policy)[-2:] == [(8, "court"), (None, "broken_promise")]


def test_a_step_removed_moves_the_later_ones_one_level_up(organization, member):
    policy = schedule(organization)
    schedules.add_step(
        policy, user=member, after=3, code="last_call", kind=dunning.REMINDER, **EXTRA
    )
    schedules.remove_step(policy, user=member, code="reminder_2")
    assert ladder(policy) == [
        (1, "reminder_1"),
        (2, "reminder_3"),
        (3, "last_call"),
        (4, "formal_demand"),
        (5, "final_notice"),
        (6, "handover"),
        (None, "broken_promise"),
    ]
    event = AuditEvent.objects.get(action="dunning.step_removed")
    assert event.details["code"] == "reminder_2" and event.details["level"] == 2
    assert event.details["levels_changed"]["formal_demand"] == [5, 4]
    assert event.details["values"]["offset_days"] == "14"


def test_a_step_moved_up_and_down(organization, member):
    policy = schedule(organization)
    schedules.move_step(policy, user=member, code="final_notice", by=1)
    assert ladder(policy)[4:6] == [(5, "handover"), (6, "final_notice")]
    schedules.move_step(policy, user=member, code="final_notice", by=-1)
    assert ladder(policy)[4:6] == [(5, "final_notice"), (6, "handover")]
    with pytest.raises(services.DunningError, match="cannot move further"):
        schedules.move_step(policy, user=member, code="handover", by=1)
    # A formal step moved before the third reminder is refused.
    with pytest.raises(services.DunningError, match="fewer than three reminders"):
        schedules.move_step(policy, user=member, code="formal_demand", by=-1)
    assert AuditEvent.objects.filter(action="dunning.step_moved").count() == 2


@pytest.mark.parametrize(
    ("kind", "change", "refusal"),
    [
        # Seed 002: at least three reminders before the formal demand.
        ("business", ("remove", "reminder_1"), "fewer than three reminders"),
        ("business", ("add", 2, dunning.FORMAL_DEMAND, {}), "fewer than three reminders"),
        # A consumer owes costs only after the 14-day letter, and it follows default.
        ("consumer", ("remove", "consumer_notice"), "before the 14-day letter"),
        (
            "consumer",
            ("add", 3, dunning.REMINDER, {"claims_interest_and_costs": True}),
            "before the 14-day letter",
        ),
        (
            "business",
            ("add", 3, dunning.CONSUMER_NOTICE, {"offset_days": 0}),
            "before the invoice is late",
        ),
        # The nudge is switched off, the broken promise's step stays.
        ("business", ("remove", "broken_promise"), "broken promise stays"),
        ("business", ("remove", "nothing"), "no step nothing"),
        ("business", ("add", 9, dunning.REMINDER, {}), "Choose where"),
        ("business", ("add", 1, dunning.BROKEN_PROMISE, {}), "Choose what kind"),
        ("business", ("add", 1, dunning.PRE_DUE, {}), "Choose what kind"),
    ],
)
def test_a_change_that_breaks_the_ladder_is_refused(organization, member, kind, change, refusal):
    policy = schedule(organization, kind)
    before = ladder(policy)
    with pytest.raises(services.DunningError, match=refusal):
        if change[0] == "remove":
            schedules.remove_step(policy, user=member, code=change[1])
        else:
            _add, after, step_kind, values = change
            schedules.add_step(
                policy,
                user=member,
                after=after,
                code="extra",
                kind=step_kind,
                **{**EXTRA, **values},
            )
    assert ladder(policy) == before
    assert not AuditEvent.objects.filter(action__startswith="dunning.step_").exists()


def test_codes_are_unique_and_the_own_steps_codes_taken(organization, member):
    policy = schedule(organization)
    for code, refusal in [
        ("reminder_2", "has a step with code reminder_2 already"),
        ("pre_due", "belongs to a step of its own"),
        ("broken_promise", "belongs to a step of its own"),
        ("not a slug!", "Enter a valid"),
    ]:
        with pytest.raises(services.DunningError, match=refusal):
            schedules.add_step(policy, user=member, after=1, code=code, kind="reminder", **EXTRA)


def test_the_nudge_is_switched_off_not_removed(organization, member):
    policy = schedule(organization)
    schedules.update_schedule(policy, user=member, name=policy.name, steps={}, nudge_days=3)
    with pytest.raises(services.DunningError, match="switched off"):
        schedules.remove_step(policy, user=member, code="pre_due")


def test_an_edit_that_brings_the_14_day_letter_before_default_is_refused(organization, member):
    policy = schedule(organization, "consumer")
    with pytest.raises(services.DunningError, match="before the invoice is late"):
        schedules.update_schedule(
            policy,
            user=member,
            name=policy.name,
            steps={"consumer_notice": {"offset_days": 0}},
            nudge_days=None,
        )
    assert policy.steps.get(code="consumer_notice").offset_days == 32


def test_a_rule_the_schedule_already_broke_does_not_stop_other_changes(organization, member):
    policy = schedule(organization)
    PolicyStep.objects.filter(policy=policy, code="formal_demand").update(level=None)
    PolicyStep.objects.filter(policy=policy, code="reminder_3").update(level=4)
    PolicyStep.objects.filter(policy=policy, code="formal_demand").update(level=3)
    schedules.add_step(policy, user=member, after=5, code="extra", kind=dunning.REMINDER, **EXTRA)
    assert ladder(policy)[2:] == [
        (3, "formal_demand"),
        (4, "reminder_3"),
        (5, "final_notice"),
        (6, "extra"),
        (7, "handover"),
        (None, "broken_promise"),
    ]


def test_invoices_under_way_keep_their_levels_and_go_on_from_them(organization, member):
    """An invoice at level 1 gets the step put after level 1; one at level 2 goes on with the
    step that now follows level 2, the second reminder once more (docs/decisions/0503)."""
    policy = schedule(organization)
    early = CustomerFactory(organization=organization, number="C1")
    early_invoice = issued_invoice(early, "400.00", issue_date=datetime.date(2025, 12, 10))
    ahead = CustomerFactory(organization=organization, number="C2")
    ahead_invoice = issued_invoice(ahead, "800.00", issue_date=datetime.date(2025, 11, 1))

    def reached():
        return {
            invoice.customer.number: list(
                invoice.dunning_steps.order_by("level").values_list("level", "code")
            )
            for invoice in (early_invoice, ahead_invoice)
        }

    for day in days(START, 9):
        run.run_dunning(organization, today=day)
    assert reached() == {
        "C1": [(1, "reminder_1")],
        "C2": [(1, "reminder_1"), (2, "reminder_2")],
    }
    assert queries.under_way(policy, from_level=2) == 1
    assert queries.under_way(policy, from_level=1) == 2

    schedules.add_step(policy, user=member, after=1, code="call_first", kind="reminder", **EXTRA)
    for day in days(START + datetime.timedelta(days=9), 14):
        run.run_dunning(organization, today=day)
    after = reached()
    assert after["C1"][:2] == [(1, "reminder_1"), (2, "call_first")]
    assert after["C2"][:3] == [(1, "reminder_1"), (2, "reminder_2"), (3, "reminder_2")]
    # The levels recorded before the change are as they were.
    assert InvoiceStep.objects.filter(invoice=ahead_invoice, level=2).get().code == "reminder_2"


def test_the_run_notices_an_added_or_removed_step_itself(organization, member):
    policy = schedule(organization)
    customers = [CustomerFactory(organization=organization, number=f"E{n}") for n in range(3)]
    for n, customer in enumerate(customers):
        issued_invoice(customer, "500.00", issue_date=datetime.date(2025, 12, 1 + 7 * n))
    basis = None
    for day in days(START, 90):
        if day == datetime.date(2026, 1, 20):
            basis = DunningSettings.objects.get(organization=organization).checks_basis
            # Two days after the first reminder: sooner than any step after it so far.
            schedules.add_step(
                policy,
                user=member,
                after=1,
                code="quick_call",
                kind="reminder",
                **{**EXTRA, "offset_days": 5, "min_gap_days": 2, "minimum_amount": Decimal("0")},
            )
            expected = everything(organization, day)
            result = run.run_dunning(organization, today=day)
            # The schedules' earliest days changed: every open invoice is looked at once.
            assert result.plan.invoices_seen == len(customers)
            assert [message.as_json() for message in result.plan.messages] == expected
            assert DunningSettings.objects.get(organization=organization).checks_basis != basis
            continue
        if day == datetime.date(2026, 2, 16):
            schedules.remove_step(policy, user=member, code="reminder_3")
        expected = everything(organization, day)
        assert decided(organization, day) == expected, day
    codes = {
        customer.number: list(
            customer.invoices.get().dunning_steps.order_by("level").values_list("code", flat=True)
        )
        for customer in customers
    }
    assert codes == {
        # At level 2 when the step came after level 1: its next level is the second reminder,
        # now level 3.
        "E0": ["reminder_1", "reminder_2", "reminder_2", "reminder_3", "formal_demand"],
        "E1": ["reminder_1", "quick_call", "reminder_2", "reminder_3", "formal_demand"],
        # At level 4 (the third reminder) when it was removed: level 5 is now the final notice.
        "E2": ["reminder_1", "quick_call", "reminder_2", "reminder_3", "final_notice"],
    }

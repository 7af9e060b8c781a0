"""The schedules every organization starts with, one per kind of customer (seed 002).

Businesses: a polite check three days after the due date that does not say "overdue" (seed
003), two firmer reminders and a call, then the formal demand with interest and costs, a final
notice and a proposal to hand over. Consumers get more time, and their formal step is the
14-day letter of art. 6:96 lid 6 BW; costs are claimed only in the final notice, after its 14
days have passed. Government bodies pay slowly but surely: longer gaps. Formal steps wait for
approval. The friendly nudge before the due date is there for each, switched off (seed: opt-in).
"""

from decimal import Decimal

from tegoed.domain import dunning as d

# (code, kind, level, offset, gap, channels, claims, approval)
_Row = tuple[str, str, int | None, int, int, tuple[str, ...], bool, bool]

LADDERS: dict[str, list[_Row]] = {
    "business": [
        ("reminder_1", d.REMINDER, 1, 3, 0, (d.EMAIL,), False, False),
        ("reminder_2", d.REMINDER, 2, 14, 7, (d.EMAIL,), False, False),
        ("reminder_3", d.REMINDER, 3, 24, 7, (d.EMAIL, d.CALL), False, False),
        ("formal_demand", d.FORMAL_DEMAND, 4, 35, 10, (d.EMAIL, d.LETTER), True, True),
        ("final_notice", d.FINAL_NOTICE, 5, 49, 14, (d.EMAIL, d.LETTER), True, True),
        ("handover", d.HANDOVER_PROPOSAL, 6, 63, 14, (), True, True),
    ],
    "consumer": [
        ("reminder_1", d.REMINDER, 1, 5, 0, (d.EMAIL,), False, False),
        ("reminder_2", d.REMINDER, 2, 15, 7, (d.EMAIL,), False, False),
        ("reminder_3", d.REMINDER, 3, 25, 7, (d.EMAIL, d.CALL), False, False),
        ("consumer_notice", d.CONSUMER_NOTICE, 4, 32, 7, (d.EMAIL, d.LETTER), False, True),
        # The 14 days run from the day after receipt (art. 6:96 lid 6 BW): 17 days is safe.
        ("final_notice", d.FINAL_NOTICE, 5, 49, 17, (d.EMAIL, d.LETTER), True, True),
        ("handover", d.HANDOVER_PROPOSAL, 6, 63, 14, (), True, True),
    ],
    "government": [
        ("reminder_1", d.REMINDER, 1, 7, 0, (d.EMAIL,), False, False),
        ("reminder_2", d.REMINDER, 2, 21, 10, (d.EMAIL,), False, False),
        ("reminder_3", d.REMINDER, 3, 35, 10, (d.EMAIL, d.CALL), False, False),
        ("formal_demand", d.FORMAL_DEMAND, 4, 49, 14, (d.EMAIL, d.LETTER), True, True),
        ("final_notice", d.FINAL_NOTICE, 5, 63, 14, (d.EMAIL, d.LETTER), True, True),
        ("handover", d.HANDOVER_PROPOSAL, 6, 84, 21, (), True, True),
    ],
}
PRE_DUE: _Row = ("pre_due", d.PRE_DUE, 0, -3, 0, (d.EMAIL,), False, False)
BROKEN_PROMISE: _Row = (
    "broken_promise",
    d.BROKEN_PROMISE,
    None,
    0,
    0,
    (d.EMAIL, d.CALL),
    False,
    False,
)

NAMES = {"business": "Zakelijk", "consumer": "Consument", "government": "Overheid"}
NAMES_EN = {"business": "Businesses", "consumer": "Consumers", "government": "Government"}


def step_fields(row: _Row) -> dict:
    code, kind, level, offset, gap, channels, claims, approval = row
    return {
        "code": code,
        "kind": kind,
        "level": level,
        "offset_days": offset,
        "min_gap_days": gap,
        "channels": list(channels),
        "claims_interest_and_costs": claims,
        "minimum_amount": Decimal("0"),
        "needs_approval": approval,
    }

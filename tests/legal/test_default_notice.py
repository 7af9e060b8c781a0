"""The 14-day letter to consumers (art. 6:96 lid 6 BW; docs/legal.md §3)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tegoed.domain import collection_costs, default_notice, interest, jurisdictions
from tegoed.domain.errors import DomainError


@pytest.mark.parametrize(
    ("sent_on", "delivered_on", "term_ends_on", "costs_due_from"),
    [
        # Thursday: Friday counts, Saturday is the second day; the 14th day is a Saturday.
        (date(2026, 3, 5), date(2026, 3, 7), date(2026, 3, 23), date(2026, 3, 24)),
        # Friday: Saturday counts, Sunday and Monday do not: delivered on Tuesday.
        (date(2026, 3, 6), date(2026, 3, 10), date(2026, 3, 24), date(2026, 3, 25)),
        # Saturday: delivered on Wednesday.
        (date(2026, 3, 7), date(2026, 3, 11), date(2026, 3, 25), date(2026, 3, 26)),
        # Tuesday: Wednesday and Thursday.
        (date(2026, 3, 3), date(2026, 3, 5), date(2026, 3, 19), date(2026, 3, 20)),
        # Before Easter 2026: Good Friday 3 April and Easter Monday 6 April do not count.
        (date(2026, 4, 2), date(2026, 4, 7), date(2026, 4, 21), date(2026, 4, 22)),
        # 14th day on King's Day (Monday 27 April 2026): the term runs on to Tuesday.
        (date(2026, 4, 9), date(2026, 4, 11), date(2026, 4, 28), date(2026, 4, 29)),
    ],
)
def test_letter_dates(sent_on, delivered_on, term_ends_on, costs_due_from):
    result = default_notice.dates(sent_on)
    assert result.delivered_on == delivered_on
    assert result.term_starts_on == delivered_on + timedelta(days=1)
    assert result.term_ends_on == term_ends_on
    assert result.costs_due_from == costs_due_from


def test_the_term_is_never_shorter_than_fourteen_days_after_delivery():
    for day in range(1, 32):
        result = default_notice.dates(date(2025, 12, day))
        assert (result.term_ends_on - result.delivered_on).days >= 14
        assert result.delivered_on > result.sent_on


def test_an_email_is_received_the_day_it_is_sent():
    result = default_notice.dates(date(2026, 3, 3), channel=default_notice.Channel.EMAIL)
    assert result.delivered_on == date(2026, 3, 3)
    assert result.term_ends_on == date(2026, 3, 17)


def test_holidays_can_be_given():
    result = default_notice.dates(date(2026, 3, 3), holidays={date(2026, 3, 4)})
    assert result.delivered_on == date(2026, 3, 6)


def test_easter():
    assert default_notice.easter_sunday(2024) == date(2024, 3, 31)
    assert default_notice.easter_sunday(2025) == date(2025, 4, 20)
    assert default_notice.easter_sunday(2026) == date(2026, 4, 5)


def test_a_letter_states_the_costs_for_all_claims_together():
    notice = default_notice.prepare(
        [Decimal("1000"), Decimal("2000")],
        sent_on=date(2026, 3, 3),
        in_default_from=date(2026, 3, 1),
        rule=jurisdictions.costs_rule("NL", "consumer"),
    )
    assert notice.costs.amount == Decimal("425.00")
    assert "nadat deze brief bij u is bezorgd" in notice.wording_nl


def test_a_letter_before_default_is_refused():
    with pytest.raises(DomainError, match="only after default"):
        default_notice.prepare(
            Decimal("1000"),
            sent_on=date(2026, 2, 28),
            in_default_from=date(2026, 3, 1),
            rule=jurisdictions.costs_rule("NL", "consumer"),
        )


def test_a_partial_payment_within_the_term_lowers_the_costs():
    """HR 25-11-2016: costs on what remains of the principal at the end of the term.

    During the term the costs are not yet due, so the payment goes to interest first (6:44).
    """
    rule = jurisdictions.interest_rule("NL", "consumer")
    letter = default_notice.dates(date(2016, 3, 1))
    assert letter.term_ends_on == date(2016, 3, 17)
    at_term_end = interest.compute(
        Decimal("3000"),
        date(2016, 2, 1),
        letter.term_ends_on,
        rule=rule,
        payments=[interest.Payment(date(2016, 3, 10), Decimal("1000"))],
    )
    assert at_term_end.payments[0].interest == Decimal("6.41")  # 39 days at 2 %
    assert at_term_end.principal_outstanding == Decimal("2006.41")
    costs = collection_costs.compute(
        at_term_end.principal_outstanding, rule=jurisdictions.costs_rule("NL", "consumer")
    )
    assert costs.amount == Decimal("300.96")

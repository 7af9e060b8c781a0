"""Statutory limits on payment terms (art. 6:119a, 6:119b BW; docs/legal.md §4)."""

from datetime import date

import pytest

from tegoed.domain import payment_terms


@pytest.mark.parametrize(
    ("kwargs", "allowed", "maximum", "problem"),
    [
        ({"term_days": 60, "debtor_kind": "business"}, True, 60, ""),
        ({"term_days": 61, "debtor_kind": "business"}, False, 60, "needs_express_clause"),
        ({"term_days": 90, "debtor_kind": "business", "expressly_agreed": True}, True, 60, ""),
        (
            {"term_days": 31, "debtor_kind": "business", "large_debtor_paying_sme": True},
            False,
            30,
            "term_too_long_void",
        ),
        ({"term_days": 30, "debtor_kind": "government"}, True, 30, ""),
        ({"term_days": 45, "debtor_kind": "government"}, False, 30, "term_too_long"),
        (
            {
                "term_days": 45,
                "debtor_kind": "government",
                "expressly_agreed": True,
                "objectively_justified": True,
            },
            True,
            60,
            "",
        ),
        ({"term_days": 365, "debtor_kind": "consumer"}, True, None, ""),
        (
            {
                "term_days": 61,
                "debtor_kind": "business",
                "jurisdiction": "BE",
                "expressly_agreed": True,
            },
            False,
            60,
            "term_too_long",
        ),
    ],
)
def test_payment_term_limits(kwargs, allowed, maximum, problem):
    result = payment_terms.check(on=date(2026, 1, 5), **kwargs)
    assert (result.allowed, result.maximum_days, result.problem) == (allowed, maximum, problem)


def test_large_company_paying_an_sme_had_60_days_before_july_2022():
    result = payment_terms.check(
        45, debtor_kind="business", on=date(2021, 5, 1), large_debtor_paying_sme=True
    )
    assert (result.allowed, result.maximum_days) == (True, 60)


def test_the_short_answer_the_invoice_checks_use_is_unchanged():
    assert payment_terms.maximum_days("business") == 60
    assert payment_terms.maximum_days("government") == 30
    assert payment_terms.maximum_days("consumer") is None

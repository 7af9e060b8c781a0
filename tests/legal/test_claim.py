"""The claim on a day (tegoed.domain.claim): which invoices, interest, costs, 6:44, limitation."""

from datetime import date
from decimal import Decimal

import pytest

from tegoed.domain import claim, collection_costs, interest
from tegoed.domain.errors import DomainError

D = Decimal
ON = date(2026, 3, 1)
BUSINESS = claim.Terms("NL", "business")
CONSUMER = claim.Terms("NL", "consumer")


def invoice(number, principal, due_on, *payments, **fields):
    return claim.Invoice(
        number,
        D(principal),
        issued_on=due_on.replace(day=1),
        due_on=due_on,
        payments=tuple(interest.Payment(day, D(amount)) for day, amount in payments),
        **fields,
    )


def test_the_consumer_14_day_letter_takes_only_the_invoices_in_default():
    """Art. 6:96 lid 6 BW, HR 25 November 2016 (ECLI:NL:HR:2016:2704): five open invoices,
    four not yet due; only the one in default belongs in the letter and carries costs."""
    invoices = [
        invoice("F1", "234.79", date(2026, 2, 20)),
        invoice("F2", "512.00", date(2026, 3, 5)),
        invoice("F3", "401.25", date(2026, 3, 12)),
        invoice("F4", "388.48", date(2026, 3, 20)),
        invoice("F5", "315.00", date(2026, 3, 31)),
    ]
    assert sum(i.principal for i in invoices) == D("1851.52")
    assert [i.number for i in invoices if claim.in_default(i.due_on, ON)] == ["F1"]
    result = claim.compute(invoices, terms=CONSUMER, on=ON)
    assert result.announced_costs.principal == D("234.79")
    assert result.announced_costs.amount == D("40.00")
    assert result.costs == 0  # no letter has been sent yet
    assert not claim.in_default(date(2026, 3, 1), ON)  # due today: not yet in default
    assert not result.small_claims_cumulation


def test_several_small_consumer_claims_flag_the_2024_cumulation_rule():
    """Besluit BIK as amended by Stb. 2024, 44: not applied, its text not at hand; flagged."""
    monthly = [invoice(f"T{n}", "45.00", date(2026, n, 1)) for n in (1, 2)]
    result = claim.compute(monthly, terms=CONSUMER, on=ON)
    assert result.small_claims_cumulation
    assert any("Stb. 2024, 44" in note for note in result.notes)


def test_a_business_claim_applies_a_payment_to_costs_then_interest_then_principal():
    """Art. 6:44 BW; costs are costs within 6:44 (HR 10 July 2015, ECLI:NL:HR:2015:1868)."""
    result = claim.compute(
        [invoice("F1", "1000", date(2026, 1, 31), (date(2026, 2, 15), "300"))],
        terms=BUSINESS,
        on=ON,
    )
    line = result.invoices[0]
    assert (line.costs, line.costs_due_from) == (D("150.00"), date(2026, 2, 1))
    assert [(p.costs, p.interest, p.principal) for p in line.payments] == [
        (D("150.00"), D("4.17"), D("145.83"))
    ]
    assert [(p.start, p.days, p.base, p.amount) for p in line.interest.periods] == [
        (date(2026, 2, 1), 15, D("1000"), D("4.17")),
        (date(2026, 2, 16), 14, D("854.17"), D("3.33")),
    ]
    assert (line.principal_outstanding, line.interest_outstanding, line.costs_outstanding) == (
        D("854.17"),
        D("3.33"),
        D("0.00"),
    )
    # 857.50 and 0.23 interest on the costs from 2 February until the payment paid them.
    assert (result.paid, result.total) == (D("300"), D("857.73"))
    assert line.limitation.last_day == date(2031, 1, 31)


def test_business_costs_are_per_invoice_and_a_contract_clause_replaces_the_scale():
    invoices = [invoice(f"F{n}", "500", date(2026, 1, 31)) for n in (1, 2, 3)]
    assert claim.compute(invoices, terms=BUSINESS, on=ON).costs == D("225.00")
    clause = collection_costs.agreed_percentage("NL", D("10"), minimum=D("40"))
    agreed = claim.Terms("NL", "business", costs_clause=clause)
    assert claim.compute(invoices, terms=agreed, on=ON).costs == D("150.00")


def test_an_invoice_not_yet_due_carries_neither_interest_nor_costs():
    result = claim.compute(
        [invoice("F1", "1000", date(2026, 3, 31), (date(2026, 2, 10), "250"))],
        terms=BUSINESS,
        on=ON,
    )
    line = result.invoices[0]
    assert (line.in_default, line.interest, line.costs) == (False, None, D("0.00"))
    assert (line.principal_outstanding, line.paid) == (D("750"), D("250"))


def test_consumer_costs_after_the_letter_on_what_was_open_when_its_term_ended():
    """HR 25 November 2016: a partial payment within the 14 days lowers the costs."""
    letter_term_over = date(2026, 2, 24)
    result = claim.compute(
        [
            invoice(
                "F1",
                "3000",
                date(2026, 1, 31),
                (date(2026, 2, 20), "1000"),
                costs_due_from=letter_term_over,
            )
        ],
        terms=CONSUMER,
        on=ON,
    )
    line = result.invoices[0]
    assert line.costs == D("300.00")  # 15 % of the 2,000 still open, not 425.00 on 3,000
    assert line.interest_from == letter_term_over  # in default once the term passed unpaid
    assert result.announced_costs is None


def test_a_consumer_with_an_agreed_due_date_owes_interest_from_the_day_after():
    """Art. 6:83 sub a BW: an agreed due date puts the debtor in default without a notice."""
    agreed = claim.Terms("NL", "consumer", due_date_agreed=True)
    result = claim.compute([invoice("F1", "1000", date(2026, 1, 31))], terms=agreed, on=ON)
    assert result.invoices[0].interest_from == date(2026, 2, 1)
    assert result.interest == D("3.18")  # 29 days at 4 %
    plain = claim.compute([invoice("F1", "1000", date(2026, 1, 31))], terms=CONSUMER, on=ON)
    assert plain.interest == 0
    assert plain.invoices[0].notes
    assert plain.limitation_last_day == date(2028, 1, 31)  # art. 7:28 BW, two years


def test_the_contract_date_chooses_the_margin():
    old = invoice("F1", "10000", date(2012, 12, 31), contract_date=date(2012, 6, 1))
    result = claim.compute([old], terms=BUSINESS, on=date(2013, 6, 30))
    assert {p.rate for p in result.invoices[0].interest.periods} == {D("7.75")}


def test_every_invoice_needs_its_own_number():
    twice = [invoice("F1", "1", date(2026, 1, 1)), invoice("F1", "2", date(2026, 1, 2))]
    with pytest.raises(DomainError, match="own number"):
        claim.compute(twice, terms=BUSINESS, on=ON)


def test_limitation_is_left_out_abroad():
    result = claim.compute(
        [invoice("F1", "1000", date(2026, 1, 31))], terms=claim.Terms("DE", "business"), on=ON
    )
    assert result.invoices[0].limitation is None
    assert result.costs == D("40")


def test_collection_costs_bear_the_interest_of_6_119_from_the_day_after_they_fall_due():
    """Costs are damages (art. 6:96 lid 2 sub c BW), in default without a notice when not paid
    at once (art. 6:83 sub b BW), at the rate of 6:119 BW — not the commercial one (HR
    30 October 2020, ECLI:NL:HR:2020:1710). A consumer's costs fall due the day after the
    14-day letter's term."""
    item = invoice("F1", "1000", date(2026, 1, 31), costs_due_from=date(2026, 3, 24))
    result = claim.compute([item], terms=CONSUMER, on=date(2026, 6, 30))
    line = result.invoices[0]
    assert (line.costs, line.costs_due_from) == (D("150.00"), date(2026, 3, 24))
    (period,) = line.costs_interest.periods
    # 25 March through 30 June: 98 days × 4 % on 150.00.
    assert (period.start, period.end, period.days, period.rate, period.base) == (
        date(2026, 3, 25),
        date(2026, 6, 30),
        98,
        D("4"),
        D("150.00"),
    )
    assert period.basis == "art. 6:119 BW"
    assert line.costs_interest_outstanding == result.costs_interest == D("1.61")
    assert result.total == line.principal_outstanding + line.interest_outstanding + D("151.61")


def test_a_business_pays_6_119_interest_on_its_costs_while_the_price_bears_the_commercial_rate():
    result = claim.compute([invoice("F1", "1000", date(2026, 1, 31))], terms=BUSINESS, on=ON)
    line = result.invoices[0]
    assert {p.rate for p in line.interest.periods} == {D("10.15")}
    assert {p.rate for p in line.costs_interest.periods} == {D("4")}
    assert line.costs_interest.start == date(2026, 2, 2)  # costs due 1 February
    assert line.costs_interest_outstanding == D("0.46")  # 28 days × 4 % on 150.00


def test_no_interest_on_costs_that_a_consumer_does_not_owe_yet_or_outside_dutch_law():
    consumer = claim.compute([invoice("F1", "1000", date(2026, 1, 31))], terms=CONSUMER, on=ON)
    assert consumer.invoices[0].costs_interest is None and consumer.costs_interest == 0
    german = claim.compute(
        [invoice("F1", "1000", date(2026, 1, 31))], terms=claim.Terms("DE", "business"), on=ON
    )
    assert german.invoices[0].costs and german.invoices[0].costs_interest is None


def test_simple_interest_where_the_contract_says_so_never_capitalises():
    """Art. 6:119 lid 2 BW compounds each year unless a contract or judgment says otherwise;
    the switch holds for the principal and the costs alike."""
    due = date(2023, 12, 31)
    compound, simple = (
        claim.compute(
            [invoice("F1", "10000", due, simple_interest=flag)],
            terms=BUSINESS,
            on=date(2026, 3, 31),
        ).invoices[0]
        for flag in (False, True)
    )
    assert [c.on for c in compound.interest.capitalisations] == [date(2025, 1, 1), date(2026, 1, 1)]
    assert compound.interest.total == D("2748.78")
    assert simple.simple_interest and not simple.interest.capitalisations
    assert {p.base for p in simple.interest.periods} == {D("10000")}
    # Each half-year on 10,000: 182 d × 12.50 %, 184 d × 12.25 %, 181 d × 11.15 %,
    # 184 d × 10.15 %, 90 d × 10.15 %.
    assert [p.amount for p in simple.interest.periods] == [
        D("623.29"), D("617.53"), D("552.92"), D("511.67"), D("250.27"),
    ]  # fmt: skip
    assert simple.interest.total == D("2555.68")
    assert compound.costs_interest.capitalisations and not simple.costs_interest.capitalisations


def test_a_judgment_makes_the_amount_awarded_the_principal_from_the_next_day():
    item = invoice(
        "F1",
        "1000",
        date(2026, 1, 31),
        (date(2026, 3, 1), "100"),  # taken into account by the court
        (date(2026, 7, 15), "500"),
        judgment=claim.Judgment(date(2026, 6, 2), D("1200.00")),
    )
    result = claim.compute([item], terms=BUSINESS, on=date(2026, 9, 30))
    line = result.invoices[0]
    assert line.judgment.awarded == D("1200.00") and line.interest_from == date(2026, 6, 3)
    assert [(p.start, p.days, p.base, p.amount) for p in line.interest.periods] == [
        (date(2026, 6, 3), 28, D("1200.00"), D("9.34")),
        (date(2026, 7, 1), 15, D("1200.00"), D("5.01")),
        (date(2026, 7, 16), 77, D("714.35"), D("15.30")),
    ]
    # The payment after the judgment goes to its interest first, then the principal.
    assert [(p.interest, p.principal) for p in line.payments] == [(D("14.35"), D("485.65"))]
    assert (line.costs, line.costs_interest) == (D("0"), None)  # the costs are in the award
    assert result.total == D("729.65")


def test_a_judgment_on_the_day_of_the_claim_or_later_changes_nothing_yet():
    item = invoice("F1", "1000", date(2026, 1, 31), judgment=claim.Judgment(ON, D("1200.00")))
    assert claim.compute([item], terms=BUSINESS, on=ON).invoices[0].judgment is None


def test_waived_interest_runs_only_from_the_day_after_the_waiver():
    item = invoice("F1", "1000", date(2026, 1, 31), interest_waived_until=date(2026, 4, 30))
    line = claim.compute([item], terms=BUSINESS, on=date(2026, 6, 30)).invoices[0]
    assert line.interest_from == date(2026, 5, 1)
    assert line.interest.periods[0].start == date(2026, 5, 1)
    assert line.costs_due_from == date(2026, 2, 1)  # the costs are not waived

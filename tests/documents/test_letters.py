"""Letters: text read back in both languages, the legal engine's figures, the QR, the e-mail."""

import dataclasses
import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from tegoed.documents import letters, queries, rendering, samples, wording
from tegoed.documents.content import HistoryEntry, Instalment
from tegoed.domain import collection_costs, default_notice, interest, jurisdictions
from tegoed.domain.errors import DomainError
from tests.documents.conftest import issue
from tests.documents.reading import epc_fields, page_count, pdf_text, qr_payloads, render_pages
from tests.factories import line

TODAY = datetime.date(2026, 3, 16)


def money(value: Decimal, language: str) -> str:
    """An amount as the PDF text reads back (no-break spaces become spaces)."""
    return wording.amount(value, "EUR", language).replace("\xa0", " ")


@pytest.fixture
def two_overdue(business):
    first = issue(business, line("1000.00", vat_rate="21"))  # 1,210.00, due 3 February
    second = issue(
        business, line("350.00", vat_rate="21"), issue_date=datetime.date(2026, 1, 20)
    )  # 423.50, due 19 February
    return first, second


@pytest.mark.django_db
@pytest.mark.parametrize("level", [1, 2, 3])
def test_reminders_escalate_and_carry_the_interest(business, two_overdue, level):
    first, second = two_overdue
    document = queries.letter_for("reminder", business, today=TODAY, level=level)
    pdf = rendering.render_letter(document)
    text = pdf_text(pdf)
    pages = render_pages(pdf, f"letter-reminder-{level}-nl")

    rule = jurisdictions.interest_rule("NL", "commercial")
    expected = [
        interest.compute(Decimal("1210.00"), datetime.date(2026, 2, 4), TODAY, rule=rule),
        interest.compute(Decimal("423.50"), datetime.date(2026, 2, 20), TODAY, rule=rule),
    ]
    total_interest = sum(breakdown.total for breakdown in expected)
    total_due = Decimal("1633.50") + total_interest
    assert page_count(pdf) == 1
    assert {1: "Herinnering", 2: "Tweede herinnering", 3: "Laatste herinnering"}[level] in text
    assert first.number in text and second.number in text
    assert "€ 1.210,00" in text and "€ 423,50" in text
    assert f"Rente {money(total_interest, 'nl')}" in text
    assert f"Totaal verschuldigd {money(total_due, 'nl')}" in text
    assert "uiterlijk op 30 maart 2026" in text
    assert "Berekening van de rente" in text and "10,15" in text
    # No collection costs on a reminder.
    assert "Incassokosten" not in text
    fields = epc_fields(qr_payloads(pages[0])[0])
    assert fields["amount"] == f"EUR{total_due}".rstrip("0").rstrip(".")
    assert fields["iban"] == "NL91ABNA0417164300"


@pytest.mark.django_db
def test_english_formal_demand_claims_the_costs(business, two_overdue):
    business.language = "en"
    business.save()
    document = queries.letter_for("formal_demand", business, today=TODAY)
    pdf = rendering.render_letter(document)
    text = pdf_text(pdf)
    pages = render_pages(pdf, "letter-formal-demand-en")
    # The line on the interest on the costs may push the payment instruction, with the
    # greeting it keeps, onto a second page.
    assert page_count(pdf) <= 2 and any(qr_payloads(page) for page in pages)
    # The costs bear 6:119 interest from the day after they fell due: 4 % on 181.50 for 40
    # days and on 63.53 for 24 days.
    assert "Interest includes €0.97 on the collection costs since they fell due" in text
    assert "Total due €1,896.24" in text

    costs = collection_costs.compute(
        [Decimal("1210.00"), Decimal("423.50")], rule=jurisdictions.costs_rule("NL", "business")
    )
    assert costs.shares == (Decimal("181.50"), Decimal("63.53"))  # the scale, per invoice
    assert "Formal notice of default" in text
    assert "Collection costs €245.03" in text
    assert "no later than 30 March 2026" in text
    assert "Collection costs computation" in text


@pytest.mark.django_db
def test_the_14_day_letter_covers_only_the_invoices_in_default(consumer):
    """Art. 6:96 lid 6 BW; HR 25 November 2016, ECLI:NL:HR:2016:2704: of five open invoices,
    four not yet due, only the one in default is in the letter, with costs on it alone."""
    overdue = issue(consumer, line("234.79", vat_rate="0"), issue_date=datetime.date(2026, 2, 1))
    for amount, day in (("512.00", 20), ("401.25", 25), ("388.48", 28), ("315.00", 28)):
        issue(consumer, line(amount, vat_rate="0"), issue_date=datetime.date(2026, 3, day - 19))
    document = queries.letter_for("consumer_notice", consumer, today=TODAY)
    assert [c.number for c in document.claims] == [overdue.number]
    assert document.collection_costs == Decimal("40.00")
    text = pdf_text(rendering.render_letter(document))
    assert "collection costs of €40.00" in text
    statement = queries.letter_for("statement", consumer, today=TODAY)
    assert len(statement.claims) == 5
    assert sum(c.open_amount for c in statement.claims) == Decimal("1851.52")


@pytest.mark.django_db
def test_consumer_fourteen_day_letter(consumer):
    invoice = issue(consumer, line("1000.00", vat_rate="21"), issue_date=datetime.date(2026, 1, 4))
    consumer.language = "nl"
    consumer.save()
    document = queries.letter_for("consumer_notice", consumer, today=TODAY)
    pdf = rendering.render_letter(document)
    text = pdf_text(pdf)
    pages = render_pages(pdf, "letter-consumer-notice-nl")

    notice = default_notice.prepare(
        [Decimal("1210.00")],
        sent_on=TODAY,
        in_default_from=datetime.date(2026, 2, 4),
        rule=jurisdictions.costs_rule("NL", "consumer"),
    )
    assert notice.costs.amount == Decimal("181.50")  # 15 % of 1,210.00
    assert invoice.number in text
    # The statutory term, counted from delivery (HR 25-11-2016), in the approved words.
    assert default_notice.TERM_WORDING_NL in text
    assert "na dagtekening" not in text and "na verzending" not in text
    # The exact costs if not paid in time, and that they are not owed yet.
    assert "buitengerechtelijke incassokosten verschuldigd van € 181,50" in text
    assert "Te betalen € 1.210,00" in text
    assert "Incassokosten als u niet binnen de termijn betaalt" in text
    fields = epc_fields(qr_payloads(pages[0])[0])
    assert fields["amount"] == "EUR1210"


@pytest.mark.django_db
def test_fourteen_day_letter_in_english(consumer):
    issue(consumer, line("100.00", vat_rate="21"))
    text = pdf_text(
        rendering.render_letter(queries.letter_for("consumer_notice", consumer, today=TODAY))
    )
    assert default_notice.TERM_WORDING_EN in text
    assert "extrajudicial collection costs of €40.00" in text  # the minimum


@pytest.mark.django_db
def test_no_fourteen_day_letter_before_default(consumer):
    issue(consumer, line("100.00"), issue_date=datetime.date(2026, 3, 1))
    with pytest.raises(DomainError, match="only after default"):
        queries.letter_for("consumer_notice", consumer, today=TODAY)


@pytest.mark.django_db
def test_payment_arrangement_confirmation(business, two_overdue):
    owed = queries.letter_for("statement", business, today=TODAY).total_due
    instalments = [
        Instalment(1, datetime.date(2026, 4, 1), Decimal("600.00")),
        Instalment(2, datetime.date(2026, 5, 1), Decimal("600.00")),
        Instalment(3, datetime.date(2026, 6, 1), owed - Decimal("1200.00")),
    ]
    document = queries.letter_for("arrangement", business, today=TODAY, instalments=instalments)
    pdf = rendering.render_letter(document)
    text = pdf_text(pdf)
    pages = render_pages(pdf, "letter-arrangement-nl")
    assert page_count(pdf) == 1

    assert "Bevestiging van uw betalingsregeling" in text
    assert f"U erkent daarmee dat u ons {money(owed, 'nl')} verschuldigd bent" in text
    assert "1 april 2026" in text and "1 juni 2026" in text
    assert "Voor akkoord en erkenning van de schuld" in text
    assert qr_payloads(pages[0]) == []  # an arrangement is paid per instalment

    with pytest.raises(DomainError, match="instalments add up to"):
        queries.letter_for("arrangement", business, today=TODAY, instalments=instalments[:2])


@pytest.mark.django_db
def test_statement_of_account_and_handover_sheet(business, two_overdue):
    statement = rendering.render_letter(queries.letter_for("statement", business, today=TODAY))
    assert "Rekeningoverzicht" in pdf_text(statement)
    assert "16 maart 2026" in pdf_text(statement)
    render_pages(statement, "letter-statement-nl")

    agency = samples.Party(
        name="Incassobureau Voorbeeld B.V.", address_lines=("Postbus 1", "1000 AA Amsterdam")
    )
    history = (HistoryEntry(datetime.date(2026, 2, 11), "Eerste herinnering verzonden"),)
    handover = queries.letter_for("handover", business, today=TODAY, agency=agency, history=history)
    pdf = rendering.render_letter(handover)
    text = pdf_text(pdf)
    render_pages(pdf, "letter-handover-nl")
    assert "Overdracht ter incasso" in text
    assert text.index("Incassobureau Voorbeeld B.V.") < text.index("Schuldenaar Café Het Hoekje")
    assert "Kerkplein 3" in text and "NL000099998B57" in text
    assert "Soort debiteur bedrijf" in text
    assert "Incassokosten € 245,03" in text
    # The costs per invoice, each on its own principal (CJEU C-585/20).
    first, second = (invoice.number for invoice in two_overdue)
    assert f"Factuur {first} over € 1.210,00 € 181,50" in text
    assert f"Factuur {second} over € 423,50 € 63,53" in text
    assert "Eerste herinnering verzonden" in text
    assert "Geachte" not in text


@pytest.mark.django_db
def test_letter_email_matches_the_letter(business, two_overdue):
    document = queries.letter_for("reminder", business, today=TODAY, level=2)
    subject, body = rendering.letter_email(document)
    assert subject == "Tweede herinnering: betaling nog niet ontvangen"
    assert body.startswith("Geachte heer, mevrouw,")
    assert f"Totaal verschuldigd: {wording.amount(document.total_due, 'EUR', 'nl')}" in body
    assert two_overdue[0].number in body
    assert "uiterlijk op 30 maart 2026" in body
    assert body.rstrip().endswith("Afdeling debiteurenbeheer")


def test_compose_takes_the_engines_figures_unchanged():
    rule = jurisdictions.interest_rule("NL", "commercial")
    statement = interest.compute_claims(
        [
            interest.Claim("F1", Decimal("500.00"), datetime.date(2025, 1, 1), rule),
        ],
        TODAY,
    )
    document = letters.compose(
        "formal_demand",
        addressing=letters.Addressing(
            seller=samples.SELLER,
            recipient=samples.SELLER,
            customer_number="D1",
            customer_kind="business",
            language="nl",
        ),
        letter_date=TODAY,
        invoices=[
            letters.LetterInvoice(
                "F1",
                datetime.date(2024, 12, 1),
                datetime.date(2024, 12, 31),
                Decimal("500.00"),
                Decimal("500.00"),
            )
        ],
        interest_computed=statement,
        costs=collection_costs.compute(
            [Decimal("500.00")], rule=jurisdictions.costs_rule("NL", "business")
        ),
    )
    breakdown = statement.claims[0]
    assert document.interest == breakdown.total
    assert [period.amount for period in document.interest_periods] == [
        period.amount for period in breakdown.periods
    ]
    # More than a year: the interest was capitalised, and the letter says so.
    assert breakdown.capitalisations
    assert "rente bij de hoofdsom opgeteld" in document.interest_notes[0]
    assert "rente bij de hoofdsom opgeteld" in pdf_text(rendering.render_letter(document))


@pytest.mark.django_db
def test_every_reminder_carries_a_copy_of_its_invoices(business, two_overdue, seller):
    document = queries.letter_for("reminder", business, today=TODAY)
    files = queries.letter_attachments(document, seller)

    names = [name for name, _content in files]
    assert names == [
        "reminder-2026-03-16.pdf",
        f"{two_overdue[0].number}.pdf",
        f"{two_overdue[1].number}.pdf",
    ]
    assert "Factuur" in pdf_text(files[1][1]) and two_overdue[0].number in pdf_text(files[1][1])


def test_a_long_statement_runs_onto_more_pages():
    document = samples.letter("reminder-2")
    claims = tuple(
        dataclasses.replace(document.claims[0], number=f"F2026-{index:05d}") for index in range(60)
    )
    periods = tuple(
        dataclasses.replace(document.interest_periods[0], invoice_number=claim.number)
        for claim in claims
    )
    long_letter = dataclasses.replace(document, claims=claims, interest_periods=periods)
    pdf = rendering.render_letter(long_letter)
    text = pdf_text(pdf)
    render_pages(pdf, "letter-long-statement-nl")

    assert page_count(pdf) >= 3
    assert all(claim.number in text for claim in claims)
    assert "Pagina 2 / " in text
    # The table head is repeated on the next page.
    assert text.count("Factuurdatum") >= 2


@pytest.mark.parametrize(("kind", "extra"), [("formal-demand", 7), ("arrangement", 6)])
def test_a_letter_that_runs_long_keeps_its_closing_with_what_is_asked(kind, extra):
    document = samples.letter(kind)
    claims = document.claims + tuple(
        dataclasses.replace(document.claims[0], number=f"F2026-{200 + index:05d}")
        for index in range(extra)
    )
    pdf = rendering.render_letter(dataclasses.replace(document, claims=claims))
    render_pages(pdf, f"letter-{kind}-two-pages-nl")

    assert page_count(pdf) == 2
    last_page = PdfReader(io.BytesIO(pdf)).pages[-1].extract_text()
    assert "Met vriendelijke groet" in last_page
    # The greeting does not stand alone: the payment instruction or the acknowledgement
    # to sign goes with it.
    asked = "ten name van" if kind == "formal-demand" else "erkenning van de schuld"
    assert asked in last_page

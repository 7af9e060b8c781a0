"""SEPA direct debit: mandates, pre-notified collection dates, pain.008, the invoice text."""

import datetime
from decimal import Decimal

import pytest
from lxml import etree

from tegoed.documents import queries, rendering, services
from tegoed.documents.models import DirectDebitState, Recurrence
from tegoed.documents.services import DirectDebitError
from tegoed.domain import direct_debit
from tegoed.invoices import services as invoice_services
from tests.documents.conftest import issue
from tests.documents.reading import pdf_text, qr_payloads, render_pages
from tests.factories import line

ISSUED = datetime.date(2026, 1, 4)  # a Sunday; the fixtures issue on this date


# The rules, without a database ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("notified", "submitted", "expected"),
    [
        # 14 days after the notice, moved off the weekend.
        (datetime.date(2026, 1, 4), datetime.date(2026, 1, 5), datetime.date(2026, 1, 19)),
        # Notice long ago: the file needs one TARGET2 day (D-1); Friday → Monday.
        (datetime.date(2025, 1, 1), datetime.date(2026, 1, 9), datetime.date(2026, 1, 12)),
        # Easter 2026: Good Friday 3 April and Easter Monday 6 April are TARGET2 closing days.
        (datetime.date(2025, 1, 1), datetime.date(2026, 4, 2), datetime.date(2026, 4, 7)),
        # Notice + 14 is Christmas Day: 25 and 26 December closed, then a weekend.
        (datetime.date(2026, 12, 11), datetime.date(2026, 12, 20), datetime.date(2026, 12, 28)),
    ],
)
def test_earliest_collection_date(notified, submitted, expected):
    assert (
        direct_debit.earliest_collection_date(notified_on=notified, submitted_on=submitted)
        == expected
    )


def test_sequence_types():
    assert direct_debit.sequence_type(recurring=False, earlier_collections=0) == "OOFF"
    assert direct_debit.sequence_type(recurring=True, earlier_collections=0) == "FRST"
    assert direct_debit.sequence_type(recurring=True, earlier_collections=3) == "RCUR"


def test_mandate_lapses_after_36_months_without_collection():
    signed = datetime.date(2023, 2, 15)
    assert not direct_debit.mandate_lapsed(
        last_collection=None, signed_on=signed, on=datetime.date(2026, 2, 14)
    )
    assert direct_debit.mandate_lapsed(
        last_collection=None, signed_on=signed, on=datetime.date(2026, 2, 15)
    )


# With the ledger ------------------------------------------------------------------------------


@pytest.fixture
def mandate(business):
    return services.add_mandate(
        customer=business,
        reference="MANDAAT-0001",
        signed_on=datetime.date(2025, 6, 1),
        iban="NL44RABO0123456789",
        debtor_name="Cafe Het Hoekje VOF",
        acting_user=None,
    )


@pytest.mark.django_db
def test_invoice_states_the_collection_and_has_no_transfer_qr(bakery_invoice, mandate):
    debit = services.schedule_direct_debit(
        invoice=bakery_invoice, mandate=mandate, acting_user=None, today=ISSUED
    )
    assert debit.collection_date == datetime.date(2026, 1, 19)

    pdf = rendering.render_invoice(queries.invoice_document(bakery_invoice))
    text = pdf_text(pdf)
    pages = render_pages(pdf, "invoice-nl-direct-debit")

    assert (
        "wij schrijven € 181,33 op 19 januari 2026 automatisch af van rekening "
        "NL44 RABO 0123 4567 89, op grond van machtiging MANDAAT-0001 "
        "(incassant-ID NL69ZZZ123456780000)" in text
    )
    assert "Maak € 181,33 over" not in text
    assert qr_payloads(pages[0]) == []


@pytest.mark.django_db
def test_english_invoice_states_the_collection(consumer_invoice):
    mandate = services.add_mandate(
        customer=consumer_invoice.customer,
        reference="M-EN-1",
        signed_on=datetime.date(2025, 1, 1),
        iban="NL91ABNA0417164300",
        acting_user=None,
    )
    services.schedule_direct_debit(
        invoice=consumer_invoice,
        mandate=mandate,
        acting_user=None,
        today=ISSUED,
        collection_date=datetime.date(2026, 1, 27),
    )
    text = pdf_text(rendering.render_invoice(queries.invoice_document(consumer_invoice)))
    assert (
        "we will collect €1,493.82 from account NL91 ABNA 0417 1643 00 on 27 January 2026" in text
    )


@pytest.mark.django_db
def test_too_early_a_date_breaks_the_pre_notification(bakery_invoice, mandate):
    with pytest.raises(DirectDebitError, match=r"too early.*2026-01-19"):
        services.schedule_direct_debit(
            invoice=bakery_invoice,
            mandate=mandate,
            acting_user=None,
            today=ISSUED,
            collection_date=datetime.date(2026, 1, 12),
        )


@pytest.mark.django_db
def test_mandate_of_another_customer_is_refused(bakery_invoice, consumer):
    other = services.add_mandate(
        customer=consumer,
        reference="M-OTHER",
        signed_on=datetime.date(2025, 1, 1),
        iban="NL91ABNA0417164300",
        acting_user=None,
    )
    with pytest.raises(DirectDebitError, match="belongs to another customer"):
        services.schedule_direct_debit(
            invoice=bakery_invoice, mandate=other, acting_user=None, today=ISSUED
        )


@pytest.mark.django_db
def test_pain008_collects_what_is_due_and_open(business, mandate):
    first = issue(business, line("100.00", vat_rate="21"))
    second = issue(business, line("50.00", vat_rate="21"))
    later = issue(business, line("10.00", vat_rate="21"))
    for invoice in (first, second):
        services.schedule_direct_debit(
            invoice=invoice, mandate=mandate, acting_user=None, today=ISSUED
        )
    services.schedule_direct_debit(
        invoice=later,
        mandate=mandate,
        acting_user=None,
        today=ISSUED,
        collection_date=datetime.date(2026, 2, 16),
    )
    # Part of the second invoice was paid by transfer meanwhile.
    invoice_services.record_payment(
        organization=business.organization,
        amount=Decimal("20.00"),
        received_on=datetime.date(2026, 1, 10),
        acting_user=None,
        customer=business,
        allocate_to=[(second, Decimal("20.00"))],
    )

    result = services.export_direct_debits(
        organization=business.organization,
        collection_date=datetime.date(2026, 1, 20),
        acting_user=None,
        today=datetime.date(2026, 1, 15),
    )

    assert [debit.invoice for debit in result.collected] == [first, second]
    assert [reason for _debit, reason in result.left] == ["announced for 2026-02-16"]
    root = etree.fromstring(result.xml)
    namespace = {"p": root.nsmap[None]}
    transactions = root.findall(".//p:DrctDbtTxInf", namespace)
    amounts = [element.findtext("p:InstdAmt", namespaces=namespace) for element in transactions]
    assert amounts == ["121.00", "40.50"]
    assert {element.findtext(".//p:MndtId", namespaces=namespace) for element in transactions} == {
        "MANDAAT-0001"
    }
    assert [
        element.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=namespace)
        for element in transactions
    ] == ["NL44RABO0123456789"] * 2
    assert root.findtext(".//p:ReqdColltnDt", namespaces=namespace) == "2026-01-20"
    sequence_types = sorted(element.text for element in root.iterfind(".//p:SeqTp", namespace))
    assert sequence_types == ["FRST", "RCUR"]
    assert (
        root.findtext(".//p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id", namespaces=namespace)
        == "NL69ZZZ123456780000"
    )
    assert root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=namespace) == "161.50"
    for debit in result.collected:
        debit.refresh_from_db()
        assert debit.state == DirectDebitState.EXPORTED
        assert debit.message_id == result.message_id

    # Exported debits are not sent twice; the next file for the later one is a recurring one.
    again = services.export_direct_debits(
        organization=business.organization,
        collection_date=datetime.date(2026, 2, 16),
        acting_user=None,
        today=datetime.date(2026, 2, 10),
    )
    assert [debit.invoice for debit in again.collected] == [later]
    assert again.collected[0].sequence_type == "RCUR"


@pytest.mark.django_db
def test_a_file_cannot_collect_before_d_minus_one(bakery_invoice, mandate):
    with pytest.raises(DirectDebitError, match="at the earliest"):
        services.export_direct_debits(
            organization=bakery_invoice.organization,
            collection_date=datetime.date(2026, 1, 15),
            acting_user=None,
            today=datetime.date(2026, 1, 15),
        )


@pytest.mark.django_db
def test_one_off_mandate_is_used_once(business):
    mandate = services.add_mandate(
        customer=business,
        reference="EENMALIG-1",
        signed_on=datetime.date(2025, 6, 1),
        iban="NL44RABO0123456789",
        recurrence=Recurrence.ONE_OFF,
        acting_user=None,
    )
    first = issue(business, line("10.00"))
    second = issue(business, line("20.00"))
    services.schedule_direct_debit(invoice=first, mandate=mandate, acting_user=None, today=ISSUED)
    with pytest.raises(DirectDebitError, match="already used"):
        services.schedule_direct_debit(
            invoice=second, mandate=mandate, acting_user=None, today=ISSUED
        )

"""Quotes and pro forma invoices: issued and printed without a payment demand, never chased,
never in aging, DSO, a claim, a settlement or the matcher's open items; made into an invoice."""

import datetime
from decimal import Decimal

import pytest

from tegoed.banking import services as banking
from tegoed.claims.queries import claim_of
from tegoed.collections import settlements
from tegoed.documents import queries as documents
from tegoed.documents import rendering, ubl_export
from tegoed.dunning import run
from tegoed.invoices import quotes
from tegoed.invoices import services as ledger
from tegoed.invoices.models import InvoiceKind
from tegoed.invoices.queries import open_invoices
from tegoed.reports import queries as reports
from tests.documents.reading import pdf_text, render_pages
from tests.factories import ContactFactory, CustomerFactory, line

pytestmark = pytest.mark.django_db
ISSUED = datetime.date(2026, 1, 5)
D = Decimal


@pytest.fixture
def seller(organization):
    organization.iban = "NL69INGB0123456789"
    organization.early_payment_discount = D("2")
    organization.save()
    return organization


@pytest.fixture
def bakker(seller):
    customer = CustomerFactory(organization=seller, name="Bakker Bouw B.V.")
    ContactFactory(customer=customer)
    return customer


def issue(customer, kind, amount="1000.00"):
    draft = ledger.save_draft_invoice(
        organization=customer.organization, customer=customer, acting_user=None, kind=kind,
        lines=[line(amount, vat_rate="21", description="Verbouwing keuken")],
        issue_date=ISSUED, due_date=ISSUED + datetime.timedelta(days=30),
        customer_reference="Aanvraag 12",
    )  # fmt: skip
    return ledger.issue_invoice(invoice=draft, acting_user=None, today=ISSUED)


def test_each_kind_has_its_own_series_and_asks_for_no_payment(seller, bakker):
    quote = issue(bakker, InvoiceKind.QUOTE)
    pro_forma = issue(bakker, InvoiceKind.PRO_FORMA)
    assert quote.number == "O2026-00001" and pro_forma.number == "P2026-00001"
    for document in (quote, pro_forma):
        assert document.payment_reference == ""
        assert not document.offers_discount
    invoice = issue(bakker, InvoiceKind.INVOICE)
    assert invoice.number == "2026-00001"  # the invoices' series has no gap


def test_they_are_never_chased_summed_claimed_matched_or_settled(seller, bakker, member):
    quote = issue(bakker, InvoiceKind.QUOTE)
    pro_forma = issue(bakker, InvoiceKind.PRO_FORMA)
    later = ISSUED + datetime.timedelta(days=120)
    assert not open_invoices(seller).exists()
    assert reports.aging_of(seller, today=later).total == 0
    assert reports.credit_sales(seller, today=later) == 0
    assert reports.largest_overdue_debtors(seller, today=later) == []
    assert claim_of(bakker, on=later).invoices == ()
    planned = run.run_dunning(seller, today=datetime.date(2026, 5, 6)).plan
    assert planned.messages == [] and planned.write_offs == []
    items, _numbers = banking.open_items(seller, today=later)
    assert items == []
    for document in (quote, pro_forma):
        with pytest.raises(ledger.LedgerError):
            ledger.record_payment(
                organization=seller, amount=document.total, received_on=later,
                acting_user=None, customer=bakker, allocate_to=[(document, document.total)],
            )  # fmt: skip
        with pytest.raises(ledger.LedgerError):
            ledger.credit_invoice(invoice=document, acting_user=None, today=later, reason="x")
        with pytest.raises(settlements.SettlementError):
            settlements.propose_settlement(
                seller, customer=bakker, user=member, today=later, invoices=[document],
                amount=D("10.00"), reason="x",
            )  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "title", "words"),
    [
        (InvoiceKind.QUOTE, "Offerte", "Deze offerte is geldig tot en met 4 februari 2026."),
        (InvoiceKind.PRO_FORMA, "Pro-formafactuur", "Dit is een pro-formafactuur, geen factuur"),
    ],
)
def test_printed_with_its_title_and_without_a_payment_demand(seller, bakker, kind, title, words):
    document = documents.invoice_document(issue(bakker, kind))
    assert rendering.invoice_qr(document) is None
    pdf = rendering.render_invoice(document)
    text = " ".join(pdf_text(pdf).split())
    assert title in text and words in text
    for demand in ("Totaal te betalen", "Maak ", "vervaldatum", "betalingskorting", "Vervaldatum"):
        assert demand not in text
    render_pages(pdf, f"{kind}-nl")
    with pytest.raises(ubl_export.UblExportError):
        ubl_export.export(document, profile="peppol")


def test_an_accepted_quote_is_made_into_an_invoice_once(seller, bakker, member):
    quote = issue(bakker, InvoiceKind.QUOTE)
    draft = quotes.invoice_from(quote, acting_user=member, today=ISSUED)
    assert draft.is_draft and draft.kind == InvoiceKind.INVOICE and draft.made_from == quote
    assert draft.total == quote.total == D("1210.00")
    assert [line.description for line in draft.lines.all()] == ["Verbouwing keuken"]
    assert draft.customer_reference == "Aanvraag 12"
    with pytest.raises(ledger.LedgerError, match="already been made into invoice"):
        quotes.invoice_from(quote, acting_user=member, today=ISSUED)
    invoice = ledger.issue_invoice(invoice=draft, acting_user=member, today=ISSUED)
    assert invoice.number == "2026-00001" and invoice.payment_reference
    assert invoice.discount_amount == D("24.20")
    assert list(open_invoices(seller)) == [invoice]

"""Early-payment discount on the ledger: offered on issue, printed, in the e-invoice, taken by
a bank payment in time as a credit note, and never chased for while it may still be taken."""

import datetime
from decimal import Decimal

import pytest
from lxml import etree

from tegoed.banking import services as banking
from tegoed.documents import queries as documents
from tegoed.documents import rendering, ubl_export
from tegoed.dunning import run
from tegoed.invoices.models import Invoice, InvoiceKind
from tests.documents.reading import pdf_text, render_pages
from tests.documents.ubl_rules import failures
from tests.factories import ContactFactory, CustomerFactory, issued_invoice

pytestmark = pytest.mark.django_db
ISSUED = datetime.date(2026, 3, 2)
D = Decimal


def mt940(tmp_path, amount, text, on):
    day = on.strftime("%y%m%d")
    path = tmp_path / f"{day}.sta"
    closing = f"{D('1000.00') + D(amount):.2f}".replace(".", ",")
    path.write_text(
        ":20:STMT1\n:25:NL69INGB0123456789\n:28C:1\n"
        f":60F:C{day}EUR1000,00\n"
        f":61:{day}{day[2:]}C{amount.replace('.', ',')}NTRFNONREF//B{day}\n"
        f":86:/CNTP/NL91ABNA0417164300/ABNANL2A/Bakker Bouw/AMSTERDAM//REMI/USTD//{text}/\n"
        f":62F:C{day}EUR{closing}\n-\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def seller(organization):
    organization.early_payment_discount = D("2")
    organization.early_payment_discount_days = 10
    organization.iban = "NL69INGB0123456789"
    organization.save()
    return organization


@pytest.fixture
def bakker(seller):
    customer = CustomerFactory(organization=seller, name="Bakker Bouw B.V.")
    ContactFactory(customer=customer)
    return customer


def test_issue_fixes_the_discount_of_the_customer_or_the_organization(seller, bakker):
    invoice = issued_invoice(bakker, "100.00", issue_date=ISSUED, vat_rate="21")
    assert (invoice.discount_percentage, invoice.discount_amount) == (D("2"), D("2.42"))
    assert invoice.discount_until == datetime.date(2026, 3, 12)
    assert invoice.discounted_total == D("118.58")

    bakker.early_payment_discount = D("1")
    bakker.early_payment_discount_days = 14
    bakker.save()
    own = issued_invoice(bakker, "100.00", issue_date=ISSUED, vat_rate="21")
    assert (own.discount_amount, own.discount_until) == (D("1.21"), datetime.date(2026, 3, 16))

    bakker.early_payment_discount = D("0")
    bakker.save()
    assert not issued_invoice(bakker, "100.00", issue_date=ISSUED).offers_discount
    # Changing the settings later does not change what was issued.
    seller.early_payment_discount = D("0")
    seller.save()
    invoice.refresh_from_db()
    assert invoice.discount_amount == D("2.42")


def test_the_pdf_and_the_e_invoice_say_the_discount(seller, bakker):
    seller.kvk_number, seller.vat_number = "12345678", "NL004495445B01"
    seller.street, seller.postal_code, seller.city = "Dorpsstraat 12", "1234 AB", "Utrecht"
    seller.save()
    bakker.street, bakker.postal_code, bakker.city = "Kerkplein 3", "3511 AA", "Utrecht"
    bakker.vat_number, bakker.kvk_number = "NL000099998B57", "87654321"
    bakker.save()
    invoice = issued_invoice(bakker, "100.00", issue_date=ISSUED, vat_rate="21")
    document = documents.invoice_document(invoice)
    pdf = rendering.render_invoice(document)
    text = " ".join(pdf_text(pdf).split())
    assert (
        "Betaalt u uiterlijk op 12 maart 2026, dan mag u 2% betalingskorting (€ 2,42) aftrekken "
        "en betaalt u € 118,58 in plaats van € 121,00." in text
    )
    render_pages(pdf, "invoice-early-payment-discount")
    xml = ubl_export.export(document, profile="nlcius", pdf=pdf)
    note = etree.fromstring(xml).findtext(
        f"{{{ubl_export.CAC}}}PaymentTerms/{{{ubl_export.CBC}}}Note"
    )
    assert " ".join(note.split()).startswith("30 dagen. Betaalt u uiterlijk op 12 maart 2026")
    assert failures(xml, "en16931") == []


def test_a_bank_payment_of_the_discounted_amount_in_time_pays_it_in_full(tmp_path, seller, bakker):
    invoice = issued_invoice(bakker, "100.00", issue_date=ISSUED, vat_rate="21")
    # The last day is Thursday 12 March; the money is on the statement the Monday after.
    on = datetime.date(2026, 3, 16)
    summary = banking.import_statement(
        organization=seller, path=mt940(tmp_path, "118.58", f"factuur {invoice.number}", on),
        acting_user=None, today=on,
    )  # fmt: skip
    assert summary.counts["matched"] == 1
    invoice.refresh_from_db()
    assert invoice.state == "paid"
    assert (invoice.paid, invoice.credited, invoice.written_off) == (D("118.58"), D("2.42"), 0)
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE, credits_invoice=invoice)
    # The discount lowers the taxable amount: the credit note carries its VAT.
    assert (note.subtotal, note.vat_total, note.total) == (D("2.00"), D("0.42"), D("2.42"))
    # In the customer's language.
    assert note.description == f"Betalingskorting van 2% op factuur {invoice.number}"


def test_the_discounted_amount_after_the_period_leaves_the_difference_open(
    tmp_path, seller, bakker
):
    invoice = issued_invoice(bakker, "100.00", issue_date=ISSUED, vat_rate="21")
    on = datetime.date(2026, 3, 20)
    banking.import_statement(
        organization=seller, path=mt940(tmp_path, "118.58", f"factuur {invoice.number}", on),
        acting_user=None, today=on,
    )  # fmt: skip
    invoice.refresh_from_db()
    assert invoice.open_amount == D("2.42")
    assert not Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).exists()


def test_the_run_does_not_chase_the_discount_while_it_may_be_taken(seller, bakker):
    from tegoed.invoices import services as ledger

    invoice = issued_invoice(
        bakker, "100.00", issue_date=ISSUED, due_date=ISSUED + datetime.timedelta(days=8),
        vat_rate="21",
    )  # fmt: skip
    assert invoice.discount_until == datetime.date(2026, 3, 10)  # the due date
    ledger.record_payment(
        organization=seller, amount=D("118.58"), received_on=ISSUED, acting_user=None,
        customer=bakker, allocate_to=[(invoice, D("118.58"))],
    )  # fmt: skip

    def chased(today):
        planned = run.plan(seller, today=today)
        return [row.invoice_id for message in planned.messages for row in message.invoices] + [
            invoice_id for invoice_id, _number, _open in planned.write_offs
        ]

    # Overdue on 11 March, but the payment of the discounted amount may be on its way.
    assert invoice.pk not in chased(datetime.date(2026, 3, 13))
    assert invoice.pk in chased(datetime.date(2026, 3, 25))

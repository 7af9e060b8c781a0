"""Every list as CSV and XLSX: the page's filters, only the organization's own rows, money
exact, dates as dates, a totals row, and no formula a spreadsheet would run."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from lxml import etree

from tegoed.accounts.models import Role
from tegoed.banking.models import BankEntry, BankStatement, StatementImport
from tegoed.invoices import queries, services
from tegoed.reports import export
from tests.factories import (
    CustomerFactory,
    MembershipFactory,
    OrganizationFactory,
    issued_invoice,
    line,
)
from tests.web.conftest import TODAY, login

pytestmark = pytest.mark.django_db
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response) -> list[list]:
    """Cells as written: numbers as float, strings as str, with each cell's style index."""
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            root = etree.fromstring(archive.read("xl/sharedStrings.xml"))
            shared = ["".join(si.itertext()) for si in root.iter(f"{MAIN}si")]
        sheet = etree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
        styles = etree.fromstring(archive.read("xl/styles.xml"))
    formats = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(f"{MAIN}numFmt")}
    xfs = [int(xf.get("numFmtId", 0)) for xf in styles.find(f"{MAIN}cellXfs")]
    rows = []
    for row in sheet.iter(f"{MAIN}row"):
        cells: list = []
        for cell in row.iter(f"{MAIN}c"):
            column = ord(cell.get("r")[0]) - ord("A")
            cells.extend([(None, "")] * (column - len(cells)))
            kind, value = cell.get("t"), cell.find(f"{MAIN}v")
            style = formats.get(xfs[int(cell.get("s", 0))], "")
            if kind == "s":
                cells.append((shared[int(value.text)], style))
            elif kind == "inlineStr":
                cells.append(("".join(cell.find(f"{MAIN}is").itertext()), style))
            elif kind == "str":
                cells.append((value.text, style))
            else:
                cells.append((float(value.text), style))
        rows.append(cells)
    return rows


@pytest.fixture
def books(organization):
    late = CustomerFactory(organization=organization, number="D-1", name="Bouwbedrijf De Vries")
    odd = CustomerFactory(organization=organization, number="D-2", name='=HYPERLINK("x")')
    first = issued_invoice(
        late, "1234.56", issue_date=datetime.date(2026, 1, 5), due_date=datetime.date(2026, 2, 4)
    )
    second = issued_invoice(
        late, "0.10", issue_date=datetime.date(2026, 3, 10), due_date=datetime.date(2026, 4, 9)
    )
    third = issued_invoice(odd, "200.20", issue_date=datetime.date(2026, 1, 20))
    # 50 paid too much on the third invoice: credit on the customer.
    services.record_payment(
        organization=organization, amount=Decimal("250.20"), received_on=TODAY,
        acting_user=None, customer=odd, allocate_to=[(third, Decimal("200.20"))],
    )  # fmt: skip
    note = services.credit_invoice(
        invoice=second, acting_user=None, today=TODAY, reason="Vervallen",
        lines=[line("0.05", vat_rate="0")],
    )  # fmt: skip
    stranger = CustomerFactory(organization=OrganizationFactory(), name="Klant van B")
    issued_invoice(stranger, "999.99")
    return {"late": late, "odd": odd, "first": first, "second": second, "note": note}


def test_the_invoice_list_as_csv_keeps_its_filters_and_sums_exactly(client_a, books):
    rows = read_csv(client_a.get(reverse("invoices:export_csv"), {"overdue": "on"}))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert header[:4] == ["Nummer", "Soort", "Klantnummer", "Klant"]
    assert [row[0] for row in body] == [books["first"].number]
    assert body[0][4:10] == ["2026-01-05", "2026-02-04", "40", "EUR", "1234.56", "1234.56"]
    assert total[0] == "Totaal" and total[8:10] == ["1234.56", "1234.56"]

    everything = read_csv(client_a.get(reverse("invoices:export_csv"), {"sort": "number"}))
    numbers = [row[0] for row in everything[1:-1]]
    assert books["note"].number in numbers and "Klant van B" not in str(everything)
    note_row = next(row for row in everything if row[0] == books["note"].number)
    assert note_row[8] == "-0.05" and note_row[9] == ""  # a credit note counts negative
    # 1234.56 + 0.10 + 200.20 − 0.05, exact.
    assert everything[-1][8] == "1434.81"
    # A name that a spreadsheet would read as a formula is text.
    assert '\'=HYPERLINK("x")' in [row[3] for row in everything]


def test_the_invoice_list_as_xlsx_has_numbers_dates_and_a_totals_row(client_a, books):
    response = client_a.get(reverse("invoices:export_xlsx"), {"overdue": "on"})
    assert response["Content-Type"] == export.XLSX_TYPE
    assert 'filename="facturen-2026-03-16.xlsx"' in response["Content-Disposition"]
    rows = read_xlsx(response)
    assert rows[0][0] == ("Nummer", "")
    first = rows[1]
    assert first[0] == (books["first"].number, "")
    # Dates are serial numbers with a date format; money numbers with a money format.
    assert first[4] == (float((datetime.date(2026, 1, 5) - datetime.date(1899, 12, 30)).days),
                        "yyyy-mm-dd")  # fmt: skip
    assert first[8] == (1234.56, "#,##0.00")
    assert [cell[0] for cell in rows[-1]] == ["Totaal", *[None] * 6, "EUR", 1234.56, 1234.56]
    assert rows[-1][8][1] == "#,##0.00"


def test_the_customer_list_as_files_with_credit_netted(client_a, books, organization):
    CustomerFactory(organization=organization, number="C-9", name="Zonder Iets", kind="consumer")
    rows = read_csv(client_a.get(reverse("customers:export_csv"), {"kind": "business"}))
    by_number = {row[0]: row for row in rows[1:-1]}
    assert set(by_number) == {"D-1", "D-2"}
    assert by_number["D-1"][7:] == ["1234.61", "1234.56", "0.00", "1234.61"]
    assert by_number["D-2"][1] == '\'=HYPERLINK("x")'
    assert by_number["D-2"][7:] == ["0.00", "0.00", "50.00", "-50.00"]
    assert rows[-1][0] == "Totaal" and rows[-1][7:] == ["1234.61", "1234.56", "50.00", "1184.61"]
    sheet = read_xlsx(client_a.get(reverse("customers:export_xlsx"), {"q": "Vries"}))
    assert [row[0][0] for row in sheet[1:]] == ["D-1", "Totaal"]


def test_a_salesperson_exports_only_the_customers_they_look_after(organization, books):
    seller = MembershipFactory(organization=organization, role=Role.SALES).user
    books["odd"].sales_owner = seller
    books["odd"].save()
    client = login(seller)
    rows = read_csv(client.get(reverse("customers:export_csv")))
    assert [row[0] for row in rows[1:-1]] == ["D-2"]
    aging = read_csv(client.get(reverse("reports:aging_csv")))
    assert [row[0] for row in aging[1:-1]] == ["D-2"]


def test_aging_per_customer_nets_the_credit(client_a, books):
    page = client_a.get(reverse("reports:aging")).content.decode()
    assert "Bouwbedrijf De Vries" in page and "Klant van B" not in page
    assert "€\xa01.184,61" in page  # 1234.61 open less 50.00 credit, in the totals row
    rows = read_csv(client_a.get(reverse("reports:aging_csv")))
    assert rows[0][2:7] == ["Nog niet vervallen", "1–30 dagen", "31–60 dagen", "61–90 dagen",
                            "Meer dan 90 dagen"]  # fmt: skip
    by_number = {row[0]: row for row in rows[1:-1]}
    # 1234.56 due 4 February: 40 days late; 0.05 left of the one not yet due.
    assert by_number["D-1"][2:] == ["0.05", "0.00", "1234.56", "0.00", "0.00", "1234.61",
                                    "0.00", "1234.61"]  # fmt: skip
    assert by_number["D-2"][-3:] == ["0.00", "50.00", "-50.00"]
    assert rows[-1][-3:] == ["1234.61", "50.00", "1184.61"]
    assert queries.credit_by_customer(books["late"].organization) == {
        books["odd"].pk: Decimal("50.00")
    }


def test_the_bank_queue_as_files(client_a, organization):
    imported = StatementImport.objects.create(
        organization=organization, file_name="a.xml", file_format="camt.053", digest="0" * 64
    )
    statement = BankStatement.objects.create(
        statement_import=imported, account_iban="NL91ABNA0417164300"
    )

    def entry(position, amount, credit, status, name):
        return BankEntry.objects.create(
            organization=organization, statement=statement, position=position,
            entry_id=f"E{position}", dedupe_key=f"k{position}", amount=Decimal(amount),
            credit=credit, status=status, counterparty_name=name,
            booking_date=datetime.date(2026, 3, position),
        )  # fmt: skip

    entry(1, "100.00", True, "unmatched", "@SUM(A1)")
    entry(2, "20.50", False, "suggested", "Leverancier")
    entry(3, "10.00", True, "matched", "Klant")
    queue = read_csv(client_a.get(reverse("banking:export_csv")))
    assert [row[4] for row in queue[1:-1]] == ["'@SUM(A1)", "Leverancier"]
    assert queue[-1][3] == "79.50"
    everything = read_xlsx(client_a.get(reverse("banking:export_xlsx"), {"entries": "all"}))
    assert [row[3][0] for row in everything[1:]] == [10.0, -20.5, 100.0, 89.5]
    stranger = login(MembershipFactory(organization=OrganizationFactory()).user)
    assert len(read_csv(stranger.get(reverse("banking:export_csv"), {"entries": "all"}))) == 1


def test_the_list_pages_link_their_exports_with_the_filters(client_a, books):
    page = client_a.get(reverse("invoices:list"), {"overdue": "on", "after": "x"}).content.decode()
    assert 'href="/invoices/export.csv?overdue=on"' in page
    assert 'href="/invoices/export.xlsx?overdue=on"' in page
    assert 'href="/customers/export.csv?kind=business"' in (
        client_a.get(reverse("customers:list"), {"kind": "business"}).content.decode()
    )
    assert "/reports/aging/export.xlsx" in client_a.get(reverse("reports:aging")).content.decode()
    assert "/bank/export.csv?entries=all" in client_a.get(reverse("banking:queue")).content.decode()


def test_a_formula_is_never_written_as_one():
    assert export.harmless("=1+1") == "'=1+1"
    assert export.harmless("-2") == "'-2" and export.harmless("+31 6") == "'+31 6"
    assert export.harmless("\tx") == "'\tx" and export.harmless("De Vries") == "De Vries"

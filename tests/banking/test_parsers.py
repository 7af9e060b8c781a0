# ruff: noqa: E501  (sample lines are kept as banks write them)
"""Reading statements: the real sample files, files built from the banks' format descriptions,
and broken input that must be refused with the file and the line or element named."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tegoed.banking import camt, formats, mt940
from tegoed.banking import csv as bank_csv
from tegoed.banking.errors import StatementFileError
from tegoed.domain.statement import StructuredReference

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
FILES = Path(__file__).resolve().parent / "files"


def entries(path):
    return [entry for statement in formats.read(path) for entry in statement.entries]


@pytest.mark.parametrize(
    ("name", "statements", "entry_count"),
    [
        ("camt/moiristo-camt.xml", 1, 29),
        ("camt/moiristo-camt_germany_01.xml", 1, 12),
        ("mt940/asnb.940.txt", 31, 8),
        ("mt940/jejik-abnamro.sta", 2, 10),
        ("mt940/jejik-ing.sta", 1, 7),
        ("mt940/jejik-knab.sta", 2, 3),
        ("mt940/jejik-rabobank-iban.sta", 2, 4),
        ("mt940/jejik-sns.sta", 2, 2),
        ("mt940/jejik-triodos.sta", 1, 2),
    ],
)
def test_every_real_sample_file_is_read(name, statements, entry_count):
    read = formats.read(FIXTURES / name)
    assert len(read) == statements
    assert sum(len(statement.entries) for statement in read) == entry_count
    ids = [entry.entry_id for statement in read for entry in statement.entries]
    assert all(ids)


def test_the_broken_camt_is_refused_naming_file_and_line():
    with pytest.raises(StatementFileError) as raised:
        formats.read(FIXTURES / "camt" / "moiristo-camt_error.xml")
    message = str(raised.value)
    assert "moiristo-camt_error.xml" in message
    assert "line 131" in message
    assert "not well-formed" in message


def test_camt_batch_of_acceptgiro_payments_is_split_with_the_detail_amounts():
    statement = formats.read(FIXTURES / "camt" / "moiristo-camt.xml")[0]
    batch = [
        entry for entry in statement.entries if entry.entry_id.startswith("3095D4322561460S0PS/")
    ]
    assert len(batch) == 10
    assert {entry.amount for entry in batch} == {Decimal("1.00")}
    assert batch[0].structured_references == (StructuredReference("1234567812345678", "CUR"),)
    assert batch[0].counterparty_iban == "NL46ABNA0499998748"
    assert statement.balance_difference() == Decimal("0.00")


def test_camt_reads_counterparty_text_return_and_reversal():
    statement = formats.read(FIXTURES / "camt" / "moiristo-camt.xml")[0]
    by_id = {entry.entry_id: entry for entry in statement.entries}
    sepa = by_id["3095D4322561459S0PS"]
    assert (sepa.credit, sepa.counterparty_name, sepa.remittance_text) == (
        True,
        "NAAM",
        "OMSCHRIJVING",
    )
    returned = by_id["GB030000738195160AO"]
    assert returned.reversal and not returned.credit
    assert returned.return_reason == "MS03"
    assert returned.amount == Decimal("921.00")
    assert statement.opening_balance.amount == Decimal("1000.01")
    assert statement.closing_balance.amount == Decimal("100.01")


def test_camt_repeated_bank_references_get_their_own_ids():
    statement = formats.read(FIXTURES / "camt" / "moiristo-camt_germany_01.xml")[0]
    ids = [entry.entry_id for entry in statement.entries]
    assert len(ids) == len(set(ids))
    assert ids[:2] == ["Bankreferenz", "Bankreferenz#2"]


def test_camt_version_08_with_party_and_amount_moved():
    statement = camt.read(FILES / "camt053-v08.xml")[0]
    first, second = statement.entries
    assert statement.file_format == "camt.053.001.08"
    assert first.entry_id == "ACC-1"  # AcctSvcrRef before NtryRef
    assert second.entry_id == "N-2"  # NtryRef when there is no AcctSvcrRef
    assert first.counterparty_name == "Bakker Bouw B.V."
    assert first.counterparty_bic == "ABNANL2A"
    assert first.structured_references == (StructuredReference("RF18539007547034", "ISO"),)
    # Two Ustrd of which the first is not full: joined with a space.
    assert second.remittance_text == "Factuur F2026-0043 en F2026- 0044"
    assert statement.balance_difference() == Decimal("0.00")


def test_camt054_notification_with_a_batch_of_direct_debits():
    notification = camt.read(FILES / "camt054.xml")[0]
    assert notification.statement_id == "NTF-1"
    assert [entry.amount for entry in notification.entries] == [Decimal("10.00"), Decimal("20.00")]
    assert notification.entries[1].end_to_end_id == "INCASSO-F2026-0051"
    assert notification.entries[1].entry_id == "NTF-1/1/2"
    assert notification.opening_balance is None


def test_entities_and_doctypes_are_refused():
    with pytest.raises(StatementFileError, match="DOCTYPE"):
        camt.read(FILES / "entities.xml")


def test_mt940_ing_structured_code_words_and_wrapped_lines():
    first, second, debit = mt940.read(FILES / "ing-structured.sta")[0].entries
    assert first.entry_id == "2603021234567890"
    assert first.counterparty_name == "Bakker Bouw B.V."
    assert first.counterparty_iban == "NL91ABNA0417164300"
    assert first.structured_references == (StructuredReference("5000056789012345", "CUR"),)
    assert first.end_to_end_id == "20260302-0001"
    assert second.remittance_text == "Factuur F2026-0042 en dank voor de snelle levering"
    assert not debit.credit
    assert debit.mandate_id == "MANDAAT-12"


def test_mt940_rabobank_structured_reference_and_counterparty_line():
    statement = mt940.read(FILES / "rabobank-structured.sta")[0]
    first, second = statement.entries
    assert first.counterparty_iban == "NL91ABNA0417164300"
    assert first.counterparty_name == "Bakker Bouw BV"
    assert first.structured_references == (StructuredReference("5000056789012345", "CUR"),)
    assert second.remittance_text == "Betreft factuur F2026-0043 termijn 2 van 3"
    assert statement.balance_difference() == Decimal("0.00")


def test_mt940_abn_amro_code_words_split_over_lines():
    first, second = mt940.read(FILES / "abnamro-structured.sta")[0].entries
    assert first.counterparty_name == "JANSEN INSTALLATIE"
    assert first.remittance_text == "FACTUUR F2026-0044"
    assert second.structured_references == (StructuredReference("5000056789012345", "CUR"),)
    assert second.end_to_end_id == "NOTPROVIDED"


def test_mt940_unstructured_dialects_of_the_real_files():
    asn = [entry for statement in mt940.read(FIXTURES / "mt940" / "asnb.940.txt")
           for entry in statement.entries]  # fmt: skip
    assert asn[0].counterparty_iban == "NL47INGB9999999999"
    assert asn[0].counterparty_name == "hr gjlm paulissen"
    assert asn[0].remittance_text == "Betaling sieraden"
    assert asn[0].booking_date == date(2020, 1, 1)
    rabo = mt940.read(FIXTURES / "mt940" / "jejik-rabobank-iban.sta")[0].entries[0]
    assert rabo.counterparty_name == "CONTRA ACCOUNT HOLDER"
    assert rabo.counterparty_iban == "NL70ABNA0987654321"
    triodos = mt940.read(FIXTURES / "mt940" / "jejik-triodos.sta")[0].entries[0]
    assert (
        triodos.remittance_text
        == "ALGEMENE TUSSENREKENING KOSTEN VAN 01-10-2010 TOT EN MET 31-12-2010"
    )
    knab = mt940.read(FIXTURES / "mt940" / "jejik-knab.sta")[1].entries[1]
    assert knab.counterparty_name == "MMS ONLINE NEDERLAND B.V."
    assert knab.entry_id == "B4G29PGDCK1QFV3E"


def test_mt940_german_subfields():
    information = "166?00SEPA-UEBERWEISUNG?20EREF+E2E-7?21SVWZ+Rechnung RE-2026-0001?22 2 vom 01.03.2026?32Mueller GmbH?31DE89370400440532013000"
    details = mt940.describe(information)
    assert details["name"] == "Mueller GmbH"
    assert details["iban"] == "DE89370400440532013000"
    assert details["end_to_end"] == "E2E-7"
    assert details["text"].startswith("Rechnung RE-2026-0001")


def test_mt940_error_names_the_line():
    with pytest.raises(StatementFileError) as raised:
        mt940.read(FILES / "broken.sta")
    assert "broken.sta" in str(raised.value)
    assert "line 5" in str(raised.value)


def test_mt940_amount_without_decimals_and_missing_opening_balance():
    statement = mt940.parse(
        ":20:X\n:25:123\n:60F:C260301EUR0,\n:61:260302C500NTRFNONREF\n:62F:C260302EUR500,\n"
    )[0]
    assert statement.entries[0].amount == Decimal("500.00")
    with pytest.raises(StatementFileError, match="opening balance"):
        mt940.parse(":20:X\n:25:123\n:61:260302C5,NTRFNONREF\n", "no-opening.sta")


@pytest.mark.parametrize(
    ("name", "preset", "first_amount", "first_credit", "iban"),
    [
        ("ing.csv", "ing", "121.00", True, "NL91ABNA0417164300"),
        ("rabobank.csv", "rabobank", "500.00", True, "NL91ABNA0417164300"),
        ("abnamro.tab", "abnamro", "99.95", True, "NL20INGB0001234567"),
        ("bunq.csv", "bunq", "250.00", True, "NL20INGB0001234567"),
        ("knab.csv", "knab", "121.00", True, "NL91ABNA0417164300"),
    ],
)
def test_bank_csv_presets(name, preset, first_amount, first_credit, iban):
    text = (FILES / name).read_text(encoding="utf-8")
    assert bank_csv.detect_preset(text) == preset
    first = entries(FILES / name)[0]
    assert first.amount == Decimal(first_amount)
    assert first.credit is first_credit
    assert first.counterparty_iban == iban
    assert first.booking_date == date(2026, 3, 2)


def test_bank_csv_reads_descriptions_and_debits():
    ing = entries(FILES / "ing.csv")
    assert ing[0].remittance_text == "Factuur F2026-0042"
    assert not ing[1].credit and ing[1].amount == Decimal("35.50")
    rabo = entries(FILES / "rabobank.csv")
    assert rabo[0].entry_id == "000000000000012345"
    assert rabo[0].structured_references == (StructuredReference("5000056789012345"),)
    assert not rabo[1].credit and rabo[1].amount == Decimal("12.10")
    abn = entries(FILES / "abnamro.tab")
    assert abn[0].counterparty_name == "JANSEN INSTALLATIE"
    assert abn[0].remittance_text == "FACTUUR F2026-0044"


def test_any_other_csv_with_a_column_mapping():
    path = FILES / "other.csv"
    with pytest.raises(StatementFileError, match="column mapping"):
        formats.read(path)
    mapping = bank_csv.ColumnMapping.parse("date=When,amount=How much,name=Who,description=What")
    (entry,) = formats.read(path, mapping=mapping)[0].entries
    assert entry.amount == Decimal("1234.50")
    assert entry.counterparty_name == "Bakker Bouw BV"
    assert entry.remittance_text == "Factuur F2026-0042"


def test_csv_errors_name_the_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text('"Date";"Interest Date";"Amount";"Account";"Counterparty";"Name";"Description"\n'
                    '"2026-03-02";"";"12,00";"";"";"";""\n"2026-13-40";"";"1";"";"";"";""\n')  # fmt: skip
    with pytest.raises(StatementFileError) as raised:
        formats.read(path)
    assert "bad.csv" in str(raised.value) and "line 3" in str(raised.value)


def test_unknown_content_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some text\n")
    with pytest.raises(StatementFileError, match="not a statement format"):
        formats.read(path)


def test_camt_entry_without_details_is_read_from_the_mirrored_code_words(tmp_path):
    path = tmp_path / "abn.xml"
    path.write_text(
        '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
        "<BkToCstmrStmt><Stmt><Id>S</Id><Acct><Id><IBAN>NL77ABNA0574908765</IBAN></Id></Acct>"
        '<Ntry><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
        "<BookgDt><Dt>2026-03-02</Dt></BookgDt><AcctSvcrRef>R1</AcctSvcrRef>"
        "<AddtlNtryInf>/TRTP/SEPA OVERBOEKING/IBAN/NL46ABNA0499998748/BIC/ABNANL2A/NAME/NAAM BV"
        "/REMI/Factuur F2026-0042/EREF/NOTPROVIDED</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt>"
        "</Document>"
    )
    (entry,) = camt.read(path)[0].entries
    assert entry.counterparty_name == "NAAM BV"
    assert entry.counterparty_iban == "NL46ABNA0499998748"
    assert entry.remittance_text == "Factuur F2026-0042"

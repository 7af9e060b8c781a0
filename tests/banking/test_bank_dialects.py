"""Statement files as banks really write them: MT940 value dates on a 30/360 calendar, short
transaction types, MT942 interim reports, and errors that name the field and the part."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tegoed.banking import formats, mt940
from tegoed.banking.errors import StatementFileError

FILES = Path(__file__).resolve().parent / "files"
REAL = FILES / "wolph-mt940"


def test_mt940_value_date_30_february_is_the_month_end_and_the_entry_date_counts():
    (statement,) = formats.read(REAL / "february_30.sta")
    (entry,) = statement.entries
    assert entry.value_date == date(2016, 2, 29)
    assert entry.booking_date == date(2016, 3, 1)
    assert (entry.amount, entry.credit) == (Decimal("6.00"), False)
    assert statement.balance_difference() == Decimal("0.00")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("230230", date(2023, 2, 28)), ("240231", date(2024, 2, 29)), ("260431", date(2026, 4, 30)),
     ("260131", date(2026, 1, 31)), ("261130", date(2026, 11, 30))],
)  # fmt: skip
def test_mt940_30_360_value_dates_of_short_months(value, expected):
    text = f":20:X\n:25:NL91ABNA0417164300\n:60F:C260301EUR0,\n:61:{value}C5,NTRFNONREF\n"
    (entry,) = mt940.parse(text)[0].entries
    assert entry.value_date == expected
    assert entry.booking_date == expected


def test_mt940_short_transaction_type_with_funds_code_hungarian_bank():
    (statement,) = formats.read(REAL / "sberbank-hu.sta")
    assert statement.currency == "HUF"
    assert [entry.amount for entry in statement.entries] == [
        Decimal("2402.00"), Decimal("3460.00"), Decimal("3575.00")
    ]  # fmt: skip
    first = statement.entries[0]
    assert (first.credit, first.bank_transaction_code, first.entry_reference) == (False, "S", "X")
    # The non-SWIFT :NS: lines are not taken for the counterparty's name.
    assert first.counterparty_name == ""
    assert statement.balance_difference() == Decimal("0.00")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("1713111011DF2402,00S   X", ":61: value date '171311' is not a date (YYMMDD)"),
        ("1710111341DF2402,00S   X", ":61: entry date '1341' is not a date (MMDD)"),
        ("1710111011XF2402,00S   X", "the debit/credit mark cannot be read at 'XF2402,00S   X'"),
        (
            "1710111011D2402.00NTRF",
            "the amount cannot be read at '2402.00NTRF' (expected digits with a decimal comma)",
        ),
        ("1710111011D2402,00", "the transaction type cannot be read at ''"),
        ("1710111011D2402,001NTRF", ":61: amount '2402,001' has more than two decimals"),
    ],
)
def test_mt940_errors_name_the_field_and_the_part(line, message):
    text = f":20:X\n:25:123\n:60F:C171011HUF0,\n:61:{line}\n:62F:C171011HUF0,\n"
    with pytest.raises(StatementFileError) as raised:
        mt940.parse(text, "hu.sta")
    assert str(raised.value).startswith("hu.sta (line 4): ")
    assert message in str(raised.value)


def test_mt942_is_an_interim_report_of_notified_payments():
    (report,) = formats.read(REAL / "mbank-mt942.sta")
    assert report.file_format == "mt942"
    assert report.created_on == date(2017, 1, 19)
    assert (report.account_iban, report.currency) == ("PL29114010810000267002001002", "PLN")
    assert report.opening_balance is None and report.balance_difference() is None
    assert [(entry.amount, entry.credit, entry.notified) for entry in report.entries] == [
        (Decimal("0.01"), True, True)
    ] * 3
    assert report.entries[0].entry_id == "MB170119012058"

    (charges,) = formats.read(REAL / "mt942.sta")
    (entry,) = charges.entries
    assert (entry.amount, entry.credit, entry.notified) == (Decimal("0.42"), False, True)
    assert entry.bank_transaction_code == "MCI0"
    assert charges.currency == "EUR"


def test_a_statement_without_opening_balance_says_what_it_lacks():
    with pytest.raises(StatementFileError) as raised:
        mt940.parse(":20:X\n:25:123\n:61:260302C5,NTRFNONREF\n", "no-opening.sta")
    message = str(raised.value)
    assert "no opening balance (:60F:)" in message
    assert "MT942 interim report" in message


@pytest.mark.parametrize(
    ("field", "message"),
    [(":34F:EUR", ":34F: floor limit 'EUR' is not currency"),
     (":13D:17011918+0100", ":13D: date and time '17011918+0100' is not YYMMDDHHMM+ZZZZ"),
     (":13D:1713191815+0100", ":13D: date '171319' is not a date")],
)  # fmt: skip
def test_mt942_fields_errors_name_the_field(field, message):
    with pytest.raises(StatementFileError) as raised:
        mt940.parse(f":20:X\n:25:123\n{field}\n:61:170119C5,NTRFNONREF\n", "interim.sta")
    assert str(raised.value).startswith("interim.sta (line 3): ")
    assert message in str(raised.value)

"""camt.052, camt.053 and camt.054 of every version from .01 to .13 read by one code path, and
entries that are not booked: pending and informational ones kept as notified payments, any
other status listed with its reason instead of disappearing."""

import io
from datetime import date
from decimal import Decimal

import pytest

from tegoed.banking import camt, formats

MESSAGES = {
    "052": ("BkToCstmrAcctRpt", "Rpt"),
    "053": ("BkToCstmrStmt", "Stmt"),
    "054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn"),
}
VERSIONS = range(1, 14)


def entry_xml(
    version: int,
    *,
    status: str,
    reference: str,
    amount: str = "121.00",
    text: str = "Factuur F2026-0042",
    end_to_end: str = "E2E-42",
    booked_on: str = "2026-03-02",
) -> str:
    """One credit as version `version` writes it: the status as text up to .07 and in Sts/Cd
    from .08 on, the payer's name in Dbtr/Pty from .08 on, no NtryDtls in .01."""
    status_xml = f"<Sts><Cd>{status}</Cd></Sts>" if version >= 8 else f"<Sts>{status}</Sts>"
    name = "<Pty><Nm>Bakker BV</Nm></Pty>" if version >= 8 else "<Nm>Bakker BV</Nm>"
    detail = (
        f"<TxDtls><Refs><EndToEndId>{end_to_end}</EndToEndId></Refs>"
        f"<RltdPties><Dbtr>{name}</Dbtr>"
        "<DbtrAcct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></DbtrAcct></RltdPties>"
        f"<RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls>"
    )
    details = detail if version == 1 else f"<NtryDtls>{detail}</NtryDtls>"
    return (
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>{status_xml}'
        f"<BookgDt><Dt>{booked_on}</Dt></BookgDt><ValDt><Dt>{booked_on}</Dt></ValDt>"
        f"<AcctSvcrRef>{reference}</AcctSvcrRef>{details}</Ntry>"
    )


def document(message: str, version: int, entries: str) -> bytes:
    root, container = MESSAGES[message]
    namespace = f"urn:iso:std:iso:20022:tech:xsd:camt.{message}.001.{version:02d}"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{namespace}"><{root}>'
        "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-03-02T10:15:00</CreDtTm></GrpHdr>"
        f"<{container}><Id>R-1</Id><Acct><Id><IBAN>NL69INGB0123456789</IBAN></Id></Acct>"
        f"{entries}</{container}></{root}></Document>"
    ).encode()


def read(message: str, version: int, entries: str):
    return camt.read(io.BytesIO(document(message, version, entries)), name="r.xml")


@pytest.mark.parametrize("message", sorted(MESSAGES))
@pytest.mark.parametrize("version", VERSIONS)
def test_every_version_reads_the_same_payment(message, version):
    (statement,) = read(message, version, entry_xml(version, status="BOOK", reference="B1"))
    (entry,) = statement.entries
    assert statement.file_format == f"camt.{message}.001.{version:02d}"
    assert statement.account_iban == "NL69INGB0123456789"
    assert (entry.entry_id, entry.amount, entry.credit) == ("B1", Decimal("121.00"), True)
    assert entry.booking_date == date(2026, 3, 2)
    assert (entry.counterparty_name, entry.counterparty_iban) == (
        "Bakker BV",
        "NL91ABNA0417164300",
    )
    assert (entry.remittance_text, entry.end_to_end_id) == ("Factuur F2026-0042", "E2E-42")
    assert not entry.notified
    assert statement.skipped == ()


@pytest.mark.parametrize("message", ["052", "054"])
@pytest.mark.parametrize("version", [2, 8, 10, 13])
@pytest.mark.parametrize("status", ["PDNG", "INFO"])
def test_pending_and_informational_entries_are_notified_payments(message, version, status):
    (statement,) = read(message, version, entry_xml(version, status=status, reference="N1"))
    (entry,) = statement.entries
    assert entry.notified
    assert (entry.entry_id, entry.amount, entry.counterparty_name) == (
        "N1",
        Decimal("121.00"),
        "Bakker BV",
    )


@pytest.mark.parametrize("version", [2, 10])
def test_an_entry_of_another_status_is_listed_as_skipped_with_its_status(version):
    entries = entry_xml(version, status="BOOK", reference="B1") + entry_xml(
        version, status="FUTR", reference="F1", amount="50.00"
    )
    (statement,) = read("053", version, entries)
    assert [entry.entry_id for entry in statement.entries] == ["B1"]
    (skipped,) = statement.skipped
    assert (skipped.entry_id, skipped.amount, skipped.credit, skipped.position) == (
        "F1",
        Decimal("50.00"),
        True,
        2,
    )
    assert "status FUTR" in skipped.reason


def test_a_skipped_entry_without_reference_is_named_by_statement_and_position():
    entry = entry_xml(8, status="XXXX", reference="").replace("<AcctSvcrRef></AcctSvcrRef>", "")
    (statement,) = read("054", 8, entry)
    assert statement.entries == ()
    assert [each.entry_id for each in statement.skipped] == ["R-1/1"]


def test_a_later_version_of_the_same_structure_is_read(tmp_path):
    path = tmp_path / "camt.053.001.14.xml"
    path.write_bytes(document("053", 14, entry_xml(14, status="BOOK", reference="B1")))
    (statement,) = formats.read(path)
    assert [entry.entry_id for entry in statement.entries] == ["B1"]

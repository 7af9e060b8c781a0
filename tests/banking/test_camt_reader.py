"""camt entries built for one point each: amounts that cannot be read in cents, where the
creditor reference's issuer comes from, and the bank transaction code of entries with details."""

import io

import pytest

from tegoed.banking import camt
from tegoed.banking.errors import StatementFileError

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


def document(entry: str) -> bytes:
    """A statement holding one entry; the entry starts on line 4."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{NAMESPACE}"><BkToCstmrStmt>\n'
        "<Stmt><Id>S1</Id><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></Acct>\n"
        f"{entry}\n</Stmt></BkToCstmrStmt></Document>\n"
    ).encode()


def entry_xml(*, amount: str = "10.00", code: str = "", details: str = "") -> str:
    return (
        f'<Ntry>\n<Amt Ccy="EUR">{amount}</Amt>\n<CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
        f"<BookgDt><Dt>2026-03-02</Dt></BookgDt><AcctSvcrRef>R1</AcctSvcrRef>{code}"
        f"<NtryDtls>{details}</NtryDtls></Ntry>"
    )


def bank_code(domain: str, family: str, subfamily: str) -> str:
    return (
        f"<BkTxCd><Domn><Cd>{domain}</Cd><Fmly><Cd>{family}</Cd>"
        f"<SubFmlyCd>{subfamily}</SubFmlyCd></Fmly></Domn></BkTxCd>"
    )


def read_entries(entry: str):
    return camt.read(io.BytesIO(document(entry)), name="s.xml")[0].entries


@pytest.mark.parametrize("amount", ["1e30", "99999999999999999999999999999.00"])
def test_an_amount_too_large_for_cents_is_refused_naming_element_and_line(amount):
    with pytest.raises(StatementFileError) as error:
        read_entries(entry_xml(amount=amount))
    message = str(error.value)
    assert "s.xml" in message
    assert "line 5" in message
    assert "Amt" in message


def test_the_reference_issuer_comes_from_the_creditor_reference_only():
    details = (
        "<TxDtls><RmtInf><Strd>"
        "<RfrdDocInf><Tp><CdOrPrtry><Prtry>FACT</Prtry></CdOrPrtry><Issr>SELLER</Issr></Tp>"
        "<Nb>INV-7</Nb></RfrdDocInf>"
        "<CdtrRefInf><Ref>1234567812345678</Ref></CdtrRefInf>"
        "</Strd></RmtInf></TxDtls>"
    )
    (entry,) = read_entries(entry_xml(details=details))
    assert entry.referred_documents == ("INV-7",)
    assert [(each.reference, each.issuer) for each in entry.structured_references] == [
        ("1234567812345678", "")
    ]


@pytest.mark.parametrize("kind", ["<Issr>CUR</Issr>", "<CdOrPrtry><Prtry>CUR</Prtry></CdOrPrtry>"])
def test_the_reference_issuer_is_read_from_the_creditor_reference_type(kind):
    details = (
        "<TxDtls><RmtInf><Strd>"
        "<RfrdDocInf><Tp><Issr>SELLER</Issr></Tp><Nb>INV-7</Nb></RfrdDocInf>"
        f"<CdtrRefInf><Tp>{kind}</Tp><Ref>1234567812345678</Ref></CdtrRefInf>"
        "</Strd></RmtInf></TxDtls>"
    )
    (entry,) = read_entries(entry_xml(details=details))
    assert [(each.reference, each.issuer) for each in entry.structured_references] == [
        ("1234567812345678", "CUR")
    ]


def test_a_detail_repeating_the_entry_bank_code_does_not_repeat_it():
    details = f"<TxDtls>{bank_code('PMNT', 'RCDT', 'ESCT')}</TxDtls>"
    (entry,) = read_entries(entry_xml(code=bank_code("PMNT", "RCDT", "ESCT"), details=details))
    assert entry.bank_transaction_code == "PMNT/RCDT/ESCT"


def test_the_entry_bank_code_wins_and_a_detail_code_counts_only_without_it():
    split = "<TxDtls><Amt>4.00</Amt>{}</TxDtls><TxDtls><Amt>6.00</Amt>{}</TxDtls>".format(
        bank_code("PMNT", "RCDT", "BOOK"), bank_code("PMNT", "RCDT", "ESCT")
    )
    with_entry_code = read_entries(entry_xml(code=bank_code("PMNT", "RCDT", "ESCT"), details=split))
    assert [each.bank_transaction_code for each in with_entry_code] == ["PMNT/RCDT/ESCT"] * 2
    without = read_entries(entry_xml(details=split))
    assert [each.bank_transaction_code for each in without] == [
        "PMNT/RCDT/BOOK",
        "PMNT/RCDT/ESCT",
    ]

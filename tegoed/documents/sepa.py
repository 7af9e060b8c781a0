"""SEPA direct-debit files (pain.008) for the bank, written by sepaxml and checked against its XSD.

sepaxml builds one payment-information block per sequence type and collection date
(`batch=True`), transliterates names to the SEPA character set and validates the file against
the bundled ISO 20022 schema. It does not check the creditor identifier, so that is checked
here first (formats.md §5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sepaxml import SepaDD

from tegoed.domain import identifiers, money
from tegoed.domain.errors import DomainError

SCHEMAS = ("pain.008.001.02", "pain.008.001.08")


@dataclass(frozen=True)
class Creditor:
    name: str
    iban: str
    bic: str
    creditor_id: str


@dataclass(frozen=True)
class Collection:
    """One debit in the file."""

    end_to_end_id: str  # travels back on the debtor's statement and in returns
    amount: Decimal
    collection_date: date
    sequence_type: str
    mandate_reference: str
    mandate_signed_on: date
    debtor_name: str
    debtor_iban: str
    debtor_bic: str
    description: str


def pain008(
    creditor: Creditor,
    collections: list[Collection],
    *,
    scheme: str = "CORE",
    schema: str = "pain.008.001.02",
) -> tuple[bytes, str]:
    """The file and its message id (MsgId), which the bank quotes in its answers."""
    if schema not in SCHEMAS:
        raise DomainError(f"unknown pain.008 version {schema!r}; choose from {', '.join(SCHEMAS)}")
    if not collections:
        raise DomainError("there is nothing to collect")
    creditor_id = identifiers.normalize_creditor_id(creditor.creditor_id)
    config = {
        "name": creditor.name[:70],
        "IBAN": identifiers.normalize_iban(creditor.iban),
        "BIC": creditor.bic or "NOTPROVIDED",
        "batch": True,
        "creditor_id": creditor_id,
        "currency": "EUR",
        "instrument": scheme,
    }
    document = SepaDD(config, schema=schema, clean=True)
    for collection in collections:
        payment = {
            "name": collection.debtor_name[:70],
            "IBAN": identifiers.normalize_iban(collection.debtor_iban),
            "amount": money.to_cents(collection.amount),
            "type": collection.sequence_type,
            "collection_date": collection.collection_date,
            "mandate_id": collection.mandate_reference,
            "mandate_date": collection.mandate_signed_on,
            "description": collection.description[:140],
            "endtoend_id": collection.end_to_end_id[:35],
        }
        if collection.debtor_bic:
            payment["BIC"] = collection.debtor_bic
        document.add_payment(payment)
    return document.export(validate=True, pretty_print=True), document.msg_id

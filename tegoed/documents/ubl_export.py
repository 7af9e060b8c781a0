"""Invoices and credit notes as UBL 2.1 e-invoices: Peppol BIS Billing 3.0 or SI-UBL 2.0 (NLCIUS).

Both profiles are EN 16931 core invoices that differ in a few rules (formats.md §3.1):
Peppol requires electronic addresses (EndpointID) for seller and buyer and a ProfileID;
NLCIUS requires the Dutch seller's KvK number (BR-NL-1) and, for a credit note, a reference
to the invoice it corrects. The invoice PDF travels inside as an embedded attachment
(BT-125). Built from the same `InvoiceDocument` the PDF is rendered from, so the two agree.

Validated in tests with the official CEN EN 16931 and SI-UBL 2.0 Schematron (XSLT) artefacts.
"""

from __future__ import annotations

import base64
from decimal import Decimal

from lxml import etree

from tegoed.documents import rendering
from tegoed.documents.content import InvoiceDocument, Party

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"

PROFILES = {
    "peppol": "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
    "nlcius": "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0",
}
PEPPOL_PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

# Electronic address schemes (EAS, Peppol code list): KvK, Dutch VAT, e-mail.
EAS_KVK = "0106"
EAS_NL_VAT = "9944"
EAS_EMAIL = "EM"
# UNCL 4461 payment means: SEPA credit transfer, SEPA direct debit.
MEANS_CREDIT_TRANSFER = "58"
MEANS_DIRECT_DEBIT = "59"

_UNITS = {
    "": "C62",
    "stuk": "H87",
    "stuks": "H87",
    "st": "H87",
    "piece": "H87",
    "pieces": "H87",
    "uur": "HUR",
    "uren": "HUR",
    "hour": "HUR",
    "hours": "HUR",
    "dag": "DAY",
    "dagen": "DAY",
    "day": "DAY",
    "days": "DAY",
    "maand": "MON",
    "maanden": "MON",
    "month": "MON",
    "months": "MON",
    "kg": "KGM",
    "km": "KMT",
    "m": "MTR",
    "m2": "MTK",
    "liter": "LTR",
}


class UblExportError(ValueError):
    """The invoice lacks something the profile requires; the message says what."""


def unit_code(unit: str) -> str:
    """UN/ECE Recommendation 20 code for a unit as typed on the invoice (default: one)."""
    return _UNITS.get(unit.strip().lower(), "C62")


def _cents(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


def _plain(value: Decimal) -> str:
    normalized = value.normalize()
    text = f"{normalized:f}"
    return text if "." not in text or len(text.split(".")[1]) >= 2 else f"{value:.2f}"


def _compact_vat(value: str) -> str:
    return value.replace(".", "").replace(" ", "").upper()


def _sub(
    parent, namespace: str, name: str, text: str | None = None, **attributes
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{namespace}}}{name}", **attributes)
    if text is not None:
        element.text = text
    return element


def _tax_category(rate: Decimal) -> str:
    # S: standard or reduced rate; Z: zero-rated. Exempt and reverse-charge invoices need a
    # reason code the ledger does not record, so they are not produced here.
    return "S" if rate > 0 else "Z"


def _endpoint(party: Party, email: str) -> tuple[str, str] | None:
    if party.kvk_number and party.country == "NL":
        return EAS_KVK, party.kvk_number
    if party.vat_number and _compact_vat(party.vat_number).startswith("NL"):
        return EAS_NL_VAT, _compact_vat(party.vat_number)
    if email:
        return EAS_EMAIL, email
    return None


def _address(parent, party: Party) -> None:
    address = _sub(parent, CAC, "PostalAddress")
    if party.street:
        _sub(address, CBC, "StreetName", party.street)
    if party.city:
        _sub(address, CBC, "CityName", party.city)
    if party.postal_code:
        _sub(address, CBC, "PostalZone", party.postal_code)
    country = _sub(address, CAC, "Country")
    _sub(country, CBC, "IdentificationCode", party.country or "NL")


def _party(
    parent, party: Party, *, profile: str, email: str, supplier: bool, creditor_id: str = ""
) -> None:
    element = _sub(parent, CAC, "Party")
    if profile == "peppol":
        endpoint = _endpoint(party, email)
        if endpoint is None:
            role = "seller" if supplier else "buyer"
            raise UblExportError(
                f"Peppol needs an electronic address for the {role} {party.name!r}: "
                "a KvK number, a Dutch VAT number or an e-mail address"
            )
        _sub(element, CBC, "EndpointID", endpoint[1], schemeID=endpoint[0])
    if creditor_id:
        # BT-90, the SEPA creditor identifier, with a direct debit (BG-19).
        identification = _sub(element, CAC, "PartyIdentification")
        _sub(identification, CBC, "ID", creditor_id, schemeID="SEPA")
    name = _sub(element, CAC, "PartyName")
    _sub(name, CBC, "Name", party.name)
    _address(element, party)
    if party.vat_number:
        tax = _sub(element, CAC, "PartyTaxScheme")
        _sub(tax, CBC, "CompanyID", _compact_vat(party.vat_number))
        scheme = _sub(tax, CAC, "TaxScheme")
        _sub(scheme, CBC, "ID", "VAT")
    legal = _sub(element, CAC, "PartyLegalEntity")
    _sub(legal, CBC, "RegistrationName", party.name)
    if party.kvk_number:
        _sub(legal, CBC, "CompanyID", party.kvk_number, schemeID=EAS_KVK)
    if email or party.phone:
        contact = _sub(element, CAC, "Contact")
        if party.phone:
            _sub(contact, CBC, "Telephone", party.phone)
        if email:
            _sub(contact, CBC, "ElectronicMail", email)


def export(
    document: InvoiceDocument,
    *,
    profile: str = "peppol",
    pdf: bytes | None = None,
) -> bytes:
    """The UBL XML of an invoice or credit note in the given profile, with the PDF inside."""
    if document.asks_no_payment:
        raise UblExportError("a quote or pro forma invoice is not an e-invoice; send the PDF")
    if profile not in PROFILES:
        raise UblExportError(f"unknown profile {profile!r}; choose from {', '.join(PROFILES)}")
    seller = document.seller
    if profile == "nlcius" and seller.country == "NL" and not seller.kvk_number:
        raise UblExportError("SI-UBL 2.0 needs the organization's KvK number (BR-NL-1)")
    buyer = document.buyer
    if (
        profile == "nlcius"
        and seller.country == "NL"
        and buyer.country == "NL"
        and not buyer.kvk_number
    ):
        raise UblExportError(
            f"SI-UBL 2.0 needs the KvK number of {buyer.name} (BR-NL-10); it is meant for "
            "businesses and government, send a consumer the PDF or a Peppol invoice"
        )
    if profile == "nlcius" and document.is_credit_note and not document.credited_number:
        raise UblExportError("SI-UBL 2.0 needs the invoice a credit note corrects")
    credit = document.is_credit_note
    root_namespace = CREDIT_NOTE if credit else INVOICE
    root = etree.Element(
        f"{{{root_namespace}}}{'CreditNote' if credit else 'Invoice'}",
        nsmap={None: root_namespace, "cac": CAC, "cbc": CBC},
    )
    currency = document.currency
    _sub(root, CBC, "CustomizationID", PROFILES[profile])
    if profile == "peppol":
        _sub(root, CBC, "ProfileID", PEPPOL_PROCESS)
    _sub(root, CBC, "ID", document.number)
    _sub(root, CBC, "IssueDate", document.issue_date.isoformat())
    if not credit and document.due_date is not None:
        _sub(root, CBC, "DueDate", document.due_date.isoformat())
    _sub(
        root, CBC, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", "381" if credit else "380"
    )
    if document.description:
        _sub(root, CBC, "Note", document.description)
    _sub(root, CBC, "DocumentCurrencyCode", currency)
    # Peppol routes on BuyerReference or OrderReference (PEPPOL-EN16931-R003).
    _sub(root, CBC, "BuyerReference", document.customer_reference or document.customer_number)
    if document.customer_reference:
        order = _sub(root, CAC, "OrderReference")
        _sub(order, CBC, "ID", document.customer_reference)
    if document.credited_number:
        billing = _sub(root, CAC, "BillingReference")
        reference = _sub(billing, CAC, "InvoiceDocumentReference")
        _sub(reference, CBC, "ID", document.credited_number)
    if pdf is not None:
        attachment_reference = _sub(root, CAC, "AdditionalDocumentReference")
        _sub(attachment_reference, CBC, "ID", document.number)
        _sub(
            attachment_reference,
            CBC,
            "DocumentDescription",
            "Creditnota"
            if credit and document.language == "nl"
            else "Factuur"
            if document.language == "nl"
            else "Credit note"
            if credit
            else "Invoice",
        )
        attachment = _sub(attachment_reference, CAC, "Attachment")
        _sub(
            attachment,
            CBC,
            "EmbeddedDocumentBinaryObject",
            base64.b64encode(pdf).decode("ascii"),
            mimeCode="application/pdf",
            filename=f"{file_name(document.number)}.pdf",
        )
    supplier = _sub(root, CAC, "AccountingSupplierParty")
    _party(
        supplier,
        seller,
        profile=profile,
        email=seller.email,
        supplier=True,
        creditor_id=document.direct_debit.creditor_id if document.direct_debit else "",
    )
    customer = _sub(root, CAC, "AccountingCustomerParty")
    _party(customer, document.buyer, profile=profile, email=document.buyer.email, supplier=False)
    _payment_means(root, document)
    if document.due_date is not None and document.payment_term_days is not None and not credit:
        terms = _sub(root, CAC, "PaymentTerms")
        # BT-20 is the one payment-terms element EN 16931 and Peppol BIS 3 allow (UBL's
        # SettlementDiscountPercent is outside the core): the discount is said in words there,
        # as on the PDF.
        note = (
            f"{document.payment_term_days} dagen"
            if document.language == "nl"
            else f"{document.payment_term_days} days"
        )
        discount = rendering.discount_sentence(document)
        _sub(terms, CBC, "Note", f"{note}. {discount}" if discount else note)
    tax_total = _sub(root, CAC, "TaxTotal")
    _sub(tax_total, CBC, "TaxAmount", _cents(document.vat_total), currencyID=currency)
    for group in document.vat_groups:
        subtotal = _sub(tax_total, CAC, "TaxSubtotal")
        _sub(subtotal, CBC, "TaxableAmount", _cents(group.base), currencyID=currency)
        _sub(subtotal, CBC, "TaxAmount", _cents(group.amount), currencyID=currency)
        _tax_category_element(subtotal, "TaxCategory", group.rate)
    totals = _sub(root, CAC, "LegalMonetaryTotal")
    line_total = sum((line.net_amount for line in document.lines), Decimal("0.00"))
    _sub(totals, CBC, "LineExtensionAmount", _cents(line_total), currencyID=currency)
    _sub(totals, CBC, "TaxExclusiveAmount", _cents(document.subtotal), currencyID=currency)
    _sub(totals, CBC, "TaxInclusiveAmount", _cents(document.total), currencyID=currency)
    _sub(totals, CBC, "PayableAmount", _cents(document.total), currencyID=currency)
    for position, line in enumerate(document.lines, start=1):
        _line(root, line, position=position, currency=currency, credit=credit)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def file_name(number: str) -> str:
    """An invoice number made safe as a file name: F2026/001 → F2026-001."""
    return "".join(
        character if character.isalnum() or character in "-_." else "-" for character in number
    )


def _tax_category_element(parent, name: str, rate: Decimal) -> None:
    category = _sub(parent, CAC, name)
    _sub(category, CBC, "ID", _tax_category(rate))
    _sub(category, CBC, "Percent", _plain(rate))
    scheme = _sub(category, CAC, "TaxScheme")
    _sub(scheme, CBC, "ID", "VAT")


def _payment_means(root, document: InvoiceDocument) -> None:
    seller = document.seller
    notice = document.direct_debit
    if notice is not None:
        means = _sub(root, CAC, "PaymentMeans")
        _sub(means, CBC, "PaymentMeansCode", MEANS_DIRECT_DEBIT)
        if document.payment_reference:
            _sub(means, CBC, "PaymentID", document.payment_reference)
        mandate = _sub(means, CAC, "PaymentMandate")
        _sub(mandate, CBC, "ID", notice.mandate_reference)
        account = _sub(mandate, CAC, "PayerFinancialAccount")
        _sub(account, CBC, "ID", notice.debtor_iban)
        return
    if not seller.iban:
        return
    means = _sub(root, CAC, "PaymentMeans")
    _sub(means, CBC, "PaymentMeansCode", MEANS_CREDIT_TRANSFER)
    if document.payment_reference:
        _sub(means, CBC, "PaymentID", document.payment_reference)
    account = _sub(means, CAC, "PayeeFinancialAccount")
    _sub(account, CBC, "ID", seller.iban)
    _sub(account, CBC, "Name", seller.name)
    if seller.bic:
        branch = _sub(account, CAC, "FinancialInstitutionBranch")
        _sub(branch, CBC, "ID", seller.bic)


def _line(root, line, *, position: int, currency: str, credit: bool) -> None:
    element = _sub(root, CAC, "CreditNoteLine" if credit else "InvoiceLine")
    _sub(element, CBC, "ID", str(position))
    quantity, price = line.quantity, line.unit_price
    if price < 0:
        # UBL prices are never negative (BR-27); a discount line is a negative quantity.
        quantity, price = -quantity, -price
    _sub(
        element,
        CBC,
        "CreditedQuantity" if credit else "InvoicedQuantity",
        _plain(quantity),
        unitCode=unit_code(line.unit),
    )
    _sub(element, CBC, "LineExtensionAmount", _cents(line.net_amount), currencyID=currency)
    item = _sub(element, CAC, "Item")
    _sub(item, CBC, "Name", line.description[:200] or "-")
    _tax_category_element(item, "ClassifiedTaxCategory", line.vat_rate)
    price_element = _sub(element, CAC, "Price")
    _sub(price_element, CBC, "PriceAmount", _plain(price), currencyID=currency)

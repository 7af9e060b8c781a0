"""Invoices and letters from `content` values to PDF bytes and e-mail text.

Everything a reader sees is formatted here (dates written out, amounts in the customer's
language) and handed to the Typst templates as strings; the templates only lay them out.
"""

from __future__ import annotations

from decimal import Decimal

from tegoed.documents import payment_qr, pdf, wording
from tegoed.documents.content import InvoiceDocument, LetterDocument, Party

# Letter kinds that ask for a payment and so carry the transfer instruction and QR code.
_PAYING_KINDS = {
    "pre_due",
    "reminder",
    "formal_demand",
    "consumer_notice",
    "final_notice",
    "broken_promise",
    "arrangement",
    "statement",
}


def _contact(seller: Party) -> str:
    return seller.email or seller.phone or seller.website or seller.name


def _seller_lines(seller: Party) -> list[str]:
    lines = list(seller.address_lines)
    lines.extend(item for item in (seller.phone, seller.email, seller.website) if item)
    return lines


def _footer(seller: Party, language: str) -> list[str]:
    parts = [seller.name, *seller.address_lines]
    if seller.kvk_number:
        parts.append(f"{wording.label('kvk', language)} {seller.kvk_number}")
    if seller.vat_number:
        parts.append(f"{wording.label('vat_number', language)} {seller.vat_number}")
    if seller.iban:
        parts.append(f"IBAN {_grouped_iban(seller.iban)}")
    if seller.bic:
        parts.append(f"BIC {seller.bic}")
    return parts


def _grouped_iban(iban: str) -> str:
    return " ".join(iban[index : index + 4] for index in range(0, len(iban), 4))


def _recipient(party: Party) -> list[str]:
    return [party.name, *party.address_lines]


def _look(document) -> dict:
    look = document.look
    return {
        "primary_colour": look.primary_colour,
        "accent_colour": look.accent_colour,
        "logo_path": look.logo_path,
    }


def _labels(language: str) -> dict[str, str]:
    return dict(wording.LABELS[wording.language_of(language)])


# Invoices -----------------------------------------------------------------------------------


def invoice_texts(document: InvoiceDocument) -> dict[str, str | None]:
    """The sentences of an invoice in its language: due date, payment, late payment, closing."""
    language = document.language
    money = lambda value: wording.amount(value, document.currency, language)  # noqa: E731
    texts = document.texts
    seller = document.seller
    values = {
        "total": money(document.total),
        "iban": _grouped_iban(seller.iban),
        "bic": seller.bic,
        "creditor_name": seller.name,
        "customer_name": document.buyer.name,
        "reference": document.payment_reference or document.number,
        "contact": _contact(seller),
        "credited_number": document.credited_number,
    }
    result: dict[str, str | None] = {
        "due_sentence": None,
        "payment_term": None,
        "payment": None,
        "late_payment": None,
        "credit_note": None,
        "closing": None,
        "discount": None,
    }
    if document.is_credit_note:
        result["credit_note"] = wording.block("credit_note.note", language, texts, values)
    elif document.asks_no_payment:
        # No due date, no way to pay, no late-payment clause: it asks for no payment.
        valid_until = wording.long_date(document.due_date, language) if document.due_date else ""
        result["credit_note"] = wording.block(
            f"{document.kind}.note", language, texts, {**values, "valid_until": valid_until}
        )
        return result
    else:
        if document.due_date is not None:
            result["due_sentence"] = wording.block(
                "invoice.due_sentence",
                language,
                texts,
                {**values, "due_date": wording.long_date(document.due_date, language)},
            )
            result["payment_term"] = wording.block(
                "invoice.payment_term",
                language,
                texts,
                {"term_days": str(document.payment_term_days)},
            )
        result["discount"] = discount_sentence(document)
        if document.direct_debit is not None:
            notice = document.direct_debit
            result["payment"] = wording.block(
                "invoice.pay_by_direct_debit",
                language,
                texts,
                {
                    **values,
                    "collection_date": wording.long_date(notice.collection_date, language),
                    "debtor_iban": _grouped_iban(notice.debtor_iban),
                    "mandate_reference": notice.mandate_reference,
                    "creditor_id": notice.creditor_id,
                },
            )
        elif seller.iban:
            result["payment"] = wording.block("invoice.pay_by_transfer", language, texts, values)
        kind = (
            document.customer_kind
            if document.customer_kind
            in {
                "consumer",
                "business",
                "government",
            }
            else "business"
        )
        result["late_payment"] = wording.block(f"invoice.late_payment_{kind}", language, texts, {})
    # "Is something wrong with this invoice?" is for invoices; a credit note is the answer.
    if not document.is_credit_note:
        result["closing"] = wording.block("invoice.closing", language, texts, values)
    return result


def discount_sentence(document: InvoiceDocument) -> str | None:
    """The early-payment discount offered, with the amount to pay and the last day; printed on
    the invoice and carried in the e-invoice's payment terms."""
    offered = document.discount
    if offered is None or document.is_credit_note:
        return None
    language = document.language
    money = lambda value: wording.amount(value, document.currency, language)  # noqa: E731
    return wording.block(
        "invoice.discount",
        language,
        document.texts,
        {
            "percentage": wording.percentage(offered.percentage, language),
            "discount": money(offered.amount),
            "discounted_total": money(document.total - offered.amount),
            "discount_date": wording.long_date(offered.last_day, language),
            "total": money(document.total),
        },
    )


def invoice_qr(document: InvoiceDocument) -> str | None:
    """The payment QR as SVG, or None where paying by transfer is not what we ask."""
    if (
        document.is_credit_note
        or document.asks_no_payment
        or document.direct_debit is not None
        or not document.look.show_payment_qr
        or document.currency != "EUR"
        or not document.seller.iban
        or document.total <= 0
    ):
        return None
    return payment_qr.epc_qr_svg(
        name=document.seller.name,
        iban=document.seller.iban,
        bic=document.seller.bic,
        amount=document.total,
        reference=document.payment_reference,
        text=document.number,
    )


def _unit_price(value, currency: str, language: str) -> str:
    """Whole cents as money; a finer price (0,4125) with its own decimals."""
    if value == value.quantize(Decimal("0.01")):
        return wording.amount(value.quantize(Decimal("0.01")), currency, language)
    return wording.number(value, language, 4)


def invoice_payload(document: InvoiceDocument) -> dict:
    language = wording.language_of(document.language)
    label = lambda key: wording.label(key, language)  # noqa: E731
    money = lambda value: wording.amount(value, document.currency, language)  # noqa: E731
    texts = invoice_texts(document)
    kind = "credit_note" if document.is_credit_note else document.kind
    title = label(kind if kind in ("credit_note", "quote", "pro_forma") else "invoice")
    facts = [
        [
            label(f"{kind}_number" if kind != "invoice" else "invoice_number"),
            document.number,
        ],
        [
            label(
                "date"
                if document.is_credit_note
                else "document_date"
                if document.asks_no_payment
                else "issue_date"
            ),
            wording.long_date(document.issue_date, language),
        ],
    ]
    if document.due_date is not None and document.kind == "quote":
        facts.append([label("valid_until"), wording.long_date(document.due_date, language)])
    elif (
        document.due_date is not None and not document.is_credit_note and document.kind == "invoice"
    ):
        facts.append([label("due_date"), wording.long_date(document.due_date, language)])
    if document.customer_number:
        facts.append([label("customer_number"), document.customer_number])
    if document.customer_reference:
        facts.append([label("your_reference"), document.customer_reference])
    if document.payment_reference and not document.is_credit_note:
        facts.append([label("payment_reference"), document.payment_reference])
    if document.credited_number:
        facts.append([label("credits_invoice"), document.credited_number])
    if document.buyer.vat_number:
        facts.append([label("your_vat_number"), document.buyer.vat_number])
    lines = [
        [
            line.description + (f" ({line.unit})" if line.unit else ""),
            wording.quantity(line.quantity, language),
            _unit_price(line.unit_price, document.currency, language),
            f"{wording.percentage(line.vat_rate, language)}%",
            money(line.net_amount),
        ]
        for line in document.lines
    ]
    totals = [[label("subtotal"), money(document.subtotal)]]
    for group in document.vat_groups:
        totals.append(
            [
                label("vat_over").format(
                    rate=wording.percentage(group.rate, language), base=money(group.base)
                ),
                money(group.amount),
            ]
        )
    totals.append(
        [
            label(
                "total_credit"
                if document.is_credit_note
                else "total_amount"
                if document.asks_no_payment
                else "total"
            ),
            money(document.total),
        ]
    )
    payment_lines = [text for text in (texts["payment"], texts["discount"]) if text]
    notes = [
        text for text in (texts["credit_note"], texts["late_payment"], texts["closing"]) if text
    ]
    if document.description:
        notes.insert(0, document.description)
    return {
        "title": title,
        "language": language,
        "look": _look(document),
        "labels": _labels(language),
        "seller": {"name": document.seller.name, "lines": _seller_lines(document.seller)},
        "recipient": _recipient(document.buyer),
        "footer": _footer(document.seller, language),
        "facts": facts,
        "line_header": [
            label("description"),
            label("quantity"),
            label("unit_price"),
            label("vat"),
            label("amount"),
        ],
        "lines": lines,
        "totals": totals,
        "due_sentence": texts["due_sentence"],
        "payment_term": texts["payment_term"] or "",
        "payment_lines": payment_lines,
        "qr": invoice_qr(document),
        "notes": notes,
    }


def render_invoice(document: InvoiceDocument) -> bytes:
    return pdf.render("invoice", invoice_payload(document))


# Letters ------------------------------------------------------------------------------------


def _block_prefix(document: LetterDocument) -> str:
    return wording.block_prefix(document.kind, document.level)


def _letter_values(document: LetterDocument) -> dict[str, str]:
    language = document.language
    return {
        "customer_name": document.debtor_party.name,
        "creditor_name": document.seller.name,
        "total_due": wording.amount(document.total_due, document.currency, language),
        "pay_by": wording.long_date(document.pay_by, language) if document.pay_by else "",
        "iban": _grouped_iban(document.seller.iban),
        "reference": document.payment_reference
        or ", ".join(claim.number for claim in document.claims)
        or document.customer_number,
        "letter_date": wording.long_date(document.letter_date, language),
        "contact": document.contact or _contact(document.seller),
        "signatory": document.look.signatory,
    }


def letter_subject(document: LetterDocument) -> str:
    prefix = _block_prefix(document)
    return wording.block(
        f"{prefix}.subject", document.language, document.texts, _letter_values(document)
    )


def letter_paragraphs(document: LetterDocument) -> list[str]:
    """The letter's own text: the (editable) body, then any statutory paragraphs."""
    language = document.language
    values = _letter_values(document)
    body = wording.block(f"{_block_prefix(document)}.body", language, document.texts, values)
    paragraphs = [part.strip() for part in body.split("\n\n") if part.strip()]
    if document.kind == "consumer_notice":
        money = lambda value: wording.amount(value, document.currency, language)  # noqa: E731
        statutory_values = {
            **values,
            "principal": money(document.principal + document.interest),
            "collection_costs": money(document.collection_costs + document.collection_costs_vat),
            "vat_rate": wording.percentage(document.collection_costs_vat_rate, language),
            "vat_amount": money(document.collection_costs_vat),
        }
        paragraphs.append(wording.statutory("consumer_notice.term", language, statutory_values))
        paragraphs.append(
            wording.statutory("consumer_notice.consequences", language, statutory_values)
        )
        if document.collection_costs_vat > 0:
            paragraphs.append(
                wording.statutory("consumer_notice.costs_vat", language, statutory_values)
            )
    return paragraphs


def letter_closing(document: LetterDocument) -> list[str]:
    values = _letter_values(document)
    if not values["signatory"]:
        values["signatory"] = {"nl": "Afdeling debiteurenbeheer", "en": "Credit control"}[
            wording.language_of(document.language)
        ]
    text = wording.block("letter.closing", document.language, document.texts, values)
    return [line for line in text.split("\n") if line.strip()]


def _claims_table(document: LetterDocument) -> tuple[dict, list[list[str]]]:
    language = document.language
    label = lambda key: wording.label(key, language)  # noqa: E731
    money = lambda value: wording.amount(value, document.currency, language)  # noqa: E731
    show_interest = any(claim.interest for claim in document.claims)
    header = [
        label("number"),
        label("issue_date"),
        label("due_date"),
        label("original"),
        label("open"),
    ]
    if show_interest:
        header.append(label("interest"))
    rows = []
    for claim in document.claims:
        row = [
            claim.number,
            wording.short_date(claim.issue_date, language),
            wording.short_date(claim.due_date, language) if claim.due_date else "",
            money(-claim.total if claim.is_credit_note else claim.total),
            money(claim.open_amount),
        ]
        if show_interest:
            row.append(money(claim.interest))
        rows.append(row)
    for credit in document.credits:
        row = [
            credit.description,
            wording.short_date(credit.on, language),
            "",
            "",
            money(-credit.amount),
        ]
        rows.append([*row, ""] if show_interest else row)
    totals = [[label("principal"), money(document.principal)]]
    if document.interest:
        totals.append([label("interest"), money(document.interest)])
    if document.costs_due_now and document.collection_costs:
        totals.append([label("costs"), money(document.collection_costs)])
    if document.costs_due_now and document.collection_costs_vat:
        totals.append([label("costs_vat"), money(document.collection_costs_vat)])
    if document.credit:
        totals.append([label("credit"), money(-document.credit)])
    totals.append(
        [label("total_due" if document.costs_due_now else "to_pay"), money(document.total_due)]
    )
    columns = ["1fr", "auto", "auto", "auto", "auto"] + (["auto"] if show_interest else [])
    right = [3, 4, 5] if show_interest else [3, 4]
    return {"columns": columns, "header": header, "rows": rows, "right": right}, totals


def _sections(document: LetterDocument) -> list[dict]:
    language = document.language
    label = lambda key: wording.label(key, language)  # noqa: E731
    money = lambda value: wording.amount(value, document.currency, language)  # noqa: E731
    sections = []
    if document.interest_periods:
        sections.append(
            {
                "title": label("interest_computation"),
                "columns": ["1fr", "auto", "auto", "auto", "auto", "auto"],
                "header": [
                    label("number"),
                    label("period"),
                    label("days"),
                    label("principal"),
                    label("rate"),
                    label("interest"),
                ],
                "rows": [
                    [
                        period.invoice_number,
                        wording.short_date(period.start, language)
                        + " – "
                        + wording.short_date(period.end, language),
                        str(period.days),
                        money(period.principal),
                        wording.percentage(period.rate, language),
                        money(period.amount),
                    ]
                    for period in document.interest_periods
                ],
                "right": [2, 3, 4, 5],
                "notes": list(document.interest_notes),
            }
        )
    if document.cost_steps:
        sections.append(
            {
                "title": label("costs_computation" if document.costs_due_now else "costs_if_late"),
                "columns": ["1fr", "auto"],
                "header": [label("description"), label("amount")],
                "rows": [[step.description, money(step.amount)] for step in document.cost_steps],
                "right": [1],
                "notes": [],
            }
        )
    if document.instalments:
        sections.append(
            {
                "title": label("instalments"),
                "columns": ["auto", "1fr", "auto"],
                "header": [label("instalment"), label("due_date"), label("amount")],
                "rows": [
                    [
                        str(item.number),
                        wording.long_date(item.due_date, language),
                        money(item.amount),
                    ]
                    for item in document.instalments
                ],
                "right": [2],
                "notes": [],
            }
        )
    if document.history:
        sections.append(
            {
                "title": label("history"),
                "columns": ["auto", "1fr"],
                "header": [label("date"), label("description")],
                "rows": [
                    [wording.short_date(item.on, language), item.description]
                    for item in document.history
                ],
                "right": [],
                "notes": [],
            }
        )
    return sections


def letter_qr(document: LetterDocument) -> str | None:
    if (
        document.kind not in _PAYING_KINDS
        or document.kind == "arrangement"
        or not document.look.show_payment_qr
        or document.currency != "EUR"
        or not document.seller.iban
        or document.total_due <= 0
    ):
        return None
    return payment_qr.epc_qr_svg(
        name=document.seller.name,
        iban=document.seller.iban,
        bic=document.seller.bic,
        amount=document.total_due,
        reference=document.payment_reference,
        text=" ".join(claim.number for claim in document.claims)[:140] or document.customer_number,
    )


def letter_payload(document: LetterDocument) -> dict:
    language = wording.language_of(document.language)
    label = lambda key: wording.label(key, language)  # noqa: E731
    values = _letter_values(document)
    facts = [[label("date"), values["letter_date"]]]
    if document.customer_number:
        facts.append([label("customer_number"), document.customer_number])
    if document.payment_reference:
        facts.append([label("payment_reference"), document.payment_reference])
    if document.kind == "handover":
        debtor = document.debtor_party
        facts[1:1] = [[label("debtor"), debtor.name]] + [
            ["", line] for line in debtor.address_lines
        ]
        facts += [
            [label(key), value]
            for key, value in (("kvk", debtor.kvk_number), ("vat_number", debtor.vat_number))
            if value
        ]
        facts.append([label("customer_kind"), label(f"kind_{document.customer_kind}")])
    claims, totals = _claims_table(document)
    paragraphs = letter_paragraphs(document)
    qr = letter_qr(document)
    payment_lines = []
    if qr is not None:
        payment_lines.append(
            wording.block(
                "invoice.pay_by_transfer",
                language,
                document.texts,
                {
                    "total": values["total_due"],
                    "iban": values["iban"],
                    "bic": document.seller.bic,
                    "creditor_name": document.seller.name,
                    "reference": values["reference"],
                },
            )
        )
    recipient = _recipient(document.recipient) if document.recipient.name else []
    salutation = (
        None
        if document.kind == "handover"
        else wording.block("letter.salutation", language, document.texts, values)
    )
    return {
        "title": letter_subject(document),
        "language": language,
        "look": _look(document),
        "labels": _labels(language),
        "seller": {"name": document.seller.name, "lines": _seller_lines(document.seller)},
        "recipient": recipient,
        "footer": _footer(document.seller, language),
        "facts": facts,
        "subject": letter_subject(document),
        "salutation": salutation,
        "opening": paragraphs,
        "claims": claims,
        "totals": totals,
        "sections": _sections(document),
        "payment_lines": payment_lines,
        "qr": qr,
        "signature_box": document.kind == "arrangement",
        "closing": letter_closing(document),
    }


def render_letter(document: LetterDocument) -> bytes:
    return pdf.render("letter", letter_payload(document))


def letter_email(document: LetterDocument) -> tuple[str, str]:
    """The subject and plain-text body of the e-mail that carries the letter as PDF."""
    language = wording.language_of(document.language)
    label = lambda key: wording.label(key, language)  # noqa: E731
    money = lambda value: wording.amount(value, document.currency, language)  # noqa: E731
    values = _letter_values(document)
    lines: list[str] = []
    if document.kind != "handover":
        lines += [wording.block("letter.salutation", language, document.texts, values), ""]
    for paragraph in letter_paragraphs(document):
        lines += [paragraph, ""]
    if document.claims:
        for claim in document.claims:
            due = wording.long_date(claim.due_date, language) if claim.due_date else ""
            lines.append(
                f"- {claim.number} ({label('due_date').lower()} {due}): {money(claim.open_amount)}"
            )
        if document.interest:
            lines.append(f"  {label('interest')}: {money(document.interest)}")
        if document.collection_costs:
            lines.append(f"  {label('costs')}: {money(document.collection_costs)}")
        if document.collection_costs_vat:
            lines.append(f"  {label('costs_vat')}: {money(document.collection_costs_vat)}")
        for credit in document.credits:
            on = wording.long_date(credit.on, language)
            lines.append(f"- {credit.description} ({on}): {money(-credit.amount)}")
        lines += [f"  {label('total_due')}: {values['total_due']}", ""]
    for item in document.instalments:
        lines.append(
            f"- {label('instalment')} {item.number}: "
            f"{wording.long_date(item.due_date, language)}, {money(item.amount)}"
        )
    if document.instalments:
        lines.append("")
    lines += letter_closing(document)
    return letter_subject(document), "\n".join(lines).strip() + "\n"

"""The words on invoices and letters, in Dutch and English, and how values are written in them.

Document text is data rather than a gettext catalogue (docs/decisions/0301-document-wording.md):
an organization rewrites a block for its own customers, the language is the customer's and not
the reader of the screen, and a catalogue update must not silently change a letter's legal
meaning. The tone escalates from the friendly first reminder to the formal demand.

Blocks may name values in braces, `{due_date}`; only the names listed for a block are allowed,
so an edited block cannot leak anything else. The statutory paragraphs of the consumer
14-day letter (art. 6:96 lid 6 BW; legal.md §3.3) are in `STATUTORY` and cannot be edited.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import lru_cache

from babel.core import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from django.utils.translation import gettext_lazy as _

from tegoed.domain.errors import DomainError

LANGUAGES = ("nl", "en")
# Parsed once: Babel would parse the locale name again for every amount and date it formats.
_BABEL_LOCALE = {"nl": Locale.parse("nl_NL"), "en": Locale.parse("en_GB")}
_PLACEHOLDER = re.compile(r"\{(\w*)\}")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

_LETTER_VALUES = (
    "customer_name",
    "creditor_name",
    "total_due",
    "pay_by",
    "iban",
    "reference",
    "letter_date",
    "contact",
)
_INVOICE_VALUES = ("creditor_name", "customer_name", "contact")

# key → (what the block is, for the settings page; the values it may name)
BLOCKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "invoice.due_sentence": (_("Invoice: the due-date sentence"), ("due_date", "total")),
    "invoice.payment_term": (_("Invoice: payment term"), ("term_days",)),
    "invoice.pay_by_transfer": (
        _("Invoice: how to pay by bank transfer"),
        ("total", "iban", "bic", "creditor_name", "reference"),
    ),
    "invoice.pay_by_direct_debit": (
        _("Invoice: the direct-debit notice"),
        ("total", "collection_date", "debtor_iban", "mandate_reference", "creditor_id"),
    ),
    "invoice.discount": (
        _("Invoice: early-payment discount"),
        ("percentage", "discount", "discounted_total", "discount_date", "total"),
    ),
    "invoice.late_payment_business": (_("Invoice: late payment, business customer"), ()),
    "invoice.late_payment_government": (_("Invoice: late payment, government customer"), ()),
    "invoice.late_payment_consumer": (_("Invoice: late payment, consumer"), ()),
    "invoice.closing": (_("Invoice: closing line"), _INVOICE_VALUES),
    "credit_note.note": (_("Credit note: what happens with the amount"), ("credited_number",)),
    "quote.note": (_("Quote: what it is and how long it is valid"), ("valid_until", "contact")),
    "pro_forma.note": (_("Pro forma invoice: that it is not an invoice"), ("contact",)),
    "letter.salutation": (_("Letters: salutation"), ("customer_name",)),
    "letter.closing": (_("Letters: closing"), ("creditor_name", "signatory")),
    "pre_due.subject": (_("Nudge before the due date: subject"), _LETTER_VALUES),
    "pre_due.body": (_("Nudge before the due date: text"), _LETTER_VALUES),
    "reminder_1.subject": (_("First reminder: subject"), _LETTER_VALUES),
    "reminder_1.body": (_("First reminder: text"), _LETTER_VALUES),
    "reminder_2.subject": (_("Second reminder: subject"), _LETTER_VALUES),
    "reminder_2.body": (_("Second reminder: text"), _LETTER_VALUES),
    "reminder_3.subject": (_("Third reminder: subject"), _LETTER_VALUES),
    "reminder_3.body": (_("Third reminder: text"), _LETTER_VALUES),
    "formal_demand.subject": (_("Formal demand: subject"), _LETTER_VALUES),
    "formal_demand.body": (_("Formal demand: text"), _LETTER_VALUES),
    "consumer_notice.subject": (_("Consumer 14-day letter: subject"), _LETTER_VALUES),
    "consumer_notice.body": (_("Consumer 14-day letter: opening"), _LETTER_VALUES),
    "final_notice.subject": (_("Final notice: subject"), _LETTER_VALUES),
    "final_notice.body": (_("Final notice: text"), _LETTER_VALUES),
    "broken_promise.subject": (_("Broken promise: subject"), _LETTER_VALUES),
    "broken_promise.body": (_("Broken promise: text"), _LETTER_VALUES),
    "thank_you.subject": (_("Thanks for paying early: subject"), _LETTER_VALUES),
    "thank_you.body": (_("Thanks for paying early: text"), _LETTER_VALUES),
    "arrangement.subject": (_("Payment arrangement: subject"), _LETTER_VALUES),
    "arrangement.body": (_("Payment arrangement: text"), _LETTER_VALUES),
    "statement.subject": (_("Statement of account: subject"), _LETTER_VALUES),
    "statement.body": (_("Statement of account: text"), _LETTER_VALUES),
    "handover.subject": (_("Hand-over dossier: title"), _LETTER_VALUES),
    "handover.body": (_("Hand-over dossier: text"), _LETTER_VALUES),
}
BLOCK_CHOICES = [(key, label) for key, (label, _values) in BLOCKS.items()]

DEFAULTS: dict[str, dict[str, str]] = {
    "nl": {
        "invoice.due_sentence": ("De betaling dient vóór {due_date} bij ons te zijn ontvangen."),
        "invoice.payment_term": "Betalingstermijn: {term_days} dagen na factuurdatum.",
        "invoice.pay_by_transfer": (
            "Maak {total} over naar {iban} ten name van {creditor_name}, onder vermelding van "
            "{reference}. Met de QR-code betaalt u direct vanuit uw bankapp."
        ),
        "invoice.pay_by_direct_debit": (
            "U hoeft niets te doen: wij schrijven {total} op {collection_date} automatisch af van "
            "rekening {debtor_iban}, op grond van machtiging {mandate_reference} "
            "(incassant-ID {creditor_id})."
        ),
        "invoice.discount": (
            "Betaalt u uiterlijk op {discount_date}, dan mag u {percentage}% betalingskorting "
            "({discount}) aftrekken en betaalt u {discounted_total} in plaats van {total}."
        ),
        "invoice.late_payment_business": (
            "Bij betaling na de vervaldatum bent u zonder nadere ingebrekestelling de wettelijke "
            "handelsrente (art. 6:119a BW) verschuldigd vanaf de dag na de vervaldatum, en een "
            "vergoeding voor incassokosten van ten minste € 40 (art. 6:96 lid 4 BW)."
        ),
        "invoice.late_payment_government": (
            "Bij betaling na de vervaldatum is de wettelijke handelsrente (art. 6:119b BW) "
            "verschuldigd vanaf de dag na de vervaldatum, en een vergoeding voor incassokosten "
            "van ten minste € 40 (art. 6:96 lid 4 BW)."
        ),
        "invoice.late_payment_consumer": (
            "Betaalt u niet op tijd, dan sturen wij u eerst een kosteloze herinnering. Blijft "
            "betaling daarna uit, dan kunnen wij, na een laatste termijn van veertien dagen, de "
            "wettelijke rente (art. 6:119 BW) en incassokosten volgens het Besluit vergoeding "
            "voor buitengerechtelijke incassokosten in rekening brengen."
        ),
        "invoice.closing": (
            "Klopt er iets niet op deze factuur? Laat het ons binnen acht dagen weten via "
            "{contact}, dan lossen wij het snel op."
        ),
        "quote.note": (
            "Deze offerte is geldig tot en met {valid_until}. Gaat u akkoord, laat het ons weten "
            "via {contact}; u ontvangt daarna de factuur. Dit is geen betalingsverzoek."
        ),
        "pro_forma.note": (
            "Dit is een pro-formafactuur, geen factuur: u hoeft er niets op te betalen en kunt de "
            "btw erop niet aftrekken. De factuur volgt. Vragen? Mail {contact}."
        ),
        "credit_note.note": (
            "Deze creditnota corrigeert factuur {credited_number}. Wij verrekenen het bedrag met "
            "uw openstaande facturen, of betalen het aan u terug als er niets openstaat."
        ),
        "letter.salutation": "Geachte heer, mevrouw,",
        "letter.closing": "Met vriendelijke groet,\n{creditor_name}\n{signatory}",
        "pre_due.subject": "Binnenkort te betalen",
        "pre_due.body": (
            "Een korte vriendelijke mededeling: de onderstaande factuur vervalt binnenkort. Wilt "
            "u {total_due} uiterlijk op {pay_by} overmaken naar {iban}, onder vermelding van "
            "{reference}? Is de betaling al onderweg, dan hoeft u niets te doen.\n\n"
            "Heeft u een vraag over de factuur, laat het ons weten via {contact}."
        ),
        "reminder_1.subject": "Herinnering: openstaande factuur",
        "reminder_1.body": (
            "Misschien is het aan uw aandacht ontsnapt: volgens onze administratie staat het "
            "onderstaande bedrag nog open. Een kopie van de factuur sturen wij mee.\n\n"
            "Wilt u {total_due} uiterlijk op {pay_by} overmaken naar {iban}, onder vermelding "
            "van {reference}? Heeft u inmiddels betaald, dan kunt u deze herinnering als niet "
            "verzonden beschouwen. Is er iets mis met de factuur, laat het ons dan weten via "
            "{contact}."
        ),
        "reminder_2.subject": "Tweede herinnering: betaling nog niet ontvangen",
        "reminder_2.body": (
            "Op onze eerdere herinnering hebben wij nog geen betaling van u ontvangen. Het "
            "onderstaande bedrag is inmiddels ruim vervallen.\n\n"
            "Wij verzoeken u {total_due} uiterlijk op {pay_by} over te maken naar {iban}, onder "
            "vermelding van {reference}. Kunt u niet in één keer betalen, neem dan vóór die "
            "datum contact met ons op via {contact}; samen zoeken wij naar een oplossing."
        ),
        "reminder_3.subject": "Laatste herinnering",
        "reminder_3.body": (
            "Ondanks twee herinneringen staat het onderstaande bedrag nog altijd open. Dit is "
            "onze laatste herinnering.\n\n"
            "Wij verzoeken u dringend {total_due} uiterlijk op {pay_by} te betalen op {iban}, "
            "onder vermelding van {reference}. Ontvangen wij uw betaling niet op tijd, dan "
            "zullen wij verdere maatregelen nemen. De kosten daarvan komen voor uw rekening."
        ),
        "formal_demand.subject": "Ingebrekestelling",
        "formal_demand.body": (
            "Ondanks herhaalde verzoeken heeft u de onderstaande facturen niet betaald. Hierbij "
            "stellen wij u in gebreke en sommeren wij u het totaal van {total_due} uiterlijk op "
            "{pay_by} te voldoen op {iban}, onder vermelding van {reference}.\n\n"
            "Betaalt u niet binnen deze termijn, dan dragen wij de vordering zonder nadere "
            "aankondiging over aan een incassobureau of gerechtsdeurwaarder. De rente en kosten "
            "lopen tot de dag van volledige betaling door."
        ),
        "consumer_notice.subject": "Aanmaning: betaling binnen veertien dagen",
        "consumer_notice.body": (
            "Volgens onze administratie heeft u de onderstaande facturen nog niet betaald, hoewel "
            "de betalingstermijn is verstreken. Hieronder leest u wat u nog moet betalen en wat "
            "er gebeurt als betaling uitblijft."
        ),
        "final_notice.subject": "Laatste sommatie",
        "final_notice.body": (
            "Op onze ingebrekestelling heeft u niet gereageerd en de onderstaande vordering is "
            "nog altijd niet voldaan. Wij sommeren u het totaal van {total_due}, inclusief rente "
            "en incassokosten, uiterlijk op {pay_by} te betalen op {iban}, onder vermelding van "
            "{reference}.\n\n"
            "Is het bedrag dan niet op onze rekening bijgeschreven, dan dragen wij de vordering "
            "over aan een incassobureau of gerechtsdeurwaarder. De kosten daarvan komen voor uw "
            "rekening. Wilt u een betalingsregeling voorstellen, neem dan vóór die datum contact "
            "met ons op via {contact}."
        ),
        "broken_promise.subject": "Uw toegezegde betaling is niet ontvangen",
        "broken_promise.body": (
            "U heeft ons toegezegd het onderstaande bedrag te betalen, maar wij hebben uw "
            "betaling niet op de afgesproken dag ontvangen.\n\n"
            "Wilt u {total_due} alsnog uiterlijk op {pay_by} overmaken naar {iban}, onder "
            "vermelding van {reference}? Lukt dat niet, neem dan direct contact met ons op via "
            "{contact}."
        ),
        "thank_you.subject": "Dank voor uw snelle betaling",
        "thank_you.body": (
            "Wij hebben uw betaling van de onderstaande factuur ruim op tijd ontvangen. Hartelijk "
            "dank daarvoor: zo houden wij het voor beide kanten eenvoudig."
        ),
        "arrangement.subject": "Bevestiging van uw betalingsregeling",
        "arrangement.body": (
            "Hierbij bevestigen wij de betalingsregeling die wij met u hebben afgesproken. U "
            "erkent daarmee dat u ons {total_due} verschuldigd bent. U betaalt dit bedrag in de "
            "termijnen hieronder op {iban}, steeds onder vermelding van {reference}.\n\n"
            "Zolang u de termijnen op tijd betaalt, nemen wij geen verdere maatregelen. Betaalt "
            "u een termijn niet op tijd, dan vervalt de regeling en is het dan openstaande bedrag "
            "direct in zijn geheel opeisbaar."
        ),
        "statement.subject": "Rekeningoverzicht",
        "statement.body": (
            "Hieronder vindt u een overzicht van uw openstaande posten op {letter_date}. Heeft u "
            "vragen over een post, neem dan contact met ons op via {contact}."
        ),
        "handover.subject": "Overdracht ter incasso",
        "handover.body": (
            "Wij dragen de onderstaande vordering op {customer_name} aan u over ter incasso. De "
            "facturen, herinneringen en correspondentie zijn bijgevoegd."
        ),
    },
    "en": {
        "invoice.due_sentence": "Payment must reach us before {due_date}.",
        "invoice.payment_term": "Payment term: {term_days} days from the invoice date.",
        "invoice.pay_by_transfer": (
            "Please transfer {total} to {iban} in the name of {creditor_name}, quoting "
            "{reference}. You can also scan the QR code with your banking app."
        ),
        "invoice.pay_by_direct_debit": (
            "No action is needed: we will collect {total} from account {debtor_iban} on "
            "{collection_date}, under mandate {mandate_reference} (creditor ID {creditor_id})."
        ),
        "invoice.discount": (
            "If you pay by {discount_date} at the latest, you may deduct a {percentage}% "
            "early-payment discount ({discount}) and pay {discounted_total} instead of {total}."
        ),
        "invoice.late_payment_business": (
            "If payment is late, statutory commercial interest (art. 6:119a Dutch Civil Code) is "
            "due without further notice from the day after the due date, together with "
            "compensation for recovery costs of at least €40 (art. 6:96(4) Dutch Civil Code)."
        ),
        "invoice.late_payment_government": (
            "If payment is late, statutory commercial interest (art. 6:119b Dutch Civil Code) is "
            "due from the day after the due date, together with compensation for recovery costs "
            "of at least €40 (art. 6:96(4) Dutch Civil Code)."
        ),
        "invoice.late_payment_consumer": (
            "If you do not pay on time, we will first send you a free reminder. If payment is "
            "still not made, we may, after a final term of fourteen days, charge statutory "
            "interest (art. 6:119 Dutch Civil Code) and collection costs under the Dutch Decree "
            "on extrajudicial collection costs."
        ),
        "invoice.closing": (
            "Is anything wrong on this invoice? Let us know within eight days at {contact} and "
            "we will put it right quickly."
        ),
        "quote.note": (
            "This quote is valid until {valid_until}. If you agree, let us know at {contact}; "
            "the invoice follows. This is not a request for payment."
        ),
        "pro_forma.note": (
            "This is a pro forma invoice, not an invoice: nothing needs to be paid on it and its "
            "VAT cannot be deducted. The invoice follows. Questions? Write to {contact}."
        ),
        "credit_note.note": (
            "This credit note corrects invoice {credited_number}. We will set the amount off "
            "against your open invoices, or refund it if nothing is open."
        ),
        "letter.salutation": "Dear Sir or Madam,",
        "letter.closing": "Kind regards,\n{creditor_name}\n{signatory}",
        "reminder_1.subject": "Reminder: invoice outstanding",
        "reminder_1.body": (
            "Perhaps it slipped your attention: according to our records the amount below is "
            "still outstanding. A copy of the invoice is enclosed.\n\n"
            "Would you please transfer {total_due} to {iban} no later than {pay_by}, quoting "
            "{reference}? If you have paid in the meantime, please disregard this reminder. If "
            "something is wrong with the invoice, let us know at {contact}."
        ),
        "pre_due.subject": "Payment due soon",
        "pre_due.body": (
            "A short, friendly note: the invoice below falls due soon. Would you transfer "
            "{total_due} to {iban} no later than {pay_by}, quoting {reference}? If the payment "
            "is already on its way, there is nothing you need to do.\n\n"
            "If you have a question about the invoice, let us know at {contact}."
        ),
        "reminder_2.subject": "Second reminder: payment not yet received",
        "reminder_2.body": (
            "We have not yet received your payment after our earlier reminder. The amount below "
            "is now well overdue.\n\n"
            "We ask you to transfer {total_due} to {iban} no later than {pay_by}, quoting "
            "{reference}. If you cannot pay in full at once, contact us before that date at "
            "{contact} and we will look for a solution together."
        ),
        "reminder_3.subject": "Final reminder",
        "reminder_3.body": (
            "Despite two reminders, the amount below is still outstanding. This is our final "
            "reminder.\n\n"
            "We urge you to pay {total_due} to {iban} no later than {pay_by}, quoting "
            "{reference}. If we do not receive your payment on time, we will take further "
            "steps, at your expense."
        ),
        "formal_demand.subject": "Formal notice of default",
        "formal_demand.body": (
            "Despite repeated requests you have not paid the invoices below. We hereby give you "
            "formal notice of default and demand payment of the total of {total_due} to {iban} "
            "no later than {pay_by}, quoting {reference}.\n\n"
            "If you do not pay within this term, we will hand the claim over to a collection "
            "agency or bailiff without further notice. Interest and costs continue to run until "
            "the day of payment in full."
        ),
        "consumer_notice.subject": "Demand for payment within fourteen days",
        "consumer_notice.body": (
            "According to our records you have not yet paid the invoices below, although the "
            "payment term has passed. Below you can read what you still owe and what happens if "
            "payment is not made."
        ),
        "final_notice.subject": "Final demand",
        "final_notice.body": (
            "You have not responded to our notice of default, and the claim below is still "
            "unpaid. We demand payment of the total of {total_due}, including interest and "
            "collection costs, to {iban} no later than {pay_by}, quoting {reference}.\n\n"
            "If the amount has not reached our account by then, we will hand the claim over to a "
            "collection agency or bailiff, at your expense. If you wish to propose a payment "
            "arrangement, contact us before that date at {contact}."
        ),
        "broken_promise.subject": "Your promised payment has not arrived",
        "broken_promise.body": (
            "You promised to pay the amount below, but we did not receive your payment on the "
            "agreed day.\n\n"
            "Please transfer {total_due} to {iban} no later than {pay_by}, quoting {reference}. "
            "If that is not possible, contact us at once at {contact}."
        ),
        "thank_you.subject": "Thank you for paying early",
        "thank_you.body": (
            "We received your payment of the invoice below well before it was due. Thank you: "
            "it keeps things simple for both of us."
        ),
        "arrangement.subject": "Confirmation of your payment arrangement",
        "arrangement.body": (
            "We hereby confirm the payment arrangement we agreed with you. You thereby "
            "acknowledge that you owe us {total_due}. You will pay this amount in the "
            "instalments below to {iban}, each time quoting {reference}.\n\n"
            "As long as you pay the instalments on time, we will take no further steps. If an "
            "instalment is not paid on time, the arrangement ends and the amount then "
            "outstanding becomes due in full at once."
        ),
        "statement.subject": "Statement of account",
        "statement.body": (
            "Below is an overview of your open items on {letter_date}. If you have a question "
            "about an item, please contact us at {contact}."
        ),
        "handover.subject": "Hand-over for collection",
        "handover.body": (
            "We hand over the claim below on {customer_name} to you for collection. The "
            "invoices, reminders and correspondence are enclosed."
        ),
    },
}

# Fixed wording: the statutory content of the consumer 14-day letter (art. 6:96 lid 6 BW).
# The term runs from the day after *receipt* (HR 25-11-2016, ECLI:NL:HR:2016:2704); wording
# that counts from the letter's date is invalid, so this text is not an editable block.
STATUTORY: dict[str, dict[str, str]] = {
    "nl": {
        "consumer_notice.term": (
            "Wij verzoeken u het openstaande bedrag van {principal} te betalen binnen veertien "
            "dagen vanaf de dag nadat deze brief bij u is bezorgd, op {iban} onder vermelding "
            "van {reference}."
        ),
        "consumer_notice.consequences": (
            "Betaalt u niet binnen deze termijn, dan bent u naast dit bedrag buitengerechtelijke "
            "incassokosten verschuldigd van {collection_costs}, berekend volgens het Besluit "
            "vergoeding voor buitengerechtelijke incassokosten, en de wettelijke rente over de "
            "hoofdsom (art. 6:119 BW)."
        ),
        "consumer_notice.costs_vat": (
            "Wij kunnen de btw over deze incassokosten niet verrekenen; daarom is het bedrag "
            "verhoogd met {vat_rate}% btw ({vat_amount})."
        ),
    },
    "en": {
        "consumer_notice.term": (
            "We ask you to pay the outstanding amount of {principal} within fourteen days from "
            "the day after this letter has been delivered to you, to {iban} quoting {reference}."
        ),
        "consumer_notice.consequences": (
            "If you do not pay within this term, you will owe, in addition to this amount, "
            "extrajudicial collection costs of {collection_costs}, calculated under the Dutch "
            "Decree on extrajudicial collection costs, and statutory interest on the principal "
            "(art. 6:119 Dutch Civil Code)."
        ),
        "consumer_notice.costs_vat": (
            "We cannot recover the VAT on these collection costs; the amount has therefore been "
            "increased by {vat_rate}% VAT ({vat_amount})."
        ),
    },
}

# Labels printed on documents (not editable; they name facts, they carry no tone).
LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "invoice": "Factuur",
        "credit_note": "Creditnota",
        "invoice_number": "Factuurnummer",
        "quote": "Offerte",
        "quote_number": "Offertenummer",
        "pro_forma": "Pro-formafactuur",
        "pro_forma_number": "Pro-formanummer",
        "valid_until": "Geldig tot en met",
        "document_date": "Datum",
        "credit_note_number": "Creditnotanummer",
        "issue_date": "Factuurdatum",
        "due_date": "Vervaldatum",
        "customer_number": "Klantnummer",
        "your_reference": "Uw referentie",
        "payment_reference": "Betalingskenmerk",
        "credits_invoice": "Corrigeert factuur",
        "description": "Omschrijving",
        "quantity": "Aantal",
        "unit_price": "Prijs",
        "vat": "Btw",
        "amount": "Bedrag",
        "subtotal": "Totaal excl. btw",
        "vat_over": "Btw {rate}% over {base}",
        "total": "Totaal te betalen",
        "total_credit": "Totaal te crediteren",
        "total_amount": "Totaal",
        "pay_with_app": "Scan en betaal",
        "kvk": "KvK",
        "vat_number": "Btw-nr.",
        "your_vat_number": "Uw btw-nummer",
        "iban": "IBAN",
        "bic": "BIC",
        "date": "Datum",
        "subject": "Betreft",
        "page": "Pagina",
        "number": "Factuur",
        "original": "Bedrag",
        "open": "Openstaand",
        "interest": "Rente",
        "costs": "Incassokosten",
        "costs_vat": "Btw over incassokosten",
        "total_due": "Totaal verschuldigd",
        "interest_computation": "Berekening van de rente",
        "period": "Periode",
        "days": "Dagen",
        "rate": "Rente %",
        "principal": "Hoofdsom",
        "costs_computation": "Berekening van de incassokosten",
        "costs_if_late": "Incassokosten als u niet binnen de termijn betaalt",
        "to_pay": "Te betalen",
        "instalment": "Termijn",
        "instalments": "Betalingsschema",
        "acknowledgement": "Voor akkoord en erkenning van de schuld",
        "signature": "Naam, datum en handtekening",
        "creditor": "Schuldeiser",
        "debtor": "Schuldenaar",
        "claim_summary": "Samenvatting van de vordering",
        "history": "Verloop",
        "credit": "Te verrekenen tegoed",
        "payment_received": "Ontvangen betaling",
        "contact": "Contactpersoon",
        "vat_reverse_charge": "Btw verlegd",
        "kind_consumer": "consument",
        "kind_business": "bedrijf",
        "kind_government": "overheid",
        "customer_kind": "Soort debiteur",
    },
    "en": {
        "invoice": "Invoice",
        "credit_note": "Credit note",
        "invoice_number": "Invoice number",
        "quote": "Quote",
        "quote_number": "Quote number",
        "pro_forma": "Pro forma invoice",
        "pro_forma_number": "Pro forma number",
        "valid_until": "Valid until",
        "document_date": "Date",
        "credit_note_number": "Credit note number",
        "issue_date": "Invoice date",
        "due_date": "Due date",
        "customer_number": "Customer number",
        "your_reference": "Your reference",
        "payment_reference": "Payment reference",
        "credits_invoice": "Corrects invoice",
        "description": "Description",
        "quantity": "Qty",
        "unit_price": "Price",
        "vat": "VAT",
        "amount": "Amount",
        "subtotal": "Total excl. VAT",
        "vat_over": "VAT {rate}% on {base}",
        "total": "Total due",
        "total_credit": "Total credited",
        "total_amount": "Total",
        "pay_with_app": "Scan to pay",
        "kvk": "Chamber of Commerce",
        "vat_number": "VAT no.",
        "your_vat_number": "Your VAT number",
        "iban": "IBAN",
        "bic": "BIC",
        "date": "Date",
        "subject": "Subject",
        "page": "Page",
        "number": "Invoice",
        "original": "Amount",
        "open": "Outstanding",
        "interest": "Interest",
        "costs": "Collection costs",
        "costs_vat": "VAT on collection costs",
        "total_due": "Total due",
        "interest_computation": "Interest computation",
        "period": "Period",
        "days": "Days",
        "rate": "Rate %",
        "principal": "Principal",
        "costs_computation": "Collection costs computation",
        "costs_if_late": "Collection costs if you do not pay within the term",
        "to_pay": "To pay",
        "instalment": "Instalment",
        "instalments": "Payment schedule",
        "acknowledgement": "Agreed, and the debt acknowledged",
        "signature": "Name, date and signature",
        "creditor": "Creditor",
        "debtor": "Debtor",
        "claim_summary": "Summary of the claim",
        "history": "History",
        "credit": "Credit set off",
        "payment_received": "Payment received",
        "contact": "Contact",
        "vat_reverse_charge": "VAT reverse-charged",
        "kind_consumer": "consumer",
        "kind_business": "business",
        "kind_government": "government",
        "customer_kind": "Kind of debtor",
    },
}


def language_of(value: str) -> str:
    return value if value in LANGUAGES else "nl"


# A letter formats the same amounts and dates several times (subject, body, table, payment
# instruction) and a run repeats the organization's dates; Babel takes tens of microseconds each.
@lru_cache(maxsize=4096)
def long_date(value: date, language: str) -> str:
    """3 februari 2026 / 3 February 2026: a date nobody reads the wrong way round."""
    return format_date(value, "d MMMM y", locale=_BABEL_LOCALE[language_of(language)])


@lru_cache(maxsize=4096)
def short_date(value: date, language: str) -> str:
    return format_date(
        value,
        "dd-MM-y" if language == "nl" else "d MMM y",
        locale=_BABEL_LOCALE[language_of(language)],
    )


def amount(value: Decimal, currency: str, language: str) -> str:
    """€ 1.234,56 / €1,234.56; the amount must already be rounded to cents."""
    # Kept by the written value: 0 and -0 are equal Decimals but are not printed alike.
    return _amount(str(value), currency, language)


@lru_cache(maxsize=4096)
def _amount(value: str, currency: str, language: str) -> str:
    return format_currency(Decimal(value), currency, locale=_BABEL_LOCALE[language_of(language)])


def number(value: Decimal, language: str, places: int = 2) -> str:
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(value, pattern, locale=_BABEL_LOCALE[language_of(language)])


def quantity(value: Decimal, language: str) -> str:
    """1 / 2,5 / 0,125: no trailing zeros on quantities."""
    normalized = value.normalize()
    places = max(0, -normalized.as_tuple().exponent)
    return number(value, language, places)


def percentage(value: Decimal, language: str) -> str:
    normalized = value.normalize()
    places = max(0, -normalized.as_tuple().exponent)
    return number(value, language, min(places, 2))


def is_colour(value: str) -> bool:
    return bool(_COLOUR.match(value or ""))


def block_prefix(kind: str, level: int) -> str:
    """The blocks a letter of `kind` speaks with: a reminder as the first, second or third
    reminder by its level (a fourth and later as the third), any other kind as itself."""
    if kind == "reminder":
        return f"reminder_{min(max(level, 1), 3)}"
    return kind


def check_placeholders(key: str, text: str) -> None:
    """Refuse a block naming a value the block does not offer."""
    if key not in BLOCKS:
        raise DomainError(f"unknown text block {key!r}")
    allowed = set(BLOCKS[key][1])
    unknown = [name for name in _PLACEHOLDER.findall(text) if name not in allowed]
    if unknown:
        offered = ", ".join("{" + name + "}" for name in sorted(allowed)) or "none"
        raise DomainError(f"unknown value {{{unknown[0]}}}; this block can use: {offered}")


def fill(text: str, values: Mapping[str, str]) -> str:
    """Put the values into a block; a name without a value is left visible, not guessed."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def block(key: str, language: str, overrides: Mapping[str, str], values: Mapping[str, str]) -> str:
    """One block in the organization's wording (or the default), with its values filled in."""
    text = overrides.get(key) or DEFAULTS[language_of(language)][key]
    return fill(text, values)


def statutory(key: str, language: str, values: Mapping[str, str]) -> str:
    return fill(STATUTORY[language_of(language)][key], values)


def label(key: str, language: str) -> str:
    return LABELS[language_of(language)][key]

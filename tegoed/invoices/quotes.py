"""Quotes and pro forma invoices made into invoices.

A quote (offerte) or a pro forma invoice asks for no payment: it is issued with a number of its
own series and printed, but the ledger never sums or chases it (`InvoiceKind`). Once accepted
it is made into a draft invoice with the same customer, lines and references, which is then
issued as any invoice.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from tegoed.audit import services as audit
from tegoed.invoices import services
from tegoed.invoices.models import Invoice, InvoiceKind


@transaction.atomic
def invoice_from(document: Invoice, *, acting_user, today: datetime.date) -> Invoice:
    """A draft invoice made of an issued quote or pro forma invoice (once)."""
    document = Invoice.objects.select_for_update().get(pk=document.pk)
    if not document.is_quote_or_pro_forma or document.is_draft:
        raise services.LedgerError(
            _("Only an issued quote or pro forma invoice can be made into an invoice.")
        )
    made = document.made_into.first()
    if made is not None:
        raise services.LedgerError(
            _("%(number)s has already been made into invoice %(invoice)s.")
            % {"number": document.number, "invoice": made.number or _("(draft)")}
        )
    invoice = services.save_draft_invoice(
        organization=document.organization,
        customer=document.customer,
        lines=[services._line_input(line) for line in document.lines.all()],
        acting_user=acting_user,
        contract_date=document.contract_date or document.issue_date,
        currency=document.currency,
        description=document.description,
        customer_reference=document.customer_reference,
        kind=InvoiceKind.INVOICE,
    )
    invoice.made_from = document
    invoice.save(update_fields=["made_from", "updated_at"])
    audit.record(
        organization=document.organization,
        actor=acting_user,
        action="invoice.made_from",
        subject=document,
        summary=f"{document.number} made into a draft invoice",
        details={"number": document.number},
    )
    return invoice

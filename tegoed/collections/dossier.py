"""The dossier a collection agency or bailiff gets: a PDF to read and a JSON file to import.

The JSON follows the published schema `data/handover-dossier.schema.json` (served at
/collections/schema/handover-dossier.json): the creditor and the debtor, each invoice with the
interest and costs computation and its limitation dates (tegoed.claims), every message and call
with its date and channel, the promises, disputes and arrangements. Amounts are strings with
two decimals, dates ISO 8601. Everything is read through the customer, so a dossier holds one
organization's data only.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tegoed.arrangements.models import (
    Arrangement,
    Dispute,
    DisputeReason,
    Promise,
    PromiseState,
)
from tegoed.claims.queries import claim_of
from tegoed.documents import content, rendering, wording
from tegoed.documents.queries import letter_for, seller_of
from tegoed.domain import claim
from tegoed.dunning.models import CallState, CallTask, Channel, Message, MessageState

SCHEMA_PATH = Path(__file__).parent / "data" / "handover-dossier.schema.json"
SCHEMA_ID = "urn:tegoed:schema:handover-dossier:2"
VERSION = 2


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _day(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _party(party: content.Party) -> dict:
    return {
        "name": party.name,
        "address": list(party.address_lines),
        "country": party.country,
        "kvk_number": party.kvk_number,
        "vat_number": party.vat_number,
        "iban": party.iban,
        "email": party.email,
        "phone": party.phone,
    }


def _debtor(customer) -> dict:
    city_line = " ".join(part for part in (customer.postal_code, customer.city) if part)
    return {
        "number": customer.number,
        "name": customer.name,
        "kind": customer.kind,
        "address": [line for line in (customer.street, city_line) if line],
        "country": customer.country,
        "kvk_number": customer.kvk_number,
        "vat_number": customer.vat_number,
        "contacts": [
            {"name": c.name, "role": c.role, "email": c.email, "phone": c.phone}
            for c in customer.contacts.order_by("id")
        ],
    }


def claim_with_history(customer, invoices, today: datetime.date) -> claim.Claim:
    """The claim on `invoices` on `today` with their history (`tegoed.claims.history`):
    limitation interrupted by reminders, acknowledgements, a summons or a judgment."""
    return claim_of(customer, on=today, invoices=list(invoices))


def _periods(breakdown) -> list[dict]:
    return [
        {
            "start": _day(period.start),
            "end": _day(period.end),
            "days": period.days,
            "base": _money(period.base),
            "rate_percent": str(period.rate),
            "amount": _money(period.amount),
            "basis": period.basis,
        }
        for period in (breakdown.periods if breakdown is not None else ())
    ]


def _limitation(found) -> dict | None:
    if found is None:
        return None
    return {
        "last_day": _day(found.last_day),
        "time_barred_on": _day(found.time_barred_on),
        "basis": found.basis,
        "periods": [
            {"from": _day(p.starts_on), "to": _day(p.ends_on), "reason": p.reason}
            for p in found.periods
        ],
        "ignored": [{"date": _day(e.on), "kind": e.kind.value} for e in found.ignored],
    }


def _invoices(customer, invoices, today: datetime.date) -> tuple[list[dict], dict]:
    found = claim_with_history(customer, invoices, today)
    by_number = {invoice.number: invoice for invoice in invoices}
    rows = []
    for item in found.invoices:
        invoice = by_number[item.number]
        rows.append(
            {
                "number": item.number,
                "issue_date": _day(invoice.issue_date),
                "due_date": _day(item.due_on),
                "total": _money(invoice.total),
                "credited": _money(invoice.credited),
                "written_off": _money(invoice.written_off),
                "paid": _money(item.paid),
                "principal": _money(item.principal_outstanding),
                "interest": _money(item.interest_outstanding),
                "costs": _money(item.costs_outstanding),
                "in_default": item.in_default,
                "interest_from": _day(item.interest_from),
                "interest_periods": _periods(item.interest),
                "simple_interest": item.simple_interest,
                "costs_interest": _money(item.costs_interest_outstanding),
                "costs_interest_from": _day(item.costs_interest.start)
                if item.costs_interest is not None
                else None,
                "costs_interest_periods": _periods(item.costs_interest),
                "judgment": None
                if item.judgment is None
                else {"date": _day(item.judgment.on), "awarded": _money(item.judgment.awarded)},
                "limitation": _limitation(item.limitation),
                "notes": list(item.notes),
            }
        )
    totals = {
        "principal": _money(found.principal),
        "interest": _money(found.interest),
        "costs": _money(found.costs),
        "costs_interest": _money(found.costs_interest),
        "total": _money(found.total),
        "costs_basis": found.costs_basis,
        "currency": found.currency,
    }
    return rows, totals


def _messages(customer) -> list[dict]:
    return [
        {
            "date": _day(message.send_on),
            "channel": message.channel,
            "kind": message.kind,
            "subject": message.subject,
            "to": list(message.recipients),
            "delivery": message.delivery,
        }
        for message in Message.objects.filter(
            customer=customer, internal=False, state=MessageState.SENT
        ).order_by("send_on", "id")
    ]


def _calls(customer) -> list[dict]:
    return [
        {
            "date": _day(timezone.localdate(call.done_at) if call.done_at else call.due_on),
            "channel": "call",
            "reached": bool(call.reached),
            "notes": call.result_notes,
            "promised_to_pay_by": _day(call.promise_on),
        }
        for call in CallTask.objects.filter(customer=customer, state=CallState.DONE).order_by(
            "due_on", "id"
        )
    ]


def _agreements(customer) -> dict:
    return {
        "promises": [
            {
                "made_on": _day(p.made_on),
                "pay_by": _day(p.pay_by),
                "amount": _money(p.amount),
                "channel": p.channel,
                "state": p.state,
                "paid": _money(p.paid),
                "invoice": p.invoice.number if p.invoice_id else None,
            }
            for p in Promise.objects.filter(customer=customer).select_related("invoice")
        ],
        "disputes": [
            {
                "opened_on": _day(d.opened_on),
                "invoice": d.invoice.number if d.invoice_id else None,
                "reason": d.reason,
                "description": d.description,
                "outcome": d.outcome or "open",
                "resolved_on": _day(d.resolved_on),
                "resolution": d.resolution,
            }
            for d in Dispute.objects.filter(customer=customer).select_related("invoice")
        ],
        "arrangements": [
            {
                "agreed_on": _day(a.agreed_on),
                "state": a.state,
                "total": _money(a.total),
                "ended_on": _day(a.ended_on),
                "invoices": sorted(a.invoices.values_list("number", flat=True)),
                "instalments": [
                    {"number": i.number, "due_on": _day(i.due_on), "amount": _money(i.amount)}
                    for i in a.instalments.all()
                ],
            }
            for a in Arrangement.objects.filter(customer=customer).prefetch_related("instalments")
        ],
    }


def build(customer, invoices, *, agency, today: datetime.date, note: str = "") -> dict:
    """The dossier as a JSON-ready dict (validates against `schema()`)."""
    rows, totals = _invoices(customer, invoices, today)
    return {
        "$schema": SCHEMA_ID,
        "version": VERSION,
        "created_on": _day(today),
        "note": note,
        "creditor": _party(seller_of(customer.organization)),
        "agency": {"name": agency.name, "kind": agency.kind, "email": agency.email},
        "debtor": _debtor(customer),
        "invoices": rows,
        "totals": totals,
        "messages": _messages(customer),
        "calls": _calls(customer),
        **_agreements(customer),
    }


def history(dossier: dict, language: str) -> list[content.HistoryEntry]:
    """The dossier's messages, calls and agreements as the PDF's dated lines, in `language`."""
    language = wording.language_of(language)
    currency = dossier["totals"]["currency"]

    def day(value: str) -> datetime.date:
        return datetime.date.fromisoformat(value)

    def money(value: str) -> str:
        return wording.amount(Decimal(value), currency, language)

    with translation.override(language):
        channels = dict(Channel.choices)
        entries = [
            content.HistoryEntry(
                day(m["date"]), f"{channels.get(m['channel'], m['channel'])}: {m['subject']}"
            )
            for m in dossier["messages"]
        ]
        entries += [
            content.HistoryEntry(
                day(c["date"]),
                (_("Called, reached") if c["reached"] else _("Called, not reached"))
                + (f": {c['notes']}" if c["notes"] else ""),
            )
            for c in dossier["calls"]
        ]
        entries += [
            content.HistoryEntry(
                day(p["made_on"]),
                _("Promised to pay %(amount)s by %(day)s: %(state)s")
                % {
                    "amount": money(p["amount"]),
                    "day": wording.short_date(day(p["pay_by"]), language),
                    "state": PromiseState(p["state"]).label.lower(),
                },
            )
            for p in dossier["promises"]
        ]
        entries += [
            content.HistoryEntry(
                day(d["opened_on"]),
                _("Disputed: %(reason)s") % {"reason": DisputeReason(d["reason"]).label},
            )
            for d in dossier["disputes"]
        ]
        entries += [
            content.HistoryEntry(
                day(a["agreed_on"]),
                _("Payment arrangement: %(total)s in %(count)s instalments from %(day)s")
                % {
                    "total": money(a["total"]),
                    "count": len(a["instalments"]),
                    "day": wording.short_date(day(a["instalments"][0]["due_on"]), language),
                },
            )
            for a in dossier["arrangements"]
        ]
    return sorted(entries, key=lambda entry: entry.on)


def pdf(customer, invoices, dossier: dict, *, agency, today: datetime.date) -> bytes:
    """The hand-over sheet: the claim with its computation and the dated history."""
    letter = letter_for(
        "handover",
        customer,
        today=today,
        numbers=[invoice.number for invoice in invoices],
        history=history(dossier, customer.language),
        agency=content.Party(
            name=agency.name, address_lines=tuple(agency.address.splitlines()), email=agency.email
        ),
    )
    return rendering.render_letter(letter)

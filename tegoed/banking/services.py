"""Importing statements into the books, and the review of what matching could not decide.

`import_statement` reads a file (nothing is kept from a file that fails), checks every
statement's opening balance plus entries against its closing balance, skips entries imported
before (or read before in the same file: a bank that repeats a statement), matches the new
ones in statement order against the organization's open invoices and books the automatic
matches through the ledger's own services (`record_payment`, `write_off`). Notified payments
(reported by the bank before booking) are matched and kept, nothing booked; a booked entry
that is the same payment takes a notification's place (docs/decisions/0204). The review
services book what a person confirms, the same way, and teach the payer's IBAN to the customer.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tegoed.audit import services as audit
from tegoed.banking import formats, queries, statement_matching
from tegoed.banking.csv import ColumnMapping
from tegoed.banking.models import (
    TO_REVIEW,
    BankEntry,
    BankStatement,
    EntryStatus,
    StatementImport,
)
from tegoed.customers import services as customer_services
from tegoed.customers.models import BankAccount, Customer
from tegoed.domain import balance, identifiers, limits, matching, notification, plausibility
from tegoed.domain.errors import DomainError
from tegoed.domain.statement import Entry, Report, SkippedEntry
from tegoed.dunning import services as dunning
from tegoed.dunning.models import HoldReason
from tegoed.invoices import discounts
from tegoed.invoices import services as invoice_services
from tegoed.invoices.models import Invoice, InvoiceKind, Lifecycle

# Paid invoices this recent are kept in the matcher, so a second payment is seen as such.
PAID_INVOICES_KEPT_DAYS = 120

Progress = Callable[[str, int, int], None]


class ReviewError(DomainError):
    """A review action that cannot be done (the message is shown to the user)."""


@dataclass
class ImportSummary:
    file_name: str
    statement_import: StatementImport | None
    already_imported_file: bool = False
    entries_read: int = 0
    already_imported: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    balance_problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Per statement: entries read, notified, and each one left out or set apart with why.
    reports: list[Report] = field(default_factory=list)
    # Payments the bank notified (not yet booked), and notified ones whose booking came now.
    notified: int = 0
    replaced: int = 0

    @property
    def left_out(self) -> list[SkippedEntry]:
        return [entry for report in self.reports for entry in report.left_out]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def file_digest(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def dedupe_keys(account: str, entries: Sequence[Entry]) -> list[str]:
    """One key per entry that stays the same when the same entry is read again.

    Made from the account, the bank's reference, the dates, the direction, the amount and the
    counterparty; entries identical in all of that within one file are told apart by their
    occurrence, so two equal payments on one day are both kept.
    """
    seen: dict[str, int] = {}
    keys = []
    for entry in entries:
        reference = entry.bank_reference or entry.entry_reference
        base = "|".join(
            (
                # A notification and the booking of the same payment are two entries.
                *(("notified",) if entry.notified else ()),
                account,
                reference,
                str(entry.booking_date),
                str(entry.value_date),
                "C" if entry.credit else "D",
                f"{entry.amount:.2f}",
                entry.counterparty_iban,
                entry.counterparty_name,
                entry.remittance_text,
                entry.end_to_end_id,
            )
        )
        occurrence = seen.get(base, 0) + 1
        seen[base] = occurrence
        keys.append(hashlib.sha256(f"{base}#{occurrence}".encode()).hexdigest())
    return keys


def open_items(organization, *, today: datetime.date) -> tuple[list[matching.OpenItem], dict]:
    """The organization's open invoices (and recently paid ones) as the matcher reads them.

    Returns the items and a map from invoice number to invoice primary key.
    """
    recent = today - datetime.timedelta(days=PAID_INVOICES_KEPT_DAYS)
    rows = (
        Invoice.objects.filter(
            organization=organization, kind=InvoiceKind.INVOICE, lifecycle=Lifecycle.ISSUED
        )
        .filter(
            Q(state__in=(balance.OPEN, balance.PARTIALLY_PAID))
            | Q(state=balance.PAID, due_date__gte=recent)
        )
        .values_list(
            "pk",
            "number",
            "customer_id",
            "customer__name",
            "issue_date",
            "due_date",
            "currency",
            "open_amount",
            "payment_reference",
            "discount_percentage",
            "discount_amount",
            "discount_until",
        )
    )
    ibans: dict[int, list[str]] = {}
    for customer_id, iban in BankAccount.objects.filter(
        customer__organization=organization
    ).values_list("customer_id", "iban"):
        ibans.setdefault(customer_id, []).append(iban)
    items = []
    numbers = {}
    for (
        pk, number, customer_id, name, issued, due, currency, open_amount, reference,
        discount_percentage, discount, discount_until,
    ) in rows:  # fmt: skip
        numbers[number] = pk
        items.append(
            matching.OpenItem(
                invoice_number=number,
                customer_id=str(customer_id),
                amount_open=max(open_amount, Decimal("0.00")),
                customer_name=name,
                customer_ibans=tuple(ibans.get(customer_id, ())),
                issue_date=issued,
                due_date=due,
                currency=currency,
                payment_reference=reference,
                discount_percentage=discount_percentage,
                discount=discount,
                discount_until=discount_until if discount else None,
            )
        )
    return items, numbers


def import_statement(
    *,
    organization,
    path: str | Path,
    acting_user,
    today: datetime.date,
    file_name: str | None = None,
    mapping: ColumnMapping | None = None,
    progress: Progress = _no_progress,
    policy: matching.Policy = matching.DEFAULT_POLICY,
) -> ImportSummary:
    """Read, check, match and book one statement file; see the module docstring.

    Two imports at the same moment of one file (or of overlapping files) cannot both book an
    entry: the database's unique keys refuse the second, which then reads again what the
    first imported and books only what is left (for the same file: nothing).
    """
    arguments = {
        "organization": organization, "path": path, "acting_user": acting_user, "today": today,
        "file_name": file_name or Path(path).name, "mapping": mapping, "progress": progress,
        "policy": policy,
    }  # fmt: skip
    try:
        return _import_statement(**arguments)
    except IntegrityError:
        return _import_statement(**arguments)


def _import_statement(
    *, organization, path, acting_user, today, file_name, mapping, progress, policy
) -> ImportSummary:
    digest = file_digest(path)
    summary = ImportSummary(file_name=file_name, statement_import=None)
    earlier = StatementImport.objects.filter(organization=organization, digest=digest).first()
    if earlier is not None:
        summary.already_imported_file = True
        summary.statement_import = earlier
        return summary
    progress("read", 0, 1)
    statements = formats.read(
        path, name=file_name, mapping=mapping, max_entries=settings.TEGOED_MAX_STATEMENT_ENTRIES
    )
    progress("read", 1, 1)
    for statement in statements:
        difference = statement.balance_difference()
        if difference is not None and difference != 0:
            summary.balance_problems.append(
                _(
                    "Statement %(statement)s of %(account)s: opening balance %(opening)s plus "
                    "the entries is not the closing balance %(closing)s (off by %(difference)s)."
                )
                % {
                    "statement": statement.statement_id or "?",
                    "account": statement.account_iban or "?",
                    "opening": statement.opening_balance.amount,
                    "closing": statement.closing_balance.amount,
                    "difference": difference,
                }
            )
        summary.warnings.extend(statement.warnings)

    keyed = []
    in_file: set[str] = set()
    for statement in statements:
        keys = dedupe_keys(statement.account_iban, statement.entries)
        repeated = sum(key in in_file for key in keys)
        if repeated:
            summary.warnings.append(
                _(
                    "Statement %(statement)s repeats %(count)s entries of an earlier statement "
                    "in this file; each is read once."
                )
                % {"statement": statement.statement_id or "?", "count": repeated}
            )
        keyed += [
            (statement, entry, key)
            for entry, key in zip(statement.entries, keys, strict=True)
            if key not in in_file
        ]
        in_file.update(keys)
    summary.entries_read = len(keyed)
    known = _known_keys(organization, [key for _statement, _entry, key in keyed])
    new = [(statement, entry, key) for statement, entry, key in keyed if key not in known]
    summary.already_imported = len(keyed) - len(new)

    with statement_matching.without_cycle_collection():
        items, numbers = open_items(organization, today=today)
        matcher = matching.Matcher(items, policy=policy)
        outcomes = []
        for done, (_statement, entry, _key) in enumerate(new, start=1):
            outcomes.append(matcher.match(entry))
            if done % 500 == 0:
                progress("match", done, len(new))
    progress("match", len(new), len(new))
    unmatched: dict[int, list[Entry]] = {id(statement): [] for statement in statements}
    for (statement, entry, _key), outcome in zip(new, outcomes, strict=True):
        if outcome.status == matching.UNMATCHED:
            unmatched[id(statement)].append(entry)
    summary.reports = [
        statement_matching.report_of(statement, matcher, unmatched[id(statement)])
        for statement in statements
    ]

    with transaction.atomic():
        statement_import = StatementImport.objects.create(
            organization=organization,
            file_name=file_name[:255],
            file_format=statements[0].file_format if statements else "",
            digest=digest,
            imported_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
            entries_read=summary.entries_read,
            already_imported=summary.already_imported,
            balance_problems=summary.balance_problems,
            warnings=[limits.cap(warning) for warning in summary.warnings[:100]],
        )
        rows = {
            id(statement): BankStatement.objects.create(
                statement_import=statement_import,
                statement_id=statement.statement_id[:100],
                account_iban=statement.account_iban[:40],
                currency=statement.currency[:3],
                sequence_number=statement.sequence_number[:40],
                opening_balance=statement.opening_balance.amount
                if statement.opening_balance
                else None,
                closing_balance=statement.closing_balance.amount
                if statement.closing_balance
                else None,
                balance_difference=statement.balance_difference(),
            )
            for statement in statements
        }
        invoices = _invoices_for(outcomes, numbers)
        counts = dict.fromkeys(
            (matching.MATCHED, matching.SUGGESTED, matching.UNMATCHED, matching.IGNORED), 0
        )
        notified = 0
        entries = []
        earlier = _earlier_payments(organization, [entry for _s, entry, _k in new])
        for done, ((statement, entry, key), outcome) in enumerate(
            zip(new, outcomes, strict=True), start=1
        ):
            row = _entry_row(organization, rows[id(statement)], entry, key, outcome)
            if entry.notified:
                # Not money on the account yet: matched, nothing booked.
                row.booking_date = (
                    entry.booking_date or entry.value_date or statement.created_on or today
                )
                notified += 1
            else:
                repeated = _repeats(row, earlier)
                if repeated is not None:
                    _hold_as_repeat(row, repeated)
                elif outcome.status == matching.MATCHED:
                    _book_automatic(row, outcome, invoices, acting_user=acting_user, today=today)
                _remember(earlier, row)
                counts[row.status] += 1
            entries.append(row)
            if done % 500 == 0:
                progress("book", done, len(new))
        BankEntry.objects.bulk_create(entries, batch_size=1000)
        replaced = _replace_notifications(organization, entries)
        for notified_entry in replaced:
            dunning.lift_holds(
                organization,
                source=_hold_source(notified_entry),
                user=acting_user,
                note=_("Booked as %(entry)s.") % {"entry": notified_entry.replaced_by.entry_id},
                today=today,
            )
        booked_now = {notified_entry.pk for notified_entry in replaced}
        for row in entries:
            if row.waiting and row.pk not in booked_now and row.status == EntryStatus.MATCHED:
                _hold_invoices(row, invoices, acting_user=acting_user, today=today)
        summary.replaced = len(replaced)
        progress("book", len(new), len(new))
        for status, count in counts.items():
            setattr(statement_import, status, count)
        statement_import.notified = notified
        statement_import.save(
            update_fields=[
                "matched", "suggested", "unmatched", "ignored", "notified", "updated_at"
            ]
        )  # fmt: skip
        audit.record(
            organization=organization,
            actor=acting_user,
            action="statement.imported",
            subject=statement_import,
            summary=f"{file_name}: "
            + ", ".join(f"{count} {status}" for status, count in counts.items()),
            details={
                "entries_read": summary.entries_read,
                "already_imported": summary.already_imported,
                "balance_problems": summary.balance_problems,
                "notified": notified,
                "notifications_booked": summary.replaced,
                "left_out": [entry.describe() for entry in summary.left_out],
                **counts,
            },
        )
    summary.statement_import = statement_import
    summary.counts = counts
    summary.notified = notified
    return summary


def _replace_notifications(organization, rows: list[BankEntry]) -> list[BankEntry]:
    """Each new booked credit takes the place of the oldest waiting notification of the same
    payment (`notification.replaced`); the notifications it replaced."""
    booked = [row for row in rows if row.credit and not row.notified]
    if not booked:
        return []
    # Waiting notifications are few next to a day's entries: all of them, by amount.
    waiting: dict[Decimal, list[tuple[BankEntry, notification.Facts]]] = {}
    for row in (
        BankEntry.objects.filter(
            organization=organization, notified=True, credit=True, replaced_by__isnull=True
        )
        .exclude(status=EntryStatus.NOT_CUSTOMER_PAYMENT)
        .select_related("statement")
        .order_by("booking_date", "id")
    ):
        waiting.setdefault(row.amount, []).append((row, _facts(row)))
    replaced = []
    for row in booked:
        candidates = waiting.get(row.amount)
        if not candidates:
            continue
        position = notification.replaced(_facts(row), [facts for _row, facts in candidates])
        if position is None:
            continue
        notified = candidates.pop(position)[0]
        notified.replaced_by = row
        replaced.append(notified)
    BankEntry.objects.bulk_update(replaced, ["replaced_by", "updated_at"])
    return replaced


def _hold_invoices(row: BankEntry, invoices: dict, *, acting_user, today) -> None:
    """A notified payment holds the invoices it pays from dunning until the day its booking is
    expected by (after that, the hold ends by itself and the notification is flagged)."""
    until = notification.expected_by(row.booking_date)
    if until < today:
        return
    for allocation in row.proposals[0]["allocations"]:
        invoice = invoices.get(allocation["invoice_number"])
        if invoice is None:
            continue
        dunning.place_hold(
            row.organization,
            customer=invoice.customer,
            invoice=invoice,
            reason=HoldReason.NOTIFIED_PAYMENT,
            until=until,
            note=_("The bank notified a payment of %(amount)s (%(entry)s) on %(day)s.")
            % {"amount": row.amount, "entry": row.entry_id, "day": row.booking_date},
            user=acting_user,
            source=_hold_source(row),
            today=today,
        )


def _hold_source(row: BankEntry) -> str:
    return f"banking.bankentry:{row.pk}"


def _facts(row: BankEntry) -> notification.Facts:
    return notification.Facts(
        amount=row.amount,
        credit=row.credit,
        currency=row.currency,
        on=row.booking_date or row.value_date or row.created_at.date(),
        reference=row.entry_id,
        end_to_end_id=row.end_to_end_id,
        counterparty_iban=row.counterparty_iban,
        payment_reference=row.payment_reference,
        text=row.remittance_text,
        account=row.statement.account_iban,
    )


def _known_keys(organization, keys: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(keys), 500):
        known.update(
            BankEntry.objects.filter(
                organization=organization, dedupe_key__in=keys[start : start + 500]
            ).values_list("dedupe_key", flat=True)
        )
    return known


def _invoices_for(outcomes: Iterable[matching.Outcome], numbers: dict[str, int]) -> dict:
    wanted = {
        numbers[allocation.invoice_number]
        for outcome in outcomes
        if outcome.status == matching.MATCHED
        for allocation in outcome.allocations
        if allocation.invoice_number in numbers
    }
    by_pk = Invoice.objects.select_related("customer").in_bulk(sorted(wanted))
    return {invoice.number: invoice for invoice in by_pk.values()}


def _proposals_json(outcome: matching.Outcome) -> list[dict]:
    return [
        {
            "allocations": [
                {"invoice_number": allocation.invoice_number, "amount": f"{allocation.amount}"}
                for allocation in proposal.allocations
            ],
            "score": proposal.score,
            "reason": proposal.reason,
            "rule": proposal.rule,
            "customer_id": proposal.customer_id,
            "flags": list(proposal.flags),
        }
        for proposal in outcome.proposals
    ]


def _entry_row(organization, statement, entry: Entry, key: str, outcome) -> BankEntry:
    reference = entry.structured_references[0].reference if entry.structured_references else ""
    return BankEntry(
        organization=organization,
        statement=statement,
        position=entry.position,
        entry_id=entry.entry_id[:120],
        dedupe_key=key,
        amount=entry.amount,
        credit=entry.credit,
        currency=entry.currency[:3],
        booking_date=entry.booking_date,
        value_date=entry.value_date,
        counterparty_name=entry.counterparty_name[:200],
        counterparty_iban=entry.counterparty_iban[:40],
        payment_reference=reference[:60],
        remittance_text=limits.cap(entry.remittance_text or entry.additional_information),
        end_to_end_id=entry.end_to_end_id[:120],
        notified=entry.notified,
        status=outcome.status,
        rule=outcome.best.rule if outcome.best else "",
        confidence=Decimal(str(round(outcome.confidence, 2))),
        reason=outcome.reason,
        flags=list(outcome.flags),
        proposals=_proposals_json(outcome),
    )


# A payment with the payer, amount and description of one this many days before is held for a
# person: most likely the same invoice paid twice, not a new payment (an overpayment).
REPEAT_DAYS = 7


def _repeat_key(row) -> tuple:
    payer = row.counterparty_iban or row.counterparty_name.strip().lower()
    text = row.payment_reference or " ".join(row.remittance_text.lower().split())
    return (payer, row.amount, text)


def _earlier_payments(organization, entries: Sequence[Entry]) -> dict[tuple, list]:
    """Money already in from the days before these entries, by payer, amount and text: the
    days it came and the customers it was booked on."""
    days = [
        entry.booking_date
        for entry in entries
        if entry.credit and entry.booking_date and not entry.notified
    ]
    if not days:
        return {}
    rows = BankEntry.objects.filter(
        organization=organization,
        credit=True,
        notified=False,
        booking_date__gte=min(days) - datetime.timedelta(days=REPEAT_DAYS),
        booking_date__lte=max(days),
    ).select_related("payment")
    earlier: dict[tuple, list] = {}
    for row in rows:
        _remember(earlier, row)
    return earlier


def _remember(earlier: dict[tuple, list], row: BankEntry) -> None:
    if row.credit and row.booking_date:
        customer_id = row.payment.customer_id if row.payment else None
        earlier.setdefault(_repeat_key(row), []).append((row.booking_date, customer_id))


def _repeats(row: BankEntry, earlier: dict[tuple, list]) -> tuple | None:
    """(day, customer id) of an earlier payment this one repeats, if any."""
    on = row.booking_date
    if not row.credit or not on or not (row.counterparty_iban or row.counterparty_name):
        return None
    window = datetime.timedelta(days=REPEAT_DAYS)
    found = [seen for seen in earlier.get(_repeat_key(row), ()) if on - window <= seen[0] <= on]
    return max(found, key=lambda seen: seen[0], default=None)


def _hold_as_repeat(row: BankEntry, repeated: tuple) -> None:
    """Send a repeated payment to review; keeping it as credit is proposed first."""
    day, customer_id = repeated
    customer_id = customer_id or next(
        (proposal["customer_id"] for proposal in row.proposals if proposal.get("customer_id")),
        None,
    )
    row.status = EntryStatus.SUGGESTED
    row.flags = sorted({*row.flags, matching.DUPLICATE})
    row.reason = (
        f"Same payer, amount and description as the payment of {day.isoformat()}: "
        f"possibly paid twice. {row.reason}"
    )
    keep = {
        "allocations": [],
        "score": 0.5,
        "reason": row.reason,
        "rule": "repeat",
        "customer_id": str(customer_id) if customer_id else None,
        "flags": [matching.DUPLICATE],
        "repeats": day.isoformat(),
    }
    row.proposals = [keep, *row.proposals]


def _book_automatic(row: BankEntry, outcome, invoices: dict, *, acting_user, today) -> None:
    """Book a match; when the ledger refuses it, the entry goes to the review queue instead."""
    targets = [
        (invoices.get(allocation.invoice_number), allocation.amount)
        for allocation in outcome.allocations
    ]
    customers = {invoice.customer_id for invoice, _amount in targets if invoice is not None}
    if not targets or any(invoice is None for invoice, _amount in targets) or len(customers) != 1:
        row.status = EntryStatus.SUGGESTED
        row.reason = outcome.reason + " " + _("(invoices of several customers: check it.)")
        return
    paid_on = row.booking_date or today
    if any(
        plausibility.payment_doubts(paid_on, today=today, issued_on=invoice.issue_date)
        for invoice, _amount in targets
    ):
        row.status = EntryStatus.SUGGESTED
        row.reason = (
            outcome.reason
            + " "
            + _("(paid long before the invoice was issued, or after today: check it.)")
        )
        return
    try:
        with transaction.atomic():
            row.payment = _record(row, targets, acting_user=acting_user, today=today)
            if matching.DISCOUNT in outcome.flags:
                _write_off_discount(targets[0][0], targets[0][1], acting_user, today)
    except (DomainError, ValidationError) as error:
        # docs/decisions/0202: a booking the ledger refuses (a bank reference longer than the
        # payment's) is left to a person, with the reason; the import goes on.
        row.status = EntryStatus.SUGGESTED
        refusal = "; ".join(error.messages) if isinstance(error, ValidationError) else error
        row.reason = f"{outcome.reason} ({refusal})"


def _record(row: BankEntry, targets, *, acting_user, today, customer: Customer | None = None):
    payer_iban = row.counterparty_iban if _is_iban(row.counterparty_iban) else ""
    return invoice_services.record_payment(
        organization=row.organization,
        amount=row.amount,
        received_on=row.booking_date or today,
        acting_user=acting_user,
        customer=customer or (targets[0][0].customer if targets else None),
        currency=row.currency,
        payer_name=row.counterparty_name,
        payer_iban=payer_iban,
        description=row.remittance_text[:500],
        bank_reference=row.entry_id,
        allocate_to=targets,
    )


def _write_off_discount(invoice: Invoice, paid: Decimal, acting_user, today) -> None:
    """The discount a payment took: the invoice's own as a credit note (docs/decisions/0003);
    one the invoice did not offer (an imported invoice) written off, as before."""
    invoice.refresh_from_db()
    if invoice.offers_discount:
        discounts.take(invoice, acting_user=acting_user, today=today)
        return
    rest = invoice.open_amount
    if rest > 0:
        invoice_services.write_off(
            invoice=invoice,
            acting_user=acting_user,
            today=today,
            reason=_("Early-payment discount taken when paying %(paid)s.") % {"paid": paid},
            amount=rest,
        )


def _is_iban(value: str) -> bool:
    try:
        identifiers.normalize_iban(value)
    except DomainError:
        return False
    return bool(value)


# --- Review -------------------------------------------------------------------------------


@transaction.atomic
def book_entry(
    *,
    entry: BankEntry,
    allocations: Sequence[tuple[Invoice, Decimal]],
    acting_user,
    today: datetime.date,
    customer: Customer | None = None,
) -> BankEntry:
    """Book an entry a person matched: over one or several invoices of one customer, or (with
    no invoices) as credit on `customer`. Teaches the payer's IBAN to the customer."""
    entry = BankEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.notified:
        raise ReviewError(
            _("The bank notified this payment but has not booked it: it is booked when it does.")
        )
    if entry.status not in TO_REVIEW:
        raise ReviewError(_("This entry has already been dealt with."))
    if not entry.credit:
        raise ReviewError(_("Money paid out is not a customer payment."))
    allocations = [(invoice, amount) for invoice, amount in allocations if amount]
    total = sum((amount for _invoice, amount in allocations), Decimal("0.00"))
    if total > entry.amount:
        raise ReviewError(
            _("%(total)s is more than the %(amount)s received.")
            % {"total": total, "amount": entry.amount}
        )
    if any(amount < 0 for _invoice, amount in allocations):
        raise ReviewError(_("Amounts must be positive."))
    owners = {invoice.customer_id for invoice, _amount in allocations}
    if len(owners) > 1:
        raise ReviewError(_("One payment can only pay invoices of one customer."))
    if any(invoice.organization_id != entry.organization_id for invoice, _amount in allocations):
        raise ReviewError(_("The invoice belongs to another organization."))
    if allocations:
        customer = allocations[0][0].customer
    if customer is None:
        raise ReviewError(_("Choose the invoices, or the customer to keep the money for."))
    paid_on = entry.value_date or entry.booking_date or today
    taking = [
        invoice for invoice, amount in allocations if discounts.taken_by(invoice, amount, paid_on)
    ]
    entry.payment = _record(entry, allocations, acting_user=acting_user, today=today,
                            customer=customer)  # fmt: skip
    for invoice in taking:
        # The invoice's own early-payment discount, paid in time: the rest is the discount.
        discounts.take(invoice, acting_user=acting_user, today=today)
    entry.status = EntryStatus.CONFIRMED
    entry.decided_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    entry.decided_at = timezone.now()
    entry.save(update_fields=["payment", "status", "decided_by", "decided_at", "updated_at"])
    if _is_iban(entry.counterparty_iban) and not matching.is_payment_provider(
        entry.counterparty_name
    ):
        customer_services.learn_bank_account(
            customer=customer,
            iban=entry.counterparty_iban,
            acting_user=acting_user,
            holder_name=entry.counterparty_name[:200],
        )
    return entry


def accept_proposal(*, entry: BankEntry, number: int, acting_user, today) -> BankEntry:
    """Book candidate `number` (0 is the best) as matching proposed it."""
    try:
        proposal = entry.proposals[number]
    except (IndexError, TypeError):
        raise ReviewError(_("There is no such candidate.")) from None
    allocations = queries.resolve_allocations(entry.organization, proposal["allocations"])
    customer = None
    if not allocations and proposal.get("customer_id"):
        customer = Customer.objects.filter(
            organization=entry.organization, pk=proposal["customer_id"]
        ).first()
    return book_entry(
        entry=entry, allocations=allocations, acting_user=acting_user, today=today,
        customer=customer,
    )  # fmt: skip


@transaction.atomic
def dismiss_entry(*, entry: BankEntry, acting_user, today: datetime.date) -> BankEntry:
    """Mark the entry "not a customer payment": it leaves the review queue, nothing is booked.
    A notified payment still waiting for its booking is set aside the same way."""
    entry = BankEntry.objects.select_for_update().get(pk=entry.pk)
    if not (entry.to_review or entry.waiting):
        raise ReviewError(_("This entry has already been dealt with."))
    if entry.notified:
        dunning.lift_holds(
            entry.organization,
            source=_hold_source(entry),
            user=acting_user,
            note=_("The notified payment was set aside."),
            today=today,
        )
    entry.status = EntryStatus.NOT_CUSTOMER_PAYMENT
    entry.decided_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    entry.decided_at = timezone.now()
    entry.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit.record(
        organization=entry.organization,
        actor=acting_user,
        action="bank_entry.not_customer_payment",
        subject=entry,
        summary=f"{entry.booking_date} {entry.amount} {entry.counterparty_name}",
    )
    return entry

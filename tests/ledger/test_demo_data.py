import datetime
import subprocess
import sys
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from tegoed.accounts.models import Membership, Organization
from tegoed.customers.models import Customer
from tegoed.domain import identifiers
from tegoed.invoices import queries
from tegoed.invoices.models import Allocation, Invoice, Payment
from tests.factories import ContactFactory, line

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def test_demo_data_is_a_consistent_realistic_administration():
    call_command(
        "demo_data",
        organization="demo",
        customers=60,
        invoices=900,
        seed=7,
        today=TODAY,
        with_login=True,
    )
    organization = Organization.objects.get(slug="demo")
    assert Membership.objects.get(user__username="demo").organization == organization
    assert {c.kind for c in Customer.objects.all()} == {"consumer", "business", "government"}
    assert Invoice.objects.count() == 900
    states = Counter(Invoice.objects.all().values_list("state", flat=True))
    assert states["paid"] > 400 and states["open"] > 50 and states["partially_paid"] > 0
    assert queries.overdue_invoices(organization, today=TODAY).exists()
    # Payments are fully allocated and never exceed their invoices.
    assert (
        Payment.objects.aggregate(t=Sum("amount"))["t"]
        == Allocation.objects.aggregate(t=Sum("amount"))["t"]
    )
    assert not Invoice.objects.all().filter(open_amount__lt=0).exists()
    invoice = Invoice.objects.order_by("?").first()
    assert identifiers.is_creditor_reference(invoice.payment_reference)
    assert invoice.total == sum(line.net_amount for line in invoice.lines.all()) + invoice.vat_total
    per_customer = sorted(Counter(Invoice.objects.values_list("customer", flat=True)).values())
    assert per_customer[-1] > 5 * per_customer[len(per_customer) // 2]  # a few get most


def test_the_same_seed_gives_the_same_data_and_if_empty_keeps_it():
    call_command("demo_data", organization="a", customers=20, invoices=100, seed=3, today=TODAY)
    call_command("demo_data", organization="b", customers=20, invoices=100, seed=3, today=TODAY)
    totals = [
        list(
            Invoice.objects.filter(organization__slug=slug)
            .order_by("number")
            .values_list("number", "total")
        )
        for slug in ("a", "b")
    ]
    assert totals[0] == totals[1]
    call_command(
        "demo_data",
        organization="a",
        customers=20,
        invoices=100,
        seed=4,
        today=TODAY,
        if_empty=True,
    )
    assert Invoice.objects.filter(organization__slug="a").count() == 100


def test_numbering_continues_after_demo_data(organization):
    call_command(
        "demo_data", organization=organization.slug, customers=5, invoices=30, seed=1, today=TODAY
    )
    from tegoed.invoices import services

    customer = Customer.objects.filter(organization=organization).first()
    ContactFactory(customer=customer)
    draft = services.save_draft_invoice(
        organization=organization, customer=customer, lines=[line("10.00")], acting_user=None
    )
    issued = services.issue_invoice(invoice=draft, acting_user=None, today=TODAY)
    last = Invoice.objects.filter(organization=organization, issue_date__year=2026).exclude(
        pk=issued.pk
    )
    assert issued.number > max(last.values_list("number", flat=True))
    assert issued.total == Decimal("12.10")


def test_the_tegoed_command_lists_commands_and_explains_each():
    result = subprocess.run(
        [sys.executable, "-m", "tegoed", "import-invoices", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--dry-run" in result.stdout and "docs/import.md" in result.stdout
    listing = subprocess.run(
        [sys.executable, "-m", "tegoed", "help"], capture_output=True, text=True, check=True
    )
    assert "demo_data" in listing.stdout and "migrate" in listing.stdout


def test_bulk_rows_reach_the_database_parents_first_so_balances_are_kept(organization):
    """Allocations written in the same batch as their invoices still count on them."""
    import uuid

    from django.db import transaction
    from django.utils import timezone

    from tegoed.common import bulk
    from tests.factories import CustomerFactory

    customer = CustomerFactory(organization=organization)
    now = timezone.now()
    with transaction.atomic():
        batch = bulk.Batch(rows=3)  # flush often, in the middle of invoice-allocation pairs
        invoices = batch.table(
            Invoice,
            ["id", "created_at", "updated_at", "organization", "public_id", "customer", "kind",
             "lifecycle", "number", "payment_reference", "currency", "issue_date", "due_date",
             "customer_reference", "description", "subtotal", "vat_total", "total"],
        )  # fmt: skip
        allocations = batch.table(
            Allocation,
            [
                "created_at",
                "updated_at",
                "organization",
                "invoice",
                "kind",
                "amount",
                "booked_on",
                "reason",
            ],
        )
        for number in range(10):
            invoice_id = invoices.take_id()
            invoices.add(
                (invoice_id, now, now, organization.pk, uuid.uuid4(), customer.pk, "invoice",
                 "issued", f"B-{number}", "", "EUR", TODAY, TODAY, "", "", Decimal("10.00"),
                 Decimal("0.00"), Decimal("10.00"))
            )  # fmt: skip
            allocations.add(
                (now, now, organization.pk, invoice_id, "write_off", Decimal("4.00"), TODAY, "")
            )
        batch.flush()
    assert not queries.balance_mismatches(organization).exists()
    assert set(Invoice.objects.values_list("open_amount", flat=True)) == {Decimal("6.00")}


def test_demo_data_balances_agree_with_the_allocation_rows():
    call_command("demo_data", organization="demo", customers=30, invoices=400, seed=2, today=TODAY)
    assert not queries.balance_mismatches(Organization.objects.get(slug="demo")).exists()

# ruff: noqa: E501  (statement lines are kept whole)
"""The review queue in the browser: upload, look at candidates, accept, split, dismiss; only
within one's own organization."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tegoed.accounts.models import Role
from tegoed.banking.models import BankEntry, EntryStatus
from tegoed.customers.models import BankAccount
from tests.factories import CustomerFactory, MembershipFactory, OrganizationFactory, issued_invoice

pytestmark = pytest.mark.django_db


def login(user, language="en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def books(organization):
    customer = CustomerFactory(organization=organization, name="Bakker Bouw B.V.", number="D100")
    first = issued_invoice(customer, "121.00", issue_date=datetime.date(2026, 2, 1))
    second = issued_invoice(customer, "250.00", issue_date=datetime.date(2026, 2, 2))
    return {"customer": customer, "first": first, "second": second}


def statement(books) -> bytes:
    first = books["first"].number
    return (
        ":20:S1\n:25:NL69INGB0123456789\n:28C:1\n:60F:C260308EUR0,00\n"
        f":61:2603090309C121,00NTRFNONREF//V1\n:86:/CNTP/NL20INGB0001234567/INGBNL2A/Bakker/X//REMI/USTD//{first}/\n"
        ":61:2603090309C200,00NTRFNONREF//V2\n:86:/CNTP/NL20INGB0001234567/INGBNL2A/Bakker Holding/X//REMI/USTD//termijn/\n"
        ":61:2603090309C3,00NTRFNONREF//V3\n:86:/CNTP/NL02BUNQ2025123456/BUNQNL2A/Bank/X//REMI/USTD//rente/\n"
        ":62F:C260309EUR324,00\n-\n"
    ).encode()


def upload(client, books):
    return client.post(
        reverse("banking:upload"),
        {"file": SimpleUploadedFile("day.sta", statement(books))},
        follow=True,
    )


def test_upload_then_review_and_decide(organization, books):
    controller = MembershipFactory(organization=organization, role=Role.CREDIT_CONTROLLER).user
    client = login(controller)
    response = upload(client, books)
    assert response.status_code == 200
    assert b"1 matched" in response.content
    page = client.get(reverse("banking:queue"))
    assert page.status_code == 200
    assert b"termijn" in page.content
    instalment = BankEntry.objects.get(entry_id="V2")
    interest = BankEntry.objects.get(entry_id="V3")
    detail = client.get(reverse("banking:entry", args=[instalment.public_id]))
    assert detail.status_code == 200
    assert b"a payer we do not know" in detail.content  # what matching concluded
    assert b"split_form" not in detail.content and b'name="invoice_0"' in detail.content
    # Split it: 200.00 on the second invoice.
    response = client.post(
        reverse("banking:split", args=[instalment.public_id]),
        {"invoice_0": books["second"].number, "amount_0": "200,00"},
    )
    assert response.status_code == 302
    instalment.refresh_from_db()
    assert instalment.status == EntryStatus.CONFIRMED
    books["second"].refresh_from_db()
    assert books["second"].open_amount == Decimal("50.00")
    assert BankAccount.objects.filter(
        customer=books["customer"], iban="NL20INGB0001234567"
    ).exists()
    client.post(reverse("banking:dismiss", args=[interest.public_id]))
    interest.refresh_from_db()
    assert interest.status == EntryStatus.NOT_CUSTOMER_PAYMENT


def test_a_wrong_split_is_explained(organization, books):
    client = login(MembershipFactory(organization=organization).user)
    upload(client, books)
    instalment = BankEntry.objects.get(entry_id="V2")
    response = client.post(
        reverse("banking:split", args=[instalment.public_id]),
        {"invoice_0": "NOPE-1", "amount_0": "10"},
    )
    assert response.status_code == 400
    assert b"NOPE-1" in response.content
    response = client.post(
        reverse("banking:split", args=[instalment.public_id]),
        {"invoice_0": books["second"].number, "amount_0": "900"},
    )
    assert response.status_code == 400
    # The same invoice on two rows is a sentence about the rows, not a server error.
    number = books["second"].number
    response = client.post(
        reverse("banking:split", args=[instalment.public_id]),
        {"invoice_0": number, "amount_0": "100", "invoice_1": number, "amount_1": "100"},
    )
    assert response.status_code == 400
    assert f"Invoice {number} is on an earlier row" in response.content.decode()


def test_a_payment_long_before_the_invoice_is_not_booked_by_itself(organization, books):
    client = login(MembershipFactory(organization=organization).user)
    old = statement(books).decode().replace(":61:2603090309C121", ":61:1403090309C121")
    client.post(reverse("banking:upload"), {"file": SimpleUploadedFile("old.sta", old.encode())})
    entry = BankEntry.objects.get(entry_id="V1")
    assert entry.status == EntryStatus.SUGGESTED and "long before" in entry.reason


def test_read_only_users_see_but_cannot_book(organization, books):
    writer = login(MembershipFactory(organization=organization).user)
    upload(writer, books)
    entry = BankEntry.objects.get(entry_id="V3")
    reader = login(MembershipFactory(organization=organization, role=Role.READ_ONLY).user)
    assert reader.get(reverse("banking:entry", args=[entry.public_id])).status_code == 200
    assert reader.post(reverse("banking:dismiss", args=[entry.public_id])).status_code == 403


def test_another_organization_cannot_reach_the_entries(organization, books):
    upload(login(MembershipFactory(organization=organization).user), books)
    entry = BankEntry.objects.get(entry_id="V3")
    stranger = login(MembershipFactory(organization=OrganizationFactory(slug="b")).user)
    assert stranger.get(reverse("banking:entry", args=[entry.public_id])).status_code == 404
    assert stranger.post(reverse("banking:dismiss", args=[entry.public_id])).status_code == 404
    assert b"termijn" not in stranger.get(reverse("banking:queue")).content


def test_a_broken_upload_imports_nothing(organization):
    client = login(MembershipFactory(organization=organization).user)
    response = client.post(
        reverse("banking:upload"),
        {"file": SimpleUploadedFile("bad.xml", b"<Document xmlns='urn:camt.053'><Stmt>")},
        follow=True,
    )
    assert b"bad.xml" in response.content
    assert not BankEntry.objects.exists()


def test_the_queue_speaks_dutch(organization, books):
    client = login(MembershipFactory(organization=organization).user, language="nl")
    upload(client, books)
    page = client.get(reverse("banking:queue"))
    assert "Bankbetalingen om na te kijken" in page.content.decode()
    assert "2 posten om na te kijken" in page.content.decode()
    assert "Niets gevonden" in page.content.decode()


def test_a_repeated_payment_is_held_for_review_and_kept_as_credit(organization, books):
    """Paid twice: the second payment with the same payer, amount and description within a
    few days is not booked as an overpayment but waits, proposed as credit on the customer."""
    client = login(MembershipFactory(organization=organization).user)
    upload(client, books)
    again = statement(books).decode().replace(":61:2603090309C121", ":61:2603110311C121")
    again = again.replace("//V1", "//V9").replace(":20:S1", ":20:S2")
    client.post(reverse("banking:upload"), {"file": SimpleUploadedFile("b.sta", again.encode())})
    repeat = BankEntry.objects.get(entry_id="V9")
    assert repeat.status == EntryStatus.SUGGESTED and "duplicate" in repeat.flags
    assert repeat.payment is None
    page = client.get(reverse("banking:entry", args=[repeat.public_id])).content.decode()
    assert "possibly paid twice" in page and "9 March 2026" in page
    client.post(reverse("banking:accept", args=[repeat.public_id]), {"candidate": "0"})
    repeat.refresh_from_db()
    assert repeat.status == EntryStatus.CONFIRMED
    assert repeat.payment.allocations.count() == 0  # credit on the customer, to refund or apply
    assert repeat.payment.customer == books["customer"]

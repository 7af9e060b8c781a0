"""Every page of the staff UI through the Django test client: what a user sees and can do."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tegoed.accounts.models import Language
from tegoed.invoices import queries as invoice_queries
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    MembershipFactory,
    OrganizationFactory,
    issued_invoice,
)
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_login_and_logout(controller, client):
    controller.set_password("geheim-wachtwoord-42")
    controller.save()
    page = client.post(
        reverse("accounts:login"),
        {"username": controller.username, "password": "geheim-wachtwoord-42"},
    )
    assert page.status_code == 302
    assert client.get("/").status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_says_so(controller, client):
    response = client.post(
        reverse("accounts:login"), {"username": controller.username, "password": "nee"}
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_a_user_without_organization_is_told(db, client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/")
    assert response.status_code == 403
    assert "organization" in response.content.decode().lower() or "organisatie" in (
        response.content.decode().lower()
    )


def test_dashboard_in_dutch_shows_totals_aging_and_work(client_a, ledger):
    page = text(client_a.get("/"))
    assert "Totaal openstaand" in page
    assert "€\xa01.534,56" in page  # both invoices open
    assert "€\xa01.234,56" in page  # overdue, 1–30 days... 31–60 days bucket
    assert "<svg" in page and 'role="img"' in page
    assert reverse("reports:overdue_debtors") in page  # loaded after the page
    debtors = text(client_a.get(reverse("reports:overdue_debtors"), HTTP_HX_REQUEST="true"))
    assert "Bouwbedrijf De Vries B.V." in debtors and "<html" not in debtors
    assert "Bouwbedrijf De Vries B.V." in text(client_a.get(reverse("reports:overdue_debtors")))
    assert "16 maart 2026" in page
    assert "bucket=31_60" in page


def test_dashboard_in_english_for_an_english_organization(db):
    organization = OrganizationFactory(language=Language.ENGLISH)
    user = MembershipFactory(organization=organization).user
    customer = CustomerFactory(organization=organization)
    issued_invoice(customer, "1234.56", issue_date=datetime.date(2026, 1, 5))
    page = text(login(user).get("/"))
    assert "Total open" in page
    assert "€1,234.56" in page
    assert "16 March 2026" in page


def test_the_language_choice_of_the_user_wins(client_a, ledger):
    client_a.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Total open" in text(client_a.get("/"))


def test_the_browser_language_comes_before_the_organization_language(client_a, ledger):
    assert "Total open" in text(client_a.get("/", headers={"accept-language": "en-GB,en;q=0.9"}))
    assert "Totaal open" in text(client_a.get("/", headers={"accept-language": "de-DE,nl;q=0.5"}))
    assert "Totaal open" in text(client_a.get("/", headers={"accept-language": "de-DE"}))
    client_a.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert "Totaal open" in text(client_a.get("/", headers={"accept-language": "en"}))


def test_more_than_90_days_overdue_are_collection_candidates(client_a, organization):
    customer = CustomerFactory(organization=organization, name="Oude Schuld B.V.")
    old = issued_invoice(
        customer,
        "80.00",
        issue_date=datetime.date(2025, 10, 1),
        due_date=datetime.date(2025, 11, 1),
    )
    page = text(client_a.get("/"))
    assert old.number in page


def test_organization_switch(controller, client_a, organization):
    second = OrganizationFactory(legal_name="Tweede Zaak B.V.")
    MembershipFactory(organization=second, user=controller)
    CustomerFactory(organization=second, name="Klant van de tweede zaak")
    page = text(client_a.get("/"))
    assert "Tweede Zaak B.V." in page  # offered in the switch
    response = client_a.post(
        reverse("accounts:switch_organization"), {"organization": str(second.public_id)}
    )
    assert response.status_code == 302
    assert "Klant van de tweede zaak" in text(client_a.get("/customers/"))


def test_customer_search_by_name_kvk_email_and_iban(client_a, organization, ledger):
    from tegoed.customers.models import BankAccount

    target = CustomerFactory(organization=organization, name="Zoekbaar B.V.", kvk_number="69599084")
    ContactFactory(customer=target, email="boekhouding@zoekbaar.example")
    BankAccount.objects.create(customer=target, iban="NL02ABNA0123456789")
    for term in ("zoekbaar", "69599084", "boekhouding@zoekbaar.example", "NL02 ABNA 0123 4567 89"):
        page = text(client_a.get("/customers/", {"q": term}))
        assert "Zoekbaar B.V." in page, term
        assert "De Vries" not in page, term


def test_customer_filters_overdue_and_kind_with_htmx_partial(client_a, organization, ledger):
    CustomerFactory(organization=organization, name="Op Tijd B.V.")
    page = text(client_a.get("/customers/", {"overdue": "on"}))
    assert "De Vries" in page and "Op Tijd" not in page
    partial = text(
        client_a.get(
            "/customers/", {"kind": "consumer"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
        )
    )
    assert "<html" not in partial
    assert "De Vries" not in partial


def test_customer_page_statement_habits_contacts(client_a, ledger):
    customer, invoice = ledger["customer"], ledger["overdue"]
    page = text(client_a.get(customer.get_absolute_url(), {"since": "2026-01-01"}))
    assert "Rekeningoverzicht" in page
    assert invoice.number in page
    assert "€\xa01.534,56" in page  # balance after both invoices
    assert "Anna de Vries" in page
    assert "Betaalgedrag" in page


def test_statement_opening_balance_and_payments(client_a, controller, ledger):
    from tegoed.invoices import services

    invoice = ledger["overdue"]
    services.record_payment(
        organization=invoice.organization,
        amount=Decimal("234.56"),
        received_on=datetime.date(2026, 2, 10),
        acting_user=controller,
        customer=invoice.customer,
        allocate_to=[(invoice, Decimal("234.56"))],
    )
    page = text(client_a.get(invoice.customer.get_absolute_url(), {"since": "2026-02-01"}))
    assert "€\xa01.234,56" in page  # opening balance: the January invoice
    assert "€\xa01.300,00" in page  # after the payment and the March invoice


def test_create_and_edit_a_customer_with_inline_errors(client_a, organization):
    response = client_a.post(
        reverse("customers:create"),
        {"number": "K-1", "kind": "business", "name": "", "country": "NL", "language": "nl",
         "kvk_number": "123"},
    )  # fmt: skip
    page = text(response)
    assert 'aria-invalid="true"' in page
    response = client_a.post(
        reverse("customers:create"),
        {"number": "K-1", "kind": "business", "name": "Nieuwe Klant B.V.", "country": "NL",
         "language": "nl"},
    )  # fmt: skip
    assert response.status_code == 302
    customer = organization.customers.get(number="K-1")
    response = client_a.post(
        reverse("customers:edit", args=[customer.public_id]),
        {"number": "K-1", "kind": "business", "name": "Hernoemde Klant B.V.", "country": "NL",
         "language": "nl", "city": "Zwolle"},
    )  # fmt: skip
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.name, customer.city) == ("Hernoemde Klant B.V.", "Zwolle")
    duplicate = client_a.post(
        reverse("customers:create"),
        {"number": "K-1", "kind": "business", "name": "Dubbel", "country": "NL", "language": "nl"},
    )
    assert duplicate.status_code == 200


def test_add_and_edit_a_contact(client_a, ledger):
    customer = ledger["customer"]
    url = reverse("customers:contact_create", args=[customer.public_id])
    assert text(
        client_a.post(url, {"name": "Piet", "role": "billing", "preferred_channel": "email"})
    )
    created = client_a.post(
        url,
        {
            "name": "Piet",
            "role": "purchasing",
            "email": "piet@x.example",
            "preferred_channel": "email",
        },
    )
    assert created.status_code == 302
    contact = customer.contacts.get(name="Piet")
    edit = reverse("customers:contact_edit", args=[customer.public_id, contact.pk])
    client_a.post(
        edit,
        {"name": "Piet Jansen", "role": "purchasing", "phone": "0612345678",
         "preferred_channel": "phone"},
    )  # fmt: skip
    contact.refresh_from_db()
    assert (contact.name, contact.phone) == ("Piet Jansen", "0612345678")


def test_add_a_note_with_htmx_and_without(client_a, ledger):
    customer = ledger["customer"]
    url = reverse("customers:note_add", args=[customer.public_id])
    partial = text(client_a.post(url, {"text": "Belde over factuur"}, HTTP_HX_REQUEST="true"))
    assert "Belde over factuur" in partial and "<html" not in partial
    assert client_a.post(url, {"text": "Tweede notitie"}).status_code == 302
    assert customer.timeline.count() == 2


def test_invoice_list_filters_search_and_pages(client_a, organization, ledger):
    page = text(client_a.get("/invoices/", {"overdue": "on"}))
    assert ledger["overdue"].number in page and ledger["current"].number not in page
    page = text(client_a.get("/invoices/", {"q": ledger["current"].number}))
    assert ledger["current"].number in page and ledger["overdue"].number not in page
    page = text(client_a.get("/invoices/", {"q": ledger["current"].payment_reference.lower()}))
    assert ledger["current"].number in page
    page = text(client_a.get("/invoices/", {"bucket": "not_due"}))
    assert ledger["current"].number in page and ledger["overdue"].number not in page
    page = text(client_a.get("/invoices/", {"amount_min": "1000"}))
    assert ledger["overdue"].number in page and ledger["current"].number not in page
    page = text(client_a.get("/invoices/", {"state": "paid"}))
    assert ledger["overdue"].number not in page
    page = text(client_a.get("/invoices/", {"customer": ledger["customer"].public_id}))
    assert ledger["overdue"].number in page


def test_invoice_list_keyset_pages_cover_every_row_once(client_a, organization):
    import re

    customer = CustomerFactory(organization=organization)
    numbers = {
        issued_invoice(customer, "10.00", issue_date=datetime.date(2026, 1, 1 + i % 28)).number
        for i in range(55)
    }
    seen, url = [], "/invoices/?sort=-total"
    while url:
        page = text(client_a.get(url))
        seen += re.findall(r">(20\d\d-\d{5})<", page)
        following = re.search(r'href="(\?[^"]*after=[^"]*)"', page)
        url = "/invoices/" + following.group(1).replace("&amp;", "&") if following else None
    assert sorted(seen) == sorted(numbers)


def test_invoice_page_shows_lines_bookings_and_audit_trail(client_a, ledger):
    page = text(client_a.get(ledger["overdue"].get_absolute_url()))
    assert "Werk" in page
    number = ledger["overdue"].number
    issued = f"Verstuurd als {number} voor €\xa01.234,56, te betalen uiterlijk 4 februari 2026."
    assert issued in page
    assert "Betaling boeken" in page
    assert "(vervallen)" in page


def test_record_a_payment_and_the_balance_changes(client_a, ledger):
    invoice = ledger["overdue"]
    url = reverse("invoices:record_payment", args=[invoice.public_id])
    partial = text(
        client_a.post(
            url,
            {"amount": "234,56", "received_on": "2026-03-16", "method": "bank_transfer"},
            HTTP_HX_REQUEST="true",
        )
    )
    assert invoice_queries.balance_of(invoice).open == Decimal("1000.00")
    assert "€\xa01.000,00" in partial and "<html" not in partial
    # More than is open: the invoice is paid, the rest is credit on the account.
    response = client_a.post(
        url, {"amount": "1500.00", "received_on": "2026-03-16", "method": "bank_transfer"}
    )
    assert response.status_code == 302
    assert invoice_queries.balance_of(invoice).state == "paid"


def test_a_wrong_payment_is_explained_next_to_the_field(client_a, ledger):
    url = reverse("invoices:record_payment", args=[ledger["overdue"].public_id])
    response = client_a.post(url, {"amount": "-5", "received_on": "", "method": "bank_transfer"})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()


def test_credit_and_write_off(client_a, ledger):
    overdue, current = ledger["overdue"], ledger["current"]
    credit = reverse("invoices:credit", args=[overdue.public_id])
    refused = client_a.post(credit, {"reason": ""})
    assert refused.status_code == 422
    # A credit controller may give up 1.000,00 at a time (tegoed/accounts/approval.py).
    over = text_of(client_a.post(credit, {"reason": "Dubbel gefactureerd"}))
    assert "goedkeuringslimiet van €\xa01.000,00" in over
    assert invoice_queries.balance_of(overdue).state == "open"
    line = overdue.lines.get()
    partial = client_a.post(credit, {"reason": "Korting", f"line_{line.pk}": "0,5"})
    assert partial.status_code == 302
    assert invoice_queries.balance_of(overdue).open == Decimal("617.28")
    client_a.post(credit, {"reason": "Nog korting", "amount": "17,28", "vat_rate": "0"})
    assert invoice_queries.balance_of(overdue).open == Decimal("600.00")
    write_off = reverse("invoices:write_off", args=[current.public_id])
    client_a.post(write_off, {"reason": "Klein", "amount": "100,00"})
    assert invoice_queries.balance_of(current).open == Decimal("200.00")
    client_a.post(write_off, {"reason": "Klein"})
    assert invoice_queries.balance_of(current).state == "written_off"


def test_the_credit_action_goes_once_nothing_is_left_to_credit(organization, ledger):
    owner = login(MembershipFactory(organization=organization, role="owner").user)
    invoice = ledger["current"]
    assert "Factuur crediteren" in text(owner.get(invoice.get_absolute_url()))
    owner.post(reverse("invoices:credit", args=[invoice.public_id]), {"reason": "Vervallen"})
    assert invoice_queries.balance_of(invoice).state == "credited"
    assert "Factuur crediteren" not in text(owner.get(invoice.get_absolute_url()))


def text_of(response) -> str:
    return response.content.decode()


def draft_data(customer_number: str, **changes) -> dict:
    data = {
        "customer": customer_number,
        "issue_date": "",
        "due_date": "",
        "customer_reference": "PO-7",
        "description": "Onderhoud",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-description": "Onderhoud cv-ketel",
        "lines-0-quantity": "2",
        "lines-0-unit": "uur",
        "lines-0-unit_price": "65.00",
        "lines-0-vat_rate": "21",
    }
    data.update(changes)
    return data


def test_draft_create_validate_edit_and_issue(client_a, organization):
    customer = CustomerFactory(organization=organization, street="", city="")
    url = reverse("invoices:create")
    assert customer.number in text(client_a.get(url, {"customer": customer.number}))
    unknown = text(client_a.post(url, draft_data("X-404")))
    assert "X-404" in unknown and 'aria-invalid="true"' in unknown
    no_price = text(client_a.post(url, draft_data(customer.number, **{"lines-0-unit_price": ""})))
    assert 'aria-invalid="true"' in no_price
    more = text(client_a.post(url, {**draft_data(customer.number), "add_line": "1"}))
    assert 'name="lines-1-description"' in more and "Onderhoud cv-ketel" in more
    # With htmx the form swaps only itself: saving sends the browser to the invoice page.
    response = client_a.post(url, draft_data(customer.number), headers={"HX-Request": "true"})
    assert response.status_code == 200
    draft = organization.invoices.get(lifecycle="draft")
    assert response["HX-Redirect"] == draft.get_absolute_url()
    assert draft.total == Decimal("157.30")
    page = text(client_a.get(draft.get_absolute_url()))
    assert "Ontbreekt:" in page  # the address and an e-mail address are missing
    issue = reverse("invoices:issue", args=[draft.public_id])
    refused = client_a.post(issue, follow=True)
    assert "Niet uitgereikt" in refused.content.decode() or "Niet verstuurd" in (
        refused.content.decode()
    )
    draft.refresh_from_db()
    assert draft.is_draft
    customer.street, customer.city = "Markt 1", "Delft"
    customer.save()
    ContactFactory(customer=customer)
    edit = reverse("invoices:edit", args=[draft.public_id])
    assert "Onderhoud cv-ketel" in text(client_a.get(edit))
    changed = draft_data(customer.number, **{"lines-0-quantity": "3", "lines-INITIAL_FORMS": "0"})
    assert client_a.post(edit, changed).status_code == 302
    assert client_a.post(issue).status_code == 302
    draft.refresh_from_db()
    assert not draft.is_draft and draft.total == Decimal("235.95")
    assert client_a.get(edit).status_code == 302  # an issued invoice is not edited


def test_drafts_are_listed_only_when_asked(client_a, organization, ledger):
    from tegoed.invoices import services
    from tests.factories import line

    services.save_draft_invoice(
        organization=organization,
        customer=ledger["customer"],
        lines=[line("5.00")],
        acting_user=None,
        description="Conceptje",
    )
    assert (
        "Concept" not in text(client_a.get("/invoices/")).split("<tbody>")[1].split("</tbody>")[0]
    )
    assert "Concept" in text(client_a.get("/invoices/", {"state": "draft"}))


def test_refusals_speak_of_the_input_not_the_database(client_a, organization):
    customer = CustomerFactory(organization=organization)
    page = text(
        client_a.post(
            reverse("invoices:create"),
            draft_data(customer.number, **{"lines-0-unit_price": "-65,00"}),
        )
    )
    assert "invoice_total_not_negative" not in page and "Constraint" not in page
    assert "minder dan nul" in page
    ambiguous = text(
        client_a.post(
            reverse("invoices:create"),
            draft_data(customer.number, **{"lines-0-unit_price": "1.234"}),
        )
    )
    assert "“1.234” is op twee manieren te lezen" in ambiguous and "1.234,00" in ambiguous


def test_an_unlikely_payment_date_is_asked_about_before_it_is_booked(client_a, ledger):
    invoice = ledger["overdue"]
    url = reverse("invoices:record_payment", args=[invoice.public_id])
    data = {"amount": "100,00", "received_on": "2029-03-16", "method": "bank_transfer"}
    asked = text(client_a.post(url, data))
    assert "na vandaag" in asked and 'name="confirmed"' in asked
    assert invoice_queries.balance_of(invoice).paid == 0
    assert client_a.post(url, {**data, "confirmed": "on"}).status_code == 302
    assert invoice_queries.balance_of(invoice).paid == Decimal("100.00")

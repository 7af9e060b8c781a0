"""Tenant separation, roles, CSRF and escaping, for every page of the staff UI."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tegoed.accounts.models import Role
from tests.factories import CustomerFactory, MembershipFactory, issued_invoice
from tests.web.conftest import login


def all_patterns(patterns=None, namespace=""):
    """(name with namespace, pattern) for every URL pattern of the project, recursively."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from all_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def tenant_patterns():
    """Every named pattern that takes an object id: each must refuse another tenant's object."""
    found = []
    for name, pattern in all_patterns():
        if name.startswith("admin:"):
            continue  # the admin is for the install's operators, not for tenants
        converters = pattern.pattern.converters
        if converters:
            found.append((name, tuple(converters)))
    return found


def objects_of_b(name: str, parameters, other) -> list[dict]:
    """Arguments pointing at organization B's objects, for any parameter a pattern takes."""
    candidates = []
    for subject in ("customer", "invoice"):
        kwargs = {}
        for parameter in parameters:
            if parameter == "contact_id":
                kwargs[parameter] = other["contact"].pk
            elif "id" in parameter or "public" in parameter:
                kwargs[parameter] = other[subject].public_id
            else:
                kwargs[parameter] = other[subject].pk
        candidates.append(kwargs)
    return candidates


def test_the_tenant_patterns_include_every_customer_and_invoice_page():
    names = {name for name, _parameters in tenant_patterns()}
    assert {"customers:detail", "customers:edit", "invoices:detail", "invoices:record_payment"} <= (
        names
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "parameters"), tenant_patterns())
def test_a_user_of_organization_a_gets_404_on_every_url_of_organization_b(
    name, parameters, client_a, other_organization
):
    for kwargs in objects_of_b(name, parameters, other_organization):
        url = reverse(name, kwargs=kwargs)
        get = client_a.get(url)
        post = client_a.post(url, {})
        assert get.status_code in (404, 405), f"GET {url}: {get.status_code}"
        assert post.status_code in (404, 405), f"POST {url}: {post.status_code}"
        assert 404 in (get.status_code, post.status_code), url


@pytest.mark.django_db
def test_organization_b_s_invoice_is_not_in_a_s_lists(client_a, ledger, other_organization):
    for url in ("/", "/customers/", "/invoices/", "/invoices/?overdue=on"):
        assert "Klant van B" not in client_a.get(url).content.decode()


STAFF_PAGES = [
    "reports:dashboard",
    "customers:list",
    "customers:create",
    "invoices:list",
    "invoices:create",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_PAGES)
def test_pages_need_a_login(name, client):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_every_post_form_carries_a_csrf_token(client_a, ledger):
    customer, invoice = ledger["customer"], ledger["overdue"]
    pages = [
        "/",
        "/customers/",
        customer.get_absolute_url(),
        reverse("customers:edit", args=[customer.public_id]),
        reverse("customers:contact_create", args=[customer.public_id]),
        "/invoices/",
        invoice.get_absolute_url(),
        reverse("invoices:create"),
    ]
    for page in pages:
        html = client_a.get(page).content.decode()
        forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", html, flags=re.S)
        assert forms, page
        for form in forms:
            assert "csrfmiddlewaretoken" in form, (page, form[:200])


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(controller, ledger):
    client = Client(enforce_csrf_checks=True)
    client.force_login(controller)
    url = reverse("invoices:record_payment", args=[ledger["overdue"].public_id])
    response = client.post(url, {"amount": "10.00", "received_on": "2026-03-16"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_names_with_script_render_harmless(client_a, organization):
    evil = CustomerFactory(organization=organization, name="<script>alert('x')</script> B.V.")
    invoice = issued_invoice(evil, "50.00")
    for url in (
        "/",
        "/customers/",
        "/customers/?q=script",
        evil.get_absolute_url(),
        "/invoices/",
        invoice.get_absolute_url(),
    ):
        html = client_a.get(url).content.decode()
        assert "<script>alert" not in html, url
    assert "&lt;script&gt;alert" in client_a.get(evil.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_read_only_changes_nothing_and_sees_no_controls(organization, ledger):
    reader = MembershipFactory(organization=organization, role=Role.READ_ONLY).user
    client = login(reader)
    invoice, customer = ledger["overdue"], ledger["customer"]
    page = client.get(invoice.get_absolute_url()).content.decode()
    assert "Record a payment" not in page and "Betaling boeken" not in page
    payment = {"amount": "1", "received_on": "2026-03-16", "method": "bank_transfer"}
    refused = [
        ("invoices:record_payment", [invoice.public_id], payment),
        ("invoices:credit", [invoice.public_id], {"reason": "x"}),
        ("invoices:write_off", [invoice.public_id], {"reason": "x"}),
        ("invoices:create", [], {}),
        ("customers:create", [], {}),
        ("customers:edit", [customer.public_id], {}),
        ("customers:contact_create", [customer.public_id], {}),
        ("customers:note_add", [customer.public_id], {"text": "hallo"}),
    ]  # fmt: skip
    for name, args, data in refused:
        assert client.post(reverse(name, args=args), data).status_code == 403, name
    assert not invoice.allocations.exists()
    assert not customer.timeline.exists()


@pytest.mark.django_db
def test_sales_sees_only_its_own_customers(organization, ledger):
    seller = MembershipFactory(organization=organization, role=Role.SALES).user
    own = CustomerFactory(organization=organization, name="Eigen Klant B.V.", sales_owner=seller)
    own_invoice = issued_invoice(own, "10.00")
    client = login(seller)
    listing = client.get("/customers/").content.decode()
    assert "Eigen Klant" in listing and "De Vries" not in listing
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(own_invoice.get_absolute_url()).status_code == 200
    assert client.get(ledger["customer"].get_absolute_url()).status_code == 404
    assert client.get(ledger["overdue"].get_absolute_url()).status_code == 404
    assert "De Vries" not in client.get("/invoices/").content.decode()
    # Sales may write a note about its own customer, not book money.
    note = client.post(reverse("customers:note_add", args=[own.public_id]), {"text": "Gebeld"})
    assert note.status_code == 302
    payment = reverse("invoices:record_payment", args=[own_invoice.public_id])
    assert client.post(payment, {"amount": "10.00"}).status_code == 403


@pytest.mark.django_db
def test_switching_to_an_organization_one_is_not_a_member_of_is_404(client_a, other_organization):
    response = client_a.post(
        reverse("accounts:switch_organization"),
        {"organization": str(other_organization["organization"].public_id)},
    )
    assert response.status_code == 404

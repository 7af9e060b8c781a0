"""The organization's own settings from the screen: new invoices use them, issued ones keep
what they were sent with; members' roles and approval limits are changed by owners only."""

import datetime
from decimal import Decimal

from django.urls import reverse

from tegoed.accounts.models import Role
from tegoed.documents.queries import invoice_pdf
from tests.documents.reading import pdf_text
from tests.factories import CustomerFactory, MembershipFactory, issued_invoice
from tests.web.conftest import login


def settings_data(organization, **changes) -> dict:
    data = {
        name: getattr(organization, name) or ""
        for name in (
            "legal_name", "trade_name", "street", "postal_code", "city", "country",
            "kvk_number", "vat_number", "iban", "bic", "sepa_creditor_id", "sender_email",
            "reply_to_email", "phone", "website", "language", "invoice_number_prefix",
            "default_payment_term_days",
        )
    }  # fmt: skip
    data.update({"limit_credit_controller": "1.000,00", "limit_sales": "0"})
    data.update(changes)
    return data


def test_new_invoices_use_changed_settings_and_issued_ones_do_not(organization):
    owner = login(MembershipFactory(organization=organization, role=Role.OWNER).user)
    customer = CustomerFactory(organization=organization)
    before = issued_invoice(customer, "100.00")
    sent = invoice_pdf(before)
    response = owner.post(
        reverse("accounts:settings"),
        settings_data(
            organization,
            legal_name="Nieuwe Naam B.V.",
            iban="NL20INGB0001234567",
            invoice_number_prefix="NN",
            default_payment_term_days="14",
            limit_credit_controller="250,00",
        ),
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    organization.refresh_from_db()
    assert organization.approval_limits["credit_controller"] == "250.00"
    after = issued_invoice(customer, "80.00", issue_date=datetime.date(2026, 3, 2))
    assert after.number.startswith("NN2026-")
    new_text = pdf_text(invoice_pdf(after))
    assert "Nieuwe Naam B.V." in new_text and "NL20 INGB 0001 2345 67" in new_text
    before.refresh_from_db()
    assert invoice_pdf(before) == sent and "Nieuwe Naam" not in pdf_text(sent)
    assert before.organization_as_issued["legal_name"] != "Nieuwe Naam B.V."


def test_members_roles_and_limits_change_by_owners_only(organization):
    owner_user = MembershipFactory(organization=organization, role=Role.OWNER).user
    controller = MembershipFactory(organization=organization, role=Role.CREDIT_CONTROLLER)
    page = login(owner_user).get(reverse("accounts:settings")).content.decode()
    url = reverse("accounts:member", args=[controller.user.username])
    assert controller.user.email in page and url in page
    login(owner_user).post(url, {"role": "credit_controller", "approval_limit": "5.000,00"})
    controller.refresh_from_db()
    assert controller.approval_limit == Decimal("5000.00")
    assert login(controller.user).post(url, {"role": "owner"}).status_code == 403
    assert login(controller.user).post(reverse("accounts:settings"), {}).status_code == 403
    # The last owner stays an owner.
    only_owner = owner_user.memberships.get()
    login(owner_user).post(
        reverse("accounts:member", args=[owner_user.username]), {"role": "sales"}
    )
    only_owner.refresh_from_db()
    assert only_owner.role == Role.OWNER

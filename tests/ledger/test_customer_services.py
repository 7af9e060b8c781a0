import pytest
from django.core.exceptions import ValidationError

from tegoed.audit.models import AuditEvent
from tegoed.customers import services
from tegoed.domain.errors import DomainError

pytestmark = pytest.mark.django_db


def test_a_customer_is_created_with_identifiers_in_standard_form(organization, member):
    customer = services.create_customer(
        organization=organization,
        acting_user=member,
        number="D1",
        name="Bakker B.V.",
        kvk_number="3012 3456",
        vat_number="nl 0044.95.445.b01",
    )
    assert (customer.kvk_number, customer.vat_number) == ("30123456", "NL004495445B01")
    assert AuditEvent.objects.get(action="customer.created").actor == member


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("kvk_number", "123", "must be 8 digits"),
        ("vat_number", "NL123456789B02", "not valid"),
    ],
)
def test_invalid_kvk_or_vat_is_refused_with_the_reason(organization, field, value, reason):
    with pytest.raises(DomainError, match=reason):
        services.create_customer(
            organization=organization, acting_user=None, number="D1", name="X", **{field: value}
        )


def test_a_customer_number_is_unique_per_organization(organization, customer):
    with pytest.raises(DomainError):
        services.create_customer(
            organization=organization, acting_user=None, number=customer.number, name="Other"
        )


def test_an_invalid_iban_is_refused_and_a_valid_one_learned_once(customer):
    with pytest.raises(DomainError, match="IBAN"):
        services.learn_bank_account(customer=customer, iban="NL00ABNA0417164300", acting_user=None)
    services.learn_bank_account(customer=customer, iban="nl91 abna 0417 1643 00", acting_user=None)
    services.learn_bank_account(customer=customer, iban="NL91ABNA0417164300", acting_user=None)
    assert list(customer.bank_accounts.values_list("iban", flat=True)) == ["NL91ABNA0417164300"]
    assert AuditEvent.objects.filter(action="customer.iban_learned").count() == 1


def test_update_records_what_changed_and_validates(customer):
    services.update_customer(
        customer=customer, acting_user=None, city="Gouda", payment_term_days=14
    )
    event = AuditEvent.objects.get(action="customer.changed")
    assert set(event.details["changed"]) == {"city", "payment_term_days"}
    with pytest.raises(ValidationError):
        services.update_customer(customer=customer, acting_user=None, kind="alien")


def test_a_contact_needs_a_valid_email(customer):
    with pytest.raises(ValidationError):
        services.save_contact(customer=customer, acting_user=None, email="not-an-address")

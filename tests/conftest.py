import pytest

from tests.factories import CustomerFactory, MembershipFactory, OrganizationFactory


@pytest.fixture
def organization(db):
    return OrganizationFactory()


@pytest.fixture
def member(organization):
    """A credit controller of `organization`."""
    return MembershipFactory(organization=organization).user


@pytest.fixture
def customer(organization):
    return CustomerFactory(organization=organization)

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Service messages are asserted in English; the Dutch catalogue is tested with the pages."""
    with translation.override("en"):
        yield

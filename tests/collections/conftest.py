from tests.arrangements.conftest import live  # noqa: F401
from tests.dunning.conftest import english, smtp  # noqa: F401

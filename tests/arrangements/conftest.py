import datetime

import pytest

from tests.dunning.conftest import english, smtp  # noqa: F401


def live(organization, start: datetime.date, end: datetime.date) -> None:
    """Run the daily run on every day from `start` through `end`, as cron would."""
    from tegoed.dunning import run

    day = start
    while day <= end:
        run.run_dunning(organization, today=day)
        day += datetime.timedelta(days=1)


@pytest.fixture
def sales_owner(organization):
    from tests.factories import MembershipFactory

    return MembershipFactory(organization=organization, role="sales").user

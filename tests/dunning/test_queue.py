"""`tegoed send --queue`: one task per organization, delivered by a worker."""

import datetime
import io

import pytest
from django.core.management import call_command

from tegoed.dunning import run
from tegoed.dunning.models import DunningSettings, Message
from tests.factories import CustomerFactory, issued_invoice

WEDNESDAY = datetime.date(2026, 3, 4)


# The worker closes its database connection as a worker should: the test commits for real.
@pytest.mark.django_db(transaction=True)
def test_send_queue_leaves_the_sending_to_a_worker(organization, smtp):
    issued_invoice(CustomerFactory(organization=organization), "100.00")
    run.run_dunning(organization, today=WEDNESDAY)
    DunningSettings.objects.filter(organization=organization).update(
        window_start=datetime.time(0, 0), window_end=datetime.time(23, 59, 59)
    )
    out = io.StringIO()
    call_command("send", "--queue", organization=organization.slug, stdout=out)
    assert out.getvalue() == f"{organization.slug}: queued\n"
    assert smtp.messages == []
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out)
    assert [m["Message-ID"] for _to, m in smtp.messages] == [Message.objects.get().message_id]

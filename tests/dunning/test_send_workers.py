"""`tegoed send --workers 2`: the outbox shared out over two processes, each message once."""

import datetime
from collections import Counter

import pytest

from tegoed.dunning import run, services
from tegoed.dunning.models import Message, MessageState
from tests.dunning.conftest import Inbox, smtp_server
from tests.dunning.processes import SharedDatabase
from tests.factories import CustomerFactory, issued_invoice

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TUESDAY = datetime.date(2026, 3, 3)
CUSTOMERS = 5


def test_two_workers_send_every_message_once_with_its_invoice(organization, tmp_path):
    settings = services.ensure_defaults(organization)
    settings.window_start, settings.window_end = datetime.time(0, 0), datetime.time(23, 59, 59)
    settings.save()
    invoices = [
        issued_invoice(CustomerFactory(organization=organization), "100.00")
        for _ in range(CUSTOMERS)
    ]
    run.run_dunning(organization, today=TUESDAY)
    assert Message.objects.filter(state=MessageState.PENDING).count() == CUSTOMERS

    inbox = Inbox()
    with smtp_server(inbox) as port, SharedDatabase(tmp_path) as database:
        out = database.run(
            "send", "--organization", organization.slug, "--workers", "2",
            env={"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)},
        )  # fmt: skip
    assert f"{CUSTOMERS} sent" in out

    received = Counter(message["Message-ID"] for _to, message in inbox.messages)
    assert max(received.values()) == 1
    assert set(received) == set(Message.objects.values_list("message_id", flat=True))
    assert set(Message.objects.values_list("state", flat=True)) == {MessageState.SENT}
    attached = {
        part.get_filename()
        for _to, message in inbox.messages
        for part in message.iter_attachments()
        if part.get_content().startswith(b"%PDF")
    }
    assert len(attached) == CUSTOMERS
    assert all(any(invoice.number in name for name in attached) for invoice in invoices)

"""`tegoed send` killed in the middle of a batch, then run again: nothing goes out twice.

A real `tegoed send` process delivers to an SMTP server that takes its time to answer; it is
killed (SIGKILL) while the server holds a message it has not yet confirmed. Once the sender is
known to be dead, the next `tegoed send` flags that message `uncertain` and delivers the rest:
every message reached the server exactly once, or is flagged.
"""

import asyncio
import datetime
import email
import signal
from collections import Counter
from email import policy

import pytest
from django.utils import timezone

from tegoed.dunning import run, sending, services
from tegoed.dunning.models import Message, MessageState
from tests.dunning.conftest import smtp_server
from tests.dunning.processes import SharedDatabase
from tests.factories import CustomerFactory, issued_invoice

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TUESDAY = datetime.date(2026, 3, 3)
CUSTOMERS = 6
KILL_AFTER = 3


class SlowInbox:
    """Takes each message, then waits before saying it is accepted."""

    def __init__(self) -> None:
        self.message_ids: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.message_ids.append(parsed["Message-ID"])
        await asyncio.sleep(0.5)
        return "250 OK"


@pytest.fixture
def slow_smtp():
    inbox = SlowInbox()
    with smtp_server(inbox) as port:
        yield inbox, {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}


def test_a_killed_sender_sends_nothing_twice(organization, tmp_path, slow_smtp):
    inbox, mail = slow_smtp
    settings = services.ensure_defaults(organization)
    settings.window_start, settings.window_end = datetime.time(0, 0), datetime.time(23, 59, 59)
    settings.save()
    for _ in range(CUSTOMERS):
        issued_invoice(CustomerFactory(organization=organization), "100.00")
    run.run_dunning(organization, today=TUESDAY)
    assert Message.objects.filter(state=MessageState.PENDING).count() == CUSTOMERS

    send = ["send", "--organization", organization.slug]
    database = SharedDatabase(tmp_path)
    with database:
        sender = database.start(*send, name="sender", env=mail)
        try:
            database.wait_for(
                lambda: len(inbox.message_ids) >= KILL_AFTER or sender.poll() is not None,
                what=f"{KILL_AFTER} messages at the server",
            )
        finally:
            sender.send_signal(signal.SIGKILL)
            sender.wait(timeout=30)
    assert sender.returncode == -signal.SIGKILL
    # The server holds the last message it took, unconfirmed: the sender had claimed it.
    unconfirmed = Message.objects.get(state=MessageState.SENDING)
    assert unconfirmed.message_id == inbox.message_ids[-1]
    assert Message.objects.filter(state=MessageState.SENT).count() == len(inbox.message_ids) - 1

    # The dead sender's claim grows old; the next send flags the message and sends the rest.
    Message.objects.filter(state=MessageState.SENDING).update(
        updated_at=timezone.now() - sending.STALE_AFTER - datetime.timedelta(minutes=1)
    )
    with database:
        out = database.run(*send, env=mail)
    assert "1 may have gone out" in out

    received = Counter(inbox.message_ids)
    assert max(received.values()) == 1
    states = dict(Message.objects.values_list("message_id", "state"))
    assert set(states) == set(received)
    assert states.pop(unconfirmed.message_id) == MessageState.UNCERTAIN
    assert set(states.values()) == {MessageState.SENT}

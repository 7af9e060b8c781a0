"""Two real `tegoed db_worker` processes share the queue: every organization is run once.

`tegoed run --queue` puts one task per organization on the queue while two more cron jobs
enqueue some of them again; two workers take the tasks side by side. Each organization gets one
run, each of its overdue invoices one step, each customer one message, delivered once.
"""

import datetime
import signal

import pytest
from django_tasks_db.models import DBTaskResult

from tegoed.dunning import services
from tegoed.dunning.models import InvoiceStep, Message, MessageState, Run
from tests.dunning.processes import SharedDatabase
from tests.factories import CustomerFactory, OrganizationFactory, issued_invoice

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TUESDAY = datetime.date(2026, 3, 3)
ORGANIZATIONS = 4
CUSTOMERS = 2


def organization_with_overdue_invoices():
    organization = OrganizationFactory()
    settings = services.ensure_defaults(organization)
    # E-mails go out whenever the test runs.
    settings.window_start, settings.window_end = datetime.time(0, 0), datetime.time(23, 59, 59)
    settings.save()
    for _ in range(CUSTOMERS):
        customer = CustomerFactory(organization=organization, language="en")
        issued_invoice(customer, "120.00", issue_date=datetime.date(2026, 1, 5))
    return organization


def test_two_workers_run_every_organization_once(tmp_path, smtp, settings):
    organizations = [organization_with_overdue_invoices() for _ in range(ORGANIZATIONS)]
    table = DBTaskResult._meta.db_table
    mail = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(settings.EMAIL_PORT)}
    with SharedDatabase(tmp_path) as database:
        workers = [
            database.start(
                "db_worker",
                "--interval",
                "0.2",
                "--no-startup-delay",
                "--no-reload",
                "--worker-id",
                f"worker-{number}",
                name=f"worker-{number}",
                env=mail,
            )
            for number in (1, 2)
        ]
        try:
            for number in (1, 2):
                database.wait_for(
                    lambda number=number: "Starting worker" in database.log(f"worker-{number}"),
                    what=f"worker {number} to start",
                )
            # Three cron jobs at once: one for all organizations, two for one each.
            queue = ["run", "--queue", "--date", TUESDAY.isoformat()]
            enqueuing = [
                database.start(*queue, name="queue-all"),
                *(
                    database.start(*queue, "--organization", organization.slug, name=f"queue-{n}")
                    for n, organization in enumerate(organizations[:2])
                ),
            ]
            assert [process.wait(timeout=120) for process in enqueuing] == [0, 0, 0]
            database.wait_for(
                lambda: database.count(table, "status IN ('READY', 'RUNNING')") == 0,
                what="the queue to empty",
            )
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            for worker in workers:
                worker.wait(timeout=60)

    results = list(DBTaskResult.objects.all())
    assert len(results) == ORGANIZATIONS + 2
    assert {result.status for result in results} == {"SUCCESSFUL"}, [
        (result.status, result.exception_class_path, result.traceback) for result in results
    ]
    # Both workers took tasks.
    assert {worker for result in results for worker in result.worker_ids} == {
        "worker-1",
        "worker-2",
    }
    for organization in organizations:
        assert Run.objects.filter(organization=organization).count() == 1
        steps = InvoiceStep.objects.filter(organization=organization)
        assert steps.count() == CUSTOMERS
        assert set(steps.values_list("level", flat=True)) == {1}
        messages = Message.objects.filter(organization=organization)
        assert messages.count() == CUSTOMERS
        assert set(messages.values_list("state", flat=True)) == {MessageState.SENT}
    # The decided steps of the twice-queued organizations: once, by whichever task came first.
    decided = [result.return_value.get("steps", 0) for result in results]
    assert sum(decided) == ORGANIZATIONS * CUSTOMERS
    received = [message["Message-ID"] for _to, message in smtp.messages]
    assert sorted(received) == sorted(Message.objects.values_list("message_id", flat=True))

"""The daily run as background jobs: one task per organization on Django's Tasks API.

A bookkeeper with thousands of administrations enqueues one `run_organization` task for each
(`tegoed run --queue`); `tegoed db_worker` processes, on any number of machines sharing the
database, take them one at a time. The database backend hands each task to one worker; the
run's own organization lock and its once-per-level steps make a task that is nevertheless run
twice (enqueued twice by two cron jobs, say) decide nothing the second time; one that finds the
organization's run under way elsewhere leaves it to that run (docs/decisions/0500).
"""

import datetime

from django.utils import timezone
from django_tasks import task

from tegoed.accounts.models import Organization
from tegoed.dunning import run, sending


@task()
def run_organization(organization_id: int, on: str) -> dict:
    organization = Organization.objects.get(pk=organization_id)
    try:
        outcome = run.run_dunning(organization, today=datetime.date.fromisoformat(on))
    except run.RunBusy:
        return {"organization": organization.slug, "on": on, "busy": True}
    report = sending.send_pending(organization, now=timezone.now())
    return {
        "organization": organization.slug,
        "on": on,
        "steps": outcome.written,
        "sent": report.sent,
        "letters": report.letters,
        "failed": report.failed,
    }


@task()
def send_organization(organization_id: int) -> dict:
    organization = Organization.objects.get(pk=organization_id)
    report = sending.send_pending(organization, now=timezone.now())
    return {"organization": organization.slug, "sent": report.sent, "failed": report.failed}

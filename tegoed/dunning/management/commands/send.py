"""`tegoed send`: deliver the outbox now — pending e-mails within the send window, and letters.

For a cron job inside the send window when `tegoed run` runs before it; also retries e-mails an
SMTP error held back. `--queue` puts one task per organization on the task queue for
`tegoed db_worker` instead of sending here (docs/operations.md). Like `tegoed run`, it skips
Django's system checks (`tegoed check` runs them, as does every deployment): a cron job every
half hour need not import every page of the site to deliver the outbox.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from tegoed.accounts.models import Organization
from tegoed.accounts.queries import get_organization_by_slug
from tegoed.dunning import sending, tasks


class Command(BaseCommand):
    help = "Deliver pending reminders: e-mails within the send window, and letters."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="only this organization (short name)")
        parser.add_argument(
            "--ignore-window", action="store_true", help="send e-mails outside the send window"
        )
        parser.add_argument(
            "--queue", action="store_true", help="enqueue one task per organization"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="share a large outbox out over this many processes (default 1)",
        )

    def handle(self, *args, **options):
        if options["organization"]:
            organizations = [get_organization_by_slug(options["organization"])]
        else:
            organizations = list(Organization.objects.order_by("slug"))
        for organization in organizations:
            if options["queue"]:
                tasks.send_organization.enqueue(organization.pk)
                self.stdout.write(f"{organization.slug}: queued")
                continue
            report = sending.send_pending(
                organization,
                now=timezone.now(),
                ignore_window=options["ignore_window"],
                workers=max(options["workers"], 1),
            )
            self.stdout.write(
                f"{organization.slug}: {report.sent} sent, {report.letters} letters, "
                f"{report.failed} failed, {report.waiting} waiting, "
                f"{report.uncertain} may have gone out"
            )

"""`tegoed run`: the daily run — decide every reminder step due today, record it, send it.

Meant for a daily cron job or systemd timer (docs/operations.md). Safe to run twice the same
day (the second run writes nothing) and safe to kill: what was decided is in the outbox, and
the next run or `tegoed send` delivers it. `--dry-run` prints the plan and writes nothing;
`--json` writes one JSON object per line for each message decided; `--queue` puts one task per
organization on the task queue for `tegoed db_worker` instead of running here.

The command starts quickly, for a run that finds little to do finishes in about the time it
takes to start: it skips Django's system checks (`tegoed check` runs them, as does every
deployment) and imports the sender and the task queue only when it sends or enqueues.
"""

from __future__ import annotations

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tegoed.accounts.models import Organization
from tegoed.accounts.queries import get_organization_by_slug
from tegoed.domain.errors import DomainError
from tegoed.dunning import run


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date: {text!r} is not a date like 2026-12-03") from None


class Command(BaseCommand):
    help = "The daily run: decide, record and send every reminder step due today."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="only this organization (short name)")
        parser.add_argument("--date", help="the day to run for (YYYY-MM-DD); default: today")
        parser.add_argument("--dry-run", action="store_true", help="print the plan, write nothing")
        parser.add_argument("--json", action="store_true", help="one JSON line per message")
        parser.add_argument(
            "--queue", action="store_true", help="enqueue one task per organization"
        )
        parser.add_argument(
            "--no-send", action="store_true", help="decide only; `tegoed send` delivers later"
        )

    def handle(self, *args, **options):
        if options["organization"]:
            organizations = [get_organization_by_slug(options["organization"])]
        else:
            organizations = list(Organization.objects.order_by("slug"))
        for organization in organizations:
            today = (
                _date(options["date"])
                if options["date"]
                else timezone.localdate(timezone=organization.tz)
            )
            if options["queue"]:
                from tegoed.dunning import tasks

                tasks.run_organization.enqueue(organization.pk, today.isoformat())
                if not options["json"]:
                    self.stdout.write(f"{organization.slug} {today}: queued")
                continue
            try:
                outcome = run.run_dunning(organization, today=today, dry_run=options["dry_run"])
            except run.RunBusy as busy:
                self.stderr.write(f"{organization.slug}: {busy}; skipped")
                continue
            except DomainError as error:
                raise CommandError(f"{organization.slug}: {error}") from None
            if options["json"]:
                for message in outcome.plan.messages:
                    self.stdout.write(json.dumps(message.as_json(), ensure_ascii=False))
            elif options["dry_run"]:
                self._print_plan(organization, outcome.plan)
            else:
                self.stdout.write(
                    f"{organization.slug} {today}: {outcome.written} steps decided for "
                    f"{len(outcome.plan.messages)} customers "
                    f"({outcome.plan.invoices_seen} open invoices looked at)"
                )
            if options["dry_run"] or options["no_send"]:
                continue
            from tegoed.dunning import sending

            report = sending.send_pending(organization, now=timezone.now())
            if not options["json"]:
                self._print_report(organization, report)

    def _print_plan(self, organization, plan: run.Plan) -> None:
        write = self.stdout.write
        write(f"{organization.slug} {plan.today}: {plan.invoices_seen} open invoices")
        if not plan.is_send_day:
            write("  not a send day for this organization: nothing is decided today")
        for message in plan.messages:
            channels = ", ".join(message.channels) or "internal"
            approval = " (waits for approval)" if message.needs_approval else ""
            to = ", ".join(message.recipients) or "by post"
            write(
                f"  {message.customer_number} {message.customer_name}: {message.step.code} "
                f"level {message.level} by {channels} to {to}{approval}"
            )
            if message.note:
                write(f"    {message.note}")
            for item in message.invoices:
                days = (plan.today - item.due_date).days
                when = f"{days} days overdue" if days > 0 else f"due in {-days} days"
                claim = (
                    f", interest {item.interest}, costs {item.costs}"
                    if item.interest or item.costs
                    else ""
                )
                write(
                    f"    {item.number}: {item.step.code} (level {item.level}), open "
                    f"{item.open_amount}, {when}{claim}"
                )
        for _invoice_id, number, open_amount in plan.write_offs:
            write(f"  {number}: {open_amount} open is below the threshold: propose a write-off")
        if plan.thanks:
            write(f"  {len(plan.thanks)} invoices paid early: thank the customers")
        if plan.is_send_day and not plan.messages and not plan.write_offs:
            write("  nothing is due today")

    def _print_report(self, organization, report) -> None:
        parts = [f"{report.sent} e-mails sent", f"{report.letters} letters ready to print"]
        if report.waiting:
            parts.append(f"{report.waiting} e-mails wait for the send window")
        if report.failed:
            parts.append(f"{report.failed} failed (retried by the next send)")
        if report.uncertain:
            parts.append(f"{report.uncertain} may have gone out: check them on the run page")
        self.stdout.write(f"{organization.slug}: " + ", ".join(parts))

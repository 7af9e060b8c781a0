"""`tegoed limitation --due 2021-03-31 [--kind payment|consumer-sale] [--interrupted DAY …]`.

The last day a claim that fell due on --due can be interrupted or brought to court (Dutch
law: art. 3:307, 7:28, 3:317-3:319 BW; docs/legal.md, Limitation). Each --interrupted is the
day a written reminder reached the debtor or the debtor acknowledged the claim. --json prints
`{"last_day": "YYYY-MM-DD"}`.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tegoed.common.command_line import iso_date
from tegoed.domain import limitation
from tegoed.domain.errors import DomainError

KINDS = {
    "payment": limitation.ClaimKind.CONTRACT,
    "consumer-sale": limitation.ClaimKind.CONSUMER_SALE,
}


class Command(BaseCommand):
    help = "Compute when a claim becomes time-barred (verjaring)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--due", required=True, type=iso_date, help="the day the claim fell due"
        )
        parser.add_argument(
            "--kind",
            choices=list(KINDS),
            default="payment",
            help="payment under a contract (5 years) or the price of goods sold to a consumer "
            "(2 years)",
        )
        parser.add_argument(
            "--interrupted",
            nargs="+",
            action="extend",
            type=iso_date,
            default=[],
            metavar="YYYY-MM-DD",
            help="days a reminder reached the debtor or the debtor acknowledged the claim",
        )
        parser.add_argument("--json", action="store_true", help="one JSON object")

    def handle(self, *args, **options):
        events = [limitation.Event(day, limitation.REMINDER) for day in options["interrupted"]]
        try:
            result = limitation.compute(options["due"], kind=KINDS[options["kind"]], events=events)
        except DomainError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps({"last_day": result.last_day.isoformat()}))
            return
        for period in result.periods:
            self.stdout.write(f"{period.starts_on} – {period.ends_on}  {period.reason}")
        for event in result.ignored:
            self.stdout.write(
                _("ignored: %(day)s came after the claim was time-barred") % {"day": event.on}
            )
        self.stdout.write(
            _("Last day: %(day)s; time-barred from %(barred)s (if the debtor invokes it).")
            % {"day": result.last_day, "barred": result.time_barred_on}
        )

"""`tegoed rates [--jurisdiction NL] [--json] [--load-built-in]`: the rate table with sources.

Rows are edited in the admin; --load-built-in adds the built-in rows the table lacks (for
example after an update of Tegoed), leaving edited rows alone.
"""

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tegoed.domain import jurisdictions, rate_table
from tegoed.rates import breakdowns, queries, services

MARKS = {
    rate_table.VERIFIED: "✅",
    rate_table.CORROBORATED: "☑️",
    rate_table.SINGLE_SOURCE: "⚠️",
    rate_table.UNVERIFIED: "❌",
}


class Command(BaseCommand):
    help = "Show the statutory rate table with the source and status of each row."

    def add_arguments(self, parser):
        parser.add_argument("--jurisdiction", choices=list(jurisdictions.CODES))
        parser.add_argument("--json", action="store_true", help="one JSON object per line")
        parser.add_argument(
            "--load-built-in", action="store_true", help="add missing built-in rows first"
        )

    def handle(self, *args, **options):
        code = options["jurisdiction"]
        if options["load_built_in"]:
            added = services.load_built_in_rates(code)
            self.stderr.write(_("%(count)d rows added") % {"count": added})
        rows = sorted(
            queries.rate_table(code), key=lambda r: (r.jurisdiction, r.kind, r.effective_from)
        )
        for row in rows:
            if options["json"]:
                self.stdout.write(json.dumps(breakdowns.rate_as_json(row), ensure_ascii=False))
                continue
            unverified = "" if rate_table.is_verified(row.status) else "  " + _("rate unverified")
            self.stdout.write(
                f"{row.jurisdiction}  {row.kind:<10}  {row.effective_from}  "
                f"{breakdowns.rate(row.percent):>6}%  {MARKS[row.status]}  {row.source}"
                f"{unverified}"
            )
            if row.note:
                self.stdout.write(f"{'':36}{row.note}")

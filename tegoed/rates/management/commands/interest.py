"""`tegoed interest --kind commercial --principal 2000 --from 2015-11-11 --to 2026-01-15`.

`--from` is the first day interest runs and `--to` the last (inclusive). Rates come from the
rate table in the database (the admin's), per period with its source and status. Prints a
readable table, or with --json one object with amounts as strings.
"""

import json
from argparse import ArgumentTypeError
from datetime import date
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tegoed.common.command_line import iso_date
from tegoed.domain import interest, jurisdictions, money
from tegoed.domain.errors import DomainError
from tegoed.rates import breakdowns, queries


def _amount(text: str) -> Decimal:
    try:
        return money.parse(text)
    except DomainError as error:
        raise CommandError(str(error)) from None


def _payment(text: str) -> interest.Payment:
    day, separator, value = text.partition("=")
    if not separator:
        raise CommandError(f"--payment {text!r}: write DATE=AMOUNT, e.g. 2024-05-01=500")
    try:
        return interest.Payment(iso_date(day), _amount(value))
    except ArgumentTypeError as error:
        raise CommandError(f"--payment {error}") from None


class Command(BaseCommand):
    help = "Compute statutory interest with its breakdown per period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind", required=True, choices=["consumer", "commercial", "government"]
        )
        parser.add_argument("--principal", required=True, help="e.g. 2000 or 1234.56")
        parser.add_argument(
            "--from", dest="start", required=True, type=iso_date, help="first day of interest"
        )
        parser.add_argument(
            "--to", dest="end", required=True, type=iso_date, help="last day of interest"
        )
        parser.add_argument("--jurisdiction", default="NL", choices=list(jurisdictions.CODES))
        parser.add_argument(
            "--day-count", choices=[d.value for d in interest.DayCount], default=None
        )
        parser.add_argument(
            "--payment", action="append", default=[], help="DATE=AMOUNT, repeatable (6:44 BW)"
        )
        parser.add_argument("--agreed-rate", help="an agreed yearly rate (6:119 lid 3 BW)")
        parser.add_argument("--surcharge", help="agreed points on top of the statutory rate")
        parser.add_argument(
            "--contract-date",
            type=iso_date,
            help="the day the contract was made; chooses the margin (default: the first day)",
        )
        parser.add_argument("--json", action="store_true", help="one JSON object")

    def handle(self, *args, **options):
        try:
            rule = jurisdictions.interest_rule(options["jurisdiction"], options["kind"])
            result = interest.compute(
                _amount(options["principal"]),
                options["start"],
                options["end"],
                rule=rule,
                rates=queries.rate_table(options["jurisdiction"]),
                day_count=interest.DayCount(options["day_count"]) if options["day_count"] else None,
                payments=[_payment(text) for text in options["payment"]],
                agreed_percent=_amount(options["agreed_rate"]) if options["agreed_rate"] else None,
                surcharge=_amount(options["surcharge"]) if options["surcharge"] else None,
                contract_date=options["contract_date"],
            )
        except DomainError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(breakdowns.interest_as_json(result), ensure_ascii=False))
            return
        self._table(result)

    def _table(self, result: interest.Breakdown) -> None:
        write = self.stdout.write
        write(
            f"{result.basis}: {result.currency} {result.principal:.2f}, "
            f"{result.start} – {result.end} ({result.day_count.value})"
        )
        headings = (_("from"), _("to"), _("days"), _("rate"), _("base"), _("interest"))
        write("{:<10}  {:<10}  {:>5}  {:>7}  {:>12}  {:>10}".format(*headings))
        capitalised = {c.on: c for c in result.capitalisations}
        for period in result.periods:
            mark = "  " + _("rate unverified") if period.rate_unverified else ""
            write(
                f"{period.start}  {period.end}  {period.days:>5}  "
                f"{breakdowns.rate(period.rate):>6}%  {period.base:>12.2f}  "
                f"{period.amount:>10.2f}{mark}"
            )
            following = period.end.toordinal() + 1
            if date.fromordinal(following) in capitalised:
                entry = capitalised[date.fromordinal(following)]
                write(
                    "  "
                    + _("capitalised on %(day)s: %(amount)s, new base %(base)s")
                    % {
                        "day": entry.on,
                        "amount": f"{entry.amount:.2f}",
                        "base": f"{entry.base:.2f}",
                    }
                )
        for payment in result.payments:
            write(
                _(
                    "payment %(day)s: %(amount)s to costs %(costs)s, interest %(interest)s, "
                    "principal %(principal)s"
                )
                % {
                    "day": payment.on,
                    "amount": f"{payment.amount:.2f}",
                    "costs": f"{payment.costs:.2f}",
                    "interest": f"{payment.interest:.2f}",
                    "principal": f"{payment.principal:.2f}",
                }
            )
        write(
            _("Total interest: %(currency)s %(total)s")
            % {"currency": result.currency, "total": f"{result.total:.2f}"}
        )
        if result.rate_unverified:
            write(
                _(
                    "Warning: rate unverified. A rate used here is not confirmed by an official "
                    "source; see `tegoed rates`."
                )
            )

"""`tegoed claim CUSTOMER_NUMBER --organization SLUG [--date YYYY-MM-DD] [--json]`.

The claim on the customer on a day (default: today in the organization's time zone): each
open invoice with its principal, the interest to that day per period, the costs, what was paid
and how each payment was applied (art. 6:44 BW), and when the claim may be time-barred. The
same computation the customer's page shows; --json prints it as one object.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from tegoed.accounts.queries import get_organization_by_slug
from tegoed.claims import queries
from tegoed.common.command_line import iso_date
from tegoed.customers.queries import find_customer_by_number
from tegoed.domain import claim
from tegoed.domain.errors import DomainError
from tegoed.rates import breakdowns


class Command(BaseCommand):
    help = "Show what a customer owes on a day: principal, interest, costs and payments."

    def add_arguments(self, parser):
        parser.add_argument("customer", metavar="CUSTOMER_NUMBER")
        parser.add_argument("--organization", required=True, help="the organization's short name")
        parser.add_argument("--date", type=iso_date, help="the day of the claim (default: today)")
        parser.add_argument("--json", action="store_true", help="one JSON object")

    def handle(self, *args, **options):
        organization = get_organization_by_slug(options["organization"])
        customer = find_customer_by_number(organization, options["customer"])
        if customer is None:
            raise CommandError(f"No customer {options['customer']!r} in {organization.slug}")
        day = options["date"] or timezone.localdate(timezone=organization.tz)
        try:
            result = queries.claim_of(customer, on=day)
        except DomainError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            data = {"customer": customer.number, **breakdowns.claim_as_json(result)}
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self._table(customer, result)

    def _table(self, customer, result: claim.Claim) -> None:
        write = self.stdout.write
        currency = result.currency
        write(f"{customer.number} {customer.name} · {result.on}")
        headings = (_("invoice"), _("due"), _("principal"), _("interest"), _("costs"))
        headings += (_("paid"), _("owed"))
        write("{:<16} {:<10} {:>11} {:>10} {:>10} {:>11} {:>11}".format(*headings))
        for line in result.invoices:
            write(
                f"{line.number:<16} {line.due_on or '':<10} {line.principal_outstanding:>11.2f} "
                f"{line.interest_outstanding:>10.2f} {line.costs_outstanding:>10.2f} "
                f"{line.paid:>11.2f} {line.total:>11.2f}"
            )
        write(
            f"{_('Total'):<27} {result.principal:>11.2f} {result.interest:>10.2f} "
            f"{result.costs:>10.2f} {result.paid:>11.2f} {currency} {result.total:.2f}"
        )
        if result.costs_interest:
            write(
                _("Owed includes %(amount)s interest on the collection costs (art. 6:119 BW).")
                % {"amount": f"{currency} {result.costs_interest:.2f}"}
            )
        if result.announced_costs is not None:
            write(
                _("A 14-day letter would add %(amount)s collection costs.")
                % {"amount": f"{currency} {result.announced_costs.total:.2f}"}
            )
        if result.limitation_last_day is not None:
            write(
                _("Limitation: act before %(day)s (the last day).")
                % {"day": result.limitation_last_day}
            )
        for note in result.notes:
            write(f"* {note}")

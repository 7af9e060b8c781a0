"""`tegoed collection-costs --principal 3000 [--vat 21] [--jurisdiction NL] [--json]`.

Several --principal options are claims reminded in one letter: for a consumer they are added
together (art. 6:96 lid 7 BW); for a business debtor each invoice has its own costs, at least
the fixed €40 (£40-£100 in the United Kingdom).
"""

import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tegoed.domain import collection_costs, jurisdictions, money
from tegoed.domain.errors import DomainError
from tegoed.rates import breakdowns


class Command(BaseCommand):
    help = "Compute extrajudicial collection costs (the BIK scale and the fixed sums)."

    def add_arguments(self, parser):
        parser.add_argument("--principal", action="append", required=True, help="repeatable")
        parser.add_argument(
            "--vat",
            help="VAT percentage: only when the creditor uses a collection service, cannot "
            "deduct its VAT and says so (Besluit BIK art. 2 lid 3)",
        )
        parser.add_argument("--jurisdiction", default="NL", choices=list(jurisdictions.CODES))
        parser.add_argument("--debtor", default="consumer", choices=["consumer", "business"])
        parser.add_argument(
            "--agreed-percentage",
            help="a business contract's own clause: this percentage of each principal",
        )
        parser.add_argument(
            "--agreed-minimum", default="40", help="the clause's minimum per invoice (40)"
        )
        parser.add_argument("--json", action="store_true", help="one JSON object")

    def handle(self, *args, **options):
        try:
            if options["agreed_percentage"]:
                rule = collection_costs.agreed_percentage(
                    options["jurisdiction"],
                    money.parse(options["agreed_percentage"]),
                    minimum=money.parse(options["agreed_minimum"]),
                )
            else:
                rule = jurisdictions.costs_rule(options["jurisdiction"], options["debtor"])
            principals = [money.parse(text) for text in options["principal"]]
            vat = None
            if options["vat"]:
                # The option is the creditor's statement that all three conditions hold.
                percent = Decimal(money.parse(options["vat"]))
                vat = collection_costs.VatClaim(percent, True, True, True)
            result = collection_costs.compute(principals, rule=rule, vat=vat)
        except DomainError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(breakdowns.costs_as_json(result), ensure_ascii=False))
            return
        write = self.stdout.write
        write(result.basis)
        for line in result.brackets:
            write(f"  {line.description:<48} {line.amount:>10.2f}")
        if result.minimum_applied and not result.per_claim:
            write("  " + _("raised to the minimum"))
        if result.maximum_applied and not result.per_claim:
            write("  " + _("limited to the maximum"))
        costs, vat, total = _("Collection costs"), _("VAT"), _("Total")
        write(f"{costs:<50} {result.currency} {result.amount:>10.2f}")
        if result.vat:
            write(f"{vat:<50} {result.currency} {result.vat:>10.2f}")
            write(f"{total:<50} {result.currency} {result.total:>10.2f}")
        for note in result.notes:
            write(f"* {note}")

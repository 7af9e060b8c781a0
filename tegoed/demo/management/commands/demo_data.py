import datetime
import time
import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from tegoed.accounts.models import Membership, Organization, Role
from tegoed.audit import services as audit
from tegoed.common import bulk
from tegoed.customers.models import BankAccount, Contact, Customer
from tegoed.demo.generator import Generator
from tegoed.invoices.models import Allocation, Invoice, InvoiceLine, NumberSequence, Payment

BATCH = 5000

ORGANIZATION = {
    "legal_name": "Van Dijk Installatietechniek B.V.",
    "trade_name": "Van Dijk Installatietechniek",
    "street": "Industrieweg 12",
    "postal_code": "3542 AD",
    "city": "Utrecht",
    "kvk_number": "30123456",
    "vat_number": "NL004495445B01",
    "iban": "NL91ABNA0417164300",
    "bic": "ABNANL2A",
    "sepa_creditor_id": "NL53ZZZ091734220000",
    "sender_email": "facturen@vandijk-installatie.example",
    "reply_to_email": "debiteuren@vandijk-installatie.example",
    "phone": "030 123 45 67",
    "default_payment_term_days": 30,
    "invoice_number_prefix": "",
}


class Command(BaseCommand):
    help = (
        "Fill an organization with a realistic Dutch demo administration: customers "
        "(businesses, consumers, a municipality), invoices and the payments made so far. The "
        "same seed gives the same data. Fast enough for a million invoices (for benchmarks)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", default="demo", metavar="SLUG")
        parser.add_argument("--customers", type=int, default=300)
        parser.add_argument("--invoices", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="the day the administration is seen from (default: today)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the organization already has invoices",
        )
        parser.add_argument(
            "--with-login",
            action="store_true",
            help="create the user demo (password demo) as owner of the organization",
        )

    def handle(self, *args, **options):
        if options["customers"] < 1 or options["invoices"] < 0:
            raise CommandError("--customers must be at least 1 and --invoices not negative")
        organization, _created = Organization.objects.get_or_create(
            slug=options["organization"], defaults=ORGANIZATION
        )
        today = options["today"] or timezone.now().astimezone(organization.tz).date()
        if options["with_login"]:
            self._create_login(organization)
        if options["if_empty"] and Invoice.objects.filter(organization=organization).exists():
            self.stdout.write(f"{organization.slug} already has invoices; nothing generated.")
        else:
            started = time.perf_counter()
            counts = self._generate(organization, today, options)
            seconds = time.perf_counter() - started
            self.stdout.write(
                self.style.SUCCESS(
                    f"{organization.slug}: {counts['customers']} customers, {counts['invoices']} "
                    f"invoices, {counts['payments']} payments in {seconds:.1f} s "
                    f"({counts['invoices'] / max(seconds, 0.001):,.0f} invoices/s)"
                )
            )
        if options["with_login"]:
            self.stdout.write("Log in as demo with password demo.")

    def _create_login(self, organization):
        user_model = get_user_model()
        user = user_model.objects.filter(username="demo").first()
        if user is None:
            user = user_model.objects.create_superuser(
                "demo", "demo@example.com", "demo", first_name="Demo"
            )
        Membership.objects.get_or_create(
            user=user, organization=organization, defaults={"role": Role.OWNER}
        )

    @transaction.atomic
    def _generate(self, organization, today: datetime.date, options: dict) -> dict[str, int]:
        generator = Generator(seed=options["seed"], today=today)
        stamp = timezone.now()
        customers = generator.customers(options["customers"])
        batch = bulk.Batch()

        customer_rows = batch.table(
            Customer,
            [
                "id", "created_at", "updated_at", "organization", "public_id", "number", "kind",
                "name", "street", "postal_code", "city", "country", "kvk_number", "vat_number",
                "language", "payment_term_days", "notes",
            ],
        )  # fmt: skip
        contact_rows = batch.table(
            Contact,
            ["created_at", "updated_at", "customer", "name", "role", "email", "phone",
             "preferred_channel"],
        )  # fmt: skip
        account_rows = batch.table(
            BankAccount, ["created_at", "updated_at", "customer", "iban", "holder_name"]
        )
        customer_ids = {}
        for customer in customers:
            customer_id = customer_rows.take_id()
            customer_ids[customer.key] = customer_id
            customer_rows.add(
                (
                    customer_id, stamp, stamp, organization.pk,
                    uuid.uuid4(),
                    customer.number, customer.kind, customer.name, customer.street,
                    customer.postal_code, customer.city, "NL", customer.kvk_number,
                    customer.vat_number, customer.language, customer.payment_term_days, "",
                )
            )  # fmt: skip
            contact_rows.add(
                (stamp, stamp, customer_id, customer.contact_name, "billing",
                 customer.contact_email, customer.contact_phone, "email")
            )  # fmt: skip
            account_rows.add((stamp, stamp, customer_id, customer.iban, customer.name))

        invoice_rows = batch.table(
            Invoice,
            [
                "id", "created_at", "updated_at", "organization", "public_id", "customer", "kind",
                "lifecycle", "number", "payment_reference", "currency", "issue_date", "due_date",
                "customer_reference", "description", "subtotal", "vat_total", "total",
                "issued_at",
            ],
        )  # fmt: skip
        line_rows = batch.table(
            InvoiceLine,
            ["invoice", "position", "description", "quantity", "unit", "unit_price", "vat_rate",
             "net_amount"],
        )  # fmt: skip
        payment_rows = batch.table(
            Payment,
            [
                "id", "created_at", "updated_at", "organization", "public_id", "customer",
                "received_on", "amount", "currency", "method", "payer_name", "payer_iban",
                "description", "bank_reference",
            ],
        )  # fmt: skip
        allocation_rows = batch.table(
            Allocation,
            ["created_at", "updated_at", "organization", "invoice", "kind", "payment", "amount",
             "booked_on", "reason"],
        )  # fmt: skip
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            disable=not self.stdout.isatty(),
        ) as progress:
            task = progress.add_task("Invoices", total=options["invoices"])
            for count, invoice in enumerate(
                generator.invoices(customers, options["invoices"]), start=1
            ):
                invoice_id = invoice_rows.take_id()
                customer_id = customer_ids[invoice.customer_key]
                totals = invoice.totals
                invoice_rows.add(
                    (
                        invoice_id, stamp, stamp, organization.pk,
                        uuid.uuid4(),
                        customer_id, "invoice", "issued", invoice.number,
                        invoice.payment_reference, "EUR", invoice.issue_date, invoice.due_date,
                        "", "", totals.subtotal, totals.vat_total,
                        totals.total, stamp,
                    )
                )  # fmt: skip
                for position, line in enumerate(invoice.lines, start=1):
                    line_rows.add(
                        (invoice_id, position, line.description, line.quantity, "",
                         line.unit_price, line.vat_rate, line.net_amount)
                    )  # fmt: skip
                for payment in invoice.payments:
                    payment_id = payment_rows.take_id()
                    payment_rows.add(
                        (
                            payment_id, stamp, stamp, organization.pk,
                            uuid.uuid4(),
                            customer_id, payment.received_on, payment.amount,
                            "EUR", "bank_transfer", payment.payer_name, payment.payer_iban,
                            payment.description, "",
                        )
                    )  # fmt: skip
                    allocation_rows.add(
                        (stamp, stamp, organization.pk, invoice_id, "payment", payment_id,
                         payment.amount, payment.received_on, "")
                    )  # fmt: skip
                if count % BATCH == 0:
                    progress.advance(task, BATCH)
            batch.flush()
            progress.update(task, completed=options["invoices"])

        for year, last in getattr(generator, "last_numbers", {}).items():
            sequence, _created = NumberSequence.objects.get_or_create(
                organization=organization, series=str(year)
            )
            sequence.last_number = max(sequence.last_number, last)
            sequence.save(update_fields=["last_number"])
        summary = {
            "customers": customer_rows.written,
            "invoices": invoice_rows.written,
            "payments": payment_rows.written,
        }
        audit.record(
            organization=organization,
            actor=None,
            action="demo.generated",
            subject=organization,
            summary=f"{summary['customers']} customers, {summary['invoices']} invoices",
            details={"seed": options["seed"], "today": today.isoformat(), **summary},
        )
        return summary

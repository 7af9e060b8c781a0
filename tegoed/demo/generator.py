"""A realistic Dutch administration, made up from a seed: the same seed gives the same data.

Customers are businesses, consumers and a few municipalities with Dutch names and addresses,
valid KvK, VAT and IBAN numbers and billing contacts. Invoices per customer follow a Zipf-like
law (a few customers get most invoices); amounts are log-normal, and subscription customers get
the same amount every month. Each customer has a payment habit — on time, a little late, late,
partial payer or non-payer — and the payments it made before `today` are recorded.

The generator yields plain records; `tegoed demo-data` writes them in batches.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from schwifty import IBAN
from stdnum.nl import btw

from tegoed.domain import identifiers, vat
from tegoed.domain.money import round_cents

FIRST_NAMES = (
    "Anna Bram Chantal Daan Emma Fleur Gijs Hanna Iris Jeroen Kees Lotte Mark Noor Olaf Petra "
    "Quinten Roos Sanne Thijs Ursula Vincent Willemijn Yara Zeger Mohamed Fatima Sven Ilse Ruben"
).split()
SURNAMES = (
    "de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|"
    "Mulder|de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|"
    "de Graaf|van der Meer|Kok|Jacobs|de Haan|Vermeulen|van den Heuvel|Yilmaz|El Amrani"
).split("|")
TRADES = (
    "Bouwbedrijf|Installatietechniek|Schildersbedrijf|Bakkerij|Hoveniers|Transport|Advies|"
    "Architecten|Drukkerij|Automatisering|Catering|Fietsenmakerij|Tandartspraktijk|Makelaardij|"
    "Elektrotechniek|Dakdekkers|Groothandel|Loodgieters|Schoonmaakdiensten|Reclamebureau"
).split("|")
SUFFIXES = ("B.V.", "B.V.", "B.V.", "V.O.F.", "& Zn.", "Holding B.V.", "")
STREETS = (
    "Dorpsstraat|Kerkstraat|Stationsweg|Molenweg|Schoolstraat|Julianalaan|Beatrixstraat|"
    "Industrieweg|Nieuwstraat|Hoofdstraat|Marktplein|Parallelweg|Kastanjelaan|Eikenlaan|Havenkade"
).split("|")
CITIES = (
    ("Amsterdam", "10"), ("Rotterdam", "30"), ("Den Haag", "25"), ("Utrecht", "35"),
    ("Eindhoven", "56"), ("Groningen", "97"), ("Tilburg", "50"), ("Almere", "13"),
    ("Breda", "48"), ("Nijmegen", "65"), ("Apeldoorn", "73"), ("Haarlem", "20"),
    ("Arnhem", "68"), ("Zwolle", "80"), ("Leiden", "23"), ("Maastricht", "62"),
    ("Gouda", "28"), ("Delft", "26"), ("Deventer", "74"), ("Alkmaar", "18"),
)  # fmt: skip
MUNICIPALITIES = ("Gemeente Utrecht", "Gemeente Gouda", "Gemeente Zwolle", "Provincie Gelderland")
BANKS = ("INGB", "RABO", "ABNA", "SNSB", "TRIO", "KNAB", "ASNB", "BUNQ")
WORK = (
    "Advieswerkzaamheden|Montage en installatie|Onderhoudscontract|Levering materialen|"
    "Reparatie|Projectbegeleiding|Ontwerp en tekenwerk|Spoedservice|Inspectie|Materiaalkosten|"
    "Arbeidsuren|Voorrijkosten|Licentie software|Training"
).split("|")
SUBSCRIPTIONS = (
    ("Abonnement onderhoud", Decimal("49.95")),
    ("Servicecontract", Decimal("125.00")),
    ("Hosting en support", Decimal("29.50")),
    ("Huur apparatuur", Decimal("79.00")),
)

# Payment habits: (name, share of customers, chance an invoice is paid at all,
# days paid after the due date as (mu, sigma) of a normal distribution, chance of a part payment)
HABITS = (
    ("on_time", 0.45, 0.995, (-3, 4), 0.00),
    ("bit_late", 0.25, 0.98, (8, 6), 0.02),
    ("late", 0.15, 0.93, (35, 20), 0.05),
    ("partial", 0.10, 0.85, (20, 15), 0.45),
    ("never", 0.05, 0.15, (60, 30), 0.10),
)


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    key: int
    number: str
    kind: str
    name: str
    street: str
    postal_code: str
    city: str
    kvk_number: str
    vat_number: str
    language: str
    payment_term_days: int | None
    iban: str
    contact_name: str
    contact_email: str
    contact_phone: str
    habit: str
    subscription: tuple[str, Decimal] | None


@dataclass(frozen=True, slots=True)
class LineRecord:
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    net_amount: Decimal


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    received_on: datetime.date
    amount: Decimal
    payer_name: str
    payer_iban: str
    description: str


@dataclass
class InvoiceRecord:
    customer_key: int
    number: str
    payment_reference: str
    issue_date: datetime.date
    due_date: datetime.date
    lines: tuple[LineRecord, ...]
    totals: vat.Totals
    payments: list[PaymentRecord] = field(default_factory=list)


class Generator:
    def __init__(self, *, seed: int, today: datetime.date, prefix: str = "") -> None:
        self.random = random.Random(seed)
        self.today = today
        self.prefix = prefix

    # Customers ------------------------------------------------------------------------

    def customers(self, count: int) -> list[CustomerRecord]:
        return [self._customer(key) for key in range(count)]

    def _customer(self, key: int) -> CustomerRecord:
        rng = self.random
        kind = "consumer" if rng.random() < 0.35 else "business"
        if key % 150 == 7:
            kind = "government"
        city, postal_prefix = rng.choice(CITIES)
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        if kind == "consumer":
            name = f"{first} {last}"
            domain = rng.choice(("gmail.com", "ziggo.nl", "kpnmail.nl", "outlook.com"))
            email = f"{first.lower()}.{last.lower().replace(' ', '')}{key}@{domain}"
            kvk = vat_number = ""
            term = 14
        else:
            if kind == "government":
                name = MUNICIPALITIES[key % len(MUNICIPALITIES)]
                term = 30
            else:
                surname = last.split()[-1].capitalize()
                name = f"{rng.choice(TRADES)} {surname} {rng.choice(SUFFIXES)}".strip()
                term = rng.choice((14, 30, 30, 30, 45, 60))
            slug = "".join(ch for ch in name.lower() if ch.isalnum())[:20]
            mailbox = rng.choice(("facturen", "administratie", "crediteuren", first.lower()))
            email = f"{mailbox}@{slug}{key}.nl"
            kvk = f"{rng.randrange(10**7, 10**8)}"
            vat_number = self._vat_number()
        habit = self._habit(kind)
        subscription = rng.choice(SUBSCRIPTIONS) if rng.random() < 0.2 else None
        return CustomerRecord(
            key=key,
            number=f"D{key + 1:06d}",
            kind=kind,
            name=name,
            street=f"{rng.choice(STREETS)} {rng.randrange(1, 240)}",
            postal_code=f"{postal_prefix}{rng.randrange(10, 99)} {self._letters()}",
            city=city,
            kvk_number=kvk,
            vat_number=vat_number,
            language="en" if rng.random() < 0.05 else "nl",
            payment_term_days=term,
            iban=self._iban(),
            contact_name=f"{first} {last}",
            contact_email=email,
            contact_phone=f"06{rng.randrange(10**7, 10**8)}",
            habit=habit,
            subscription=subscription,
        )

    def _letters(self) -> str:
        return "".join(self.random.choices("ABCDEGHJKLMNPRSTVWXZ", k=2))

    def _habit(self, kind: str) -> str:
        if kind == "government":
            return "late" if self.random.random() < 0.5 else "bit_late"
        roll, cumulative = self.random.random(), 0.0
        for name, share, *_rest in HABITS:
            cumulative += share
            if roll < cumulative:
                return name
        return HABITS[-1][0]

    def _vat_number(self) -> str:
        while True:
            digits = f"{self.random.randrange(10**8, 10**9)}"
            candidate = f"NL{digits}B01"
            if btw.is_valid(candidate):
                return candidate

    def _iban(self) -> str:
        account = f"{self.random.randrange(10**9, 10**10)}"
        return str(IBAN.generate("NL", bank_code=self.random.choice(BANKS), account_code=account))

    # Invoices -------------------------------------------------------------------------

    def invoice_counts(self, customers: list[CustomerRecord], total: int) -> list[int]:
        """Invoices per customer: Zipf-like weights over a shuffled rank, summing to `total`."""
        ranks = list(range(1, len(customers) + 1))
        self.random.shuffle(ranks)
        weights = [1 / rank**0.9 for rank in ranks]
        scale = total / sum(weights)
        counts = [int(weight * scale) for weight in weights]
        cumulative = list(itertools.accumulate(weights))
        for _ in range(total - sum(counts)):
            pick = bisect.bisect(cumulative, self.random.random() * cumulative[-1])
            counts[min(pick, len(counts) - 1)] += 1
        return counts

    def invoices(
        self, customers: list[CustomerRecord], total: int, *, months: int = 24
    ) -> Iterator[InvoiceRecord]:
        """`total` invoices over the last `months`, in issue-date order, with their payments."""
        counts = self.invoice_counts(customers, total)
        self._make_large_accounts_reliable(customers, counts)
        span = months * 30
        start = self.today - datetime.timedelta(days=span)
        plan = []
        for customer, count in zip(customers, counts, strict=True):
            if count == 0:
                continue
            if customer.subscription and count >= 3:
                step = span / count
                offsets = [int(i * step + self.random.random() * 3) for i in range(count)]
            else:
                # Recent months get more invoices: growth of the business.
                offsets = [int(span * math.sqrt(self.random.random())) for _ in range(count)]
            plan.extend((min(offset, span), customer.key) for offset in offsets)
        plan.sort()
        sequences: dict[int, int] = {}
        for offset, customer_key in plan:
            customer = customers[customer_key]
            issue_date = start + datetime.timedelta(days=offset)
            sequences[issue_date.year] = sequences.get(issue_date.year, 0) + 1
            number = f"{self.prefix}{issue_date.year}-{sequences[issue_date.year]:05d}"
            yield self._invoice(customer, number, issue_date)
        self.last_numbers = sequences

    def _make_large_accounts_reliable(self, customers: list[CustomerRecord], counts: list[int]):
        """The few customers with most of the invoices pay, if late: a supplier stops
        delivering to a large account that never pays long before it has thousands open."""
        if len(counts) < 10:
            return
        threshold = sorted(counts)[int(len(counts) * 0.95)]
        for index, (customer, count) in enumerate(zip(customers, counts, strict=True)):
            if count > threshold and customer.habit in ("never", "partial"):
                habit = self.random.choice(("on_time", "bit_late", "late"))
                customers[index] = dataclasses.replace(customer, habit=habit)

    def _invoice(self, customer: CustomerRecord, number: str, issue_date: datetime.date):
        rng = self.random
        if customer.subscription:
            description, price = customer.subscription
            lines = [(description, Decimal(1), price, Decimal(21))]
        else:
            lines = []
            for _ in range(1 + int(rng.expovariate(1.2))):
                amount = Decimal(str(round(math.exp(rng.gauss(math.log(250), 1.1)), 2)))
                quantity = Decimal(rng.choice((1, 1, 1, 2, 3, 4, 8, 10)))
                unit_price = round_cents(max(amount / quantity, Decimal("1.00")))
                rate = Decimal(9) if rng.random() < 0.1 else Decimal(21)
                lines.append((rng.choice(WORK), quantity, unit_price, rate))
        line_records = tuple(LineRecord(d, q, p, r, round_cents(q * p)) for d, q, p, r in lines)
        totals = vat.compute(
            vat.Line(line.quantity, line.unit_price, line.vat_rate) for line in line_records
        )
        due_date = issue_date + datetime.timedelta(days=customer.payment_term_days or 30)
        invoice = InvoiceRecord(
            customer_key=customer.key,
            number=number,
            payment_reference=identifiers.creditor_reference(number),
            issue_date=issue_date,
            due_date=due_date,
            lines=line_records,
            totals=totals,
        )
        invoice.payments = self._payments(customer, invoice)
        return invoice

    def _payments(self, customer: CustomerRecord, invoice: InvoiceRecord) -> list[PaymentRecord]:
        rng = self.random
        _name, _share, pays, (mu, sigma), partial = next(
            h for h in HABITS if h[0] == customer.habit
        )
        if rng.random() > pays:
            return []
        delay = int(rng.gauss(mu, sigma))
        paid_on = max(invoice.due_date + datetime.timedelta(days=delay), invoice.issue_date)
        if paid_on > self.today:
            return []
        total = invoice.totals.total
        description = (
            invoice.payment_reference if rng.random() < 0.6 else f"Factuur {invoice.number}"
        )
        if rng.random() < partial and total > 20:
            first = round_cents(total * Decimal(rng.choice(("0.25", "0.5", "0.5", "0.6"))))
            payments = [PaymentRecord(paid_on, first, customer.name, customer.iban, description)]
            rest_on = paid_on + datetime.timedelta(days=rng.randrange(20, 90))
            if rest_on <= self.today and rng.random() < 0.6:
                payments.append(
                    PaymentRecord(rest_on, total - first, customer.name, customer.iban, description)
                )
            return payments
        return [PaymentRecord(paid_on, total, customer.name, customer.iban, description)]

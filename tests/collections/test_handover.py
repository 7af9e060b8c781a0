"""Hand-over to a collection agency: the dossier, its schema, the stages and the agency's money."""

import datetime
import json
from decimal import Decimal

import jsonschema
import pytest

from tegoed.arrangements import services as arrangements
from tegoed.collections import dossier, services
from tegoed.collections.models import Agency, StageKind
from tegoed.dunning import sending
from tegoed.dunning import services as dunning_services
from tegoed.dunning.models import CallTask, Hold, InvoiceStep
from tests.arrangements.conftest import live
from tests.documents.reading import pdf_text
from tests.factories import CustomerFactory, OrganizationFactory, issued_invoice

D = datetime.date
HANDED_OVER = D(2026, 4, 21)


@pytest.fixture
def agency(organization):
    return Agency.objects.create(
        organization=organization,
        kind="agency",
        name="Incasso Noord B.V.",
        address="Postbus 12\n9700 AA Groningen",
        email="dossiers@incassonoord.example",
    )


@pytest.fixture
def history(organization, member, smtp):
    """A customer chased from February to April: reminders sent, a call with a broken promise."""
    customer = CustomerFactory(organization=organization, name="Bouwbedrijf Smit", language="en")
    invoice = issued_invoice(customer, "1000.00", issue_date=D(2026, 1, 5))
    live(organization, D(2026, 2, 9), D(2026, 3, 3))
    call = CallTask.objects.get(customer=customer)
    dunning_services.record_call(
        call,
        user=member,
        reached=True,
        promise_on=D(2026, 3, 10),
        notes="Betaalt vrijdag",
        today=D(2026, 3, 4),
    )
    live(organization, D(2026, 3, 4), D(2026, 3, 16))
    sending.send_pending(
        organization,
        now=datetime.datetime(2026, 3, 16, 10, tzinfo=datetime.UTC),
        ignore_window=True,
    )
    return customer, invoice


def test_the_dossier_holds_everything_and_validates_against_its_published_schema(
    organization, agency, history, member
):
    customer, invoice = history
    handover = services.hand_over(
        organization,
        customer=customer,
        invoices=[invoice],
        agency=agency,
        user=member,
        today=HANDED_OVER,
    )
    contents = json.loads(json.dumps(handover.dossier))
    jsonschema.validate(contents, dossier.schema(), format_checker=jsonschema.FormatChecker())
    (row,) = contents["invoices"]
    assert (row["number"], row["principal"], row["interest_from"]) == (
        invoice.number,
        "1000.00",
        "2026-02-05",
    )
    # Every reminder sent interrupted limitation (art. 3:317 BW); the last, on 11 March,
    # starts five years anew the next day (art. 3:319 BW).
    limitation = row["limitation"]
    assert row["interest_periods"] and limitation["last_day"] == "2031-03-11"
    assert limitation["periods"][0]["to"] == "2031-02-04"
    assert all("art. 3:317 lid 1 BW" in p["reason"] for p in limitation["periods"][1:])
    assert contents["totals"]["costs"] == "150.00"  # WIK: 15 % of the first 2 500
    # The costs bear 6:119 interest from the day after they fell due (5 February).
    assert (row["costs_interest_from"], row["simple_interest"], row["judgment"]) == (
        "2026-02-06",
        False,
        None,
    )
    assert {p["rate_percent"] for p in row["costs_interest_periods"]} == {"4"}
    assert contents["totals"]["costs_interest"] == row["costs_interest"] != "0.00"
    assert [m["kind"] for m in contents["messages"]] == [
        "reminder",
        "reminder",
        "reminder",
        "broken_promise",
    ]
    assert contents["calls"][0]["promised_to_pay_by"] == "2026-03-10"
    assert contents["promises"][0]["state"] == "broken"
    text = pdf_text(bytes(handover.dossier_pdf))
    assert "Incasso Noord B.V." in text and "Bouwbedrijf Smit" in text and invoice.number in text
    total = contents["totals"]["total"]
    assert f"{Decimal(total):,.2f}" in text or total in text


def test_a_handover_stops_the_run_then_the_agency_pays_and_it_is_closed(
    organization, agency, history, member
):
    customer, invoice = history
    handover = services.hand_over(
        organization,
        customer=customer,
        invoices=[invoice],
        agency=agency,
        user=member,
        today=HANDED_OVER,
    )
    steps_before = InvoiceStep.objects.filter(invoice=invoice).count()
    live(organization, HANDED_OVER, D(2026, 6, 30))
    assert InvoiceStep.objects.filter(invoice=invoice).count() == steps_before
    services.record_stage(
        handover,
        kind=StageKind.SUMMONS,
        on=D(2026, 5, 12),
        costs=Decimal("105.36"),
        today=D(2026, 5, 13),
    )
    with pytest.raises(services.HandoverError, match="already at summons"):
        services.record_stage(
            handover, kind=StageKind.SUMMONS, on=D(2026, 5, 14), today=D(2026, 5, 14)
        )
    services.record_stage(handover, kind=StageKind.JUDGMENT, on=D(2026, 6, 2), today=D(2026, 6, 3))
    remittance = services.record_remittance(
        handover,
        received_on=D(2026, 6, 20),
        collected=[(invoice, Decimal("600.00"))],
        fee=Decimal("90.00"),
        user=member,
    )
    invoice.refresh_from_db()
    assert invoice.open_amount == Decimal("400.00")
    assert (remittance.payment.payer_name, remittance.fee) == (
        "Incasso Noord B.V.",
        Decimal("90.00"),
    )
    services.record_stage(handover, kind=StageKind.CLOSED, on=D(2026, 7, 1), today=D(2026, 7, 1))
    assert Hold.objects.get(reason="handover").lifted_on == D(2026, 7, 1)
    assert [s.kind for s in handover.stages.all()] == [
        "handed_over",
        "summons",
        "judgment",
        "closed",
    ]


def test_a_disputed_invoice_is_handed_over_only_when_confirmed(organization, agency, member):
    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "500.00", issue_date=D(2026, 1, 5))
    arrangements.open_dispute(
        organization,
        customer=customer,
        invoice=invoice,
        reason="quality",
        channel="email",
        today=D(2026, 3, 1),
    )
    with pytest.raises(services.DisputedInvoices, match=f"{invoice.number} is under dispute"):
        services.hand_over(
            organization, customer=customer, invoices=[invoice], agency=agency, today=HANDED_OVER
        )
    handover = services.hand_over(
        organization,
        customer=customer,
        invoices=[invoice],
        agency=agency,
        today=HANDED_OVER,
        confirm_disputed=True,
    )
    assert handover.dossier["disputes"][0]["outcome"] == "open"


def test_a_dossier_never_holds_another_customer_or_organization(organization, agency, member):
    customer = CustomerFactory(organization=organization, name="Eigen Klant")
    invoice = issued_invoice(customer, "500.00", issue_date=D(2026, 1, 5))
    neighbour = CustomerFactory(organization=organization, name="Buurman BV")
    issued_invoice(neighbour, "700.00", issue_date=D(2026, 1, 5))
    elsewhere = OrganizationFactory()
    stranger = CustomerFactory(organization=elsewhere, name="Vreemde BV")
    foreign = issued_invoice(stranger, "900.00", issue_date=D(2026, 1, 5))
    live(organization, D(2026, 2, 10), D(2026, 2, 10))
    live(elsewhere, D(2026, 2, 10), D(2026, 2, 10))
    handover = services.hand_over(
        organization, customer=customer, invoices=[invoice], agency=agency, today=HANDED_OVER
    )
    text = json.dumps(handover.dossier) + pdf_text(bytes(handover.dossier_pdf))
    assert "Buurman" not in text and "Vreemde" not in text and "700.00" not in text
    with pytest.raises(arrangements.ArrangementError, match="another customer"):
        services.hand_over(
            organization, customer=customer, invoices=[foreign], agency=agency, today=HANDED_OVER
        )
    other_agency = Agency.objects.create(organization=elsewhere, kind="bailiff", name="Deurwaarder")
    with pytest.raises(services.HandoverError, match="another administration"):
        services.hand_over(
            organization,
            customer=customer,
            invoices=[invoice],
            agency=other_agency,
            today=HANDED_OVER,
        )


def test_the_dossier_downloads_for_its_organization_only_and_the_schema_is_public(
    organization, agency, member
):
    from django.test import Client

    from tests.factories import MembershipFactory

    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "500.00", issue_date=D(2026, 1, 5))
    handover = services.hand_over(
        organization, customer=customer, invoices=[invoice], agency=agency, today=HANDED_OVER
    )
    own = Client()
    own.force_login(member)
    response = own.get(f"/collections/handovers/{handover.public_id}/dossier.json")
    assert response.status_code == 200
    jsonschema.validate(json.loads(response.content), dossier.schema())
    assert own.get(f"/collections/handovers/{handover.public_id}/dossier.pdf").content.startswith(
        b"%PDF"
    )
    stranger = Client()
    stranger.force_login(MembershipFactory(organization=OrganizationFactory()).user)
    assert (
        stranger.get(f"/collections/handovers/{handover.public_id}/dossier.json").status_code == 404
    )
    published = Client().get("/collections/schema/handover-dossier.json")
    assert published.status_code == 200 and json.loads(published.content) == dossier.schema()


def test_an_arrangement_in_the_dossier_interrupts_limitation(organization, agency, member):
    from tegoed.arrangements import plans

    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "600.00", issue_date=D(2026, 1, 5))  # due 4 Feb
    plans.agree_arrangement(
        organization, customer=customer, invoices=[invoice], channel="call", count=3,
        first_due_on=D(2026, 3, 1), today=D(2026, 2, 11),
    )  # fmt: skip
    handover = services.hand_over(
        organization, customer=customer, invoices=[invoice], agency=agency, today=HANDED_OVER
    )
    limitation = handover.dossier["invoices"][0]["limitation"]
    # Five years from the day after the acknowledgement (art. 3:318, 3:319 BW).
    assert limitation["last_day"] == "2031-02-11"
    assert limitation["time_barred_on"] == "2031-02-12"


def test_stages_and_the_agencys_money_are_recorded_from_the_agreements_page(
    organization, agency, member
):
    from django.test import Client

    from tegoed.collections.models import Stage
    from tests.factories import MembershipFactory

    customer = CustomerFactory(organization=organization)
    invoice = issued_invoice(customer, "500.00", issue_date=D(2026, 1, 5))
    handover = services.hand_over(
        organization, customer=customer, invoices=[invoice], agency=agency, today=HANDED_OVER
    )
    own = Client()
    own.force_login(member)
    page = own.get(f"/arrangements/customers/{customer.public_id}/")
    assert f"/arrangements/handovers/{handover.public_id}/stage/" in page.content.decode()
    step = f"/arrangements/handovers/{handover.public_id}/"

    stranger = Client()
    stranger.force_login(MembershipFactory(organization=OrganizationFactory()).user)
    refused = stranger.post(
        step + "stage/",
        {f"stage-{handover.pk}-kind": "summons", f"stage-{handover.pk}-on": "2026-05-04"},
    )
    assert refused.status_code == 404 and not Stage.objects.exclude(kind="handed_over").exists()

    prefix = f"stage-{handover.pk}-"
    own.post(
        step + "stage/",
        {prefix + "kind": "summons", prefix + "on": "2026-05-04", prefix + "costs": "102,50"},
    )
    own.post(
        step + "stage/",
        {prefix + "kind": "judgment", prefix + "on": "2026-07-01", prefix + "awarded": "640,00"},
    )
    # A stage before the one reached is refused with a sentence, and nothing is written.
    refused = own.post(
        step + "stage/", {prefix + "kind": "summons", prefix + "on": "2026-07-02"}, follow=True
    )
    assert (
        "summons" in refused.content.decode().lower()
        or "dagvaarding" in refused.content.decode().lower()
    )
    stages = list(handover.stages.exclude(kind="handed_over").order_by("on"))
    assert [(s.kind, s.on, s.costs, s.awarded) for s in stages] == [
        ("summons", D(2026, 5, 4), Decimal("102.50"), None),
        ("judgment", D(2026, 7, 1), Decimal("0.00"), Decimal("640.00")),
    ]

    paid = f"remittance-{handover.pk}-"
    own.post(
        step + "remittance/",
        {
            paid + "received_on": "2026-08-03",
            paid + f"collected_{invoice.pk}": "300,00",
            paid + "fee": "45,00",
        },
    )
    remittance = handover.remittances.get()
    assert (remittance.collected, remittance.fee) == (Decimal("300.00"), Decimal("45.00"))
    invoice.refresh_from_db()
    assert invoice.open_amount == Decimal("200.00")
    # An empty remittance books nothing.
    own.post(step + "remittance/", {paid + "received_on": "2026-08-04"})
    assert handover.remittances.count() == 1


def test_an_agency_is_added_once_per_name_and_for_its_own_organization(organization, member):
    first = services.add_agency(
        organization, kind="bailiff", name=" Deurwaarders Zuid ", user=member
    )
    assert first.name == "Deurwaarders Zuid" and first.organization == organization
    with pytest.raises(services.HandoverError, match="Deurwaarders Zuid"):
        services.add_agency(organization, kind="agency", name="Deurwaarders Zuid", user=member)
    with pytest.raises(services.HandoverError):
        services.add_agency(organization, kind="agency", name="Te duur", fee_percent=Decimal("120"))
    other = OrganizationFactory()
    assert services.add_agency(other, kind="agency", name="Deurwaarders Zuid").organization == other

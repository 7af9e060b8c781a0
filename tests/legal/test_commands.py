"""The `interest`, `collection-costs` and `rates` commands, on the seeded rate table."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tegoed.rates.models import Rate

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_interest_json_reproduces_the_rentetool_vector():
    """rentetool V2kHRS: their end date 16-01-2026 is exclusive, so --to is one day earlier."""
    result = json.loads(
        run(
            "interest",
            "--kind=commercial",
            "--principal=2000",
            "--from=2015-11-11",
            "--to=2026-01-15",
            "--json",
        )
    )
    assert result["total"] == "2820.43"
    assert result["currency"] == "EUR"
    first = result["periods"][0]
    assert {key: first[key] for key in ("from", "to", "days", "rate", "base", "amount")} == {
        "from": "2015-11-11",
        "to": "2015-12-31",
        "days": 51,
        "rate": "8.05",
        "base": "2000.00",
        "amount": "22.50",
    }
    assert result["capitalised"][0] == {"on": "2016-11-11", "amount": "161.08", "base": "2161.08"}
    assert result["periods"][-1]["to"] == "2026-01-15"
    assert result["rate_unverified"] is False


def test_interest_day_count_option():
    result = json.loads(
        run(
            "interest",
            "--kind=commercial",
            "--principal=10000",
            "--from=2024-01-01",
            "--to=2024-06-30",
            "--day-count=actact-calendar",
            "--json",
        )
    )
    assert result["total"] == "621.58"


def test_interest_table_says_rate_unverified():
    text = run(
        "interest",
        "--jurisdiction=BE",
        "--kind=commercial",
        "--principal=1000",
        "--from=2025-01-01",
        "--to=2025-06-30",
    )
    assert "rate unverified" in text or "rente niet geverifieerd" in text
    assert "57.03" in text  # 181 days at the derived 11.5 %


def test_interest_uses_the_rate_rows_of_the_database():
    Rate.objects.filter(jurisdiction="NL", kind="commercial").update(percent=10)
    result = json.loads(
        run(
            "interest",
            "--kind=commercial",
            "--principal=1000",
            "--from=2024-01-01",
            "--to=2024-12-31",
            "--json",
        )
    )
    assert {p["rate"] for p in result["periods"]} == {"10.00"}


def test_interest_with_a_payment():
    result = json.loads(
        run(
            "interest",
            "--kind=commercial",
            "--principal=10000",
            "--from=2024-04-01",
            "--to=2024-05-31",
            "--payment=2024-04-30=4000",
            "--json",
        )
    )
    assert result["payments"][0]["interest"] == result["periods"][0]["amount"]


def test_interest_rejects_a_bad_date():
    with pytest.raises(CommandError, match="not a date"):
        run(
            "interest", "--kind=commercial", "--principal=1", "--from=11-11-2015", "--to=2026-01-15"
        )


def test_collection_costs_json():
    result = json.loads(run("collection_costs", "--principal=3000", "--json"))
    assert (result["amount"], result["vat"]) == ("425.00", "0.00")
    assert [b["amount"] for b in result["brackets"]] == ["375.00", "50.00"]


def test_collection_costs_with_vat_and_several_claims():
    result = json.loads(
        run("collection_costs", "--principal=1000", "--principal=2000", "--vat=21", "--json")
    )
    assert (result["amount"], result["vat"], result["total"]) == ("425.00", "89.25", "514.25")


def test_collection_costs_for_a_business_debtor_per_invoice():
    args = ("collection_costs", "--principal=3000", "--principal=100", "--debtor=business")
    result = json.loads(run(*args, "--json"))
    assert (result["amount"], result["shares"]) == ("465.00", ["425.00", "40.00"])
    agreed = json.loads(run(*args, "--agreed-percentage=10", "--json"))
    assert agreed["shares"] == ["300.00", "40.00"]


def test_rates_lists_the_table_with_sources():
    text = run("rates", "--jurisdiction=NL")
    assert "Stb. 2014, 491" in text
    lines = [json.loads(line) for line in run("rates", "--json").splitlines()]
    assert {"jurisdiction": "NL", "kind": "consumer", "effective_from": "2015-01-01"}.items() <= (
        next(r for r in lines if r["effective_from"] == "2015-01-01" and r["kind"] == "consumer")
    ).items()
    assert {row["jurisdiction"] for row in lines} == {"NL", "EU", "BE", "DE", "UK"}


def test_rates_load_built_in_adds_only_what_is_missing():
    Rate.objects.filter(jurisdiction="DE").delete()
    Rate.objects.filter(jurisdiction="NL", kind="consumer").update(note="edited")
    run("rates", "--load-built-in")
    assert Rate.objects.filter(jurisdiction="DE").exists()
    assert set(
        Rate.objects.filter(kind="consumer", jurisdiction="NL").values_list("note", flat=True)
    ) == {"edited"}


def test_interest_contract_date_chooses_the_margin():
    args = ("interest", "--kind=commercial", "--principal=10000", "--from=2020-01-01")
    args += ("--to=2020-12-31", "--json")
    old = json.loads(run(*args, "--contract-date=2012-06-01"))
    assert old["total"] == "701.92"
    assert {period["rate"] for period in old["periods"]} == {"7.00"}
    assert json.loads(run(*args))["total"] == "802.19"
    with pytest.raises(CommandError, match="not a date"):
        run(*args, "--contract-date=1-6-2012")

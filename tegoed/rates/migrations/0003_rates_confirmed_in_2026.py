"""Bring the seeded rate table up to the built-in rows: new rows, and sources found since.

A row still as seeded (the same rate and the status it was seeded with) takes the built-in
source, status and note; a row edited in the admin is left alone. Rows the table lacks (the
Belgian civil rates from 2024) are added.
"""

from datetime import date

from django.db import migrations

# (jurisdiction, kind, effective from, the status it was seeded with)
CONFIRMED = (
    ("NL", "consumer", date(2025, 1, 1), "single_source"),
    ("NL", "consumer", date(2025, 7, 1), "unverified"),
    ("NL", "consumer", date(2026, 1, 1), "unverified"),
    ("NL", "commercial", date(2011, 7, 1), "single_source"),
    ("NL", "commercial", date(2013, 3, 16), "single_source"),
    ("NL", "commercial", date(2014, 1, 1), "single_source"),
    ("EU", "reference", date(2011, 7, 1), "single_source"),
    ("EU", "reference", date(2014, 1, 1), "single_source"),
    ("BE", "commercial", date(2024, 7, 1), "single_source"),
    ("BE", "commercial", date(2025, 7, 1), "single_source"),
    ("DE", "reference", date(2025, 1, 1), "single_source"),
    ("UK", "reference", date(2026, 1, 1), "single_source"),
)


def update(apps, schema_editor):
    from tegoed.domain import jurisdictions

    rate_model = apps.get_model("rates", "Rate")
    built_in = {(r.jurisdiction, r.kind, r.effective_from): r for r in jurisdictions.rates()}
    for jurisdiction, kind, effective_from, seeded_status in CONFIRMED:
        rate = built_in[(jurisdiction, kind, effective_from)]
        rate_model.objects.filter(
            jurisdiction=jurisdiction,
            kind=kind,
            effective_from=effective_from,
            percent=rate.percent,
            status=seeded_status,
        ).update(source=rate.source, status=rate.status.value, note=rate.note)
    for rate in built_in.values():
        rate_model.objects.get_or_create(
            jurisdiction=rate.jurisdiction,
            kind=rate.kind,
            effective_from=rate.effective_from,
            defaults={
                "percent": rate.percent,
                "source": rate.source,
                "status": rate.status.value,
                "note": rate.note,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("rates", "0002_seed_built_in_rates")]

    operations = [migrations.RunPython(update, migrations.RunPython.noop)]

"""Seed the rate table from the built-in tables of tegoed.domain.jurisdictions."""

from django.db import migrations


def seed(apps, schema_editor):
    from tegoed.domain import jurisdictions

    rate_model = apps.get_model("rates", "Rate")
    for rate in jurisdictions.rates():
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


def unseed(apps, schema_editor):
    apps.get_model("rates", "Rate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("rates", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

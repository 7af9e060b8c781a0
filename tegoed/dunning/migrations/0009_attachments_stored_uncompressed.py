from django.db import migrations

from tegoed.common.uncompressed import stored_uncompressed


class Migration(migrations.Migration):
    dependencies = [("dunning", "0008_lighter_run_writes")]

    operations = [stored_uncompressed("dunning_attachment", "content")]

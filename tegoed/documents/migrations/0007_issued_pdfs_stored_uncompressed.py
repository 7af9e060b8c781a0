from django.db import migrations

from tegoed.common.uncompressed import stored_uncompressed


class Migration(migrations.Migration):
    dependencies = [("documents", "0006_quote_wording")]

    operations = [stored_uncompressed("documents_issuedpdf", "pdf")]

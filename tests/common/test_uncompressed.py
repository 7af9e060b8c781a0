"""PDFs are stored as they are: PostgreSQL does not try to compress them again."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL storage setting")
@pytest.mark.parametrize(
    ("table", "column"), [("dunning_attachment", "content"), ("documents_issuedpdf", "pdf")]
)
def test_pdf_columns_are_stored_without_compression(table, column):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s",
            [table, column],
        )
        assert cursor.fetchone() == ("e",)

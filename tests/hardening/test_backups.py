"""A backup taken while Tegoed runs restores every row, on SQLite and on PostgreSQL."""

import sqlite3
from decimal import Decimal

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tegoed.operations import backups
from tests.factories import CustomerFactory, issued_invoice


def scratch_database(tmp_path):
    """An empty database of the same kind to restore into, its URL, and how to drop it."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None
    config = connection.settings_dict
    name = f"{config['NAME']}_restored"
    server = f"postgresql://{config['USER']}@{config['HOST']}:{config['PORT']}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return f"{server}/{name}", drop


def invoices_in(url: str) -> list[tuple]:
    database = backups.Database.from_url(url)
    query = "SELECT number, total FROM invoices_invoice ORDER BY number"
    if database.kind == backups.SQLITE:
        with sqlite3.connect(database.name) as restored:
            return restored.execute(query).fetchall()
    with psycopg.connect(url) as restored:
        return restored.execute(query).fetchall()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row(tmp_path, organization):
    customer = CustomerFactory(organization=organization)
    first = issued_invoice(customer, "121.00")
    second = issued_invoice(customer, "80.50")
    (tmp_path / "backups").mkdir()
    call_command("backup", str(tmp_path / "backups"), keep=2)
    call_command("backup", str(tmp_path / "backups"), keep=2)
    [newest, *_older] = sorted((tmp_path / "backups").glob("tegoed-*"), reverse=True)
    url, drop = scratch_database(tmp_path)
    try:
        call_command("restore", str(newest), into=url)
        restored = invoices_in(url)
    finally:
        drop()
    assert restored == [(first.number, 12100), (second.number, 8050)]  # cents
    assert first.total == Decimal("121.00")


@pytest.mark.django_db
def test_only_the_newest_backups_are_kept(tmp_path):
    for stamp in ("20261201T020000Z", "20261202T020000Z", "20261203T020000Z"):
        (tmp_path / f"tegoed-{stamp}.dump").write_bytes(b"backup")
    removed = backups.prune(tmp_path, keep=2)
    assert [path.name for path in removed] == ["tegoed-20261201T020000Z.dump"]


@pytest.mark.django_db
def test_a_file_that_is_no_backup_is_refused(tmp_path):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database")
    with pytest.raises(CommandError):
        call_command("restore", str(broken), into=f"sqlite:///{tmp_path / 'x.sqlite3'}")

"""The raw database never holds a participant's name, e-mail or phone in clear text.

On SQLite the database's pages are copied to a file with SQLite's own backup (the test
database lives in memory) and its bytes are searched, free pages included; on PostgreSQL
every column of the app's tables is read back with raw SQL as text. Fails if the identity
is stored unencrypted (or if a withdrawn text stays in the file).
"""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection

from tests.accounts.factories import make_user
from tests.factories import ReviewFactory, StateFactory
from uprhub.consultations import services

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Wichapi Runninghorse"
EMAIL = "wichapi.runninghorse@example.net"
PHONE = "+1 605 555 0199"
SECRET_TEXT = "Guards at the county jail beat my cousin Tecumseh."


def raw_database(tmp_path) -> bytes:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(tmp_path / "copy.sqlite3")
        connection.connection.backup(copy)
        copy.close()
        return (tmp_path / "copy.sqlite3").read_bytes()
    rows: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_name LIKE 'consultations_%%'"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT t::text FROM "{table}" AS t')  # the whole row as text
            rows.extend(row[0] for row in cursor.fetchall())
    return "\n".join(rows).encode()


def _consultation():
    review = ReviewFactory(state=StateFactory(code="USA"))
    return services.create_consultation(actor=None, slug="raw", review=review, title="Raw")


def test_identity_never_in_clear(tmp_path):
    consultation = _consultation()
    testimony, _code = services.submit_testimony(
        consultation,
        services.TestimonyInput(text="We have no clean water.", language="en"),
        services.IdentityInput(name=NAME, email=EMAIL, phone=PHONE),
        client_address="198.51.100.23",
    )
    raw = raw_database(tmp_path)
    assert b"We have no clean water." in raw  # the search does see the tables
    for value in (NAME, EMAIL, PHONE, "198.51.100.23"):
        assert value.encode() not in raw, value
    # …and yet a moderator reads them back.
    moderator = make_user("registered")
    services.assign_role(consultation, moderator, "moderator", actor=None)
    assert services.view_identity(testimony, actor=moderator)["email"] == EMAIL


def test_withdrawn_text_and_identity_gone_from_the_database(tmp_path):
    consultation = _consultation()
    _testimony, code = services.submit_testimony(
        consultation,
        services.TestimonyInput(text=SECRET_TEXT, language="en"),
        services.IdentityInput(name=NAME),
    )
    # Stored redacted ("my cousin Tecumseh" is a name after a cue word), the rest in clear.
    kept = SECRET_TEXT.split(" my cousin")[0].encode()
    raw = raw_database(tmp_path)
    assert kept in raw
    assert b"Tecumseh" not in raw
    services.withdraw_testimony(consultation, code)
    assert kept not in raw_database(tmp_path)

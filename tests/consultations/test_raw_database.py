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


MODERATED_TEXT = (
    "The Okonkwo-Baptiste family at 1187 Larimer Street was evicted. "
    "Call Wichapi on 605-555-0142. The Kestrel Ridge shelter turned us away."
)
# What only the moderator redacts (by hand): not found by the automatic suggestions.
BY_HAND = "Kestrel Ridge"
KEPT = "was evicted"


def _given(consultation, text: str):
    testimony, _code = services.submit_testimony(
        consultation,
        services.TestimonyInput(text=text, language="en", government=f"Close {BY_HAND}."),
        services.IdentityInput(name=NAME, email=EMAIL, phone=PHONE),
    )
    return testimony


def _tokens(testimony) -> list[bytes]:
    testimony.refresh_from_db()
    return [testimony.original_token.encode(), testimony.identity.token.encode()]


def _assert_gone(raw: bytes, *extra: bytes) -> None:
    for value in (
        NAME,
        EMAIL,
        PHONE,
        "Wichapi",
        "605-555-0142",
        "1187 Larimer",
        "Okonkwo",
        BY_HAND,
        "a note naming",
    ):
        assert value.encode() not in raw, value
    for value in extra:
        assert value not in raw, value[:20]


def test_moderated_withdrawn_and_purged_words_gone_from_the_database(tmp_path):
    import datetime

    from django.utils import timezone

    from uprhub.consultations import moderation
    from uprhub.consultations.models import Testimony

    consultation = _consultation()
    moderator = make_user("registered")
    services.assign_role(consultation, moderator, "moderator", actor=None)
    withdrawn = _given(consultation, MODERATED_TEXT)
    purged = _given(consultation, MODERATED_TEXT.replace("evicted", "evicted twice"))
    raw = raw_database(tmp_path)
    assert BY_HAND.encode() in raw  # in clear until a moderator redacts it
    for testimony in (withdrawn, purged):
        moderation.decide(
            testimony,
            "approved",
            actor=moderator,
            keep_suggested=None,
            extra=[BY_HAND.lower(), "okonkwo-baptiste"],
            note=f"a note naming {BY_HAND}",
        )
    raw = raw_database(tmp_path)
    assert KEPT.encode() in raw
    # The moderator's redaction: the old text is overwritten in the file, not left behind.
    assert BY_HAND.encode() not in raw.replace(b"a note naming " + BY_HAND.encode(), b"")
    old_tokens = _tokens(withdrawn) + _tokens(purged)
    assert all(token in raw for token in old_tokens)  # the search does see them

    services.withdraw_by_id(consultation, withdrawn.pk, actor=None)
    consultation.closes_at = timezone.now()
    consultation.save()
    services.purge_expired(consultation.closes_at + datetime.timedelta(days=181))

    raw = raw_database(tmp_path)
    assert b"evicted twice" in raw  # the purged one's redacted text stays (anonymised)
    assert b"evicted." not in raw  # the withdrawn one's is gone
    _assert_gone(raw, *old_tokens)
    assert Testimony.objects.filter(purged_at__isnull=False).count() == 2

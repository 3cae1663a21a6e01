"""Moderation services (status decisions, redaction, stale decisions), withdrawal by item id,
the retention purge and its commands, and the risk flag in the selectors."""

from __future__ import annotations

import datetime
import sqlite3
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import make_user
from tests.permissions.grid import ALLOW, DENY, ROLES, actor, check_cell
from uprhub.consultations import moderation, selectors, services, signals
from uprhub.consultations.models import (
    Identity,
    ModerationDecision,
    Testimony,
    TestimonyStatus,
)
from uprhub.site.retention import purge

from .conftest import make_input

pytestmark = pytest.mark.django_db

TEXT = (
    "Officer Brandt stopped my son Darnell outside 4417 Penn Avenue. "
    "Write to me at maria.lopez@example.org. The Kowalczyk farm fired everyone who complained; "
    "kowalczyk's foreman laughed."
)
NAME = "María López"
CONSULTATION_ROLES = [*ROLES, "facilitator", "moderator", "moderator_elsewhere"]


def given(consultation, text: str = TEXT, name: str = NAME, **flags) -> Testimony:
    testimony, _code = services.submit_testimony(
        consultation,
        make_input(text, **flags),
        services.IdentityInput(name=name, email="maria.lopez@example.org", phone="412-555-0101"),
    )
    return testimony


def role_user(role: str, consultation):
    if role in {"facilitator", "moderator"}:
        user = make_user("registered")
        services.assign_role(consultation, user, role, actor=None)
        return user
    if role == "moderator_elsewhere":
        other = services.create_consultation(
            actor=None, slug="elsewhere", review=consultation.review, title="Elsewhere"
        )
        user = make_user("registered")
        services.assign_role(other, user, "moderator", actor=None)
        return user
    return actor(role)


# --- per role ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", CONSULTATION_ROLES)
def test_moderate_per_role(role, consultation):
    testimony = given(consultation)
    who = role_user(role, consultation)
    check_cell(
        who=who,
        perm="consultations.moderate",
        obj=consultation,
        # The command line (actor None) has no say: decisions are a moderator's, audited.
        expected=ALLOW if role == "moderator" else DENY,
        call=lambda: moderation.set_status(testimony, TestimonyStatus.APPROVED, actor=who),
        snapshot=lambda: (
            list(Testimony.objects.values_list("status", flat=True))
            + [ModerationDecision.objects.count()]
        ),
    )


@pytest.mark.parametrize("role", CONSULTATION_ROLES)
def test_redact_per_role(role, consultation):
    testimony = given(consultation)
    who = role_user(role, consultation)
    check_cell(
        who=who,
        perm="consultations.moderate",
        obj=consultation,
        expected=ALLOW if role == "moderator" else DENY,
        call=lambda: moderation.redact(
            testimony, actor=who, keep_suggested=None, extra=["Kowalczyk"]
        ),
        snapshot=lambda: list(Testimony.objects.values_list("text", flat=True)),
    )


@pytest.mark.parametrize("role", CONSULTATION_ROLES)
def test_withdraw_by_id_per_role(role, consultation):
    testimony = given(consultation)
    who = role_user(role, consultation)
    allowed = role in {"system", "coordinator", "admin", "moderator"}
    check_cell(
        who=who,
        perm="consultations.import",
        obj=consultation,
        expected=ALLOW if allowed else DENY,
        call=lambda: services.withdraw_by_id(consultation, testimony.pk, actor=who),
        snapshot=lambda: list(Testimony.objects.values_list("status", flat=True)),
    )


@pytest.mark.parametrize("role", ["moderator", "moderator_elsewhere", "admin"])
def test_view_original_per_role(role, consultation):
    testimony = given(consultation)
    who = role_user(role, consultation)
    expected = ALLOW if role == "moderator" else DENY
    view = check_cell(
        who=who,
        perm="consultations.view_original",
        obj=consultation,
        expected=expected,
        call=lambda: moderation.view_original(testimony, actor=who),
        snapshot=lambda: testimony.accesses.count(),  # every view is logged
    )
    if expected == ALLOW:
        assert view.original["text"] == TEXT


# --- status decisions ----------------------------------------------------------------------


def test_set_status_records_who_when_and_from_to(consultation, moderator):
    testimony = given(consultation)
    moderation.set_status(testimony, TestimonyStatus.NEEDS_REDACTION, actor=moderator, note="x")
    moderation.set_status(testimony, TestimonyStatus.APPROVED, actor=moderator)
    assert testimony.status == TestimonyStatus.APPROVED
    rows = list(
        moderation.decisions_of(testimony).values_list("user", "from_status", "to_status", "note")
    )
    assert rows == [
        (moderator.pk, "needs_redaction", "approved", ""),
        (moderator.pk, "new", "needs_redaction", "x"),
    ]


@pytest.mark.parametrize("to_status", ["withdrawn", "new", "published"])
def test_a_moderator_cannot_withdraw_or_invent_a_status(consultation, moderator, to_status):
    testimony = given(consultation)
    with pytest.raises(moderation.ModerationError):
        moderation.set_status(testimony, to_status, actor=moderator)
    assert Testimony.objects.get().status == TestimonyStatus.NEW
    assert not ModerationDecision.objects.exists()


def test_withdrawn_testimony_cannot_be_moderated(consultation, moderator):
    testimony = given(consultation)
    services.withdraw_by_id(consultation, testimony.pk, actor=None)
    with pytest.raises(moderation.ModerationError, match="withdrawn"):
        moderation.set_status(testimony, TestimonyStatus.APPROVED, actor=moderator)
    with pytest.raises(moderation.ModerationError, match="withdrawn"):
        moderation.redact(testimony, actor=moderator, keep_suggested=None)
    with pytest.raises(moderation.ModerationError, match="withdrawn"):
        moderation.view_original(testimony, actor=moderator)
    assert Testimony.objects.get().status == TestimonyStatus.WITHDRAWN
    assert not ModerationDecision.objects.exists()


# --- redaction -----------------------------------------------------------------------------


def test_arrival_redaction_then_moderator_redaction_from_the_original(consultation, moderator):
    testimony = given(consultation)
    # On arrival: e-mail, address, cue names redacted; the farm's name is not personal data
    # the rules know.
    assert "maria.lopez@example.org" not in testimony.text
    assert "4417 Penn Avenue" not in testimony.text and "Darnell" not in testimony.text
    assert "Kowalczyk" in testimony.text
    view = moderation.view_original(testimony, actor=moderator)
    kinds = [(s.span.kind, s.span.text) for s in view.suggestions]
    assert ("email", "maria.lopez@example.org") in kinds
    assert ("name", "Darnell") in kinds
    brandt = next(s.index for s in view.suggestions if s.span.text == "Brandt")
    # Keep all but "Brandt" (a police officer's name may stay), add the farm by hand.
    keep = [s.index for s in view.suggestions if s.index != brandt]
    received = []

    def receiver(sender, testimony, **kw):
        received.append(testimony.text)

    signals.testimony_redacted.connect(receiver, weak=False)
    try:
        moderation.redact(testimony, actor=moderator, keep_suggested=keep, extra=["KOWALCZYK"])
    finally:
        # Only this receiver: the app's own (reports follow redactions) must stay connected.
        signals.testimony_redacted.disconnect(receiver)
    testimony.refresh_from_db()
    assert "Brandt" in testimony.text
    assert "kowalczyk" not in testimony.text.lower()  # every occurrence, any case
    assert testimony.text.count("[removed]") == 2
    assert "maria.lopez@example.org" not in testimony.text
    assert received == [testimony.text]  # sent once, with the new text
    decision = ModerationDecision.objects.get()
    assert (decision.from_status, decision.to_status) == ("new", "new")
    assert decision.redactions == len(keep) + 2
    # The choices come back with the original (encrypted), for the next decision.
    again = moderation.view_original(testimony, actor=moderator)
    assert again.choices.keep == keep and again.choices.extra == ["KOWALCZYK"]
    assert again.preview.text == testimony.text
    # …and the original is untouched.
    assert again.original["text"] == TEXT


def test_redaction_reaches_the_government_answer(consultation, moderator):
    testimony, _code = services.submit_testimony(
        consultation,
        make_input("We have no water.", government="Call Mayor Quintero at 412-555-0188."),
    )
    assert "412-555-0188" not in testimony.answers["government"]
    moderation.redact(testimony, actor=moderator, keep_suggested=None, extra=["quintero"])
    assert "Quintero" not in testimony.answers["government"]
    assert testimony.text == "We have no water."


def test_decide_redacts_and_decides_in_one_audited_step(consultation, moderator):
    testimony = given(consultation)
    moderation.decide(
        testimony,
        TestimonyStatus.APPROVED,
        actor=moderator,
        keep_suggested=None,
        extra=["Kowalczyk"],
        note="farm name identifies the workers",
    )
    assert testimony.status == TestimonyStatus.APPROVED and "Kowalczyk" not in testimony.text
    decision = ModerationDecision.objects.get()
    assert (decision.from_status, decision.to_status) == ("new", "approved")
    assert decision.redactions >= 4
    assert testimony in selectors.approved(consultation)


def test_moderation_decisions_hold_no_text(consultation, moderator):
    testimony = given(consultation)
    moderation.decide(
        testimony, TestimonyStatus.REJECTED, actor=moderator, keep_suggested=[], extra=["farm"]
    )
    row = ModerationDecision.objects.values().get()
    values = " ".join(str(value) for value in row.values())
    for secret in ("Kowalczyk", "farm", "Brandt", "maria.lopez", "Darnell", NAME):
        assert secret not in values


@pytest.mark.parametrize("phrase", ["a", "x" * 201])
def test_extra_phrases_are_checked(consultation, moderator, phrase):
    testimony = given(consultation)
    with pytest.raises(moderation.ModerationError):
        moderation.redact(testimony, actor=moderator, keep_suggested=None, extra=[phrase])
    assert not ModerationDecision.objects.exists()


# --- concurrency ---------------------------------------------------------------------------


def test_a_stale_decision_is_refused(consultation, moderator):
    testimony = given(consultation)
    other = make_user("registered")
    services.assign_role(consultation, other, "moderator", actor=None)
    seen = moderation.parse_version(moderation.version_of(testimony))
    assert seen == testimony.updated_at
    # Another moderator decides first…
    moderation.set_status(
        Testimony.objects.get(pk=testimony.pk), TestimonyStatus.REJECTED, actor=other
    )
    # …so this one, made on the page as it was, is refused, not applied over it.
    with pytest.raises(moderation.StaleDecision, match="Someone else decided"):
        moderation.decide(
            testimony,
            TestimonyStatus.APPROVED,
            actor=moderator,
            keep_suggested=[],
            expected=seen,
        )
    testimony.refresh_from_db()
    assert testimony.status == TestimonyStatus.REJECTED
    assert "maria.lopez@example.org" not in testimony.text
    assert ModerationDecision.objects.count() == 1
    # Decided again on the fresh page: accepted.
    moderation.set_status(
        testimony,
        TestimonyStatus.APPROVED,
        actor=moderator,
        expected=moderation.parse_version(moderation.version_of(testimony)),
    )
    assert Testimony.objects.get().status == TestimonyStatus.APPROVED


def test_the_person_changing_it_makes_a_decision_stale(consultation, moderator):
    testimony, code = services.submit_testimony(consultation, make_input("First words."))
    seen = testimony.updated_at
    services.change_testimony(consultation, code, make_input("Other words."))
    with pytest.raises(moderation.StaleDecision):
        moderation.set_status(testimony, TestimonyStatus.APPROVED, actor=moderator, expected=seen)


# --- queue reading -------------------------------------------------------------------------


def test_queue_oldest_first_counts_and_neighbours(consultation, moderator):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=3), tick=False):
        first = given(consultation, "First.")
    with time_machine.travel(timezone.now() - datetime.timedelta(days=2), tick=False):
        second = given(consultation, "Second.")
    third = given(consultation, "Third.")
    moderation.set_status(second, TestimonyStatus.APPROVED, actor=moderator)
    assert list(moderation.queue(consultation)) == [first, third]
    counts = moderation.status_counts(consultation)
    assert counts == {
        "new": 2,
        "approved": 1,
        "needs_redaction": 0,
        "rejected": 0,
        "withdrawn": 0,
    }
    assert moderation.neighbours(first, "new") == (None, third)
    assert moderation.neighbours(third, "new") == (first, None)
    assert moderation.next_new(consultation, after=first) == third
    assert moderation.next_new(consultation, after=third) == first  # wraps around
    assert moderation.next_new(consultation) == first


# --- risk ----------------------------------------------------------------------------------


def test_risk_flagged_testimony_is_never_public_nor_quotable(consultation, moderator):
    safe = given(consultation, "Safe words.", quote_anonymously=True)
    risky = given(consultation, "Risky words.", quote_anonymously=True, fears_reprisals=True)
    named = given(consultation, "Named.", quote_named=True, fears_reprisals=True)
    for testimony in (safe, risky, named):
        moderation.set_status(testimony, TestimonyStatus.APPROVED, actor=moderator)
    assert set(selectors.approved(consultation)) == {safe, risky, named}
    assert list(selectors.public(consultation)) == [safe]
    assert list(selectors.quotable(consultation)) == [safe]
    assert set(selectors.counted(consultation)) == {safe, risky, named}  # only counted


# --- withdrawal by id ----------------------------------------------------------------------


def test_withdraw_by_id_deletes_words_identity_and_notes(consultation, moderator):
    testimony = given(consultation)
    moderation.set_status(
        testimony, TestimonyStatus.APPROVED, actor=moderator, note="Kowalczyk again"
    )
    services.withdraw_by_id(consultation, testimony.pk, actor=None)
    testimony.refresh_from_db()
    assert testimony.status == TestimonyStatus.WITHDRAWN
    assert (testimony.text, testimony.original_token, testimony.answers) == ("", "", {})
    assert not Identity.objects.exists()
    decision = ModerationDecision.objects.get()  # the audit stays…
    assert decision.note == ""  # …without the words a note may have quoted
    with pytest.raises(services.ConsultationError, match="already withdrawn"):
        services.withdraw_by_id(consultation, testimony.pk, actor=None)
    with pytest.raises(services.ConsultationError, match="no item"):
        services.withdraw_by_id(consultation, 999_999, actor=None)


def test_withdraw_command(consultation):
    testimony = given(consultation)
    out = StringIO()
    call_command("consultations", "withdraw", "pittsburgh", str(testimony.pk), stdout=out)
    assert f"Withdrew item {testimony.pk} of “pittsburgh”" in out.getvalue()
    assert NAME not in out.getvalue() and "Kowalczyk" not in out.getvalue()
    assert Testimony.objects.get().status == TestimonyStatus.WITHDRAWN
    with pytest.raises(CommandError, match="already withdrawn"):
        call_command("consultations", "withdraw", "pittsburgh", str(testimony.pk))
    with pytest.raises(CommandError, match="No consultation"):
        call_command("consultations", "withdraw", "nowhere", "1")


# --- retention -----------------------------------------------------------------------------


def _closed(consultation, days_ago: int) -> None:
    consultation.closes_at = timezone.now() - datetime.timedelta(days=days_ago)
    consultation.save()


def test_purge_expired_after_the_retention_period(consultation, moderator, settings):
    settings.UPRHUB_CONSULTATION_RETENTION_DAYS = 180
    testimony = given(consultation)
    moderation.set_status(testimony, TestimonyStatus.APPROVED, actor=moderator, note="ok")
    redacted = Testimony.objects.get().text
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1), tick=False):
        _closed(consultation, 0)
    other = services.create_consultation(
        actor=None, slug="still-open", review=consultation.review, title="Open"
    )
    kept = given(other)
    closes = consultation.closes_at
    with time_machine.travel(closes + datetime.timedelta(days=179), tick=False):
        assert services.purge_expired().identities == 0
        assert Identity.objects.count() == 2
    with time_machine.travel(closes + datetime.timedelta(days=181), tick=False):
        dry = services.purge_expired(dry_run=True)
        assert (dry.testimonies, dry.identities, dry.originals) == (1, 1, 1)
        assert Identity.objects.count() == 2  # a dry run deletes nothing
        done = services.purge_expired()
        assert (done.testimonies, done.identities, done.originals) == (1, 1, 1)
        assert services.purge_expired().testimonies == 0  # once
    testimony.refresh_from_db()
    assert testimony.purged_at is not None and testimony.original_token == ""
    assert list(Identity.objects.values_list("testimony", flat=True)) == [kept.pk]
    assert testimony.text == redacted  # the anonymised result stays
    assert ModerationDecision.objects.get().note == ""
    assert services.identity_of(testimony) == {}
    assert moderation.view_original(testimony, actor=moderator).original["text"] == redacted


def test_retention_days_come_from_the_setting(consultation, settings):
    given(consultation)
    _closed(consultation, 31)
    settings.UPRHUB_CONSULTATION_RETENTION_DAYS = 60
    assert services.purge_expired().identities == 0
    settings.UPRHUB_CONSULTATION_RETENTION_DAYS = 30
    assert services.purge_expired().identities == 1


def test_site_purge_runs_the_consultations_step(consultation):
    given(consultation)
    _closed(consultation, 200)
    result = purge()
    assert (result.consultation_identities, result.consultation_originals) == (1, 1)
    out = StringIO()
    call_command("purge", stdout=out)  # the labelled text output knows the new counts
    assert "consultation participants' identities deleted: 0" in out.getvalue()


def test_purge_command_dry_run_and_real(consultation):
    given(consultation)
    _closed(consultation, 200)
    out = StringIO()
    call_command("consultations", "purge", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Dry run: nothing deleted" in text
    assert "identities (name, e-mail, phone): 1" in text
    assert Identity.objects.count() == 1
    out = StringIO()
    call_command("consultations", "purge", stdout=out)
    text = out.getvalue()
    assert "closed more than 180 days ago" in text
    assert "identities (name, e-mail, phone): 1" in text
    assert "original (unredacted) texts: 1" in text
    assert not Identity.objects.exists()
    assert NAME not in text and "Kowalczyk" not in text


def test_privacy_page_states_the_consultation_period(client, settings):
    settings.UPRHUB_CONSULTATION_RETENTION_DAYS = 90
    text = " ".join(client.get(reverse("core:privacy")).content.decode().split())
    assert "are deleted 90 days after the consultation closes" in text


# --- the database file ---------------------------------------------------------------------


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_every_sqlite_connection_deletes_securely():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_scrub_empties_the_wal_of_deleted_words(tmp_path, settings):
    """A file database in WAL mode, opened as UPR Hub opens one: after a delete and the
    scrub, neither the database file nor its -wal holds the deleted words."""
    from django.db import connections
    from django.db.backends.sqlite3.base import DatabaseWrapper

    options = dict(settings.DATABASES["default"].get("OPTIONS", {}))
    if "init_command" not in options:  # the test settings may use their own
        options["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA secure_delete=ON;"
    path = tmp_path / "file.sqlite3"
    wrapper = DatabaseWrapper(
        {**connections["default"].settings_dict, "NAME": str(path), "OPTIONS": options},
        alias="scrubbed",
    )
    connections["scrubbed"] = wrapper
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
            cursor.execute("INSERT INTO t (body) VALUES (%s)", ["Tecumseh was beaten " * 20])
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("INSERT INTO t (body) VALUES (%s)", ["filler " * 20])
            cursor.execute("UPDATE t SET body = '' WHERE id = 1")
        assert b"Tecumseh" in path.read_bytes() + _read(path, "-wal")
        services.scrub_database_file("scrubbed")
        assert b"Tecumseh" not in path.read_bytes() + _read(path, "-wal")
        assert _read(path, "-wal") == b""  # truncated
        # Still a sound database.
        copy = sqlite3.connect(path)
        assert copy.execute("SELECT count(*) FROM t").fetchone() == (2,)
        copy.close()
    finally:
        wrapper.close()
        del connections["scrubbed"]


def _read(path, suffix: str) -> bytes:
    wal = path.with_name(path.name + suffix)
    return wal.read_bytes() if wal.exists() else b""


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_moderators_deciding_at_once_one_wins(consultation):
    """Two decisions made on the same page version in two connections, the second while the
    first is still in its transaction: the second waits, then is refused as stale (no lost
    update). PostgreSQL only: the test's in-memory SQLite database (shared cache) fails a
    second writer at once ("table is locked") instead of waiting; a SQLite file serialises
    writers (IMMEDIATE transactions)."""
    import threading
    import time

    from django.db import connections
    from django.db.models.signals import post_save

    testimony = given(consultation)
    first, second = make_user("registered"), make_user("registered")
    for user in (first, second):
        services.assign_role(consultation, user, "moderator", actor=None)
    seen = Testimony.objects.get().updated_at
    inside = threading.Event()
    outcomes: dict[str, str] = {}

    def hold(sender, instance, **kwargs):
        # The first decision, written but not committed yet: let the second one start.
        if instance.user_id == first.pk:
            inside.set()
            time.sleep(1.0)

    def decide(user, status, name):
        try:
            if name == "second":
                inside.wait(10)
            moderation.set_status(
                Testimony.objects.get(pk=testimony.pk), status, actor=user, expected=seen
            )
            outcomes[name] = status
        except moderation.StaleDecision:
            outcomes[name] = "stale"
        finally:
            connections.close_all()

    post_save.connect(hold, sender=ModerationDecision, weak=False)
    try:
        threads = [
            threading.Thread(target=decide, args=(first, TestimonyStatus.APPROVED, "first")),
            threading.Thread(target=decide, args=(second, TestimonyStatus.REJECTED, "second")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        post_save.disconnect(hold, sender=ModerationDecision)
    assert outcomes == {"first": "approved", "second": "stale"}
    assert Testimony.objects.get().status == TestimonyStatus.APPROVED
    assert ModerationDecision.objects.count() == 1


def test_withdrawal_and_purge_scrub_the_file_once_committed(
    consultation, django_capture_on_commit_callbacks
):
    testimony = given(consultation)
    with django_capture_on_commit_callbacks() as callbacks:
        services.withdraw_by_id(consultation, testimony.pk, actor=None)
    assert services.scrub_database_file in callbacks
    given(consultation)
    _closed(consultation, 200)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.purge_expired()  # runs on either database (a no-op on PostgreSQL)
    assert services.scrub_database_file in callbacks
    with django_capture_on_commit_callbacks() as callbacks:
        services.purge_expired()  # nothing deleted: no scrub
    assert callbacks == []

"""Consultations: giving testimony, the receipt code, withdrawal, identity and its log."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from tests.accounts.factories import make_user
from tests.factories import ReviewFactory, SessionFactory, StateFactory
from uprhub.consultations import crypto, services
from uprhub.consultations.models import (
    Consultation,
    Identity,
    IdentityAccess,
    Testimony,
    TestimonyStatus,
)

from .conftest import make_input

pytestmark = pytest.mark.django_db

PERSON = services.IdentityInput(
    name="Maria Quispe", email="maria@example.org", phone="+1 412 555 0142"
)


def test_create_sets_defaults_and_consent_version(consultation):
    assert consultation.languages == ["en", "es", "fr"]
    assert consultation.questions == {"themes": True, "government": True}
    assert consultation.current_consent().version == 1
    assert not consultation.needs_access_code


def test_access_code_is_stored_hashed(consultation):
    guarded = services.create_consultation(
        actor=None, slug="guarded", review=consultation.review, title="T", access_code="river-42"
    )
    assert "river-42" not in guarded.access_code_hash
    with pytest.raises(services.WrongAccessCode):
        services.submit_testimony(guarded, make_input(), access_code="wrong")
    testimony, _code = services.submit_testimony(guarded, make_input(), access_code="river-42")
    assert testimony.pk


def test_submit_is_anonymous_by_default_and_consents_unticked(consultation):
    testimony, code = services.submit_testimony(consultation, make_input())
    assert not Identity.objects.filter(testimony=testimony).exists()
    assert (testimony.quote_anonymously, testimony.quote_named) == (False, False)
    assert (testimony.may_contact, testimony.fears_reprisals) == (False, False)
    assert testimony.status == TestimonyStatus.NEW
    assert testimony.consent == consultation.current_consent()
    # The code itself is nowhere: only its keyed hash.
    assert code not in str(Testimony.objects.filter(pk=testimony.pk).values().get())
    assert testimony.receipt_hash == crypto.receipt_hash(code)


def test_consent_version_recorded(consultation):
    first, _ = services.submit_testimony(consultation, make_input())
    services.add_consent_version(consultation, "New wording.", actor=None)
    second, _ = services.submit_testimony(consultation, make_input())
    assert (first.consent.version, second.consent.version) == (1, 2)


@pytest.mark.parametrize(
    "text, language, message",
    [
        ("", "en", "write"),
        ("x" * 10_001, "en", "10,000"),
        ("bad \x00 byte", "en", "characters"),
        ("fine", "de", "language"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(consultation, text, language, message):
    with pytest.raises(services.ConsultationError, match=message):
        services.submit_testimony(consultation, make_input(text, language=language))
    assert Testimony.objects.count() == 0


def test_closed_consultation_takes_nothing(consultation):
    consultation.closes_at = timezone.now() - datetime.timedelta(days=1)
    consultation.save()
    with pytest.raises(services.ConsultationClosed):
        services.submit_testimony(consultation, make_input())


def test_receipt_code_reads_and_changes(consultation):
    testimony, code = services.submit_testimony(consultation, make_input(), PERSON)
    # Lower case and without dashes, as people copy it, still works.
    found = services.find_by_receipt(consultation, code.lower().replace("-", " "))
    assert found.pk == testimony.pk
    changed = services.change_testimony(
        consultation,
        code,
        make_input("Rent doubled; families are evicted.", quote_anonymously=True),
    )
    assert changed.text == "Rent doubled; families are evicted."
    assert changed.quote_anonymously
    # Identity untouched when none is given.
    assert services.view_identity(changed, actor=_moderator(consultation)) == PERSON.as_dict()
    with pytest.raises(services.UnknownReceipt):
        services.find_by_receipt(consultation, crypto.new_receipt_code())


def _moderator(consultation):
    user = make_user("registered")
    services.assign_role(consultation, user, "moderator", actor=None)
    return user


def test_receipt_codes_survive_key_rotation(consultation, settings):
    old = crypto.Fernet.generate_key().decode()
    settings.UPRHUB_CONSULTATION_KEYS = [old]
    testimony, code = services.submit_testimony(consultation, make_input(), PERSON)
    settings.UPRHUB_CONSULTATION_KEYS = [crypto.Fernet.generate_key().decode(), old]
    assert services.find_by_receipt(consultation, code).pk == testimony.pk
    assert (
        services.view_identity(testimony, actor=_moderator(consultation))["name"] == "Maria Quispe"
    )


def test_rotate_keys_lets_the_old_key_go(consultation, settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    old, new = (crypto.Fernet.generate_key().decode() for _ in range(2))
    settings.UPRHUB_CONSULTATION_KEYS = [old]
    testimony, _code = services.submit_testimony(consultation, make_input(), PERSON)
    settings.UPRHUB_CONSULTATION_KEYS = [new, old]
    out = io.StringIO()
    call_command("consultations", "rotate-keys", stdout=out)
    assert "Re-encrypted 2 values" in out.getvalue()  # the identity and the original text
    settings.UPRHUB_CONSULTATION_KEYS = [new]  # the old key removed
    moderator = _moderator(consultation)
    assert services.view_identity(testimony, actor=moderator)["name"] == "Maria Quispe"
    assert services.original_of(Testimony.objects.get(pk=testimony.pk))["text"]
    # A key missing for some value: refused, nothing changed.
    settings.UPRHUB_CONSULTATION_KEYS = [crypto.Fernet.generate_key().decode()]
    before = Identity.objects.get(testimony=testimony).token
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("consultations", "rotate-keys", stdout=io.StringIO())
    assert Identity.objects.get(testimony=testimony).token == before


def test_withdraw_leaves_only_a_tombstone(consultation):
    testimony, code = services.submit_testimony(
        consultation,
        make_input(government="Stop the raids.", quote_anonymously=True, fears_reprisals=True),
        PERSON,
        client_address="203.0.113.9",
    )
    services.withdraw_testimony(consultation, code)
    row = Testimony.objects.filter(pk=testimony.pk).values().get()
    assert row["status"] == TestimonyStatus.WITHDRAWN
    assert row["withdrawn_at"] and row["created_at"]
    assert row["text"] == "" and row["answers"] == {} and row["language"] == ""
    assert row["receipt_hash"] is None and row["address_hash"] == ""
    assert not any(
        row[f] for f in ("quote_anonymously", "quote_named", "may_contact", "fears_reprisals")
    )
    assert not Identity.objects.filter(testimony_id=testimony.pk).exists()
    with pytest.raises(services.UnknownReceipt):
        services.find_by_receipt(consultation, code)


def test_no_raw_address_stored_and_hash_rotates_daily(consultation):
    day1 = timezone.now()
    first, _ = services.submit_testimony(
        consultation, make_input(), client_address="203.0.113.9", now=day1
    )
    second, _ = services.submit_testimony(
        consultation,
        make_input(),
        client_address="203.0.113.9",
        now=day1 + datetime.timedelta(days=1),
    )
    for testimony in (first, second):
        assert "203.0.113.9" not in str(Testimony.objects.filter(pk=testimony.pk).values().get())
    assert first.address_hash and second.address_hash and first.address_hash != second.address_hash


def test_address_hashes_purged_within_seven_days(consultation):
    testimony, _ = services.submit_testimony(
        consultation, make_input(), client_address="203.0.113.9"
    )
    assert services.purge_address_hashes(timezone.now() + datetime.timedelta(days=6)) == 0
    assert (
        services.purge_address_hashes(timezone.now() + datetime.timedelta(days=7, minutes=1)) == 1
    )
    testimony.refresh_from_db()
    assert testimony.address_hash == ""


def test_identity_view_is_for_moderators_and_logged(consultation, moderator):
    testimony, _ = services.submit_testimony(consultation, make_input(), PERSON)
    assert services.view_identity(testimony, actor=moderator) == PERSON.as_dict()
    assert IdentityAccess.objects.filter(testimony=testimony, user=moderator).count() == 1
    # A moderator of another consultation, an admin or a coordinator: refused, not logged.
    other = services.create_consultation(
        actor=None, slug="other", review=consultation.review, title="O"
    )
    elsewhere = make_user("registered")
    services.assign_role(other, elsewhere, "moderator", actor=None)
    for who in (elsewhere, make_user("admin"), make_user("coordinator")):
        with pytest.raises(PermissionDenied):
            services.view_identity(testimony, actor=who)
    assert IdentityAccess.objects.count() == 1


def test_cli_create(db, capsys):
    review = ReviewFactory(
        state=StateFactory(code="USA", short_name="United States"),
        session=SessionFactory(number=50),
    )
    call_command(
        "consultations", "create", "pgh", "--state", "usa", "--title", "Pittsburgh", "--cycle", "3"
    )
    consultation = Consultation.objects.get(slug="pgh")
    assert consultation.review == review
    assert "Pittsburgh" in capsys.readouterr().out


def test_deploy_check_warns_about_a_derived_key(settings):
    from uprhub.consultations.checks import check_consultation_keys

    settings.UPRHUB_CONSULTATION_KEYS = []
    assert [m.id for m in check_consultation_keys()] == ["uprhub.consultations.W001"]
    settings.UPRHUB_CONSULTATION_KEYS = [crypto.Fernet.generate_key().decode()]
    assert check_consultation_keys() == []


def test_identity_token_is_fernet_and_consultation_key_decrypts_it(consultation, settings):
    key = crypto.Fernet.generate_key()
    settings.UPRHUB_CONSULTATION_KEYS = [key.decode()]
    testimony, _ = services.submit_testimony(consultation, make_input(), PERSON)
    token = Identity.objects.get(testimony=testimony).token
    assert "Maria" not in token
    assert b"maria@example.org" in crypto.Fernet(key).decrypt(token.encode())

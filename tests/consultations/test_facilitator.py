"""Facilitator mode: testimony entered for people at an event, stored once however often the
device sends it; receipt codes made on the device; the page, the sync endpoint, per role."""

from __future__ import annotations

import datetime
import json
import re
import threading
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import make_user
from uprhub.consultations import crypto, services
from uprhub.consultations.models import (
    ConsultationRoleKind,
    Identity,
    Testimony,
    TestimonySource,
)

from .conftest import make_input

pytestmark = pytest.mark.django_db

CODE = re.compile(r'id="receipt-code"><strong>([A-Z0-9-]+)</strong>')
# The device's receipt codes (facilitate.js) have the shape of crypto.new_receipt_code.
DEVICE_CODE = "ABCD-EFGH-JKMN-PQRS-TUV2"


@pytest.fixture
def other(consultation):
    return services.create_consultation(
        actor=None, slug="detroit", review=consultation.review, title="Detroit listens"
    )


def with_role(consultation, role, base="registered"):
    user = make_user(base)
    services.assign_role(consultation, user, role, actor=None)
    return user


@pytest.fixture
def facilitator(consultation):
    return with_role(consultation, ConsultationRoleKind.FACILITATOR)


@pytest.fixture
def people(consultation, other):
    """Every role the grid checks, by name (None: anonymous)."""
    return {
        "anonymous": None,
        "registered": make_user("registered"),
        "member": make_user("member"),
        "facilitator": with_role(consultation, ConsultationRoleKind.FACILITATOR),
        "moderator": with_role(consultation, ConsultationRoleKind.MODERATOR, "member"),
        "other_facilitator": with_role(other, ConsultationRoleKind.FACILITATOR),
        "coordinator": make_user("coordinator"),
        "admin": make_user("admin"),
    }


def enter(consultation, user, **kw):
    return services.submit_testimony(
        consultation,
        make_input(kw.pop("text", "The bus never comes to our side of town.")),
        kw.pop("identity", None),
        source=TestimonySource.FACILITATOR,
        entered_by=user,
        **kw,
    )


# --- the service ------------------------------------------------------------------------------


def test_an_entry_is_stored_once_however_often_it_is_sent(consultation, facilitator):
    client_id = uuid.uuid4()
    first, code = enter(consultation, facilitator, client_id=client_id, receipt_code=DEVICE_CODE)
    assert code == DEVICE_CODE
    again, code_again = enter(
        consultation, facilitator, client_id=str(client_id), receipt_code=DEVICE_CODE
    )
    assert again.pk == first.pk and code_again == ""  # a code is never given twice
    assert Testimony.objects.count() == 1
    stored = Testimony.objects.get()
    assert stored.source == TestimonySource.FACILITATOR and stored.entered_by == facilitator
    assert stored.client_id == client_id
    # Only the hash of the device's code is kept, and it opens the testimony.
    assert DEVICE_CODE not in str(Testimony.objects.values().get())
    assert services.find_by_receipt(consultation, DEVICE_CODE).pk == first.pk


def test_the_same_client_id_in_another_consultation_is_another_entry(
    consultation, other, facilitator
):
    services.assign_role(other, facilitator, ConsultationRoleKind.FACILITATOR, actor=None)
    client_id = uuid.uuid4()
    enter(consultation, facilitator, client_id=client_id)
    enter(other, facilitator, client_id=client_id)
    assert Testimony.objects.count() == 2


def test_an_entry_is_redacted_and_its_identity_encrypted_as_on_the_web(consultation, facilitator):
    testimony, _code = enter(
        consultation,
        facilitator,
        text="Call me at 412-555-0199, I am Rosa Delgado.",
        identity=services.IdentityInput(name="Rosa Delgado", phone="412-555-0199"),
        client_id=uuid.uuid4(),
    )
    assert "412-555-0199" not in testimony.text and "Rosa Delgado" not in testimony.text
    assert "Rosa" not in Identity.objects.get().token
    assert services.original_of(testimony)["text"].startswith("Call me at 412-555-0199")


@pytest.mark.parametrize(
    "code",
    [
        "abcd-efgh-jkmn-pqrs-tuv2",  # lower case: not what the device makes
        "ABCD-EFGH-JKMN-PQRS-TUV0",  # 0 is not in the alphabet
        "ABCD-EFGH-JKMN-PQRS",  # too short
        "ABCDEFGHJKMNPQRSTUV2",  # no dashes
        "ABCD-EFGH-JKMN-PQRS-TUV2-WXYZ",
    ],
)
def test_a_device_code_of_another_shape_is_refused(consultation, facilitator, code):
    with pytest.raises(services.ConsultationError, match="receipt code"):
        enter(consultation, facilitator, client_id=uuid.uuid4(), receipt_code=code)
    assert not Testimony.objects.exists()


def test_the_device_alphabet_is_the_servers():
    """facilitate.js makes codes with the alphabet and length of crypto.py."""
    script = Path(finders.find("consultations/facilitate.js")).read_text(encoding="utf-8")
    assert f'var ALPHABET = "{crypto._ALPHABET}";' in script
    assert f"var CODE_LENGTH = {crypto._CODE_LENGTH};" in script
    assert f"{len(crypto._ALPHABET)})" in script  # the modulus of the rejection sampling
    assert crypto.is_receipt_code(crypto.new_receipt_code())


def test_web_testimony_cannot_pose_as_a_facilitators(consultation, facilitator):
    with pytest.raises(ValueError):
        services.submit_testimony(consultation, make_input(), entered_by=facilitator)
    with pytest.raises(ValueError):
        services.submit_testimony(consultation, make_input(), receipt_code=DEVICE_CODE)
    with pytest.raises(PermissionDenied):  # a facilitator's entry names its facilitator
        services.submit_testimony(consultation, make_input(), source=TestimonySource.FACILITATOR)
    assert not Testimony.objects.exists()


def test_entries_reach_the_server_a_little_after_closing(consultation, facilitator):
    consultation.closes_at = timezone.now() - datetime.timedelta(days=2)
    consultation.save()
    enter(consultation, facilitator, client_id=uuid.uuid4())  # kept offline at the last event
    with pytest.raises(services.ConsultationClosed):
        services.submit_testimony(consultation, make_input())  # the public form is closed
    consultation.closes_at = timezone.now() - datetime.timedelta(days=8)
    consultation.save()
    with pytest.raises(services.ConsultationClosed):
        enter(consultation, facilitator, client_id=uuid.uuid4())
    assert Testimony.objects.count() == 1


def test_no_access_code_asked_of_a_facilitator(consultation, facilitator):
    guarded = services.create_consultation(
        actor=None, slug="guarded", review=consultation.review, title="G", access_code="river-42"
    )
    services.assign_role(guarded, facilitator, ConsultationRoleKind.FACILITATOR, actor=None)
    enter(guarded, facilitator, client_id=uuid.uuid4())
    assert Testimony.objects.filter(consultation=guarded).count() == 1


ALLOWED = {"facilitator", "moderator"}


@pytest.mark.parametrize(
    "role",
    [
        "registered",
        "member",
        "facilitator",
        "moderator",
        "other_facilitator",
        "coordinator",
        "admin",
    ],
)
def test_who_may_enter_testimony_service(consultation, people, role):
    user = people[role]
    if role in ALLOWED:
        testimony, _code = enter(consultation, user, client_id=uuid.uuid4())
        assert testimony.entered_by == user
    else:
        with pytest.raises(PermissionDenied):
            enter(consultation, user, client_id=uuid.uuid4())
        assert not Testimony.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_sent_at_the_same_moment_is_stored_once(consultation, facilitator):
    """Two requests with one client_id racing: the second's insert waits for the first's
    transaction, hits the unique constraint, and returns the first's testimony."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: two inserts cannot race")
    client_id = uuid.uuid4()
    inserted, release = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = enter(consultation, facilitator, client_id=client_id)[0].pk
                inserted.set()
                release.wait(10)  # holds the row uncommitted while the second one tries
        finally:
            connection.close()

    def second() -> None:
        try:
            inserted.wait(10)
            # It finds nothing yet (uncommitted), so it inserts, and waits on the index.
            results["second"] = enter(consultation, facilitator, client_id=client_id)
        except Exception as error:  # noqa: BLE001 — reported below
            results["second"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    inserted.wait(10)
    threading.Event().wait(0.5)  # let the second request reach the insert
    release.set()
    for thread in threads:
        thread.join(20)
    testimony, code = results["second"]  # type: ignore[misc]
    assert testimony.pk == results["first"] and code == ""
    assert Testimony.objects.filter(client_id=client_id).count() == 1


# --- the page (no JavaScript) -----------------------------------------------------------------


def facilitate_url(consultation):
    return reverse("consultations:facilitate", args=[consultation.slug])


def sync_url(consultation):
    return reverse("consultations:facilitate_sync", args=[consultation.slug])


@pytest.mark.parametrize(
    "role",
    [
        "anonymous",
        "registered",
        "member",
        "facilitator",
        "moderator",
        "other_facilitator",
        "coordinator",
        "admin",
    ],
)
def test_who_may_open_facilitator_mode(client, consultation, people, role):
    user = people[role]
    if user is not None:
        client.force_login(user)
    page = client.get(facilitate_url(consultation))
    post = client.post(
        facilitate_url(consultation),
        {"text": "No water.", "language": "en", "client_id": str(uuid.uuid4())},
    )
    entry = {"text": "No water.", "language": "en", "client_id": str(uuid.uuid4())}
    sync = client.post(
        sync_url(consultation),
        json.dumps({**entry, "receipt_code": DEVICE_CODE}),
        content_type="application/json",
    )
    if role == "anonymous":
        assert page.status_code == post.status_code == 302
        assert page["Location"].startswith(reverse("accounts:login"))
        assert sync.status_code == 403 and sync.json()["error"] == "signed_out"
        assert not Testimony.objects.exists()
    elif role in ALLOWED:
        assert page.status_code == post.status_code == sync.status_code == 200
        assert Testimony.objects.filter(entered_by=user).count() == 2
    else:
        assert page.status_code == post.status_code == sync.status_code == 403
        assert not Testimony.objects.exists()


def test_the_page_is_light_and_loads_its_script_from_a_file(client, consultation, facilitator):
    client.force_login(facilitator)
    response = client.get(facilitate_url(consultation))
    page = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    main = page.split("<main", 1)[-1].split("</main>", 1)[0]
    assert "<script" not in main  # CSP: no inline script
    assert re.search(r'<script src="[^"]*consultations/facilitate\.js" defer>', page)
    assert 'aria-live="polite"' in page
    # HTML, style sheet and script together (no images): ≤ 60 KB on a poor connection.
    css = Path(finders.find("uprhub/css/site.css")).stat().st_size
    script = Path(finders.find("consultations/facilitate.js")).stat().st_size
    weight = len(response.content) + css + script
    assert weight <= 60 * 1024, weight
    for name in ("quote_anonymously", "quote_named", "may_contact", "fears_reprisals"):
        box = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert "checked" not in box, name
    assert 'name="client_id"' in page and 'name="access_code"' not in page
    assert settings.STATIC_URL  # the script is a static file, served with the others


def test_without_javascript_the_form_posts_and_shows_the_receipt(client, consultation, facilitator):
    client.force_login(facilitator)
    page = client.get(facilitate_url(consultation)).content.decode()
    client_id = re.search(r'name="client_id" value="([0-9a-f-]+)"', page).group(1)
    data = {
        "text": "They closed the only clinic.",
        "language": "es",
        "quote_anonymously": "on",
        "client_id": client_id,
    }
    response = client.post(facilitate_url(consultation), data)
    code = CODE.search(response.content.decode()).group(1)
    assert crypto.is_receipt_code(code) and response["Cache-Control"] == "no-store"
    testimony = Testimony.objects.get()
    assert (testimony.language, testimony.quote_anonymously, testimony.quote_named) == (
        "es",
        True,
        False,
    )
    assert services.find_by_receipt(consultation, code).pk == testimony.pk
    # Sent twice (a double tap, a reload): stored once, the code not shown again.
    twice = client.post(facilitate_url(consultation), data).content.decode()
    assert "saved before" in twice and not CODE.search(twice)
    assert Testimony.objects.count() == 1


def test_the_form_shows_errors(client, consultation, facilitator):
    client.force_login(facilitator)
    response = client.post(
        facilitate_url(consultation),
        {"text": "x" * 10_001, "language": "en", "client_id": str(uuid.uuid4())},
    )
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert not Testimony.objects.exists()


# --- the sync endpoint ------------------------------------------------------------------------


def send(client, consultation, **entry):
    body = {
        "client_id": str(uuid.uuid4()),
        "receipt_code": crypto.new_receipt_code(),
        "text": "The shelter turned us away.",
        "language": "en",
        "quote_anonymously": True,
        "quote_named": False,
        "may_contact": False,
        "fears_reprisals": True,
        "name": "",
        "email": "",
        "phone": "",
        **entry,
    }
    return client.post(sync_url(consultation), json.dumps(body), content_type="application/json")


def test_sync_stores_an_entry_once_and_confirms_its_client_id(client, consultation, facilitator):
    client.force_login(facilitator)
    client_id = str(uuid.uuid4())
    for _attempt in range(3):  # the answer lost twice: the device sends it again
        response = send(client, consultation, client_id=client_id, receipt_code=DEVICE_CODE)
        assert response.status_code == 200
        assert response.json() == {"client_id": client_id, "stored": True}
        assert response["Cache-Control"] == "no-store"
    testimony = Testimony.objects.get()
    assert testimony.fears_reprisals and testimony.quote_anonymously and not testimony.may_contact
    assert services.find_by_receipt(consultation, DEVICE_CODE).pk == testimony.pk


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"receipt_code": ""}, "no receipt code"),
        ({"receipt_code": "ABCD-EFGH-JKMN-PQRS-TUV0"}, "not valid"),
        ({"client_id": "not-a-uuid"}, "UUID"),
        ({"language": "xx"}, "xx"),
        ({"text": "x" * 10_001}, "10000"),
        ({"text": "bell\x07"}, "cannot be stored"),
        ({"text": ""}, "required"),
    ],
)
def test_sync_refuses_a_bad_entry_and_says_why(client, consultation, facilitator, entry, message):
    client.force_login(facilitator)
    response = send(client, consultation, **entry)
    assert response.status_code == 400
    assert any(message in text for text in response.json()["messages"]), response.json()
    assert not Testimony.objects.exists()


def test_sync_refuses_what_is_not_an_entry(client, consultation, facilitator):
    client.force_login(facilitator)
    for body in ("[1, 2]", "not json", '"text"'):
        response = client.post(sync_url(consultation), body, content_type="application/json")
        assert response.status_code == 400
    assert client.get(sync_url(consultation)).status_code == 405


def test_html_in_an_entry_is_kept_as_inert_text(client, consultation, facilitator):
    client.force_login(facilitator)
    assert send(client, consultation, text="<script>alert(1)</script> no heat").status_code == 200
    assert Testimony.objects.get().text == "<script>alert(1)</script> no heat"


def test_sync_checks_the_csrf_token(consultation, facilitator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator)
    assert send(client, consultation).status_code == 403
    assert not Testimony.objects.exists()

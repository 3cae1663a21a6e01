"""The moderation queue and a testimony's moderation page: who may see them, what they show,
and the decisions made through them (without JavaScript: plain forms)."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from uprhub.consultations import moderation, services
from uprhub.consultations.models import (
    IdentityAccess,
    ModerationDecision,
    Testimony,
    TestimonyStatus,
)

from .test_moderation import CONSULTATION_ROLES, NAME, TEXT, given, role_user

pytestmark = pytest.mark.django_db


def queue_url(consultation, **query) -> str:
    url = reverse("consultations:moderate", args=[consultation.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def item_url(testimony) -> str:
    return reverse("consultations:moderate_item", args=[testimony.consultation.slug, testimony.pk])


def form_of(page: str) -> dict[str, object]:
    """What the browser would send: the hidden fields and the ticked boxes, as on the page."""
    data: dict[str, object] = {
        "version": re.search(r'name="version" value="([^"]+)"', page).group(1),
        "status": re.search(r'name="status" value="([^"]+)"', page).group(1),
        "keep": re.findall(r'name="keep" value="(\d+)"[^>]*checked', page),
    }
    extra = re.search(r'<textarea name="extra"[^>]*>\n?(.*?)</textarea>', page, re.S)
    data["extra"] = extra.group(1) if extra else ""
    return data


@pytest.mark.parametrize("role", ["anonymous", *CONSULTATION_ROLES[2:]])
def test_pages_per_role(client, consultation, role):
    testimony = given(consultation)
    who = role_user(role, consultation)
    if role != "anonymous":
        client.force_login(who)
    urls = [queue_url(consultation), item_url(testimony)]
    for url in urls:
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/login/" in response["Location"], url
        elif role == "moderator":
            assert response.status_code == 200, url
            assert response["Cache-Control"] == "no-store"
        else:
            assert response.status_code == 403, (role, url)
            assert TEXT.encode() not in response.content
    before = IdentityAccess.objects.count()
    response = client.post(
        item_url(testimony), {"version": "x", "decision": "approved", "status": "new"}
    )
    if role != "moderator":
        assert response.status_code in (302, 403)
        assert Testimony.objects.get().status == TestimonyStatus.NEW
        assert IdentityAccess.objects.count() == before
        assert not ModerationDecision.objects.exists()


def test_queue_shows_tabs_counts_redacted_beginning_and_risk(client, consultation, moderator):
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=2), tick=False):
        old = given(consultation, "Older words about the water. " + TEXT)
    risky = given(consultation, "They will come for us.", fears_reprisals=True)
    decided = given(consultation, "Decided already.")
    moderation.set_status(decided, TestimonyStatus.APPROVED, actor=moderator)
    client.force_login(moderator)
    page = client.get(queue_url(consultation)).content.decode()
    assert re.search(r'aria-current="page">New <span class="count">\(2\)', page)
    assert 'Approved <span class="count">(1)' in page
    # Oldest new first; the decided one is in its own tab.
    assert page.index(f"Item {old.pk}<") < page.index(f"Item {risky.pk}<")
    assert f"Item {decided.pk}<" not in page
    assert "Older words about the water." in page
    # Only the redacted text, and only its beginning.
    assert "maria.lopez@example.org" not in page and "Darnell" not in page
    assert "laughed" not in page
    # The risk flag is on the row, visibly.
    row = re.search(rf"<tr class=\"at-risk\">.*?Item {risky.pk}<.*?</tr>", page, re.S)
    assert row and 'class="risk-flag">Fears reprisals' in row.group(0)
    assert "quote anonymously" not in page.split(f"Item {risky.pk}<")[1].split("</tr>")[0]
    approved = client.get(queue_url(consultation, status="approved")).content.decode()
    assert f"Item {decided.pk}<" in approved and f"Item {old.pk}<" not in approved
    # No inline script (CSP): the shortcuts come from a file.
    assert re.findall(r"<script(?![^>]*\ssrc=)", page) == []
    assert "consultations/moderate.js" in page


def test_queue_is_paginated_by_25(client, consultation, moderator):
    Testimony.objects.bulk_create(
        Testimony(consultation=consultation, text=f"Item text {n}.", language="en")
        for n in range(27)
    )
    client.force_login(moderator)
    first = client.get(queue_url(consultation)).content.decode()
    assert first.count("data-queue-item") == 25 and "Page 1 of 2" in first
    second = client.get(queue_url(consultation, page=2)).content.decode()
    assert second.count("data-queue-item") == 2


def test_item_page_shows_original_suggestions_preview_and_logs_the_view(
    client, consultation, moderator
):
    testimony = given(consultation)
    client.force_login(moderator)
    page = client.get(item_url(testimony)).content.decode()
    assert IdentityAccess.objects.filter(user=moderator, testimony=testimony).count() == 1
    assert "Darnell outside 4417 Penn Avenue" in page  # the original, for the moderator
    boxes = re.findall(r'<input type="checkbox" name="keep" value="(\d+)"[^>]*>', page)
    assert boxes and all(
        "checked" in box for box in re.findall(r'<input type="checkbox"[^>]*>', page)
    )
    assert "maria.lopez@example.org" in page.split("Suggested redactions")[1]
    redacted = page.split("Redacted text: what may leave moderation")[1].split("</div>")[0]
    assert "Darnell" not in redacted and "[e-mail removed]" in redacted
    assert 'for="id_extra">Also redact these words (one per line)' in page
    for key, value in (("a", "approved"), ("r", "needs_redaction"), ("x", "rejected")):
        assert re.search(rf'value="{value}"[^>]*aria-keyshortcuts="{key}"', page)
    assert "Keyboard (outside the text fields)" in page
    assert reverse("consultations:identity", args=[consultation.slug, testimony.pk]) in page
    assert "{# tags" not in page  # a template comment, not text
    assert NAME not in page  # identity only on its own, logged page


def test_preview_without_saving_then_approve_goes_to_the_next_new(client, consultation, moderator):
    testimony = given(consultation)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1), tick=False):
        waiting = given(consultation, "Next one.")
    client.force_login(moderator)
    data = form_of(client.get(item_url(testimony)).content.decode())
    data.update(extra="Kowalczyk\n", decision="preview")
    preview = client.post(item_url(testimony), data).content.decode()
    redacted = preview.split("Redacted text: what may leave moderation")[1].split("</div>")[0]
    assert "Kowalczyk" not in redacted and "kowalczyk" not in redacted
    assert "Kowalczyk" in Testimony.objects.get(pk=testimony.pk).text  # not saved
    data.update(decision="approved", note="checked the farm")
    response = client.post(item_url(testimony), data, follow=True)
    assert response.redirect_chain == [(item_url(waiting), 302)]
    assert f"Testimony {testimony.pk}: Approved." in response.content.decode()
    testimony.refresh_from_db()
    assert testimony.status == TestimonyStatus.APPROVED
    assert "Kowalczyk" not in testimony.text and "kowalczyk" not in testimony.text
    page = client.get(item_url(testimony)).content.decode()
    audit = page.split("<h2>Decisions</h2>")[1]
    assert "New → Approved" in audit and "checked the farm" in audit
    # The next decision starts from the choices made: the farm stays redacted.
    assert re.search(r'<textarea name="extra"[^>]*>\n?Kowalczyk</textarea>', page)


def test_unticking_a_suggestion_keeps_those_words(client, consultation, moderator):
    testimony = given(consultation)
    client.force_login(moderator)
    page = client.get(item_url(testimony)).content.decode()
    brandt = re.search(
        r'value="(\d+)" id="keep-\d+" checked>\s*'
        r'<label[^>]*><span class="kind">name</span> “Brandt”',
        page,
    )
    data = form_of(page)
    data["keep"] = [i for i in data["keep"] if i != brandt.group(1)]
    data["decision"] = "needs_redaction"
    assert client.post(item_url(testimony), data).status_code == 302
    testimony.refresh_from_db()
    assert testimony.status == TestimonyStatus.NEEDS_REDACTION
    assert "Officer Brandt" in testimony.text and "Darnell" not in testimony.text


def test_last_decision_goes_back_to_the_queue(client, consultation, moderator):
    testimony = given(consultation)
    client.force_login(moderator)
    data = form_of(client.get(item_url(testimony)).content.decode())
    response = client.post(item_url(testimony), {**data, "decision": "rejected"}, follow=True)
    assert response.redirect_chain[-1][0] == queue_url(consultation)
    page = response.content.decode()
    assert f"Testimony {testimony.pk}: Rejected." in page
    assert "No testimony is waiting for a decision." in page


def test_a_stale_decision_is_refused_with_a_clear_message(client, consultation, moderator):
    testimony = given(consultation)
    client.force_login(moderator)
    data = form_of(client.get(item_url(testimony)).content.decode())
    # Meanwhile another moderator rejects it.
    moderation.set_status(Testimony.objects.get(), TestimonyStatus.REJECTED, actor=moderator)
    response = client.post(item_url(testimony), {**data, "decision": "approved"})
    assert response.status_code == 409
    assert "Someone else decided on this testimony meanwhile" in response.content.decode()
    assert Testimony.objects.get().status == TestimonyStatus.REJECTED
    # The page shown again carries the new version: deciding from it works.
    fresh = form_of(response.content.decode())
    assert client.post(item_url(testimony), {**fresh, "decision": "approved"}).status_code == 302
    assert Testimony.objects.get().status == TestimonyStatus.APPROVED


def test_a_forged_version_is_refused(client, consultation, moderator):
    testimony = given(consultation)
    client.force_login(moderator)
    data = form_of(client.get(item_url(testimony)).content.decode())
    response = client.post(
        item_url(testimony), {**data, "version": "yesterday", "decision": "approved"}
    )
    assert response.status_code == 409
    assert Testimony.objects.get().status == TestimonyStatus.NEW


def test_withdrawn_testimony_shows_a_tombstone_and_cannot_be_moderated(
    client, consultation, moderator
):
    testimony = given(consultation)
    client.force_login(moderator)
    data = form_of(client.get(item_url(testimony)).content.decode())
    services.withdraw_by_id(consultation, testimony.pk, actor=None)
    accesses = IdentityAccess.objects.count()
    page = client.get(item_url(testimony)).content.decode()
    assert "The person withdrew this testimony" in page
    assert 'name="decision"' not in page and "Darnell" not in page
    response = client.post(item_url(testimony), {**data, "decision": "approved"})
    assert response.status_code == 409
    assert "cannot be moderated" in response.content.decode()
    assert Testimony.objects.get().status == TestimonyStatus.WITHDRAWN
    assert IdentityAccess.objects.count() == accesses  # nothing left to see, nothing logged
    withdrawn_tab = client.get(queue_url(consultation, status="withdrawn")).content.decode()
    assert f"Item {testimony.pk}<" in withdrawn_tab


def test_previous_and_next_links_follow_the_tab(client, consultation, moderator):
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=2), tick=False):
        first = given(consultation, "First.")
    second = given(consultation, "Second.")
    client.force_login(moderator)
    page = client.get(item_url(first)).content.decode()
    assert re.search(rf'href="{item_url(second)}" rel="next" aria-keyshortcuts="j"', page)
    assert 'rel="prev"' not in page
    page = client.get(item_url(second)).content.decode()
    assert re.search(rf'href="{item_url(first)}" rel="prev" aria-keyshortcuts="k"', page)


def test_the_queue_is_linked_for_its_moderators_only(client, consultation, moderator):
    page_url = reverse("consultations:detail", args=[consultation.slug])
    assert queue_url(consultation) not in client.get(page_url).content.decode()
    client.force_login(role_user("moderator_elsewhere", consultation))
    assert queue_url(consultation) not in client.get(page_url).content.decode()
    client.force_login(moderator)
    assert queue_url(consultation) in client.get(page_url).content.decode()

"""The calendar pages: What's next at a frozen time, the whole calendar, and coordinators' edits."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client

from uprhub.calendar.models import Deadline, DeadlineChange
from uprhub.calendar.models import DeadlineKind as K

from .factories import DeadlineFactory, coordinator, plain_user, utc

pytestmark = pytest.mark.django_db
GENEVA = ZoneInfo("Europe/Zurich")


@time_machine.travel(utc(2026, 6, 20, 10), tick=False)
def test_whats_next_shows_the_countdown_guidance_and_links(client, world) -> None:
    response = client.get("/calendar/HTI/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "What&#x27;s next for Haiti" in html or "What's next for Haiti" in html
    assert "Stakeholder submissions due" in html
    # 25 June 2026, 23:59 CEST = 21:59 UTC; 5 days 11 h 59 min after the frozen time.
    assert 'data-countdown="2026-06-25T23:59:00+02:00"' in html
    assert "5 days and 11 hours" in html
    assert '<time datetime="2026-06-25T23:59:00+02:00">Thursday 25 June 2026, 23:59</time>' in html
    assert "(Geneva time)" in html
    assert "badge-estimated" in html
    assert "What to do before it" in html and "joint submission" in html
    assert 'href="/taskforce/apply/"' in html and "Join the UPR Taskforce" in html
    assert 'href="/lists/"' in html and "Mailing lists" in html
    assert 'href="/calendar/HTI.ics"' in html
    assert "<caption" in html


@time_machine.travel(utc(2026, 6, 20, 10), tick=False)
def test_a_stored_date_replaces_the_estimate_on_the_page(client, world) -> None:
    DeadlineFactory(
        session=world.s54,
        due=datetime(2026, 6, 30, 23, 59, tzinfo=GENEVA),
        source_note="OHCHR: UPR 54 submissions open until 30 June",
    )
    html = client.get("/calendar/HTI/").content.decode()
    assert "10 days and 11 hours" in html
    assert "OHCHR: UPR 54 submissions open until 30 June" in html
    assert "badge-confirmed" in html


@time_machine.travel(utc(2026, 11, 26, 12), tick=False)
def test_us_page_shows_the_rescheduled_review_and_what_did_not_happen(client, world) -> None:
    world.usa53.note = "PROVISIONAL: rescheduled review"
    world.usa53.save()
    DeadlineFactory(
        review=world.usa50,
        kind=K.REVIEW,
        due=datetime(2025, 11, 7, tzinfo=GENEVA),
        all_day=True,
        cancelled=True,
        source_note="The United States did not appear",
    )
    html = client.get("/calendar/USA/").content.decode()
    assert "UPR 53" in html and "PROVISIONAL: rescheduled review" in html
    assert "did not take place" in html
    # Next: the HRC adoption estimated for Monday 15 March 2027 (midnight CET = 23:00 UTC).
    assert "Human Rights Council adopts the outcome" in html
    assert "108 days and 11 hours" in html
    assert "in 108 days" in html  # the table agrees with the countdown


def test_lower_case_code_redirects_and_unknown_is_404(client, world) -> None:
    response = client.get("/calendar/hti/")
    assert response.status_code == 301 and response["Location"] == "/calendar/HTI/"
    assert client.get("/calendar/XXX/").status_code == 404


def test_whats_next_query_budget(client, world, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(6):
        response = client.get("/calendar/USA/")
    assert response.status_code == 200
    assert "United States" in response.content.decode()  # the budget is for the real page


@time_machine.travel(utc(2026, 11, 26, 12), tick=False)
def test_whole_calendar_page(client, world, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(8):
        response = client.get("/calendar/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Upcoming Working Group sessions" in html
    assert 'href="/calendar/HTI/"' in html and 'href="/calendar/all.ics"' in html
    assert client.get("/calendar/", {"state": "isl"})["Location"] == "/calendar/ISL/"


# --- Editing: permission grid, CSRF, optimistic concurrency --------------------------------


def _form(deadline: Deadline, **overrides) -> dict:
    data = {
        "due_date": "2026-06-30",
        "due_time": "23:59",
        "time_zone": "Europe/Zurich",
        "source_note": "OHCHR UPR 54 page, updated",
        "version": str(deadline.version),
        "next": "/calendar/HTI/",
    }
    data.update(overrides)
    return data


@pytest.fixture
def stored(world) -> Deadline:
    return DeadlineFactory(session=world.s54, due=datetime(2026, 6, 25, 23, 59, tzinfo=GENEVA))


@pytest.mark.parametrize(
    ("who", "get_status", "post_status"),
    [("anonymous", 302, 302), ("member", 403, 403), ("coordinator", 200, 302)],
)
def test_edit_permission_grid(client, stored, who, get_status, post_status) -> None:
    if who == "member":
        client.force_login(plain_user())
    elif who == "coordinator":
        client.force_login(coordinator())
    url = f"/calendar/deadlines/{stored.pk}/edit/"

    get = client.get(url)
    post = client.post(url, _form(stored))
    assert (get.status_code, post.status_code) == (get_status, post_status)
    stored.refresh_from_db()
    if who == "anonymous":
        assert get["Location"].startswith(resolve_url(settings.LOGIN_URL))
        assert "next=" in get["Location"]
    if who == "coordinator":
        assert post["Location"] == "/calendar/HTI/"
        assert stored.due == datetime(2026, 6, 30, 21, 59, tzinfo=UTC)
        assert stored.version == 2 and stored.source_note == "OHCHR UPR 54 page, updated"
        change = DeadlineChange.objects.get(deadline=stored)
        assert change.previous_due == datetime(2026, 6, 25, 21, 59, tzinfo=UTC)
    else:
        assert stored.version == 1  # nothing saved


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("member", 403), ("coordinator", 302)]
)
def test_set_from_estimate_permission_grid(client, world, who, status) -> None:
    if who == "member":
        client.force_login(plain_user())
    elif who == "coordinator":
        client.force_login(coordinator())
    url = "/calendar/HTI/54/review/set/"
    data = {
        "due_date": "2027-01-27",
        "due_time": "",
        "time_zone": "Europe/Zurich",
        "source_note": "OHCHR programme of work",
    }
    assert client.post(url, data).status_code == status
    stored = Deadline.objects.filter(review=world.hti54, kind=K.REVIEW).first()
    assert (stored is not None) == (who == "coordinator")
    if stored:
        assert stored.all_day and stored.updated_by.username == "coordinator"
        # A second "set" goes to the edit page of the stored row.
        again = client.get(url)
        assert again["Location"].startswith(f"/calendar/deadlines/{stored.pk}/edit/")


def test_set_form_is_prefilled_with_the_estimate(client, world) -> None:
    client.force_login(coordinator())
    html = client.get("/calendar/sessions/54/stakeholder_submission/set/").content.decode()
    assert 'value="2026-06-25"' in html and 'value="23:59"' in html
    assert "every State reviewed at UPR 54" in html
    assert client.get("/calendar/sessions/54/party/set/").status_code == 404


def test_stale_edit_is_refused(client, stored) -> None:
    client.force_login(coordinator())
    url = f"/calendar/deadlines/{stored.pk}/edit/"
    opened_version = stored.version
    # Another coordinator saves first.
    first = client.post(url, _form(stored, due_date="2026-06-28", source_note="first"))
    assert first.status_code == 302
    # The second one still holds the version they opened: refused, nothing overwritten.
    second = client.post(
        url, _form(stored, version=str(opened_version), due_date="2026-07-02", source_note="late")
    )
    assert second.status_code == 409
    assert "Someone else changed this deadline" in second.content.decode()
    stored.refresh_from_db()
    assert stored.source_note == "first" and stored.version == 2
    # The re-rendered form carries the new version, so saving again is a deliberate overwrite.
    assert 'name="version" value="2"' in second.content.decode()


def test_source_note_is_required(client, stored) -> None:
    client.force_login(coordinator())
    response = client.post(f"/calendar/deadlines/{stored.pk}/edit/", _form(stored, source_note=""))
    assert response.status_code == 200
    stored.refresh_from_db()
    assert stored.version == 1


def test_edit_needs_a_csrf_token(stored) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator())
    response = client.post(f"/calendar/deadlines/{stored.pk}/edit/", _form(stored))
    assert response.status_code == 403
    stored.refresh_from_db()
    assert stored.version == 1


def test_coordinators_see_edit_links_and_others_do_not(client, stored) -> None:
    html = client.get("/calendar/HTI/").content.decode()
    assert f"/calendar/deadlines/{stored.pk}/edit/" not in html
    client.force_login(coordinator())
    html = client.get("/calendar/HTI/").content.decode()
    assert f"/calendar/deadlines/{stored.pk}/edit/" in html
    assert "/calendar/HTI/54/review/set/" in html


def test_offsite_next_is_ignored(client, stored) -> None:
    client.force_login(coordinator())
    response = client.post(
        f"/calendar/deadlines/{stored.pk}/edit/", _form(stored, next="https://evil.example/")
    )
    assert response["Location"] == "/calendar/"

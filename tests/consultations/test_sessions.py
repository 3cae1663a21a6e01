"""In-person sessions: added and removed by the people who run a consultation, listed on its
public page, on the State's calendar page and in the iCalendar feeds (the calendar asks the
sources registered with it; it does not import consultations)."""

from __future__ import annotations

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.accounts.factories import make_user
from tests.factories import ReviewFactory, StateFactory
from uprhub.calendar import extra
from uprhub.consultations import services
from uprhub.consultations.calendar_events import session_events
from uprhub.consultations.models import ConsultationRoleKind, InPersonSession

pytestmark = pytest.mark.django_db

PITTSBURGH = ZoneInfo("America/New_York")


def soon(days: int, hour: int = 18) -> datetime.datetime:
    day = timezone.now().astimezone(PITTSBURGH).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PITTSBURGH)


def add(consultation, **kw):
    kw.setdefault("starts_at", soon(10))
    kw.setdefault("place", "Hill District Library")
    return services.add_session(consultation, actor=None, **kw)


def with_role(consultation, role, base="registered"):
    user = make_user(base)
    services.assign_role(consultation, user, role, actor=None)
    return user


@pytest.fixture
def people(consultation):
    other = services.create_consultation(
        actor=None, slug="detroit", review=consultation.review, title="Detroit listens"
    )
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


MANAGERS = {"facilitator", "moderator", "coordinator", "admin"}
ROLES = [
    "anonymous",
    "registered",
    "member",
    "facilitator",
    "moderator",
    "other_facilitator",
    "coordinator",
    "admin",
]


def test_add_checks_its_input(consultation):
    with pytest.raises(services.ConsultationError, match="end after it starts"):
        add(consultation, ends_at=soon(10, 17))
    with pytest.raises(services.ConsultationError, match="where"):
        add(consultation, place="   ")
    with pytest.raises(services.ConsultationError, match="time zone"):
        add(consultation, starts_at=datetime.datetime(2026, 3, 14, 18, 0))
    session = add(consultation, ends_at=soon(10, 20), place="  Hill   District Library ")
    assert session.place == "Hill District Library"


@pytest.mark.parametrize("role", ROLES[1:])
def test_who_may_add_and_remove_sessions_service(consultation, people, role):
    user = people[role]
    if role in MANAGERS:
        session = services.add_session(
            consultation, actor=user, starts_at=soon(3), place="Church hall"
        )
        services.remove_session(session, actor=user)
        assert not InPersonSession.objects.exists()
    else:
        with pytest.raises(PermissionDenied):
            services.add_session(consultation, actor=user, starts_at=soon(3), place="Hall")
        session = add(consultation)
        with pytest.raises(PermissionDenied):
            services.remove_session(session, actor=user)
        assert InPersonSession.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_who_may_use_the_sessions_page(client, consultation, people, role):
    user = people[role]
    if user is not None:
        client.force_login(user)
    url = reverse("consultations:sessions", args=[consultation.slug])
    existing = add(consultation, place="Existing place")
    delete = reverse("consultations:delete_session", args=[consultation.slug, existing.pk])
    page = client.get(url)
    added = client.post(
        url, {"starts_at": "2027-03-14T18:00", "ends_at": "2027-03-14T20:30", "place": "Hall B"}
    )
    deleted = client.post(delete)
    if role == "anonymous":
        assert page.status_code == added.status_code == deleted.status_code == 302
        assert page["Location"].startswith(reverse("accounts:login"))
        assert list(InPersonSession.objects.values_list("place", flat=True)) == ["Existing place"]
    elif role in MANAGERS:
        assert page.status_code == 200 and "Existing place" in page.content.decode()
        assert added.status_code == deleted.status_code == 302
        (session,) = InPersonSession.objects.all()
        assert session.place == "Hall B"
        assert session.ends_at - session.starts_at == datetime.timedelta(hours=2, minutes=30)
    else:
        assert page.status_code == added.status_code == deleted.status_code == 403
        assert list(InPersonSession.objects.values_list("place", flat=True)) == ["Existing place"]


def test_the_page_shows_form_errors(client, consultation):
    client.force_login(make_user("coordinator"))
    url = reverse("consultations:sessions", args=[consultation.slug])
    response = client.post(
        url, {"starts_at": "2027-03-14T18:00", "ends_at": "2027-03-14T17:00", "place": "Hall"}
    )
    assert response.status_code == 200 and "end after it starts" in response.content.decode()
    response = client.post(url, {"starts_at": "tomorrow", "place": ""})
    assert "error-summary" in response.content.decode()
    assert not InPersonSession.objects.exists()


def test_a_session_of_another_consultation_is_not_found_here(client, consultation, people):
    other = services.create_consultation(
        actor=None, slug="erie", review=consultation.review, title="Erie"
    )
    theirs = add(other)
    client.force_login(people["facilitator"])
    url = reverse("consultations:delete_session", args=[consultation.slug, theirs.pk])
    assert client.post(url).status_code == 404
    assert InPersonSession.objects.count() == 1


def test_public_page_lists_upcoming_sessions(client, consultation):
    add(consultation, starts_at=soon(5), ends_at=soon(5, 20), place="Hill District Library")
    add(consultation, starts_at=soon(-10), place="Long ago hall")
    page = client.get(reverse("consultations:detail", args=[consultation.slug])).content.decode()
    assert "Give your testimony in person" in page
    assert "Hill District Library" in page and "Long ago hall" not in page
    local = timezone.localtime(soon(5))
    assert local.strftime("%Y-%m-%dT%H:%M") in page  # <time datetime=…>


def test_events_come_from_the_registered_source(consultation):
    assert session_events in extra._SOURCES  # registered by ConsultationsConfig.ready()
    session = add(consultation, starts_at=soon(5), description="Interpreters: es, fr")
    add(consultation, starts_at=soon(-5), place="Past")
    other = services.create_consultation(
        actor=None,
        slug="haiti",
        review=ReviewFactory(state=StateFactory(code="HTI", short_name="Haiti")),
        title="Haiti",
    )
    add(other, place="Port-au-Prince")
    (event,) = extra.events("usa", start=timezone.now())
    assert event.uid == f"consultation-session-{session.pk}@uprhub"
    assert event.place == "Hill District Library" and event.state_code == "USA"
    assert event.url == "/listen/pittsburgh/"
    assert "Pittsburgh listens" in event.title
    assert len(extra.events("USA")) == 2 and len(extra.events()) == 3
    assert len(extra.events(None, start=soon(4), end=soon(6))) == 1


def test_on_the_states_calendar_page(client, consultation):
    add(consultation, starts_at=soon(5), ends_at=soon(5, 20), place="Hill District Library")
    add(consultation, starts_at=soon(-5), place="Past hall")
    page = client.get(reverse("calendar:state", args=["USA"])).content.decode()
    assert "In-person session: Pittsburgh listens" in page
    assert "Hill District Library" in page and "Past hall" not in page
    assert 'href="/listen/pittsburgh/"' in page


def _events(response) -> dict[str, object]:
    assert response.status_code == 200
    cal = Calendar.from_ical(response.content)
    assert str(cal["VERSION"]) == "2.0"
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


@pytest.mark.parametrize("feed", ["/calendar/USA.ics", "/calendar/all.ics"])
def test_in_the_icalendar_feeds(client, consultation, feed):
    session = add(
        consultation,
        starts_at=soon(5),
        ends_at=soon(5, 20),
        description="Interpreters for Spanish and French.",
    )
    add(consultation, starts_at=soon(-5), place="Past hall")  # feeds keep past events too
    events = _events(client.get(feed))
    event = events[f"consultation-session-{session.pk}@uprhub"]
    assert event.decoded("DTSTART") == soon(5)
    assert event.decoded("DTEND") == soon(5, 20)
    assert str(event["LOCATION"]) == "Hill District Library"
    assert str(event["SUMMARY"]) == "In-person session: Pittsburgh listens"
    assert "Interpreters" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == "http://testserver/listen/pittsburgh/"
    assert event["CATEGORIES"].to_ical() == b"CONSULTATION-SESSION"
    assert "DTSTAMP" in event
    assert sum(uid.startswith("consultation-session-") for uid in events) == 2


def test_not_in_another_states_feed(client, consultation):
    add(consultation)
    StateFactory(code="HTI", short_name="Haiti")
    events = _events(client.get("/calendar/HTI.ics"))
    assert not any(uid.startswith("consultation-session-") for uid in events)


def test_cli_session(consultation):
    out = StringIO()
    call_command(
        "consultations",
        "session",
        consultation.slug,
        "--starts",
        "2027-03-14T18:00-04:00",
        "--ends",
        "2027-03-14T20:00-04:00",
        "--place",
        "Hill District Library",
        stdout=out,
    )
    session = InPersonSession.objects.get()
    assert session.starts_at == datetime.datetime(2027, 3, 14, 22, 0, tzinfo=datetime.UTC)
    assert "Hill District Library" in out.getvalue()
    with pytest.raises(CommandError, match="not an ISO date"):
        call_command(
            "consultations", "session", consultation.slug, "--starts", "soon", "--place", "X"
        )
    with pytest.raises(CommandError, match="end after it starts"):
        call_command(
            "consultations",
            "session",
            consultation.slug,
            "--starts",
            "2027-03-14T18:00",
            "--ends",
            "2027-03-14T17:00",
            "--place",
            "X",
        )
    assert InPersonSession.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_the_public_page_links_to_the_tools_of_those_who_run_it(client, consultation, people, role):
    user = people[role]
    if user is not None:
        client.force_login(user)
    page = client.get(reverse("consultations:detail", args=[consultation.slug])).content.decode()
    facilitate = reverse("consultations:facilitate", args=[consultation.slug])
    sessions = reverse("consultations:sessions", args=[consultation.slug])
    assert (f'href="{facilitate}"' in page) == (role in {"facilitator", "moderator"})
    assert (f'href="{sessions}"' in page) == (role in MANAGERS)

"""Every page, action and API call of consultations × every kind of person: anonymous, a
participant holding a receipt code, registered, member, the consultation's facilitator and
moderator (plain registered accounts otherwise), coordinator, admin.

The services' own grids (test_grid_consultations*.py) prove what each rule allows; this one
proves that no address skips them, with the status each person gets."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.urls import reverse

from tests.accounts.factories import make_user
from tests.factories import ReviewFactory, StateFactory, ThemeFactory
from uprhub.consultations import services
from uprhub.consultations.models import InPersonSession, TestimonyTag

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "participant",
    "registered",
    "member",
    "facilitator",
    "moderator",
    "coordinator",
    "admin",
]
EVERYONE = set(PEOPLE)
COORDINATORS = {"coordinator", "admin"}
RUNNERS = {"facilitator", "moderator", *COORDINATORS}
READERS = {"member", *RUNNERS}
MODERATOR = {"moderator"}
FACILITATORS = {"facilitator", "moderator"}


@dataclass
class World:
    slug: str
    testimony_id: int
    code: str
    role_id: int
    tag_id: int
    session_id: int
    people: dict


@pytest.fixture
def world(db) -> World:
    review = ReviewFactory(state=StateFactory(code="USA", short_name="United States"))
    consultation = services.create_consultation(
        actor=None, slug="grid", review=review, title="Grid", place="Pittsburgh"
    )
    testimony, code = services.submit_testimony(
        consultation,
        services.TestimonyInput(text="The shelter turned us away.", language="en"),
        services.IdentityInput(name="Ana Example"),
    )
    people = {"anonymous": None, "participant": None}
    for role in ("registered", "member", "coordinator", "admin"):
        people[role] = make_user(role)
    for role in ("facilitator", "moderator"):
        people[role] = make_user("registered")
        services.assign_role(consultation, people[role], role, actor=None)
    role_id = consultation.roles.get(role="facilitator").pk
    tag = TestimonyTag.objects.create(testimony=testimony, kind="theme", theme=ThemeFactory())
    session = InPersonSession.objects.create(
        consultation=consultation, starts_at="2030-01-01T18:00Z", place="Library"
    )
    return World("grid", testimony.pk, code, role_id, tag.pk, session.pk, people)


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    allowed: frozenset[str]
    args: tuple[str, ...] = ("slug",)
    api: bool = False
    # What an anonymous visitor gets when refused: the log-in page, or (script and API
    # endpoints, which must never answer with an HTML page) a status.
    anonymous_status: int | None = None

    def url(self, world: World) -> str:
        if self.api:
            return self.name.format(slug=world.slug)
        values = {
            "slug": world.slug,
            "testimony": world.testimony_id,
            "role": world.role_id,
            "tag": world.tag_id,
            "session": world.session_id,
        }
        return reverse(f"consultations:{self.name}", args=[values[a] for a in self.args])


def page(name, method, allowed, *args, api=False, anonymous_status=None) -> Page:
    if api:
        anonymous_status = 401
    return Page(name, method, frozenset(allowed), tuple(args) or ("slug",), api, anonymous_status)


PAGES = [
    page("index", "get", EVERYONE, "none"),
    page("detail", "get", EVERYONE),
    page("give", "get", EVERYONE),
    page("mine", "get", EVERYONE),
    page("create", "get", COORDINATORS, "none"),
    page("edit", "get", RUNNERS),
    page("people", "get", RUNNERS),
    page("remove_role", "post", COORDINATORS, "slug", "role"),
    page("sessions", "get", RUNNERS),
    page("delete_session", "post", RUNNERS, "slug", "session"),
    page("facilitate", "get", FACILITATORS),
    # The facilitators' script reads JSON: a refusal is a 403 it can explain, even signed out.
    page("facilitate_sync", "post", FACILITATORS, anonymous_status=403),
    page("identity", "get", MODERATOR, "slug", "testimony"),
    page("moderate", "get", MODERATOR),
    page("contacts", "post", MODERATOR),
    page("moderate_item", "get", MODERATOR, "slug", "testimony"),
    page("tag_add", "post", MODERATOR, "slug", "testimony"),
    page("tag_suggest", "post", MODERATOR, "slug", "testimony"),
    page("tag_accept", "post", MODERATOR, "slug", "testimony", "tag"),
    page("tag_reject", "post", MODERATOR, "slug", "testimony", "tag"),
    page("synthesis", "get", READERS),
    page("report_section", "get", READERS),
    # A new report is written by someone who may start reports (members and up).
    page("brief_report", "get", {"member", *COORDINATORS}),
    page("/api/consultations/{slug}", "get", READERS, api=True),
    page("/api/consultations/{slug}/items", "get", READERS, api=True),
]


def _url(p: Page, world: World) -> str:
    if p.args == ("none",):
        return reverse(f"consultations:{p.name}")
    return p.url(world)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("p", PAGES, ids=lambda p: p.name)
def test_page(client, world, p, person):
    user = world.people[person]
    if user is not None:
        client.force_login(user)
    response = getattr(client, p.method)(_url(p, world))
    status = response.status_code
    if person in p.allowed:
        assert status not in (401, 403), f"{p.name} as {person}: {status}"
        if status == 302:
            assert not response["Location"].startswith(settings.LOGIN_URL), (p.name, person)
    elif user is None:
        # Anonymous: the log-in page (web) or 401 (API), never the page.
        if p.anonymous_status:
            assert status == p.anonymous_status, f"{p.name} as {person}: {status}"
        else:
            assert status == 302 and response["Location"].startswith(reverse("accounts:login")), (
                f"{p.name} as {person}: {status}"
            )
    else:
        assert status == 403, f"{p.name} as {person}: {status}"


def test_the_receipt_code_opens_only_its_own_testimony(client, world):
    mine = reverse("consultations:mine", args=[world.slug])
    page = client.post(mine, {"code": world.code}).content.decode()
    assert "The shelter turned us away." in page
    assert "Ana Example" not in page  # the identity is never shown back to a code holder
    wrong = client.post(mine, {"code": "AAAA-BBBB-CCCC-DDDD"}).content.decode()
    assert "The shelter turned us away." not in wrong
    # The code opens nothing else: the moderators' pages still send the holder to log in.
    response = client.get(reverse("consultations:moderate", args=[world.slug]))
    assert response.status_code == 302

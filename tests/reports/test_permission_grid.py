"""Every report page and action × every kind of person, with the expected status.

Columns: anonymous, registered (signed up, no role), outsider (a taskforce member with nothing
to do with this report), org_member (in one of the report's organisations, no role on it),
reviewer, drafter, lead, coordinator, admin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from uprhub.reports import services
from uprhub.reports.models import Comment, Paragraph, Report, ReportStatus, SectionKind

from .factories import PEOPLE, make_world

L, F, R = 302, 403, 302  # login redirect, forbidden, redirect after a successful POST
OK = 200

#                anon reg outs orgm revw drft lead coord admin
SEE = (L, F, F, OK, OK, OK, OK, OK, OK)
EDIT_PAGE = (L, F, F, F, F, OK, OK, F, F)
EDIT = (L, F, F, F, F, R, R, F, F)
COMMENT = (L, F, F, F, R, R, R, R, R)
MANAGE = (L, F, F, F, F, F, R, R, R)
LEAD = (L, F, F, F, F, F, R, F, F)
SIGNED_IN = (L, OK, OK, OK, OK, OK, OK, OK, OK)
# JSON endpoints answer 401 instead of redirecting to the login page.
JSON_EDIT = (401, F, F, F, F, OK, OK, F, F)
JSON_SEE = (401, F, F, OK, OK, OK, OK, OK, OK)


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[Any], str]
    expected: tuple[int, ...]
    data: Callable[[Any], dict[str, Any]] | None = None

    def status_for(self, person: str) -> int:
        return self.expected[PEOPLE.index(person)]


@pytest.fixture
def grid_world(db):
    world = make_world()
    lead = world.lead
    paragraph = services.add_paragraph(world.follow_up, "Torture persists.", ["A"], actor=lead)
    services.save_paragraph(
        paragraph, "Torture persists in prisons.", ["A"], expected_version=1, actor=lead
    )
    comment = services.add_comment(paragraph, "Source?", actor=world.people["reviewer"])
    services.cite(world.follow_up, world.data.recommendations[2:4], actor=lead)
    citation = world.follow_up.citations.first()
    empty = services.add_section(world.report, kind=SectionKind.OTHER, title="Annex", actor=lead)
    return SimpleNamespace(
        world=world,
        report=world.report,
        paragraph=paragraph,
        revision=paragraph.revisions.get(version=1),
        comment=comment,
        citation=citation,
        empty_section=empty,
        rec=world.data.recommendations[4],
        pk=world.report.pk,
    )


def r(name: str, *args: Any) -> str:
    return reverse(f"reports:{name}", args=args)


def cover_data(g) -> dict[str, Any]:
    return {
        "title": "Renamed",
        "submission_type": "joint",
        "organisations": [o.pk for o in g.world.organisations],
        "contact_name": "C",
        "contact_email": "c@example.org",
        "key_words": "x",
        "language": "en",
        "version": g.report.version,
    }


CASES = [
    Case("list", "get", lambda g: r("list"), SIGNED_IN),
    Case("create page", "get", lambda g: r("create"), (L, F, OK, F, OK, OK, OK, OK, OK)),
    Case(
        "create",
        "post",
        lambda g: r("create"),
        (L, F, R, F, R, R, R, R, R),
        data=lambda g: {
            "review": g.world.data.review_2025.pk,
            "submission_type": "individual",
            "organisations": [g.world.organisations[0].pk],
            "language": "en",
        },
    ),
    Case("upload check page", "get", lambda g: r("upload_check"), SIGNED_IN),
    Case("report page", "get", lambda g: r("detail", g.pk), SEE),
    Case("people page", "get", lambda g: r("people", g.pk), SEE),
    Case("quality page", "get", lambda g: r("quality", g.pk), SEE),
    Case("removed paragraphs", "get", lambda g: r("removed", g.pk), SEE),
    Case("history", "get", lambda g: r("paragraph_history", g.pk, g.paragraph.pk), SEE),
    Case("export docx", "get", lambda g: r("export", g.pk, "docx"), SEE),
    Case(
        "live count",
        "post",
        lambda g: r("count", g.pk),
        JSON_SEE,
        data=lambda g: {"paragraph": g.paragraph.pk, "text": "typing"},
    ),
    Case("cover page", "get", lambda g: r("cover", g.pk), EDIT_PAGE),
    Case("cover save", "post", lambda g: r("cover", g.pk), EDIT, data=cover_data),
    Case(
        "organisation description",
        "post",
        lambda g: r("organisation_description", g.pk, g.report.members.first().pk),
        EDIT,
        data=lambda g: {"description": "We work on torture."},
    ),
    Case(
        "add a person",
        "post",
        lambda g: r("people", g.pk),
        MANAGE,
        data=lambda g: {"email": g.world.people["outsider"].email, "role": "reviewer"},
    ),
    Case(
        "remove a person",
        "post",
        lambda g: r("remove_person", g.pk, g.world.people["reviewer"].pk),
        MANAGE,
    ),
    Case(
        "add section",
        "post",
        lambda g: r("section_add", g.pk),
        EDIT,
        data=lambda g: {"kind": "follow_up", "title": "Death penalty"},
    ),
    Case(
        "rename section",
        "post",
        lambda g: r("section_rename", g.pk, g.world.follow_up.pk),
        EDIT,
        data=lambda g: {"title": "Torture and ill-treatment"},
    ),
    Case("remove section", "post", lambda g: r("section_remove", g.pk, g.empty_section.pk), EDIT),
    Case(
        "add paragraph",
        "post",
        lambda g: r("paragraph_add", g.pk, g.world.follow_up.pk),
        EDIT,
        data=lambda g: {"text": "New text.", "footnotes": ""},
    ),
    Case("paragraph page", "get", lambda g: r("paragraph_edit", g.pk, g.paragraph.pk), EDIT_PAGE),
    Case(
        "save paragraph",
        "post",
        lambda g: r("paragraph_edit", g.pk, g.paragraph.pk),
        EDIT,
        data=lambda g: {"text": "Changed.", "footnotes": "", "version": 2},
    ),
    Case(
        "autosave",
        "post",
        lambda g: r("autosave", g.pk, g.paragraph.pk),
        JSON_EDIT,
        data=lambda g: {"text": "Autosaved.", "footnotes": "", "version": 2, "autosave": "1"},
    ),
    Case(
        "move paragraph",
        "post",
        lambda g: r("paragraph_move", g.pk, g.paragraph.pk),
        EDIT,
        data=lambda g: {"direction": "up"},
    ),
    Case(
        "remove paragraph",
        "post",
        lambda g: r("paragraph_remove", g.pk, g.paragraph.pk),
        EDIT,
        data=lambda g: {"version": 2},
    ),
    Case(
        "restore revision",
        "post",
        lambda g: r("restore", g.pk, g.revision.pk),
        EDIT,
        data=lambda g: {"version": 2},
    ),
    Case(
        "comment",
        "post",
        lambda g: r("comment_add", g.pk, g.paragraph.pk),
        COMMENT,
        data=lambda g: {"text": "Looks good."},
    ),
    Case("resolve comment", "post", lambda g: r("comment_resolve", g.pk, g.comment.pk), COMMENT),
    Case(
        "cite",
        "post",
        lambda g: r("cite"),
        (L, F, F, F, F, R, R, F, F),
        data=lambda g: {"section": g.world.follow_up.pk, "recommendation": g.rec.pk},
    ),
    Case("uncite", "post", lambda g: r("uncite", g.pk, g.citation.pk), EDIT),
    Case(
        "sign off (the org_member's organisation)",
        "post",
        lambda g: r("sign_off", g.pk),
        (L, F, F, R, F, F, F, F, F),
        data=lambda g: {"organisation": g.world.organisations[-1].pk},
    ),
    Case("mark final", "post", lambda g: r("final", g.pk), LEAD),
    Case("reopen", "post", lambda g: r("reopen", g.pk), LEAD),
]


def login(client, g, person: str):
    user = g.world.people[person]
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_grid(case: Case, person: str, client, grid_world) -> None:
    login(client, grid_world, person)
    data = case.data(grid_world) if case.data else None
    response = getattr(client, case.method)(case.url(grid_world), data=data)
    expected = case.status_for(person)
    assert response.status_code == expected, (
        f"{case.name} as {person}: {response.status_code}, expected {expected}"
    )
    if person == "anonymous" and expected == 302:
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("person", PEOPLE)
def test_forbidden_writes_change_nothing(person, client, grid_world) -> None:
    g = grid_world
    login(client, g, person)
    client.post(
        r("paragraph_edit", g.pk, g.paragraph.pk),
        {"text": "Changed by " + person, "footnotes": "", "version": 2},
    )
    changed = Paragraph.objects.get(pk=g.paragraph.pk).text.startswith("Changed by")
    assert changed == (person in ("drafter", "lead"))


@pytest.mark.parametrize("person", PEOPLE)
def test_comment_counts(person, client, grid_world) -> None:
    g = grid_world
    login(client, g, person)
    before = Comment.objects.count()
    client.post(r("comment_add", g.pk, g.paragraph.pk), {"text": "Hi"})
    added = Comment.objects.count() - before
    assert added == (1 if person in ("reviewer", "drafter", "lead", "coordinator", "admin") else 0)


def test_a_final_report_is_read_only_even_for_the_lead(client, grid_world) -> None:
    g = grid_world
    Report.objects.filter(pk=g.pk).update(status=ReportStatus.FINAL)
    for person in ("drafter", "lead"):
        login(client, g, person)
        assert client.get(r("cover", g.pk)).status_code == 403
        response = client.post(
            r("paragraph_edit", g.pk, g.paragraph.pk), {"text": "x", "version": 2}
        )
        assert response.status_code == 403
    g.paragraph.refresh_from_db()
    assert g.paragraph.text != "x"  # the refused edits changed nothing
    login(client, g, "lead")
    assert client.get(r("detail", g.pk)).status_code == 200
    assert client.post(r("reopen", g.pk)).status_code == 302
    assert Report.objects.get(pk=g.pk).status != ReportStatus.FINAL  # the lead reopened it


def test_csrf_is_enforced(grid_world) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(grid_world.world.lead)
    response = client.post(
        r("paragraph_edit", grid_world.pk, grid_world.paragraph.pk), {"text": "x", "version": 2}
    )
    assert response.status_code == 403

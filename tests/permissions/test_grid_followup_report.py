"""The implementation report: who may insert its section into a shadow report (people × the
report's state) and who reaches its pages (downloads public, insertion for writers).

The insertion is the reports' own permission (`reports.edit`, lead and drafters of a draft);
the follow-up roles of the round give nothing here.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import reverse

from tests.accounts.factories import OrganisationFactory, make_user
from tests.factories import (
    CycleFactory,
    RecommendationFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
)
from uprhub.accounts.models import Membership
from uprhub.followup import implementation_report as implementation
from uprhub.followup.models import AssessmentRound, Position, PositionStatus, Scale
from uprhub.reports import services
from uprhub.reports.models import Citation, Paragraph, Report, ReportSection, ReportStatus

from .grid import ALLOW, DENY, STATE, check_cell

pytestmark = pytest.mark.django_db

PEOPLE = [
    "system",
    "anonymous",
    "registered",
    "outsider",  # a member with no role on the report
    "reviewer",
    "drafter",
    "lead",
    "coordinator",
    "admin",
]
WRITERS = {"lead", "drafter"}


def _person(role: str):
    user = make_user(role)
    return get_user_model().objects.select_related("profile").get(pk=user.pk)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> SimpleNamespace:
    state = StateFactory(code="USA", short_name="United States")
    third = ReviewFactory(state=state, session=SessionFactory(number=36, cycle=CycleFactory()))
    fourth = ReviewFactory(
        state=state, session=SessionFactory(number=50, cycle=CycleFactory(number=4))
    )
    round_ = AssessmentRound.objects.create(
        review=third,
        name="Mid-term 2022",
        slug="grid-mid-term",
        scale=Scale.objects.get(slug="hrc-follow-up"),
        as_of=datetime.date(2022, 6, 30),
    )
    for number, code in enumerate(("A", "C"), start=1):
        Position.objects.create(
            round=round_,
            recommendation=RecommendationFactory(review=third, paragraph=f"26.{number}"),
            grade=round_.scale.grades.get(code=code),
            as_of=round_.as_of,
            status=PositionStatus.PUBLISHED,
        )
    organisation = OrganisationFactory()
    people = {"system": None, "anonymous": AnonymousUser(), "lead": _person("member")}
    Membership.objects.create(user=people["lead"], organisation=organisation)
    report = services.create_report(
        actor=people["lead"],
        review=fourth,
        submission_type="individual",
        organisations=[organisation],
    )
    for role in ("reviewer", "drafter"):
        people[role] = _person("member")
        services.set_role(report, people[role], role, actor=people["lead"])
    for role in ("registered", "coordinator", "admin"):
        people[role] = _person(role)
    people["outsider"] = _person("member")
    return SimpleNamespace(round=round_, report=report, people=people)


def _snapshot():
    return (
        ReportSection.objects.count(),
        Citation.objects.count(),
        Paragraph.objects.count(),
        list(Report.objects.values_list("content_changed_at", flat=True)),
    )


@pytest.mark.parametrize("status", [ReportStatus.DRAFT, ReportStatus.FINAL])
@pytest.mark.parametrize("role", PEOPLE)
def test_insert_section(world, role, status):
    Report.objects.filter(pk=world.report.pk).update(status=status)
    world.report.refresh_from_db()
    who = world.people[role]
    # Writers of a final report meet the insertion's own error ("reopen it"), others a refusal.
    expected = {ReportStatus.DRAFT: ALLOW, ReportStatus.FINAL: STATE}[status]
    expected = expected if role in WRITERS else DENY
    check_cell(
        who=who,
        perm="reports.edit",
        obj=world.report,
        expected=expected,
        call=lambda: implementation.insert_implementation_section(who, world.report, world.round),
        snapshot=_snapshot,
        state_error=implementation.ImplementationReportError,
    )


# The downloads are public; the insertion page needs an account and offers only the reports
# the person writes; a post naming someone else's report is refused as an invalid choice.
@pytest.mark.parametrize("role", PEOPLE[1:])
def test_pages(client, world, role):
    Report.objects.filter(pk=world.report.pk).update(status=ReportStatus.DRAFT)
    user = world.people[role]
    if role != "anonymous":
        client.force_login(user)
    slug = world.round.slug
    assert client.get(reverse("followup:report_docx", args=[slug])).status_code == 200
    page = client.get(reverse("followup:report_insert", args=[slug]))
    if role == "anonymous":
        assert page.status_code == 302
    else:
        assert page.status_code == 200
        assert ('name="report"' in page.content.decode()) is (role in WRITERS)
    before = _snapshot()
    posted = client.post(
        reverse("followup:report_insert", args=[slug]), {"report": world.report.pk}
    )
    if role in WRITERS:
        assert posted.status_code == 302
        assert _snapshot() != before
    else:
        assert posted.status_code == (302 if role == "anonymous" else 400)
        assert _snapshot() == before

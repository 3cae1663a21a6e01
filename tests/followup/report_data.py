"""A round on the United States' 3rd review with published and draft positions, and a draft
shadow report on its 4th review with people in every role (the implementation report's tests).

Recommendations of UPR 36: 26.179 (death penalty, supported, France; grade C, published, with
UN-document evidence), 26.180 (death penalty, noted, Brazil; E, published), 26.93 (no theme,
supported; A, published, a web page as evidence), 26.176 (detention, supported; B, DRAFT,
secret rationale and quote) and 26.200 (not assessed at all).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from tests.accounts.factories import OrganisationFactory, make_user
from tests.factories import StateFactory, ThemeFactory, VocabularyFactory
from tests.followup.conftest import add_recommendation
from uprhub.accounts.models import Membership
from uprhub.followup.models import (
    AssessmentRound,
    EvidenceItem,
    EvidenceKind,
    Position,
    PositionStatus,
    Scale,
)
from uprhub.recommendations.models import Label, RecommendingState
from uprhub.recommendations.models import Position as Response
from uprhub.reports import services as report_services
from uprhub.reports.models import Report

SECRET_RATIONALE = "SECRET DRAFT RATIONALE nobody published"
SECRET_QUOTE = "SECRET DRAFT QUOTE from an unpublished position"
EVIDENCE_QUOTE = "The federal Government resumed executions in 2020 after a 17-year hiatus."


@dataclass
class World:
    round: AssessmentRound
    third: Any
    fourth: Any
    report: Report
    people: dict[str, Any]
    positions: dict[str, Position]


def person(role: str = "member", **kwargs: Any) -> Any:
    user = make_user(role, **kwargs)
    return type(user).objects.select_related("profile").get(pk=user.pk)


def _position(round_, rec, code: str, status: str, rationale: str) -> Position:
    return Position.objects.create(
        round=round_,
        recommendation=rec,
        grade=round_.scale.grades.get(code=code),
        rationale=rationale,
        as_of=round_.as_of,
        status=status,
    )


def make_round(usa) -> tuple[AssessmentRound, dict[str, Position]]:
    state, third, fourth = usa
    france = StateFactory(code="FRA", short_name="France")
    brazil = StateFactory(code="BRA", short_name="Brazil")
    issues = VocabularyFactory(slug="uprinfo-issues", name="UPR Info issues")
    death_penalty = ThemeFactory(vocabulary=issues, name="Death penalty")
    detention = ThemeFactory(vocabulary=issues, name="Detention")
    # A second, less used vocabulary: its themes must not make parts.
    sdg = VocabularyFactory(slug="sdgs", name="SDGs", kind="sdg")
    goal = ThemeFactory(vocabulary=sdg, name="Goal 16")

    recs = {
        "26.179": add_recommendation(
            third, "26.179", "Establish a moratorium on the death penalty at the federal level"
        ),
        "26.180": add_recommendation(third, "26.180", "Abolish the death penalty"),
        "26.93": add_recommendation(
            third, "26.93", "Establish a national human rights institution"
        ),
        "26.176": add_recommendation(third, "26.176", "Close the Guantanamo detention centre"),
        "26.200": add_recommendation(third, "26.200", "Ratify the Convention on migrant workers"),
    }
    recs["26.180"].position = Response.NOTED
    recs["26.180"].save()
    for paragraph, theme in (
        ("26.179", death_penalty),
        ("26.180", death_penalty),
        ("26.176", detention),
        ("26.179", goal),
    ):
        Label.objects.create(recommendation=recs[paragraph], theme=theme)
    RecommendingState.objects.create(recommendation=recs["26.179"], state=france)
    RecommendingState.objects.create(recommendation=recs["26.180"], state=brazil)

    round_ = AssessmentRound.objects.create(
        review=third,
        name="Mid-term 2022",
        slug="mid-term-2022",
        scale=Scale.objects.get(slug="hrc-follow-up"),
        as_of=datetime.date(2022, 6, 30),
    )
    pub = PositionStatus.PUBLISHED
    positions = {
        "26.179": _position(round_, recs["26.179"], "C", pub, "No moratorium was declared."),
        "26.180": _position(round_, recs["26.180"], "E", pub, "Executions resumed."),
        "26.93": _position(round_, recs["26.93"], "A", pub, "An institution was created."),
        "26.176": _position(round_, recs["26.176"], "B", PositionStatus.DRAFT, SECRET_RATIONALE),
    }
    EvidenceItem.objects.create(
        position=positions["26.179"],
        kind=EvidenceKind.UN_DOCUMENT,
        document_symbol="A/HRC/WG.6/50/USA/2",
        paragraph=26,
        quote=EVIDENCE_QUOTE,
        url="https://docs.un.org/A/HRC/WG.6/50/USA/2",
        date=datetime.date(2025, 2, 10),
    )
    EvidenceItem.objects.create(
        position=positions["26.93"],
        kind=EvidenceKind.URL,
        title="Executive order establishing the commission",
        url="https://example.org/order",
    )
    EvidenceItem.objects.create(
        position=positions["26.176"], kind=EvidenceKind.NEWS, title="News", quote=SECRET_QUOTE
    )
    return round_, positions


def make_world(usa) -> World:
    state, third, fourth = usa
    round_, positions = make_round(usa)
    organisation = OrganisationFactory(name="Advocates for Human Rights", acronym="AHR")
    people: dict[str, Any] = {"anonymous": None, "lead": person("member", name="Lena Lead")}
    Membership.objects.create(user=people["lead"], organisation=organisation)
    report = report_services.create_report(
        actor=people["lead"],
        review=fourth,
        submission_type="individual",
        organisations=[organisation],
        title="Submission on the United States",
    )
    for role in ("drafter", "reviewer"):
        people[role] = person("member", name=f"{role.title()} Person")
        report_services.set_role(report, people[role], role, actor=people["lead"])
    people["other"] = person("member")
    people["coordinator"] = person("coordinator")
    return World(round_, third, fourth, report, people, positions)

"""A consultation in Pittsburgh for the United States' 4th-cycle review, with testimony of every
kind (quotable, risk-flagged, without consent, unmoderated, HTML) tagged by a moderator, and a
draft shadow report of the same review led by a member."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.accounts.factories import OrganisationFactory, make_user
from tests.web.factories import WebData, make_web_data
from uprhub.accounts.models import Membership, Organisation
from uprhub.consultations import services
from uprhub.consultations.models import (
    Consultation,
    ConsultationRoleKind,
    TagKind,
    Testimony,
    TestimonyStatus,
    TestimonyTag,
)
from uprhub.recommendations.models import SuggestionStatus
from uprhub.reports import services as report_services
from uprhub.reports.models import Report

NAME = "Ana Lucía Torres"
EMAIL = "ana.torres@example.org"
PHONE = "412-555-0134"
# Written inside the testimony itself: redacted on arrival, must never leave moderation.
INNER_EMAIL = "brother.torres@example.net"
INNER_PHONE = "(412) 555-0199"

QUOTED = (
    "The police beat my brother at the Penn Avenue bus stop and nobody was charged. "
    f"Write to {INNER_EMAIL} or call {INNER_PHONE}."
)
HTML = "<script>alert(1)</script> <b>bold</b> Guards hit people in the county jail every night."
RISK = "Riskflagged words about the warden who threatens our families."
UNCONSENTED = "Unconsented words about the shelter curfew."
UNMODERATED = "Unmoderated words about the night raids."
WOMEN = "Women leaving prison get no housing help in Allegheny County."

#: What may never appear in a report, a page or an export made from the consultation.
NEVER = [NAME, EMAIL, PHONE, INNER_EMAIL, INNER_PHONE, "Riskflagged", "Unconsented", "Unmoderated"]


@dataclass
class World:
    data: WebData
    consultation: Consultation
    report: Report  # a draft of the same review, led by `people["lead"]`
    organisation: Organisation
    people: dict[str, Any]
    testimonies: dict[str, Testimony] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)

    @property
    def lead(self) -> Any:
        return self.people["lead"]


def _give(world: World, key: str, text: str, *, status: str, identity: bool = False, **kw: Any):
    testimony, code = services.submit_testimony(
        world.consultation,
        services.TestimonyInput(text=text, language="en", **kw),
        services.IdentityInput(name=NAME, email=EMAIL, phone=PHONE) if identity else None,
    )
    Testimony.objects.filter(pk=testimony.pk).update(status=status)
    testimony.refresh_from_db()
    world.testimonies[key] = testimony
    world.codes[key] = code
    return testimony


def tag(testimony: Testimony, *, theme: Any = None, recommendation: Any = None) -> None:
    TestimonyTag.objects.create(
        testimony=testimony,
        kind=TagKind.THEME if theme is not None else TagKind.RECOMMENDATION,
        theme=theme,
        recommendation=recommendation,
        status=SuggestionStatus.ACCEPTED,
    )


def make_world() -> World:
    data = make_web_data()
    consultation = services.create_consultation(
        actor=None,
        slug="pittsburgh",
        review=data.review_2025,
        title="Pittsburgh listens",
        place="Pittsburgh",
        opens_at=datetime(2026, 3, 1, 12, tzinfo=UTC),
        closes_at=datetime(2027, 4, 30, 12, tzinfo=UTC),
    )
    organisation = OrganisationFactory(
        name="Pittsburgh Human Rights City Alliance",
        description="A coalition working on human rights in Pittsburgh since 2011.",
    )
    people: dict[str, Any] = {"anonymous": None}
    people["registered"] = make_user("registered")
    people["member"] = make_user("member")
    people["facilitator"] = make_user("registered")
    people["moderator"] = make_user("registered")
    people["coordinator"] = make_user("coordinator")
    people["admin"] = make_user("admin")
    people["lead"] = make_user("member", name="Lena Lead")
    Membership.objects.create(user=people["lead"], organisation=organisation)
    services.assign_role(
        consultation, people["facilitator"], ConsultationRoleKind.FACILITATOR, actor=None
    )
    services.assign_role(
        consultation, people["moderator"], ConsultationRoleKind.MODERATOR, actor=None
    )
    report = report_services.create_report(
        actor=people["lead"],
        review=data.review_2025,
        submission_type="individual",
        organisations=[organisation],
        title="Shadow report on the United States",
    )
    world = World(data, consultation, report, organisation, people)
    approved = TestimonyStatus.APPROVED
    quoted = _give(world, "quoted", QUOTED, status=approved, identity=True, quote_anonymously=True)
    html = _give(world, "html", HTML, status=approved, quote_named=True)
    risk = _give(world, "risk", RISK, status=approved, quote_anonymously=True, fears_reprisals=True)
    unconsented = _give(world, "unconsented", UNCONSENTED, status=approved)
    unmoderated = _give(
        world, "unmoderated", UNMODERATED, status=TestimonyStatus.NEW, quote_anonymously=True
    )
    women = _give(world, "women", WOMEN, status=approved, quote_anonymously=True)
    torture, by_number = data.torture, {r.paragraph: r for r in data.recommendations}
    for testimony in (quoted, html, risk, unconsented, unmoderated):
        tag(testimony, theme=torture)
    tag(quoted, recommendation=by_number["26.2"])
    tag(html, recommendation=by_number["26.1"])
    tag(women, theme=data.women)
    return world

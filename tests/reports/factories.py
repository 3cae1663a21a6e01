"""A joint report on the United States' 4th-cycle review, with people in every role.

Built on the web tests' data: US recommendations 26.1–26.5 (2020, cycle 3) and 176.1–176.2
(2015, cycle 2), recommended by France, Brazil and Kenya.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.accounts.factories import OrganisationFactory, make_user
from tests.web.factories import WebData, make_web_data
from uprhub.accounts.models import Membership, Organisation
from uprhub.reports import services
from uprhub.reports.models import Report, ReportSection, SectionKind

#: The grid's people, in column order.
PEOPLE = [
    "anonymous",
    "registered",
    "outsider",  # a member of the taskforce with nothing to do with this report
    "org_member",  # in one of the report's organisations, no role on the report
    "reviewer",
    "drafter",
    "lead",
    "coordinator",
    "admin",
]


@dataclass
class ReportWorld:
    data: WebData
    report: Report
    organisations: list[Organisation]
    people: dict[str, Any]  # name → user (None for anonymous)
    follow_up: ReportSection  # an issue section ("Torture")
    recommendations_section: ReportSection

    @property
    def lead(self) -> Any:
        return self.people["lead"]

    def section(self, kind: str) -> ReportSection:
        return self.report.sections.get(kind=kind)


def person(role: str = "registered", **kwargs: Any) -> Any:
    """`make_user`, re-read so the cached profile has its role (make_user sets it afterwards)."""
    user = make_user(role, **kwargs)
    return type(user).objects.select_related("profile").get(pk=user.pk)


def make_organisations(count: int = 2) -> list[Organisation]:
    names = [
        ("Advocates for Human Rights", "AHR", "Minneapolis"),
        ("Tenants United", "TU", "Detroit"),
        ("Border Rights Coalition", "BRC", "El Paso"),
    ]
    return [
        OrganisationFactory(
            name=name,
            acronym=acronym,
            city=city,
            country="United States",
            description=f"{name} works on human rights in {city}.",
        )
        for name, acronym, city in names[:count]
    ]


def make_world(*, joint: bool = True) -> ReportWorld:
    data = make_web_data()
    organisations = make_organisations(2 if joint else 1)
    people: dict[str, Any] = {"anonymous": None}
    people["lead"] = person("member", name="Lena Lead")
    Membership.objects.create(user=people["lead"], organisation=organisations[0])
    report = services.create_report(
        actor=people["lead"],
        review=data.review_2025,
        submission_type="joint" if joint else "individual",
        organisations=organisations,
        title="Joint submission on the United States",
        contact_email="lena@example.org",
        key_words="torture, death penalty",
    )
    people["registered"] = person("registered")
    people["outsider"] = person("member")
    people["org_member"] = person("registered", name="Olga Org")
    Membership.objects.create(user=people["org_member"], organisation=organisations[-1])
    for role in ("reviewer", "drafter"):
        people[role] = person("member", name=f"{role.title()} Person")
        services.set_role(report, people[role], role, actor=people["lead"])
    people["coordinator"] = person("coordinator")
    people["admin"] = person("admin")
    follow_up = services.add_section(
        report, kind=SectionKind.FOLLOW_UP, title="Torture", actor=people["lead"]
    )
    return ReportWorld(
        data=data,
        report=report,
        organisations=organisations,
        people=people,
        follow_up=follow_up,
        recommendations_section=report.sections.get(kind=SectionKind.RECOMMENDATIONS),
    )

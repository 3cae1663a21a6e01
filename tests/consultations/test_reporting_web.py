"""The pages "Create report section" and "Brief consultation report": who may, per role and
report state."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from uprhub.reports import services as report_services
from uprhub.reports.models import Paragraph, Report, ReportStatus

from .reporting_world import World, make_world

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "registered", "member", "facilitator", "moderator", "coordinator", "admin"]


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db) -> World:
    return make_world()


def _client(client, world: World, role: str):
    user = world.people[role]
    if user is not None:
        client.force_login(user)
    return client


def _section_url(world: World) -> str:
    return reverse("consultations:report_section", args=[world.consultation.slug])


def _brief_url(world: World) -> str:
    return reverse("consultations:brief_report", args=[world.consultation.slug])


# Reading the page: consultations.view_results (members and up, the people who run it).
SECTION_PAGE = {
    "anonymous": 302,
    "registered": 403,
    "member": 200,
    "facilitator": 200,
    "moderator": 200,
    "coordinator": 200,
    "admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_report_section_page_per_role(client, world, role):
    response = _client(client, world, role).get(_section_url(world))
    assert response.status_code == SECTION_PAGE[role]
    if response.status_code == 200:
        # None of them writes in the lead's report: it is not offered.
        assert "Shadow report on the United States" not in response.content.decode()
        assert "no draft shadow report" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_adding_to_someone_elses_report_is_refused_per_role(client, world, role):
    response = _client(client, world, role).post(
        _section_url(world), {"report": world.report.pk, "themes": [world.data.torture.pk]}
    )
    assert response.status_code == {"anonymous": 302}.get(role, 403)
    assert not Paragraph.objects.filter(section__report=world.report).exists()


@pytest.mark.parametrize("role", ["member", "facilitator", "coordinator"])
def test_a_drafter_with_results_access_may_add(client, world, role):
    user = world.people[role]
    report_services.set_role(world.report, user, "drafter", actor=world.lead)
    response = _client(client, world, role).post(
        _section_url(world), {"report": world.report.pk, "themes": [world.data.torture.pk]}
    )
    assert response.status_code == 200
    assert Paragraph.objects.filter(section__report=world.report).count() == 3


def test_a_drafter_without_results_access_is_refused(client, world):
    report_services.set_role(world.report, world.people["registered"], "drafter", actor=world.lead)
    client.force_login(world.people["registered"])
    assert client.get(_section_url(world)).status_code == 403


def test_the_lead_adds_sections_and_sees_what_was_made(client, world):
    client.force_login(world.lead)
    page = client.get(f"{_section_url(world)}?theme={world.data.women.pk}").content.decode()
    assert "Shadow report on the United States" in page
    assert re.search(rf'value="{world.data.women.pk}"[^>]*checked', page)
    assert not re.search(rf'value="{world.data.torture.pk}"[^>]*checked', page)
    assert "Torture and other CID (5 participants)" in page
    assert "Women&#x27;s rights (1 participant)" in page
    response = client.post(
        _section_url(world),
        {"report": world.report.pk, "themes": [world.data.torture.pk, world.data.women.pk]},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "5 paragraphs added to “Shadow report on the United States”" in page
    assert "(3 quotes, 2 recommendations cited)" in page
    assert world.report.get_absolute_url() in page
    assert "Torture and other CID" in page and "Women&#x27;s rights" in page


def test_final_report_and_other_review_refused_with_a_message(client, world):
    client.force_login(world.lead)
    Report.objects.filter(pk=world.report.pk).update(status=ReportStatus.FINAL)
    response = client.post(
        _section_url(world), {"report": world.report.pk, "themes": [world.data.torture.pk]}
    )
    assert response.status_code == 400
    assert "The report is final" in response.content.decode()
    other = report_services.create_report(
        actor=world.lead,
        review=world.data.review_2020,
        submission_type="individual",
        organisations=[world.organisation],
    )
    response = client.post(
        _section_url(world), {"report": other.pk, "themes": [world.data.torture.pk]}
    )
    assert response.status_code == 400
    assert "another review" in response.content.decode()
    assert not Paragraph.objects.exists()


def test_no_theme_chosen_or_unknown_report(client, world):
    client.force_login(world.lead)
    response = client.post(_section_url(world), {"report": world.report.pk})
    assert response.status_code == 400 and not Paragraph.objects.exists()
    response = client.post(
        _section_url(world), {"report": 999999, "themes": [world.data.torture.pk]}
    )
    assert response.status_code == 404


# The brief report: consultations.view_results and reports.create (members and up).
BRIEF_PAGE = {
    "anonymous": 302,
    "registered": 403,
    "member": 200,
    "facilitator": 403,  # registered accounts running the consultation: no reports
    "moderator": 403,
    "coordinator": 200,
    "admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_brief_report_page_per_role(client, world, role):
    response = _client(client, world, role).get(_brief_url(world))
    assert response.status_code == BRIEF_PAGE[role]


@pytest.mark.parametrize("role", ROLES)
def test_brief_report_made_per_role(client, world, role):
    before = Report.objects.count()
    response = _client(client, world, role).post(
        _brief_url(world), {"organisation": world.organisation.pk, "language": "en"}
    )
    assert response.status_code == BRIEF_PAGE[role]
    assert Report.objects.count() == before + (response.status_code == 200)
    if response.status_code == 200:
        report = Report.objects.order_by("-pk").first()
        assert report.roles.get().user == world.people[role]
        assert report.get_absolute_url() in response.content.decode()


def test_brief_report_for_an_organisation_one_may_not_name(client, world):
    from tests.accounts.factories import OrganisationFactory

    claim = OrganisationFactory(verified_at=None)  # someone else's unconfirmed claim
    client.force_login(world.people["member"])
    response = client.post(_brief_url(world), {"organisation": claim.pk, "language": "en"})
    assert response.status_code == 400 and not Report.objects.exclude(pk=world.report.pk).exists()

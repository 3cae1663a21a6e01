"""Shadow-report permissions × the people around a report × its state (draft, final).

Each write is called directly as each person: the rules in `uprhub.core.rules` are what the
services enforce, whatever the view did.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from tests.accounts.factories import OrganisationFactory, make_user
from tests.factories import ReviewFactory
from uprhub.accounts.models import Membership
from uprhub.core.rules import has_perm
from uprhub.reports import services
from uprhub.reports.models import (
    Comment,
    Paragraph,
    Report,
    ReportOrganisation,
    ReportRole,
    ReportStatus,
    Revision,
    SectionKind,
)

from .grid import ALLOW, DENY, STATE, check_cell

pytestmark = pytest.mark.django_db

PEOPLE = [
    "system",  # the command line (actor None)
    "anonymous",
    "registered",  # signed up, no role
    "outsider",  # a taskforce member with nothing to do with this report
    "org_member",  # in one of the submitting organisations, no role on the report
    "reviewer",
    "drafter",
    "lead",
    "coordinator",
    "admin",
]
STATES = [ReportStatus.DRAFT, ReportStatus.FINAL]
STAFF = {"coordinator", "admin"}
ON_REPORT = {"reviewer", "drafter", "lead"}


def _person(role: str, **kwargs):
    user = make_user(role, **kwargs)
    return get_user_model().objects.select_related("profile").get(pk=user.pk)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One report world for the whole module (each test's writes are rolled back after it;
    this outer transaction is rolled back at the end): hundreds of cells stay fast."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> SimpleNamespace:
    organisations = [
        OrganisationFactory(name="Advocates for Human Rights", acronym="AHR"),
        OrganisationFactory(name="Tenants United", acronym="TU"),
    ]
    people = {"system": None, "anonymous": AnonymousUser()}
    people["lead"] = _person("member")
    Membership.objects.create(user=people["lead"], organisation=organisations[0])
    report = services.create_report(
        actor=people["lead"],
        review=ReviewFactory(),
        submission_type="joint",
        organisations=organisations,
        contact_email="lead@example.org",
    )
    people["registered"] = _person("registered")
    people["outsider"] = _person("member")
    people["org_member"] = _person("registered")
    Membership.objects.create(user=people["org_member"], organisation=organisations[1])
    for role in ("reviewer", "drafter"):
        people[role] = _person("member")
        services.set_role(report, people[role], role, actor=people["lead"])
    people["coordinator"] = _person("coordinator")
    people["admin"] = _person("admin")
    section = report.sections.get(kind=SectionKind.INTRODUCTION)
    paragraph = services.add_paragraph(section, "First text.", actor=people["lead"])
    services.save_paragraph(paragraph, "Second text.", [], expected_version=1, actor=people["lead"])
    return SimpleNamespace(
        report=report,
        organisations=organisations,
        people=people,
        section=section,
        paragraph=Paragraph.objects.get(pk=paragraph.pk),
        first_revision=Revision.objects.get(paragraph=paragraph, version=1),
        newcomer=_person("member"),
    )


def _in_state(world, status: str) -> Report:
    Report.objects.filter(pk=world.report.pk).update(status=status)
    world.report.refresh_from_db()
    return world.report


def _everything(world):
    def snapshot():
        return (
            list(Report.objects.values_list("status", "content_changed_at")),
            list(Paragraph.objects.order_by("pk").values_list("text", "version", "removed_at")),
            Revision.objects.count(),
            Comment.objects.count(),
            list(ReportRole.objects.order_by("pk").values_list("user_id", "role")),
            list(ReportOrganisation.objects.order_by("pk").values_list("signed_off_at")),
        )

    return snapshot


def expect(allowed: set[str], role: str, *, state_refused: bool = False) -> str:
    if role not in allowed:
        return DENY
    return STATE if state_refused else ALLOW


# (permission, action name, who may in a draft, who may in a final report, state error)
GRID = [
    ("reports.edit", "add_paragraph", {"lead", "drafter"}, set(), None),
    ("reports.edit", "save_paragraph", {"lead", "drafter"}, set(), None),
    ("reports.edit", "restore_revision", {"lead", "drafter"}, set(), None),
    ("reports.edit", "add_section", {"lead", "drafter"}, set(), None),
    ("reports.comment", "add_comment", ON_REPORT | STAFF, ON_REPORT | STAFF, None),
    ("reports.manage_people", "set_role", {"lead"} | STAFF, {"lead"} | STAFF, None),
    # Signing for the second organisation: its members, while a draft.
    ("reports.sign_off", "sign_off", {"org_member"}, "state", services.ReportError),
    ("reports.finalise", "finalise_or_reopen", {"lead"}, {"lead"}, None),
]

ACTIONS = {
    "add_paragraph": lambda w, who: services.add_paragraph(w.section, "More.", actor=who),
    "save_paragraph": lambda w, who: services.save_paragraph(
        w.paragraph, "Changed.", [], expected_version=w.paragraph.version, actor=who
    ),
    "restore_revision": lambda w, who: services.restore_revision(w.first_revision, actor=who),
    "add_section": lambda w, who: services.add_section(
        w.report, kind=SectionKind.FOLLOW_UP, title="Housing", actor=who
    ),
    "add_comment": lambda w, who: services.add_comment(w.paragraph, "A remark.", actor=who),
    "set_role": lambda w, who: services.set_role(w.report, w.newcomer, "reviewer", actor=who),
    "sign_off": lambda w, who: services.sign_off(w.report, w.organisations[1], actor=who),
}


@pytest.mark.parametrize("status", STATES)
@pytest.mark.parametrize(("perm", "action", "draft", "final", "state_error"), GRID)
@pytest.mark.parametrize("role", PEOPLE)
def test_report_writes(world, role, perm, action, draft, final, state_error, status):
    report = _in_state(world, status)
    who = world.people[role]
    if status == ReportStatus.DRAFT:
        expected = expect(draft, role)
    elif final == "state":  # who may in a draft meets the state error in a final report
        expected = expect(draft, role, state_refused=True)
    else:
        expected = expect(final, role)
    obj = ReportOrganisation.objects.get(report=report, organisation=world.organisations[1])
    obj = obj if perm == "reports.sign_off" else report

    if action == "finalise_or_reopen":
        _finalise_or_reopen(world, who, role, report, expected)
        return
    check_cell(
        who=who,
        perm=perm,
        obj=obj,
        expected=expected,
        call=lambda: ACTIONS[action](world, who),
        snapshot=_everything(world),
        state_error=state_error,
    )


def _finalise_or_reopen(world, who, role, report, expected) -> None:
    """Reopening a final report writes; marking a draft final passes the permission and then
    meets the blockers (nobody signed off), so it raises NotReady rather than PermissionDenied."""
    if report.is_draft:
        assert has_perm(who, "reports.finalise", report) is (expected == ALLOW)
        before = _everything(world)()
        raised = services.NotReady if expected == ALLOW else PermissionDenied
        with pytest.raises(raised):
            services.mark_final(report, actor=who)
        assert _everything(world)() == before
        return
    check_cell(
        who=who,
        perm="reports.finalise",
        obj=report,
        expected=expected,
        call=lambda: services.reopen(report, actor=who),
        snapshot=_everything(world),
    )


@pytest.mark.parametrize("status", STATES)
@pytest.mark.parametrize("role", PEOPLE)
def test_who_sees_a_report(world, role, status):
    report = _in_state(world, status)
    seers = ON_REPORT | STAFF | {"org_member"}
    assert has_perm(world.people[role], "reports.view", report) is (role in seers)


@pytest.mark.parametrize("role", PEOPLE)
def test_who_starts_a_report(world, role):
    who = world.people[role]
    starters = {"outsider", "reviewer", "drafter", "lead", "coordinator", "admin"}
    check_cell(
        who=who,
        perm="reports.create",
        obj=None,
        expected=ALLOW if role in starters else DENY,
        call=lambda: services.create_report(
            actor=who,
            review=world.report.review,
            submission_type="individual",
            organisations=world.organisations[:1],
            contact_email="x@example.org",
        ),
        snapshot=lambda: Report.objects.count(),
    )


@pytest.mark.parametrize("role", PEOPLE)
def test_the_access_object_answers_as_the_rules(world, role):
    """Pages ask `Access` (facts computed once): it must agree with has_perm everywhere."""
    from uprhub.reports.permissions import access_for

    for status in STATES:
        report = _in_state(world, status)
        who = world.people[role]
        access = access_for(report, who)
        assert access.can_view is has_perm(who, "reports.view", report)
        assert access.can_edit is has_perm(who, "reports.edit", report)
        assert access.can_comment is has_perm(who, "reports.comment", report)
        assert access.can_manage is has_perm(who, "reports.manage_people", report)
        assert access.can_finalise is has_perm(who, "reports.finalise", report)
        member = ReportOrganisation.objects.get(report=report, organisation=world.organisations[1])
        assert access.can_sign_off(member.organisation_id) is has_perm(
            who, "reports.sign_off", member
        )


@pytest.mark.parametrize("role", PEOPLE)
@pytest.mark.parametrize("which", ["own_claim", "others_claim", "confirmed"])
def test_who_names_an_organisation_on_a_new_report(world, role, which):
    """ "reports.submit_for": one's own organisations, even a claim still waiting; confirmed
    ones as partners; someone else's unconfirmed claim only for coordinators and admins."""
    who = world.people[role]
    owner = who if which == "own_claim" and who is not None and role != "anonymous" else None
    if which == "confirmed":
        organisation = world.organisations[1]
    else:
        organisation = OrganisationFactory(verified_at=None)
        if owner is not None:
            Membership.objects.create(user=owner, organisation=organisation)
    starters = {"outsider", "reviewer", "drafter", "lead", "coordinator", "admin"}
    allowed = starters if which != "others_claim" else STAFF
    check_cell(
        who=who,
        perm="reports.submit_for",
        obj=organisation,
        expected=ALLOW if role in allowed else DENY,
        call=lambda: services.create_report(
            actor=who,
            review=world.report.review,
            submission_type="individual",
            organisations=[organisation],
        ),
        snapshot=lambda: Report.objects.count(),
    )

"""Consultations × roles: the site roles, plus a facilitator and a moderator of the
consultation (and a moderator of another one). Identity is for its moderators alone."""

from __future__ import annotations

import pytest

from tests.accounts.factories import make_user
from tests.factories import ReviewFactory
from uprhub.consultations import services
from uprhub.consultations.models import (
    Consultation,
    ConsultationRole,
    IdentityAccess,
)

from .grid import ROLES, actor, check_cell, row

pytestmark = pytest.mark.django_db

STAFF = {"system", "coordinator", "admin"}
CONSULTATION_ROLES = [*ROLES, "facilitator", "moderator", "moderator_elsewhere"]


def _consultation(slug: str = "grid") -> Consultation:
    return services.create_consultation(actor=None, slug=slug, review=ReviewFactory(), title="Grid")


def _who(role: str, consultation: Consultation):
    if role in {"facilitator", "moderator"}:
        user = make_user("registered")
        services.assign_role(consultation, user, role, actor=None)
        return user
    if role == "moderator_elsewhere":
        user = make_user("registered")
        services.assign_role(_consultation("elsewhere"), user, "moderator", actor=None)
        return user
    return actor(role)


@pytest.mark.parametrize("role", ROLES)
def test_create(role):
    who = actor(role)
    review = ReviewFactory()
    check_cell(
        who=who,
        perm="consultations.create",
        obj=None,
        expected=row(STAFF)[role],
        call=lambda: services.create_consultation(
            actor=who, slug="fresh", review=review, title="New"
        ),
        snapshot=lambda: Consultation.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
def test_assign_role(role):
    consultation = _consultation()
    who = actor(role)
    person = make_user("registered")
    check_cell(
        who=who,
        perm="consultations.assign_role",
        obj=consultation,
        expected=row(STAFF)[role],
        call=lambda: services.assign_role(consultation, person, "moderator", actor=who),
        snapshot=lambda: ConsultationRole.objects.count(),
    )


@pytest.mark.parametrize("role", CONSULTATION_ROLES)
def test_view_identity(role):
    consultation = _consultation()
    testimony, _code = services.submit_testimony(
        consultation,
        services.TestimonyInput(text="t", language="en"),
        services.IdentityInput(name="Someone"),
    )
    who = _who(role, consultation)
    check_cell(
        who=who,
        perm="consultations.view_identity",
        obj=consultation,
        expected="allow" if role == "moderator" else "deny",
        call=lambda: services.view_identity(testimony, actor=who),
        snapshot=lambda: IdentityAccess.objects.count(),  # every view is logged
    )


@pytest.mark.parametrize("role", CONSULTATION_ROLES)
def test_manage(role):
    consultation = _consultation()
    who = _who(role, consultation)
    allowed = role in STAFF or role in {"facilitator", "moderator"}
    check_cell(
        who=who,
        perm="consultations.manage",
        obj=consultation,
        expected="allow" if allowed else "deny",
        call=lambda: services.update_consultation(
            consultation,
            services.ConsultationSettings(title="Renamed"),
            actor=who,
            version=consultation.version,
        ),
        snapshot=lambda: Consultation.objects.get(pk=consultation.pk).title,
    )


def _testimony(consultation: Consultation):
    testimony, _code = services.submit_testimony(
        consultation, services.TestimonyInput(text="The water is unsafe to drink.", language="en")
    )
    return testimony


@pytest.mark.parametrize("role", CONSULTATION_ROLES)
def test_moderate(role):
    from uprhub.consultations import moderation
    from uprhub.consultations.models import ModerationDecision

    consultation = _consultation()
    testimony = _testimony(consultation)
    who = _who(role, consultation)
    check_cell(
        who=who,
        perm="consultations.moderate",
        obj=consultation,
        expected="allow" if role == "moderator" else "deny",
        call=lambda: moderation.set_status(testimony, "approved", actor=who),
        snapshot=lambda: ModerationDecision.objects.count(),  # every decision is audited
    )


@pytest.mark.parametrize("role", CONSULTATION_ROLES)
def test_view_original(role):
    from uprhub.consultations import moderation

    consultation = _consultation()
    testimony = _testimony(consultation)
    who = _who(role, consultation)
    check_cell(
        who=who,
        perm="consultations.view_original",
        obj=consultation,
        expected="allow" if role == "moderator" else "deny",
        call=lambda: moderation.view_original(testimony, actor=who),
        snapshot=lambda: IdentityAccess.objects.count(),  # every view is logged
    )


@pytest.mark.parametrize("role", CONSULTATION_ROLES)
def test_tag(role):
    from tests.factories import ThemeFactory, VocabularyFactory
    from uprhub.consultations.models import TestimonyTag

    consultation = _consultation()
    testimony = _testimony(consultation)
    issue = ThemeFactory(
        vocabulary=VocabularyFactory(slug="uprinfo-issues", name="UPR Info issues"),
        name="Right to water",
    )
    who = _who(role, consultation)
    check_cell(
        who=who,
        perm="consultations.tag",
        obj=consultation,
        expected="allow" if role == "moderator" else "deny",
        call=lambda: services.add_tag(testimony, theme=issue, actor=who),
        snapshot=lambda: TestimonyTag.objects.count(),
    )


@pytest.mark.parametrize("role", CONSULTATION_ROLES)
def test_import_and_withdraw_by_id(role):
    # Withdrawal by item id (for a person who lost their code) is the `import` permission's
    # web-less twin: coordinators, the consultation's moderators and the command line.
    from uprhub.consultations.models import Testimony

    consultation = _consultation()
    testimony = _testimony(consultation)
    who = _who(role, consultation)
    allowed = role in STAFF or role == "moderator"
    check_cell(
        who=who,
        perm="consultations.import",
        obj=consultation,
        expected="allow" if allowed else "deny",
        call=lambda: services.withdraw_by_id(consultation, testimony.pk, actor=who),
        snapshot=lambda: Testimony.objects.get(pk=testimony.pk).status,
    )

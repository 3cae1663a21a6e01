"""Consultations × roles for facilitator mode, paper imports and in-person sessions: the site
roles, plus a facilitator and a moderator of the consultation, and a facilitator and a
moderator of another one."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from tests.accounts.factories import make_user
from tests.factories import ReviewFactory
from uprhub.consultations import paper, services
from uprhub.consultations.models import Consultation, InPersonSession, Testimony, TestimonySource

from .grid import ROLES, actor, check_cell

pytestmark = pytest.mark.django_db

ROLES_HERE = [*ROLES, "facilitator", "moderator", "facilitator_elsewhere", "moderator_elsewhere"]


def _consultation(slug: str = "grid") -> Consultation:
    return services.create_consultation(actor=None, slug=slug, review=ReviewFactory(), title="Grid")


def _who(role: str, consultation: Consultation):
    if role in {"facilitator", "moderator"}:
        user = make_user("registered")
        services.assign_role(consultation, user, role, actor=None)
        return user
    if role.endswith("_elsewhere"):
        user = make_user("registered")
        elsewhere = _consultation(f"elsewhere-{uuid.uuid4().hex[:6]}")
        services.assign_role(elsewhere, user, role.removesuffix("_elsewhere"), actor=None)
        return user
    return actor(role)


def _expected(role: str, allowed: set[str]) -> str:
    return "allow" if role in allowed else "deny"


@pytest.mark.parametrize("role", ROLES_HERE)
def test_facilitate(role):
    consultation = _consultation()
    who = _who(role, consultation)
    check_cell(
        who=who,
        perm="consultations.facilitate",
        obj=consultation,
        expected=_expected(role, {"facilitator", "moderator"}),
        call=lambda: services.submit_testimony(
            consultation,
            services.TestimonyInput(text="No heat all winter.", language="en"),
            source=TestimonySource.FACILITATOR,
            entered_by=who,
            client_id=uuid.uuid4(),
        ),
        snapshot=lambda: Testimony.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES_HERE)
def test_manage_sessions(role):
    consultation = _consultation()
    who = _who(role, consultation)
    starts = timezone.now() + datetime.timedelta(days=7)
    check_cell(
        who=who,
        perm="consultations.manage",
        obj=consultation,
        expected=_expected(role, {"system", "coordinator", "admin", "facilitator", "moderator"}),
        call=lambda: services.add_session(
            consultation, actor=who, starts_at=starts, place="Library"
        ),
        snapshot=lambda: InPersonSession.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES_HERE)
def test_import_paper_forms(role):
    consultation = _consultation()
    who = _who(role, consultation)
    data = ",".join(paper.COLUMNS) + "\n2025-03-14,en,No heat all winter.,,,,yes,no,no,no,\n"
    check_cell(
        who=who,
        perm="consultations.import",
        obj=consultation,
        expected=_expected(role, {"system", "coordinator", "admin", "moderator"}),
        call=lambda: services.import_paper(consultation, data, actor=who),
        snapshot=lambda: Testimony.objects.count(),
    )

"""Follow-up scorecards × roles: the public pages, downloads and API are the same for every
role and never show a draft; importing the State's claims is for coordinators, admins and the
command line (a round's assessors and reviewers included in the refusals)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.factories import OrganisationFactory, make_user
from tests.followup.scorecard_data import (
    DRAFT_QUOTE,
    DRAFT_RATIONALE,
    forget_scorecards,  # noqa: F401  (a fixture)
    make_card,
)
from uprhub.followup import claims
from uprhub.followup.models import RoundRole, RoundRoleKind, StateClaim

from .grid import ROLES, actor, check_cell, row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("forget_scorecards")]

STAFF = {"system", "coordinator", "admin"}
ROUND_ROLES = [*ROLES, "assessor", "reviewer"]
CSV = (
    "recommendation,document,paragraph,claim,quote,date\n"
    "26.2,A/HRC/WG.6/50/USA/1,7,implemented,The State says so.,2025-08-01\n"
)
PUBLIC = (
    "/followup/",
    "/followup/USA/3/",
    "/followup/USA/3/?round=early-2021",
    "/followup/USA/3/embed/",
    "/followup/USA/3/scorecard.csv",
    "/followup/USA/3/scorecard.json",
    "/followup/USA/3/charts/grades.svg",
    "/api/followup/scorecards/USA/3",
    "/api/followup/scorecards/USA/3/positions",
    "/api/followup/states/USA/rounds",
)


def _who(role: str, card):
    if role in {"assessor", "reviewer"}:
        user = make_user("member")
        RoundRole.objects.create(
            round=card.round,
            user=user,
            role=RoundRoleKind.ASSESSOR if role == "assessor" else RoundRoleKind.REVIEWER,
            organisation=OrganisationFactory() if role == "assessor" else None,
        )
        return user
    return actor(role)


@pytest.mark.parametrize("role", ROUND_ROLES)
def test_import_claims(role):
    card = make_card()
    who = _who(role, card)
    check_cell(
        who=who,
        perm="followup.manage_round",
        obj=None,
        expected=row(STAFF)[role] if role in ROLES else "deny",
        call=lambda: claims.import_claims(CSV, card.review, actor=who),
        snapshot=lambda: sorted(StateClaim.objects.values_list("quote", flat=True)),
    )


@pytest.mark.parametrize("role", ROUND_ROLES)
def test_public_scorecard_is_the_same_for_everyone_and_never_shows_a_draft(role):
    card = make_card()
    client = Client()
    if role not in {"system", "anonymous"}:
        client.force_login(_who(role, card))
    for path in PUBLIC:
        response = client.get(path)
        assert response.status_code == 200, (role, path)
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode("utf-8-sig")
        assert DRAFT_RATIONALE not in body and DRAFT_QUOTE not in body, (role, path)

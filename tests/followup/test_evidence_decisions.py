"""Accepting and rejecting stored evidence suggestions: per role and state, idempotency, the
views (POST, CSRF, next), and the include's HTML (both databases)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.accounts.factories import OrganisationFactory, make_user
from tests.factories import RecommendationFactory
from uprhub.followup.evidence_services import (
    EvidenceDecisionError,
    accept_suggestion,
    reject_suggestion,
)
from uprhub.followup.models import (
    Assessment,
    AssessmentRound,
    EvidenceItem,
    EvidenceKind,
    EvidenceSuggestion,
    Position,
    RoundRole,
    RoundRoleKind,
    Scale,
    SuggestionStatus,
)
from uprhub.followup.selectors import suggestions_context
from uprhub.reviews.models import Document, DocumentKind

QUOTE = "The Committee regretted that the Guantanamo Bay detention facility remained open."


class World:
    """A round on the 3rd review, its assessor (for one organisation), a reviewer, a draft
    position and the assessor's organisation's assessment of one recommendation, and two
    stored suggestions for it."""

    def __init__(self, usa) -> None:
        _state, third, fourth = usa
        self.scale = Scale.objects.get(slug="upr-info")
        self.grade = self.scale.grades.first()
        self.round = AssessmentRound.objects.create(
            review=third, name="Mid-term", slug="mid-term", scale=self.scale,
            as_of=datetime.date(2024, 6, 30),
        )  # fmt: skip
        self.recommendation = RecommendationFactory(
            review=third, paragraph="26.176", text="Close the Guantanamo detention centre"
        )
        self.organisation = OrganisationFactory()
        self.assessor = make_user("member")
        RoundRole.objects.create(
            round=self.round, user=self.assessor, role=RoundRoleKind.ASSESSOR,
            organisation=self.organisation,
        )  # fmt: skip
        self.reviewer = make_user("member")
        RoundRole.objects.create(round=self.round, user=self.reviewer, role=RoundRoleKind.REVIEWER)
        self.position = Position.objects.create(
            round=self.round, recommendation=self.recommendation, grade=self.grade,
            as_of=self.round.as_of,
        )  # fmt: skip
        self.assessment = Assessment.objects.create(
            round=self.round, recommendation=self.recommendation, organisation=self.organisation,
            grade=self.grade, as_of=self.round.as_of,
        )  # fmt: skip
        self.document = Document.objects.create(
            review=fourth, kind=DocumentKind.COMPILATION, symbol="A/HRC/WG.6/50/USA/2",
            title="Compilation", text="…", published=datetime.date(2025, 8, 20),
        )  # fmt: skip
        self.suggestion = self.suggest(28, 0.81, 1, QUOTE)
        self.weak = self.suggest(40, 0.22, 2, "Another paragraph on detention.")

    def suggest(self, paragraph: int, score: float, rank: int, quote: str) -> EvidenceSuggestion:
        return EvidenceSuggestion.objects.create(
            recommendation=self.recommendation, document=self.document, paragraph=paragraph,
            quote=quote, score=score, rank=rank, method="fused",
        )  # fmt: skip


@pytest.fixture
def world(usa) -> World:
    return World(usa)


# --- services ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["assessor", "reviewer"])
def test_accept_into_the_position(world, who):
    actor = getattr(world, who)
    item = accept_suggestion(actor, world.suggestion, world.position)
    assert item.position == world.position and item.assessment is None
    assert item.kind == EvidenceKind.UN_DOCUMENT
    assert (item.document_symbol, item.paragraph, item.quote) == ("A/HRC/WG.6/50/USA/2", 28, QUOTE)
    assert item.date == datetime.date(2025, 8, 20)
    assert item.suggestion == world.suggestion and item.added_by == actor
    world.suggestion.refresh_from_db()
    assert world.suggestion.status == SuggestionStatus.ACCEPTED
    assert world.suggestion.decided_by == actor and world.suggestion.decided_at


def test_accept_into_own_assessment_idempotent(world):
    first = accept_suggestion(world.assessor, world.suggestion, world.assessment)
    again = accept_suggestion(world.assessor, world.suggestion, world.assessment)
    assert first.pk == again.pk
    assert EvidenceItem.objects.filter(assessment=world.assessment).count() == 1
    # Into the position as well: one more item, one per owner.
    accept_suggestion(world.assessor, world.suggestion, world.position)
    assert EvidenceItem.objects.count() == 2
    second = accept_suggestion(world.assessor, world.weak, world.assessment)
    assert second.order == first.order + 1


def test_reviewer_may_not_accept_into_an_organisations_assessment(world):
    with pytest.raises(PermissionDenied):
        accept_suggestion(world.reviewer, world.suggestion, world.assessment)
    assert not EvidenceItem.objects.exists()


@pytest.mark.parametrize("role", ["registered", "member", "coordinator", "admin"])
def test_people_without_a_role_in_the_round_are_refused(world, role):
    someone = make_user(role)
    with pytest.raises(PermissionDenied):
        accept_suggestion(someone, world.suggestion, world.position)
    with pytest.raises(PermissionDenied):
        reject_suggestion(someone, world.suggestion, world.round)
    with pytest.raises(PermissionDenied):
        accept_suggestion(None, world.suggestion, world.position)  # the command line: no rule
    world.suggestion.refresh_from_db()
    assert world.suggestion.status == SuggestionStatus.SUGGESTED
    assert not EvidenceItem.objects.exists()


def test_closed_round_refused_with_its_reason(world):
    AssessmentRound.objects.filter(pk=world.round.pk).update(closed=True)
    world.round.refresh_from_db()
    world.position.refresh_from_db()
    world.assessment.refresh_from_db()
    for owner in (world.position, world.assessment):
        with pytest.raises(EvidenceDecisionError, match="closed"):
            accept_suggestion(world.assessor, world.suggestion, owner)
    with pytest.raises(EvidenceDecisionError, match="closed"):
        reject_suggestion(world.reviewer, world.suggestion, world.round)
    assert not EvidenceItem.objects.exists()
    world.suggestion.refresh_from_db()
    assert world.suggestion.status == SuggestionStatus.SUGGESTED


def test_published_position_refused(world):
    Position.objects.filter(pk=world.position.pk).update(status="published")
    world.position.refresh_from_db()
    for who in (world.reviewer, world.assessor):
        with pytest.raises(EvidenceDecisionError, match="no longer a draft"):
            accept_suggestion(who, world.suggestion, world.position)
    assert not EvidenceItem.objects.exists()


def test_in_review_only_its_reviewers_add_evidence(world):
    # As for its grade and rationale: in review, reviewers change it, assessors no longer.
    Position.objects.filter(pk=world.position.pk).update(status="in_review")
    world.position.refresh_from_db()
    with pytest.raises(PermissionDenied):
        accept_suggestion(world.assessor, world.suggestion, world.position)
    item = accept_suggestion(world.reviewer, world.suggestion, world.position)
    assert item.position == world.position


def test_suggestion_of_another_recommendation_refused(world):
    other = RecommendationFactory(review=world.round.review, paragraph="26.1", text="Other")
    stray = EvidenceSuggestion.objects.create(
        recommendation=other, document=world.document, paragraph=3, quote="x", score=0.5,
        rank=1, method="fused",
    )  # fmt: skip
    with pytest.raises(EvidenceDecisionError):
        accept_suggestion(world.assessor, stray, world.position)
    assert not EvidenceItem.objects.exists()


def test_reject_idempotent_and_not_after_accepting(world):
    reject_suggestion(world.assessor, world.weak, world.round)
    reject_suggestion(world.reviewer, world.weak, world.round)
    world.weak.refresh_from_db()
    assert world.weak.status == SuggestionStatus.REJECTED
    assert world.weak.decided_by == world.assessor  # the first decision stands
    accept_suggestion(world.assessor, world.suggestion, world.position)
    with pytest.raises(EvidenceDecisionError, match="accepted"):
        reject_suggestion(world.reviewer, world.suggestion, world.round)


# --- views ---------------------------------------------------------------------------------------


def _url(world, action: str, suggestion=None) -> str:
    suggestion = suggestion or world.suggestion
    return reverse(f"followup:evidence_{action}", args=[world.round.slug, suggestion.pk])


def test_view_accept_and_reject_redirect_back(world):
    client = Client()
    client.force_login(world.assessor)
    response = client.post(
        _url(world, "accept"), {"into": "position", "next": "/recommendations/1#x"}
    )
    assert response.status_code == 302 and response["Location"] == "/recommendations/1#x"
    assert EvidenceItem.objects.filter(position=world.position).count() == 1
    response = client.post(
        _url(world, "accept"), {"into": "assessment", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and "evil" not in response["Location"]
    assert EvidenceItem.objects.filter(assessment=world.assessment).count() == 1
    response = client.post(_url(world, "reject", world.weak), {"next": "/somewhere"})
    assert response["Location"] == "/somewhere"
    world.weak.refresh_from_db()
    assert world.weak.status == SuggestionStatus.REJECTED


def test_view_refusals(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.assessor)
    assert client.post(_url(world, "accept"), {"into": "position"}).status_code == 403  # CSRF
    client = Client()
    assert client.post(_url(world, "accept")).status_code == 302  # to the login page
    client.force_login(world.assessor)
    assert client.get(_url(world, "accept")).status_code == 405
    client.force_login(make_user("member"))
    assert client.post(_url(world, "reject")).status_code == 403
    other_round = AssessmentRound.objects.create(
        review=world.round.review, name="Other", slug="other", scale=world.scale,
        as_of=world.round.as_of,
    )  # fmt: skip
    RoundRole.objects.create(round=other_round, user=world.reviewer, role=RoundRoleKind.REVIEWER)
    client.force_login(world.reviewer)
    assert client.post(_url(world, "reject").replace("mid-term", "other")).status_code in (
        200,
        302,
    )
    # No such suggestion in the round.
    missing = reverse("followup:evidence_reject", args=[world.round.slug, 999999])
    assert client.post(missing).status_code == 404
    assert not EvidenceItem.objects.exists()


def test_view_accept_without_an_owner_says_what_to_do(world):
    world.position.delete()
    client = Client()
    client.force_login(world.reviewer)
    response = client.post(_url(world, "accept"), {"into": "position"}, follow=False)
    assert response.status_code == 302
    assert not EvidenceItem.objects.exists()


# --- the include ---------------------------------------------------------------------------------


def _render(world, user) -> str:
    request = RequestFactory().get("/recommendations/26.176")
    request.user = user
    context = suggestions_context(world.round, world.recommendation, user)
    return render_to_string("followup/evidence/_suggestions.html", context, request=request)


def test_include_lists_best_first_with_words_and_buttons(world):
    html = _render(world, world.assessor)
    assert html.index("para. 28") < html.index("para. 40")
    assert "Strong match" in html and "Possible match" in html
    assert "0.81" not in html
    assert QUOTE in html
    assert "Accept into the coalition's draft" in html
    assert f"Accept into {world.organisation}'s assessment" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert html.count(_url(world, "reject", world.weak)) == 1
    assert 'name="next" value="/recommendations/26.176' in html


def test_include_for_a_reviewer_and_after_decisions(world):
    accept_suggestion(world.reviewer, world.suggestion, world.position)
    reject_suggestion(world.reviewer, world.weak, world.round)
    html = _render(world, world.reviewer)
    assert "In the coalition's draft." in html
    assert "assessment" not in html.split("Suggested evidence")[1].split("</ol>")[0].lower()
    assert "para. 40" not in html
    assert "1 rejected suggestion is not shown." in html


def test_include_without_buttons_for_others_and_closed_rounds(world):
    html = _render(world, make_user("coordinator"))
    assert QUOTE in html and "<form" not in html
    AssessmentRound.objects.filter(pk=world.round.pk).update(closed=True)
    world.round.refresh_from_db()
    assert "<form" not in _render(world, world.assessor)


def test_include_when_nothing_is_stored(world):
    EvidenceSuggestion.objects.all().delete()
    html = _render(world, world.assessor)
    assert "No evidence suggestions are stored" in html
    assert "uprhub followup evidence USA --cycle 3 --store" in html

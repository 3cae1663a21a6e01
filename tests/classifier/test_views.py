"""Accept / reject on the web: the permission grid and the recommendation page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from tests.accounts.factories import make_user
from tests.factories import RecommendationFactory, VocabularyFactory
from uprhub.classifier import services
from uprhub.recommendations.models import Label, Suggestion, SuggestionStatus

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "registered", "member", "coordinator"]
# role → (status, decided?)
EXPECTED = {
    "anonymous": (302, False),  # to the login page
    "registered": (403, False),
    "member": (302, True),  # back to the recommendation
    "coordinator": (302, True),
}


@pytest.fixture
def suggestion(shared_model) -> Suggestion:
    VocabularyFactory(slug="uprinfo-issues", name="UPR Info issues")
    rec = RecommendationFactory(text="Abolish the death penalty", action_category=None)
    services.suggest_for([rec.pk])
    return Suggestion.objects.filter(recommendation=rec, kind="issue").get()


def _login(client, role: str):
    if role != "anonymous":
        client.force_login(make_user(role))
    return client


@pytest.mark.parametrize("action", ["accept", "reject"])
@pytest.mark.parametrize("role", ROLES)
def test_permission_grid(client, suggestion, role, action):
    status, decided = EXPECTED[role]
    response = _login(client, role).post(reverse(f"classifier:{action}", args=[suggestion.pk]))
    assert response.status_code == status
    suggestion.refresh_from_db()
    if decided:
        wanted = SuggestionStatus.ACCEPTED if action == "accept" else SuggestionStatus.REJECTED
        assert suggestion.status == wanted
        assert suggestion.decided_by.email == response.wsgi_request.user.email
        assert response["Location"].startswith(suggestion.recommendation.get_absolute_url())
    else:
        assert suggestion.status == SuggestionStatus.PENDING
        assert suggestion.decided_by is None
    if role == "anonymous":
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    labels = Label.objects.filter(recommendation=suggestion.recommendation_id)
    assert labels.exists() == (decided and action == "accept")


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_get_is_not_allowed(client, suggestion, action):
    response = _login(client, "member").get(reverse(f"classifier:{action}", args=[suggestion.pk]))
    assert response.status_code == 405
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING
    assert not Label.objects.filter(recommendation=suggestion.recommendation).exists()


def test_csrf_is_required(suggestion):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("member"))
    response = client.post(reverse("classifier:accept", args=[suggestion.pk]))
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING


def test_deciding_twice_says_so(client, suggestion):
    client = _login(client, "member")
    client.post(reverse("classifier:accept", args=[suggestion.pk]))
    response = client.post(reverse("classifier:reject", args=[suggestion.pk]), follow=True)
    assert "already been decided" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED


def test_next_must_stay_on_the_site(client, suggestion):
    url = reverse("classifier:reject", args=[suggestion.pk])
    response = _login(client, "member").post(url, {"next": "https://evil.example/"})
    assert response["Location"].startswith(suggestion.recommendation.get_absolute_url())


def test_the_page_shows_suggestions_apart_with_buttons_for_members(client, suggestion):
    url = suggestion.recommendation.get_absolute_url()
    anonymous = client.get(url).content.decode()
    assert "Suggested" in anonymous and "Death penalty" in anonymous
    assert suggestion.model_version in anonymous
    assert reverse("classifier:accept", args=[suggestion.pk]) not in anonymous
    assert "No theme recorded" in anonymous  # a suggestion is not a label
    member = _login(client, "member").get(url).content.decode()
    assert reverse("classifier:accept", args=[suggestion.pk]) in member
    assert reverse("classifier:reject", args=[suggestion.pk]) in member


def test_accepted_action_shows_who_and_when(client, suggestion):
    action = Suggestion.objects.get(recommendation=suggestion.recommendation, kind="action")
    person = make_user("member", name="Ada Member")
    _login(client, "member")
    client.force_login(person)
    client.post(reverse("classifier:accept", args=[action.pk]))
    page = client.get(suggestion.recommendation.get_absolute_url()).content.decode()
    assert "accepted by" in page and "Ada Member" in page or person.email in page

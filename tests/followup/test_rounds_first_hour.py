"""What a coordinator finds after creating a round, with nothing else run: the review's
clusters already made, and a button (not a command) to compute the evidence suggestions."""

from __future__ import annotations

import datetime

import pytest
from django.tasks import task_backends
from django.urls import reverse

from tests.accounts.factories import make_user
from tests.followup.conftest import add_bundled_documents, add_recommendation
from uprhub.followup import rounds, tasks
from uprhub.followup.models import Cluster, EvidenceSuggestion, Scale

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _round(review, actor=None):
    return rounds.create_round(
        actor,
        review=review,
        name="Mid-term 2022",
        scale=Scale.objects.get(slug="hrc-follow-up"),
        as_of=datetime.date(2022, 11, 1),
    )


@pytest.fixture
def third(usa):
    _state, third, _fourth = usa
    for n in range(1, 5):
        add_recommendation(
            third, f"26.{n}", f"Abolish the death penalty and impose a moratorium on executions {n}"
        )
    add_recommendation(third, "26.9", "Ratify the Convention on the Rights of the Child")
    return third


def test_creating_a_round_makes_the_reviews_clusters_once(third):
    round_ = _round(third, make_user("coordinator"))
    clusters = list(Cluster.objects.filter(review=third))
    assert len(clusters) == 1
    assert {r.paragraph for r in clusters[0].recommendations.all()} == {
        "26.1",
        "26.2",
        "26.3",
        "26.4",
    }
    # A second round on the same review keeps them (people may have corrected them).
    clusters[0].label = "Death penalty (checked)"
    clusters[0].save()
    rounds.create_round(
        None,
        review=third,
        name="Before the 4th review",
        scale=round_.scale,
        as_of=datetime.date(2025, 6, 1),
    )
    assert list(Cluster.objects.values_list("label", flat=True)) == ["Death penalty (checked)"]


def test_the_round_page_computes_the_suggestions_in_the_background(
    client, usa, third, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY
    _state, _third, fourth = usa
    coordinator = make_user("coordinator")
    round_ = _round(third, coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("followup:round", args=[round_.slug])).content.decode()
    # The next review's documents are not imported: said, and no button.
    assert "are not imported" in page and "Compute the suggestions" not in page
    response = client.post(reverse("followup:round_evidence", args=[round_.slug]), follow=True)
    assert "nothing to find evidence in yet" in response.content.decode()
    assert task_backends["default"].results == []

    add_bundled_documents(fourth)
    page = client.get(reverse("followup:round", args=[round_.slug])).content.decode()
    assert "None are computed yet." in page and "Compute the suggestions" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("followup:round_evidence", args=[round_.slug]), follow=True)
    assert "are being computed" in response.content.decode()
    [queued] = task_backends["default"].results
    assert queued.task.name == "store_evidence" and queued.args == [third.pk]


def test_the_task_stores_the_suggestions(usa, third):
    _state, _third, fourth = usa
    add_bundled_documents(fourth)
    result = tasks.store_evidence.call(third.pk, use_semantic=False)
    assert result["recommendations"] == 5
    assert EvidenceSuggestion.objects.filter(recommendation__review=third).count() == 25


def test_members_cannot_ask_for_the_computation(client, third):
    round_ = _round(third)
    client.force_login(make_user("member"))
    assert client.post(reverse("followup:round_evidence", args=[round_.slug])).status_code == 403


def test_a_review_whose_texts_cannot_be_compared_still_gets_its_round(usa):
    _state, third, _fourth = usa
    # Only stop words: TF-IDF has no vocabulary, so there are no clusters; the round is made.
    add_recommendation(third, "26.1", "The and of")
    add_recommendation(third, "26.2", "Of the and")
    round_ = _round(third)
    assert round_.pk and not Cluster.objects.filter(review=third).exists()

"""Clusters on hand-picked real US 3rd-cycle recommendations (both databases)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.followup.carry_data import add_all_third, third_cycle, usa_cycles
from uprhub.followup import clusters
from uprhub.followup.models import Cluster

pytestmark = pytest.mark.django_db

# Read and checked by hand in the clusters of the real 347: each asks for a moratorium on
# executions and/or the abolition of the death penalty.
DEATH_PENALTY = ("26.182", "26.184", "26.187", "26.189", "26.198", "26.203", "26.211")
CEDAW = ("26.30", "26.45", "26.47")  # ratify (or consider ratifying) CEDAW alone
GUANTANAMO = ("26.175", "26.176")
# An NHRI, racial disparities in justice, maternity leave: other measures.
UNRELATED = ("26.93", "26.259", "26.315")


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return third_cycle()


@pytest.fixture
def third():
    _state, _first, third = usa_cycles()
    add_all_third(third)
    return third


def _group_of(review, paragraph: str) -> set[str]:
    cluster = Cluster.objects.filter(review=review, recommendations__paragraph=paragraph).first()
    if cluster is None:
        return {paragraph}
    return set(cluster.recommendations.values_list("paragraph", flat=True))


def test_same_measure_together_unrelated_apart(third):
    run = clusters.compute_clusters(third)
    death_penalty = _group_of(third, DEATH_PENALTY[0])
    assert set(DEATH_PENALTY) <= death_penalty
    assert set(CEDAW) <= _group_of(third, CEDAW[0])
    assert _group_of(third, "26.175") == set(GUANTANAMO)
    for paragraph in UNRELATED:
        group = _group_of(third, paragraph)
        assert not group & death_penalty
        assert not group & set(CEDAW)
        assert not group & (set(UNRELATED) - {paragraph})
    assert _group_of(third, "26.315") == {"26.315"}  # a singleton is no cluster
    assert all(len(c.paragraphs) >= 2 for c in run.clusters)
    assert run.method == "tfidf-0.5"
    assert {c.method for c in Cluster.objects.all()} == {"tfidf-0.5"}
    dp = next(c for c in run.clusters if "26.187" in c.paragraphs)
    assert "death penalty" in dp.label.lower()
    assert len(run.clusters) == 35  # the figure in clusters.py's docstring


def test_rerun_replaces_machine_clusters_and_keeps_manual(third):
    manual = Cluster.objects.create(review=third, label="Ours", method="manual")
    manual.recommendations.set(third.recommendations.filter(paragraph__in=UNRELATED))
    first = clusters.compute_clusters(third)
    run = clusters.compute_clusters(third, threshold=0.6)
    assert run.removed == len(first.clusters)
    assert Cluster.objects.filter(method="manual").get() == manual
    assert manual.recommendations.count() == 3
    assert not Cluster.objects.filter(method="tfidf-0.5").exists()
    assert Cluster.objects.filter(method="tfidf-0.6").count() == len(run.clusters)


def test_a_user_without_the_right_may_not(third):
    from django.core.exceptions import PermissionDenied

    from tests.accounts.factories import make_user

    with pytest.raises(PermissionDenied):
        clusters.compute_clusters(third, actor=make_user("registered"))
    assert not Cluster.objects.exists()


def test_command_json_and_text(third):
    out, err = StringIO(), StringIO()
    call_command(
        "followup", "clusters", "usa", "--cycle", "3", "--format", "json", stdout=out, stderr=err
    )
    payload = json.loads(out.getvalue())
    assert payload["method"] == "tfidf-0.5"
    assert len(payload["clusters"]) == 35
    guantanamo = [c for c in payload["clusters"] if c["paragraphs"] == list(GUANTANAMO)]
    assert guantanamo and guantanamo[0]["size"] == 2
    assert "347 recommendations" in err.getvalue()
    out = StringIO()
    call_command("followup", "clusters", "USA", "--cycle", "3", "--show", stdout=out, stderr=err)
    text = out.getvalue()
    assert "35 clusters" in text and "35 replaced" in text
    assert "    26.176 Close as soon as possible the Guantanamo detention centre" in text


def test_command_errors(third):
    with pytest.raises(CommandError, match="Unknown State"):
        call_command("followup", "clusters", "XXX", "--cycle", "3")
    with pytest.raises(CommandError, match="no recommendations in cycle 2"):
        call_command("followup", "clusters", "USA", "--cycle", "2")
    with pytest.raises(CommandError, match="between 0 and 1"):
        call_command("followup", "clusters", "USA", "--cycle", "3", "--threshold", "1.5")

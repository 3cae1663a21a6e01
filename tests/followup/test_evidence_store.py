"""Stored evidence suggestions: computing them for a review, recomputing (replace semantics,
decisions kept), the command's --store (both databases)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from tests.accounts.factories import make_user
from tests.followup.conftest import add_bundled_documents, add_recommendation
from uprhub.followup import evidence_store
from uprhub.followup.models import EvidenceSuggestion, SuggestionStatus
from uprhub.followup.selectors import EvidenceError


@pytest.fixture
def review_with_documents(usa):
    _state, third, fourth = usa
    add_bundled_documents(fourth)
    add_recommendation(third, "26.176", "Close as soon as possible the Guantanamo detention centre")
    add_recommendation(
        third,
        "26.179",
        "Establish a moratorium on the death penalty and executions at the federal level",
        "Death penalty",
    )
    add_recommendation(third, "26.93", "Establish a national human rights institution")
    return third


def _store(review, **kwargs):
    return evidence_store.compute_and_store(review, use_semantic=False, **kwargs)


def test_stores_limit_per_recommendation_best_first(review_with_documents):
    report = _store(review_with_documents)
    assert report.recommendations == 3
    assert report.written == 15 == EvidenceSuggestion.objects.count()
    assert report.method == "fused-lexical"
    guantanamo = EvidenceSuggestion.objects.filter(recommendation__paragraph="26.176")
    ranks = list(guantanamo.order_by("rank").values_list("rank", "score"))
    assert [r for r, _s in ranks] == [1, 2, 3, 4, 5]
    assert [s for _r, s in ranks] == sorted((s for _r, s in ranks), reverse=True)
    found = {(s.document.symbol, s.paragraph) for s in guantanamo}
    assert ("A/HRC/WG.6/50/USA/2", 28) in found
    first = guantanamo.get(rank=1)
    assert first.quote and first.method == "fused-lexical"
    assert all(s.status == SuggestionStatus.SUGGESTED for s in guantanamo)


def test_recomputing_replaces_undecided_and_keeps_decisions(review_with_documents):
    _store(review_with_documents, limit=3)
    rows = EvidenceSuggestion.objects.filter(recommendation__paragraph="26.176").order_by("rank")
    accepted, rejected, _third = list(rows)
    accepted.status = SuggestionStatus.ACCEPTED
    accepted.save()
    rejected.status = SuggestionStatus.REJECTED
    rejected.save()

    report = _store(review_with_documents, limit=3)

    assert report.kept == 2
    assert report.replaced == 3 * 3 - 2
    accepted.refresh_from_db()
    rejected.refresh_from_db()
    assert accepted.status == SuggestionStatus.ACCEPTED
    assert rejected.status == SuggestionStatus.REJECTED
    new = EvidenceSuggestion.objects.filter(
        recommendation__paragraph="26.176", status=SuggestionStatus.SUGGESTED
    )
    # Three new ones, none of them the decided paragraphs, ranked 1..3 among themselves.
    assert sorted(new.values_list("rank", flat=True)) == [1, 2, 3]
    decided = {
        (accepted.document_id, accepted.paragraph),
        (rejected.document_id, rejected.paragraph),
    }
    assert not decided & {(s.document_id, s.paragraph) for s in new}
    assert EvidenceSuggestion.objects.count() == 3 * 3 + 2


def test_only_the_command_line_and_coordinators(review_with_documents):
    with pytest.raises(PermissionDenied):
        _store(review_with_documents, actor=make_user("member"))
    assert not EvidenceSuggestion.objects.exists()
    _store(review_with_documents, actor=make_user("coordinator"))
    assert EvidenceSuggestion.objects.count() == 15


def test_no_documents_is_a_clear_error(usa):
    _state, third, _fourth = usa
    add_recommendation(third, "26.1", "Ratify the Convention on the Rights of the Child")
    with pytest.raises(EvidenceError, match="No UN document"):
        _store(third)


def test_command_store_prints_progress_and_report(review_with_documents):
    out, err = StringIO(), StringIO()
    call_command(
        "followup", "evidence", "USA", "--cycle", "3", "--store", "--no-semantic",
        "--limit", "2", stdout=out, stderr=err,
    )  # fmt: skip
    report = json.loads(out.getvalue())
    assert report["written"] == 6 and report["recommendations"] == 3
    assert "3 recommendations; 167 paragraphs" in err.getvalue()
    assert "Stored 6 suggestions" in err.getvalue()
    assert EvidenceSuggestion.objects.count() == 6


def test_command_store_refuses_rec(review_with_documents):
    with pytest.raises(CommandError, match="--rec"):
        call_command(
            "followup", "evidence", "USA", "--cycle", "3", "--store", "--rec", "26.93",
            stdout=StringIO(), stderr=StringIO(),
        )  # fmt: skip


def test_a_decision_taken_while_ranking_is_kept(review_with_documents, monkeypatch):
    _store(review_with_documents, limit=3)
    first = EvidenceSuggestion.objects.get(recommendation__paragraph="26.176", rank=1)
    real = evidence_store.evidence.find_evidence

    def ranking_while_someone_accepts(*args, **kwargs):
        found = real(*args, **kwargs)
        EvidenceSuggestion.objects.filter(pk=first.pk).update(status=SuggestionStatus.ACCEPTED)
        return found

    monkeypatch.setattr(evidence_store.evidence, "find_evidence", ranking_while_someone_accepts)
    _store(review_with_documents, limit=3)  # the same paragraph comes first again: no clash

    first.refresh_from_db()
    assert first.status == SuggestionStatus.ACCEPTED
    same = EvidenceSuggestion.objects.filter(
        recommendation=first.recommendation, document=first.document, paragraph=first.paragraph
    )
    assert same.count() == 1
    assert EvidenceSuggestion.objects.filter(recommendation__paragraph="26.176").count() == 3

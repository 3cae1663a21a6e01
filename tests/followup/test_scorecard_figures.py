"""The scorecard's figures on a small hand-made round: exact counts, published only."""

from __future__ import annotations

import pytest
from django.http import Http404

from tests.followup.scorecard_data import (
    forget_scorecards,  # noqa: F401  (a fixture)
    make_card,
    position,
)
from uprhub.followup import scorecard, scorecard_export
from uprhub.followup.models import PositionStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("forget_scorecards")]


def build(card, slug="", compare=""):
    rounds = scorecard.published_rounds(card.review)
    return scorecard.build_scorecard(
        card.review, scorecard.choose_round(rounds, slug), rounds, compare=compare
    )


def counts(line):
    return {bucket: n for bucket, n in line.counts.items() if n}


def test_latest_published_round_is_the_default_and_drafts_count_as_not_assessed():
    card = make_card()
    built = build(card)
    assert built.round.slug == "midterm-2022"
    assert [r.slug for r in built.rounds] == ["midterm-2022", "early-2021"]
    assert (built.total, built.assessed, built.not_assessed) == (6, 4, 2)
    assert [(g.code, g.count) for g in built.grades] == [
        ("A", 1),
        ("B", 1),
        ("C", 1),
        ("D", 0),  # the draft D never counts
        ("E", 1),
    ]
    assert counts(built.by_bucket) == {
        "implemented": 1,
        "partial": 1,
        "not_implemented": 1,
        "contrary": 1,
        "not_assessed": 2,
    }


def test_headline_supported_but_not_implemented():
    built = build(make_card())
    # Supported or in part: 26.1, .2, .3, .5, .6; not implemented or contrary: .1 and .3.
    assert (built.headline.not_implemented, built.headline.supported) == (2, 5)
    assert built.headline.percent == 40
    assert built.headline.not_assessed == 2


def test_by_theme_uses_the_most_used_vocabulary():
    built = build(make_card())
    assert built.vocabulary == "UPR Info issues"
    themes = {line.label: counts(line) for line in built.by_theme}
    assert themes == {
        "Death penalty": {"not_implemented": 1, "not_assessed": 1},
        "Women's rights": {"implemented": 1},
        "No theme": {"contrary": 1, "partial": 1, "not_assessed": 1},
    }


def test_by_recommending_state_regional_group_and_response():
    built = build(make_card())
    assert {line.key: counts(line) for line in built.by_state} == {
        "FRA": {"not_implemented": 1, "implemented": 1},
        "BRA": {"implemented": 1, "partial": 1},
        "KEN": {"contrary": 1, "not_assessed": 1},
    }
    assert {line.key: counts(line) for line in built.by_group} == {
        "WEOG": {"not_implemented": 1, "implemented": 1},
        "GRULAC": {"implemented": 1, "partial": 1},
        "Africa": {"contrary": 1, "not_assessed": 1},
    }
    assert {line.key: counts(line) for line in built.by_response} == {
        "supported": {"not_implemented": 1, "implemented": 1, "not_assessed": 2},
        "supported_in_part": {"contrary": 1},
        "noted": {"partial": 1},
    }


def test_comparison_with_the_round_before():
    built = build(make_card())
    comparison = built.comparison
    assert (comparison.earlier.slug, comparison.later.slug) == ("early-2021", "midterm-2022")
    table = {bucket: (before, after) for bucket, _label, before, after in comparison.buckets}
    assert table["implemented"] == (2, 1)
    assert table["not_implemented"] == (0, 1)
    # 26.3 is only "in review" in the earlier round: not assessed there.
    assert table["not_assessed"] == (4, 2)
    assert [(c.paragraph, c.before, c.after) for c in comparison.changed] == [
        ("26.1", "A – Largely satisfactory", "C – Not satisfactory")
    ]


def test_choosing_an_earlier_round_compares_with_none_before_it():
    built = build(make_card(), slug="early-2021")
    assert built.round.slug == "early-2021"
    assert (built.assessed, built.not_assessed) == (2, 4)
    assert built.comparison is None


def test_evidence_claims_and_disagreement_on_rows():
    built = build(make_card())
    rows = {row.paragraph: row for row in built.rows}
    first = rows["26.1"]
    assert first.evidence[0]["document_symbol"] == "A/HRC/WG.6/50/USA/2"
    assert first.evidence[0]["paragraph"] == 26
    assert first.claims[0]["quote"] == "The State says it is done."
    # Org Two disagrees with the coalition's C on 26.1: both organisations are shown.
    assert [(a["organisation"], a["grade_code"]) for a in first.assessments] == [
        ("Org One", "C"),
        ("Org Two", "A"),
    ]
    # Everyone agrees on 26.2; 26.5 is a draft: nothing shown.
    assert rows["26.2"].assessments == []
    assert rows["26.5"].assessments == [] and rows["26.5"].rationale == ""
    assert rows["26.5"].evidence == [] and not rows["26.5"].assessed


def test_nothing_published_is_a_404():
    card = make_card()
    assert scorecard.choose_round(scorecard.published_rounds(card.review), "midterm-2022")
    with pytest.raises(Http404):
        scorecard.choose_round([], "")
    with pytest.raises(Http404):
        scorecard.choose_round(scorecard.published_rounds(card.review), "no-such-round")
    with pytest.raises(Http404):
        scorecard.review_or_404("USA", 9)


def test_a_round_with_only_drafts_is_not_offered():
    card = make_card()
    round_ = card.round
    round_.pk = None
    round_.slug, round_.name = "drafts-only", "Drafts only"
    round_.save()
    position(round_, card.recs["26.6"], "A", status=PositionStatus.DRAFT)
    assert "drafts-only" not in [r.slug for r in scorecard.published_rounds(card.review)]
    with pytest.raises(Http404):
        build(card, slug="drafts-only")


def test_filter_and_sort_rows():
    built = build(make_card())
    assert [r.paragraph for r in scorecard.filter_rows(built.rows, bucket="not_assessed")] == [
        "26.5",
        "26.6",
    ]
    assert [r.paragraph for r in scorecard.filter_rows(built.rows, theme="Death penalty")] == [
        "26.1",
        "26.5",
    ]
    assert [r.paragraph for r in scorecard.filter_rows(built.rows, response="noted")] == ["26.4"]
    by_grade = [r.paragraph for r in scorecard.filter_rows(built.rows, sort="grade")]
    assert by_grade == ["26.2", "26.4", "26.1", "26.3", "26.5", "26.6"]


def test_json_figures_name_the_round_and_hold_no_draft():
    built = build(make_card())
    data = scorecard_export.to_dict(built)
    assert data["headline"] == {
        "supported_not_implemented": 2,
        "supported": 5,
        "percent": 40,
        "supported_not_yet_assessed": 2,
    }
    assert built.filename("csv") == "USA-cycle3-midterm-2022-scorecard.csv"
    assert "SECRET" not in str(data)

"""Cited recommendations in the customary form: grouped, ranges compressed, States, position."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import (
    CycleFactory,
    RecommendationFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
)
from uprhub.recommendations.models import Position, Recommendation
from uprhub.reports.citations import (
    citation_sentence,
    compress_paragraphs,
    format_citations,
    list_states,
    position_label,
)


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        (["26.178", "26.179", "26.180", "26.181"], "26.178–26.181"),
        (["26.181", "26.179", "26.178", "26.180"], "26.178–26.181"),  # order does not matter
        (["26.178", "26.179"], "26.178 and 26.179"),  # a pair is not a range
        (["26.5"], "26.5"),
        (["26.5", "26.178", "26.179", "26.180", "26.200"], "26.5, 26.178–26.180 and 26.200"),
        (["26.9", "26.10", "26.11"], "26.9–26.11"),  # numeric, not alphabetical
        (["25.9", "26.1", "26.2", "26.3"], "25.9 and 26.1–26.3"),  # no range across paragraphs
        (["26.1", "26.1", "26.2"], "26.1 and 26.2"),  # repeats once
        (["26.1", "A.3"], "26.1 and A.3"),  # odd numbers are kept, after the others
        ([], ""),
    ],
)
def test_compress_paragraphs(numbers, expected):
    assert compress_paragraphs(numbers) == expected


def test_list_states():
    assert list_states(["Switzerland"]) == "Switzerland"
    assert list_states(["Switzerland", "Morocco", "Kenya"]) == "Switzerland, Morocco, Kenya"
    assert list_states(["Switzerland", "Morocco", "Kenya", "Chile"]) == (
        "Switzerland, Morocco, Kenya …"
    )
    assert list_states(["Switzerland", "Morocco", "Kenya"], limit=2) == "Switzerland, Morocco …"


def test_position_labels():
    assert position_label(Position.SUPPORTED_IN_PART) == "supported in part"
    assert position_label(Position.OTHER, "Rejected") == "rejected"
    assert position_label(Position.PENDING) == "no response yet"


@pytest.fixture
def us_2020(db):
    states = {
        code: StateFactory(code=code, short_name=name, un_name=name)
        for code, name in [
            ("CHE", "Switzerland"),
            ("MAR", "Morocco"),
            ("KEN", "Kenya"),
            ("CHL", "Chile"),
            ("FRA", "France"),
        ]
    }
    usa = StateFactory(code="USA", short_name="United States", un_name="United States")
    review = ReviewFactory(
        state=usa,
        session=SessionFactory(number=36),
        wg_report_symbol="A/HRC/46/15",
        responses_symbol="A/HRC/46/15/Add.1",
        review_date=date(2020, 11, 9),
    )
    old = ReviewFactory(
        state=usa,
        session=SessionFactory(number=22, cycle=CycleFactory(number=2)),
        wg_report_symbol="A/HRC/30/12",
    )

    def make(number, position, recommenders, on=review):
        return RecommendationFactory(
            review=on,
            paragraph=number,
            position=position,
            recommenders=[states[c] for c in recommenders],
        )

    return {
        "range": [
            make("26.178", Position.SUPPORTED, ["CHE"]),
            make("26.179", Position.SUPPORTED, ["MAR"]),
            make("26.180", Position.SUPPORTED, ["KEN", "CHE"]),
            make("26.181", Position.SUPPORTED, ["CHL"]),
        ],
        "in_part": make("26.200", Position.SUPPORTED_IN_PART, ["FRA"]),
        "noted": make("26.300", Position.NOTED, ["KEN"]),
        "old": make("176.1", Position.NOTED, ["FRA"], on=old),
    }


def loaded(recs):
    return list(Recommendation.objects.with_details().filter(pk__in=[r.pk for r in recs]))


def test_the_customary_form(us_2020):
    cited = format_citations(loaded(us_2020["range"]))
    assert cited.text == (
        "recommendations 26.178–26.181 (Switzerland, Morocco, Kenya …), supported"
    )
    assert cited.sources == [
        "Report of the Working Group on the Universal Periodic Review, A/HRC/46/15; views of "
        "the State under review, A/HRC/46/15/Add.1."
    ]


def test_grouped_by_position_supported_first(us_2020):
    recs = [us_2020["noted"], us_2020["in_part"], *us_2020["range"][:1]]
    cited = format_citations(loaded(recs))
    assert cited.text == (
        "recommendation 26.178 (Switzerland), supported; "
        "recommendation 26.200 (France), supported in part; "
        "recommendation 26.300 (Kenya), noted"
    )


def test_several_reviews_say_which(us_2020):
    cited = format_citations(loaded([us_2020["old"], us_2020["noted"]]))
    assert cited.text == (
        "UPR 22 review (cycle 2): recommendation 176.1 (France), noted; "
        "2020 review (cycle 3): recommendation 26.300 (Kenya), noted"
    )
    assert cited.sources[0] == (
        "Report of the Working Group on the Universal Periodic Review, A/HRC/30/12."
    )
    assert len(cited.sources) == 2


def test_sentence_is_capitalised(us_2020):
    sentence = citation_sentence(loaded(us_2020["range"][:2]))
    assert sentence.text == "Recommendations 26.178 and 26.179 (Switzerland, Morocco), supported."
    assert citation_sentence([]) is None


def test_in_another_language(us_2020):
    from django.utils import translation

    with translation.override("fr"):
        cited = format_citations(loaded(us_2020["range"]))
    assert "26.178–26.181" in cited.text  # whatever the catalogue says, the numbers stay


def test_formatting_runs_no_query(us_2020, django_assert_num_queries):
    recs = loaded([*us_2020["range"], us_2020["old"], us_2020["noted"]])
    with django_assert_num_queries(0):
        format_citations(recs)

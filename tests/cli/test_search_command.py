"""`uprhub search`: formats, filters and errors, through the real command."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.factories import (
    RecommendationFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    usa = StateFactory(code="USA", short_name="United States")
    mex = StateFactory(code="MEX", short_name="Mexico", regional_group="GRULAC")
    review = ReviewFactory(state=usa, session=SessionFactory(number=22, cycle__number=2))
    torture = ThemeFactory(name="Torture and other CID treatment")
    one = RecommendationFactory(
        review=review,
        text="Close the detention facility and end torture",
        recommenders=[mex],
        themes=[torture],
        position="noted",
        paragraph="176.1",
    )
    two = RecommendationFactory(
        review=review, text="Continue efforts against racial discrimination", position="supported"
    )
    return one, two


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("search", *args, stdout=out)
    return out.getvalue()


def test_json_output_has_the_documented_shape(data):
    body = json.loads(run("torture", "--state", "usa", "--format", "json"))
    assert body["total"] == 1
    result = body["results"][0]
    assert result["id"] == data[0].pk
    assert result["state"] == "USA"
    assert result["recommending_states"][0]["code"] == "MEX"
    assert result["position"] == "noted"
    assert (result["cycle"], result["session"], result["paragraph"]) == (2, 22, "176.1")
    assert result["themes"][0]["name"] == "Torture and other CID treatment"
    assert "action_category" in result
    assert "state" in body["facets"]


def test_position_and_theme_filters(data):
    body = json.loads(run("--position", "supported", "--format", "json"))
    assert [r["id"] for r in body["results"]] == [data[1].pk]
    body = json.loads(run("--theme", "torture and other cid treatment", "--format", "json"))
    assert [r["id"] for r in body["results"]] == [data[0].pk]


def test_csv_and_table_output(data):
    rows = list(csv.DictReader(io.StringIO(run("--limit", "5", "--format", "csv"))))
    assert len(rows) == 2 and rows[0]["text"]
    table = run("discrimination")
    assert "1 recommendations match" in table or "1 recommendation" in table
    assert "Continue efforts against racial discrimination" in table


def test_unknown_theme_and_bad_limit_are_clear_errors(data):
    with pytest.raises(CommandError, match="No theme"):
        run("--theme", "Nonexistent")
    with pytest.raises(CommandError, match="--limit"):
        run("--limit", "0")

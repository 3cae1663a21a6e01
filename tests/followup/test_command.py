"""`uprhub followup evidence`: its JSON, its errors (both databases)."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.followup.conftest import add_bundled_documents, add_recommendation


def _run(*args: str) -> tuple[dict, str]:
    out, err = StringIO(), StringIO()
    call_command("followup", "evidence", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


@pytest.fixture
def usa_with_documents(usa):
    state, third, fourth = usa
    add_bundled_documents(fourth)
    add_recommendation(third, "26.176", "Close as soon as possible the Guantanamo detention centre")
    add_recommendation(
        third,
        "26.179",
        "Establish a moratorium on the death penalty and executions at the federal level",
        "Death penalty",
    )
    add_recommendation(third, "26.93", "Establish a national human rights institution")
    return usa


def test_json_shape_best_first(usa_with_documents):
    payload, err = _run("USA", "--cycle", "3", "--format", "json", "--no-semantic")
    assert list(payload) == ["results"]
    assert [r["recommendation"] for r in payload["results"]] == ["26.93", "26.176", "26.179"]
    for result in payload["results"]:
        assert list(result) == ["recommendation", "evidence"]
        assert len(result["evidence"]) == 5
        scores = [e["score"] for e in result["evidence"]]
        assert scores == sorted(scores, reverse=True)
        for item in result["evidence"]:
            assert list(item) == ["document", "paragraph", "score", "quote"]
            assert item["document"] in {"A/HRC/WG.6/50/USA/2", "A/HRC/WG.6/50/USA/3"}
            assert isinstance(item["paragraph"], int)
            assert 0 <= item["score"] <= 1
            assert item["quote"]
    assert "3 recommendations; 167 paragraphs" in err  # progress on stderr; Background left out


def test_one_recommendation_with_a_limit(usa_with_documents):
    payload, _err = _run("USA", "--cycle", "3", "--rec", "26.176", "--limit", "3", "--no-semantic")
    (result,) = payload["results"]
    assert result["recommendation"] == "26.176"
    assert len(result["evidence"]) == 3
    found = {(e["document"], e["paragraph"]) for e in result["evidence"]}
    assert {("A/HRC/WG.6/50/USA/2", 28), ("A/HRC/WG.6/50/USA/3", 28)} <= found
    assert "Guantanamo" in result["evidence"][0]["quote"]


def test_quiet_run_writes_nothing_on_stderr(usa_with_documents):
    out, err = StringIO(), StringIO()
    call_command(
        "followup",
        "evidence",
        "USA",
        "--cycle",
        "3",
        "--no-semantic",
        verbosity=0,
        stdout=out,
        stderr=err,
    )
    assert err.getvalue() == ""
    assert len(json.loads(out.getvalue())["results"]) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("XYZ", "--cycle", "3"), "Unknown State: XYZ"),
        (("USA", "--cycle", "2"), "has no recommendations in cycle 2"),
        (("USA", "--cycle", "3", "--rec", "26.999"), "No recommendation 26.999"),
        (("USA", "--cycle", "3", "--limit", "0"), "--limit must be at least 1"),
    ],
)
def test_errors(usa_with_documents, args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args, "--no-semantic")


def test_no_next_cycle_documents(usa):
    _state, third, _fourth = usa
    add_recommendation(third, "26.1", "Consider ratifying all remaining human rights conventions")
    with pytest.raises(CommandError, match="No UN document of United States's review in cycle 4"):
        _run("USA", "--cycle", "3")


def test_unknown_subcommand_and_missing_cycle(usa):
    with pytest.raises(CommandError):
        call_command("followup", "scorecard", "USA")
    with pytest.raises(CommandError):
        call_command("followup", "evidence", "USA")


def test_semantic_method_without_the_encoder_is_a_clear_error(usa_with_documents):
    with pytest.raises(CommandError, match="needs the semantic extra"):
        _run("USA", "--cycle", "3", "--method", "semantic", "--no-semantic")


def test_text_format(usa_with_documents):
    out = StringIO()
    call_command(
        "followup",
        "evidence",
        "USA",
        "--cycle",
        "3",
        "--rec",
        "26.176",
        "--limit",
        "1",
        "--format",
        "text",
        "--no-semantic",
        verbosity=0,
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == "26.176"
    assert re.fullmatch(
        r"  A/HRC/WG\.6/50/USA/[23] para\. \d+ \(0\.\d\d\): .*Guantanamo.*", lines[1]
    )

"""`uprhub calendar deadlines ISO3 [--format json] [--all]` and `uprhub calendar load`."""

from __future__ import annotations

import json
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from uprhub.calendar.models import DeadlineKind as K
from uprhub.reviews.models import Review, State

from .factories import DeadlineFactory, load_reference_rows, plain_user, utc

pytestmark = pytest.mark.django_db
GENEVA = ZoneInfo("Europe/Zurich")


def _run(*args: str) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


@time_machine.travel(utc(2026, 6, 20, 10), tick=False)
def test_json_lists_upcoming_deadlines_with_offsets(world) -> None:
    DeadlineFactory(
        session=world.s54,
        due=datetime(2026, 6, 30, 23, 59, tzinfo=GENEVA),
        source_note="OHCHR UPR 54 page",
    )
    payload = json.loads(_run("deadlines", "hti", "--format", "json"))
    assert payload["state"] == "HTI"
    first = payload["deadlines"][0]
    assert first == {
        "kind": "stakeholder_submission",
        "label": "Stakeholder submissions due",
        "due": "2026-06-30T23:59:00+02:00",
        "all_day": False,
        "time_zone": "Europe/Zurich",
        "estimated": False,
        "cancelled": False,
        "source_note": "OHCHR UPR 54 page",
        "session": 54,
        "days_left": 10,
    }
    kinds = [d["kind"] for d in payload["deadlines"]]
    assert kinds[:3] == [K.STAKEHOLDER_SUBMISSION, K.NATIONAL_REPORT, K.REVIEW]
    national = payload["deadlines"][1]
    assert national["estimated"] is True and national["source_note"].startswith("Estimated")
    assert all(d["days_left"] >= 0 for d in payload["deadlines"])


@time_machine.travel(utc(2026, 11, 26, 12), tick=False)
def test_all_includes_past_deadlines(world) -> None:
    upcoming = json.loads(_run("deadlines", "USA", "--format", "json"))["deadlines"]
    everything = json.loads(_run("deadlines", "USA", "--format", "json", "--all"))["deadlines"]
    assert all(d["days_left"] >= 0 for d in upcoming)
    assert any(d["days_left"] < 0 for d in everything)
    # 7 kinds × 3 reviews: 50, 53 and the estimated review of the next cycle (UPR 64).
    assert len(everything) == 21 > len(upcoming)
    assert {d["session"] for d in everything} == {50, 53, 64}


@time_machine.travel(utc(2026, 6, 20, 10), tick=False)
def test_table_output(world) -> None:
    text = _run("deadlines", "HTI")
    assert text.startswith("Deadlines for Haiti (HTI)")
    assert "2026-06-25 23:59 CEST" in text and "[estimated]" in text


def test_unknown_state_is_a_command_error(db) -> None:
    with pytest.raises(CommandError, match="No State has the code XXX"):
        _run("deadlines", "XXX")


def test_load_subcommand(db) -> None:
    load_reference_rows()
    assert "16 deadlines created" in _run("load")
    assert "0 deadlines created" in _run("load")


def test_load_prints_a_kept_left_over_review_on_stderr(db) -> None:
    load_reference_rows()
    _run("load")
    left_over = Review.objects.create(state=State.objects.get(code="SDN"), session_id=39)
    DeadlineFactory(review=left_over, due=utc(2021, 8, 1, 10), updated_by=plain_user())
    out, err = StringIO(), StringIO()
    call_command("calendar", "load", stdout=out, stderr=err)
    assert "1 warnings" in out.getvalue()
    assert "SDN is listed at sessions 39 and 40" in err.getvalue()

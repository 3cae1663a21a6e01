"""Calendar permissions × roles: storing and correcting deadlines, loading the bundled calendar.

Fails on the code before the one vocabulary: `set_deadline` and `update_deadline` trusted the
view, so any account (or an anonymous visitor's request object) could store a deadline by
calling them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.calendar.factories import DeadlineFactory, review, session, utc
from uprhub.calendar import services
from uprhub.calendar.loader import load_calendar
from uprhub.calendar.models import Deadline, DeadlineChange, DeadlineKind

from .grid import ALLOW, ROLES, actor, check_cell, row

pytestmark = pytest.mark.django_db

DEADLINE_EDITORS = {"system", "coordinator", "admin"}

VALUES = services.DeadlineValues(due=utc(2026, 7, 21, 22), source_note="OHCHR session page")


@pytest.fixture
def usa():
    return review("USA", session(53, date(2026, 11, 2), date(2026, 11, 13)), name="United States")


def _audit() -> tuple[int, int, list]:
    return (
        Deadline.objects.count(),
        DeadlineChange.objects.count(),
        list(Deadline.objects.values_list("due", "version")),
    )


@pytest.mark.parametrize("role", ROLES)
def test_set_deadline(role, usa):
    who = actor(role)
    check_cell(
        who=who,
        perm="calendar.set_deadline",
        obj=usa,
        expected=row(DEADLINE_EDITORS)[role],
        call=lambda: services.set_deadline(
            actor=who, kind=DeadlineKind.STAKEHOLDER_SUBMISSION, values=VALUES, review=usa
        ),
        snapshot=_audit,
    )


@pytest.mark.parametrize("role", ROLES)
def test_update_deadline(role, usa):
    stored = DeadlineFactory(review=usa, due=utc(2026, 7, 14, 22))
    who = actor(role)
    check_cell(
        who=who,
        perm="calendar.set_deadline",
        obj=stored,
        expected=row(DEADLINE_EDITORS)[role],
        call=lambda: services.update_deadline(
            stored, actor=who, values=VALUES, expected_version=stored.version
        ),
        snapshot=_audit,
    )


@pytest.mark.parametrize("role", ROLES)
def test_load_bundled_calendar(role, tmp_path: Path):
    """Loading is the operator's (command line) or an admin's; an empty file writes nothing,
    so only the refusal is checked here (tests/calendar/test_loader.py covers the loading)."""
    empty = tmp_path / "empty.csv"
    empty.write_text("# nothing\n", encoding="utf-8")
    who = actor(role)
    expected = row({"system", "admin"})[role]
    check_cell(
        who=who,
        perm="calendar.load",
        obj=None,
        expected=expected,
        call=lambda: (load_calendar(empty, empty, actor=who), _audit())[0],
        snapshot=(lambda: None) if expected == ALLOW else _audit,
        allow_no_change=True,
    )


def test_a_coordinator_given_the_model_permission_by_hand_may_edit(usa):
    """The admin site's `uprcalendar.change_deadline` counts as before (tests/calendar)."""
    from tests.calendar.factories import coordinator

    who = coordinator("by-hand")
    deadline = services.set_deadline(
        actor=who, kind=DeadlineKind.STAKEHOLDER_SUBMISSION, values=VALUES, review=usa
    )
    assert deadline.updated_by == who

"""The bundled calendar: which States each session reviews, known deadlines, idempotent loads."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from uprhub.calendar.loader import SESSION_STATES_CSV, load_calendar
from uprhub.calendar.models import Deadline
from uprhub.calendar.models import DeadlineKind as K
from uprhub.reviews.models import Review, State

from .factories import DeadlineFactory, load_reference_rows, plain_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    load_reference_rows()
    return load_calendar()


def test_bundled_files_load_without_errors(loaded) -> None:
    assert loaded.errors == []
    assert loaded.reviews_created > 380
    assert loaded.deadlines_created == 16


def test_every_member_state_once_per_cycle_3_and_4(loaded) -> None:
    for first, last in ((27, 40), (41, 54)):
        codes = Counter(
            Review.objects.filter(session__number__range=(first, last))
            .exclude(session__number=53, state__code="USA")  # the rescheduled review
            .values_list("state__code", flat=True)
        )
        assert len(codes) == 193
        assert set(codes.values()) == {1}


def test_sessions_review_about_fourteen_states(loaded) -> None:
    per_session = Counter(
        Review.objects.filter(session__number__gte=27).values_list("session_id", flat=True)
    )
    assert set(range(27, 55)) == set(per_session)
    assert all(11 <= n <= 15 for n in per_session.values())


def test_all_us_reviews_including_the_provisional_reschedule(loaded) -> None:
    us = {r.session_id: r for r in Review.objects.filter(state__code="USA")}
    assert set(us) == {9, 22, 36, 50, 53}
    assert us[36].review_date == date(2020, 11, 9)
    assert "PROVISIONAL" in us[53].note
    assert us[53].national_report_symbol == "A/HRC/WG.6/53/USA/1"


def test_a_postponed_review_keeps_its_documents_session_number(loaded) -> None:
    sudan = Review.objects.get(state__code="SDN", session__number__range=(27, 40))
    assert sudan.session_id == 40
    assert sudan.national_report_symbol == "A/HRC/WG.6/39/SDN/1"
    assert sudan.stakeholder_summary_symbol == "A/HRC/WG.6/39/SDN/3"
    assert Review.objects.get(state__code="TGO", session=40).national_report_symbol == (
        "A/HRC/WG.6/40/TGO/1"
    )


def test_known_deadlines_are_stored_in_geneva_time(loaded) -> None:
    upr47 = Deadline.objects.get(session_id=47, kind=K.STAKEHOLDER_SUBMISSION)
    assert upr47.due == datetime(2024, 4, 8, 21, 59, tzinfo=UTC)  # 23:59 CEST
    assert not upr47.is_estimated and "8 April 2024" in upr47.source_note
    adoption = Deadline.objects.get(review__state__code="USA", review__session_id=9)
    assert adoption.kind == K.HRC_ADOPTION and adoption.all_day
    assert adoption.due == datetime(2011, 3, 17, 23, 0, tzinfo=UTC)  # midnight CET
    assert Deadline.objects.filter(review__session_id=50, cancelled=True).count() == 6


def test_loading_twice_changes_nothing(loaded) -> None:
    again = load_calendar()
    assert (again.reviews_created, again.deadlines_created, again.deadlines_updated) == (0, 0, 0)


def test_a_coordinators_edit_survives_a_reload_but_a_bundled_row_is_refreshed(
    loaded, tmp_path: Path
) -> None:
    edited = Deadline.objects.get(session_id=41, kind=K.STAKEHOLDER_SUBMISSION)
    edited.due = datetime(2022, 4, 2, 21, 59, tzinfo=UTC)
    edited.updated_by = plain_user()
    edited.save()
    newer = tmp_path / "deadlines.csv"
    newer.write_text(
        "session,iso3,kind,due,time_zone,is_estimated,cancelled,source_note\n"
        "41,,stakeholder_submission,2022-03-30T23:59,Europe/Zurich,0,0,newer\n"
        "42,,stakeholder_submission,2022-07-15T23:59,Europe/Zurich,0,0,newer\n",
        encoding="utf-8",
    )
    summary = load_calendar(deadlines=newer)
    assert summary.deadlines_updated == 1
    edited.refresh_from_db()
    assert edited.due == datetime(2022, 4, 2, 21, 59, tzinfo=UTC)
    refreshed = Deadline.objects.get(session_id=42, kind=K.STAKEHOLDER_SUBMISSION)
    assert refreshed.due == datetime(2022, 7, 15, 21, 59, tzinfo=UTC)
    assert refreshed.version == 2


def test_bad_lines_are_reported_with_their_line_numbers_and_skipped(db, tmp_path: Path) -> None:
    load_reference_rows()
    states = tmp_path / "states.csv"
    states.write_text(
        "# comment\nsession,iso3,review_date,note,symbols_session\n"
        "54,HTI,,\n"
        "54,XYZ,,\n"
        "99,FRA,,\n"
        "54,ISL,2027-02-31,\n"
        "54,FRA,,,99\n",
        encoding="utf-8",
    )
    deadlines = tmp_path / "deadlines.csv"
    deadlines.write_text(
        "session,iso3,kind,due,time_zone,is_estimated,cancelled,source_note\n"
        "54,,party,2026-06-01,Europe/Zurich,0,0,x\n"
        "54,,stakeholder_submission,2026-06-01T23:59,Mars/Olympus,0,0,x\n"
        "54,,stakeholder_submission,,Europe/Zurich,0,0,x\n"
        "54,FRA,review,2027-01-26,Europe/Zurich,0,0,x\n"
        "54,HTI,review,2027-01-26,Europe/Zurich,0,0,OHCHR\n",
        encoding="utf-8",
    )
    summary = load_calendar(session_states=states, deadlines=deadlines)
    assert summary.reviews_created == 1
    assert summary.deadlines_created == 1
    assert [e.split(":")[0] for e in summary.errors] == [
        "states.csv line 4",
        "states.csv line 5",
        "states.csv line 6",
        "states.csv line 7",
        "deadlines.csv line 2",
        "deadlines.csv line 3",
        "deadlines.csv line 4",
        "deadlines.csv line 5",
    ]
    assert "XYZ" in summary.errors[0]
    assert "lines skipped" in str(summary)


def _where_an_earlier_list_put(code: str, session: int, **values) -> Review:
    """A review as an earlier release's loader made it, at the session first planned."""
    return Review.objects.create(state=State.objects.get(code=code), session_id=session, **values)


def _bundled_line(prefix: str) -> int:
    lines = SESSION_STATES_CSV.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(prefix))


def test_a_review_an_earlier_list_placed_at_its_planned_session_is_moved(db) -> None:
    load_reference_rows()
    sudan = _where_an_earlier_list_put("SDN", 39, review_date=date(2021, 11, 3))
    ukraine = _where_an_earlier_list_put("UKR", 42, compilation_symbol="A/HRC/WG.6/42/UKR/2/Rev.1")
    assert sudan.national_report_symbol == "A/HRC/WG.6/39/SDN/1"
    assert ukraine.national_report_symbol == "A/HRC/WG.6/42/UKR/1"
    followed = DeadlineFactory(review=ukraine, kind=K.STAKEHOLDER_SUBMISSION, due=datetime.now(UTC))

    summary = load_calendar()

    assert summary.errors == [] and summary.warnings == []
    assert (summary.reviews_moved, summary.reviews_removed) == (2, 0)
    assert "2 reviews moved" in str(summary)
    assert not Review.objects.filter(state__code="SDN", session_id=39).exists()
    assert not Review.objects.filter(state__code="UKR", session_id=42).exists()
    sudan.refresh_from_db()
    assert sudan.session_id == 40
    assert sudan.national_report_symbol == "A/HRC/WG.6/39/SDN/1"  # its documents' session
    assert sudan.review_date is None  # the planned session's day no longer holds
    assert "Postponed" in sudan.note
    ukraine.refresh_from_db()
    assert ukraine.session_id == 54
    assert ukraine.national_report_symbol == "A/HRC/WG.6/54/UKR/1"
    assert ukraine.compilation_symbol == "A/HRC/WG.6/42/UKR/2/Rev.1"  # typed in: kept
    followed.refresh_from_db()
    assert followed.review_id == ukraine.pk

    again = load_calendar()
    assert (again.reviews_created, again.reviews_moved, again.reviews_removed) == (0, 0, 0)


def test_a_left_over_planned_row_is_removed_unless_it_has_data_of_its_own(loaded) -> None:
    bare = _where_an_earlier_list_put("SDN", 39)
    DeadlineFactory(review=bare, due=datetime.now(UTC))  # bundled: nobody edited it
    kept = _where_an_earlier_list_put("UKR", 42)
    DeadlineFactory(review=kept, due=datetime.now(UTC), updated_by=plain_user())

    summary = load_calendar()

    assert (summary.reviews_moved, summary.reviews_removed) == (0, 1)
    assert not Review.objects.filter(pk=bare.pk).exists()
    assert not Deadline.objects.filter(review_id=bare.pk).exists()
    assert Review.objects.filter(pk=kept.pk).exists()
    assert Review.objects.filter(state__code="UKR", session_id=54).exists()
    assert summary.errors == []
    [warning] = summary.warnings
    assert warning.startswith(f"session_states.csv line {_bundled_line('54,UKR,')}: UKR")
    assert "1 warnings (first: session_states.csv line" in str(summary)


def test_an_unknown_planned_session_is_a_line_error(db, tmp_path: Path) -> None:
    load_reference_rows()
    states = tmp_path / "states.csv"
    states.write_text(
        "session,iso3,review_date,note,symbols_session,planned_session\n54,FRA,,,,99\n",
        encoding="utf-8",
    )
    deadlines = tmp_path / "deadlines.csv"
    deadlines.write_text("session,iso3,kind,due\n", encoding="utf-8")
    summary = load_calendar(session_states=states, deadlines=deadlines)
    assert summary.errors == ["states.csv line 2: unknown session '99'"]

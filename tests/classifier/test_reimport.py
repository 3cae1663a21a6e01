"""Re-importing a file after members decided on suggestions: the counts say what changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from uprhub.classifier import services
from uprhub.recommendations.importers.reference import load_reference_data
from uprhub.recommendations.importers.uprinfo import import_uprinfo
from uprhub.recommendations.models import (
    Label,
    Recommendation,
    Source,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
)

from .fixtures import write_uprinfo_csv
from .test_services import make_user

pytestmark = pytest.mark.django_db

ROWS = [
    ("Norway", "Abolish the death penalty", "5", "Death penalty"),  # fully labelled
    ("Norway", "Continue its efforts to combat trafficking in persons", "", ""),  # nothing
    ("Norway", "Ratify the Convention against Torture", "", "Torture and other CID treatment"),
]
BARE = ROWS[1][1]


@pytest.fixture
def reference(db) -> None:
    load_reference_data()


@pytest.fixture
def imported(shared_model, reference, tmp_path: Path) -> Path:
    path = write_uprinfo_csv(tmp_path / "u.csv", ROWS)
    import_uprinfo(path)
    return path


def _bare() -> Recommendation:
    return Recommendation.objects.get(text=BARE)


def _accept_action() -> Suggestion:
    action = Suggestion.objects.get(recommendation=_bare(), kind=SuggestionKind.ACTION)
    return services.accept(action, actor=make_user("member"))


def _counts(summary) -> tuple[int, int, int]:
    return summary.created, summary.updated, summary.unchanged


def test_reimport_of_an_identical_file_updates_nothing(imported: Path):
    summary = import_uprinfo(imported)
    assert _counts(summary) == (0, 0, 3)
    assert not summary.changed


def test_reimport_after_an_accepted_action_counts_it_unchanged(imported: Path):
    accepted = _accept_action()
    before = _bare()
    source_summary = Source.objects.get().summary

    summary = import_uprinfo(imported)

    assert _counts(summary) == (0, 0, 3)
    assert not summary.changed
    after = _bare()
    assert after.action_category == accepted.action_category
    assert after.updated_at == before.updated_at  # nothing was written over it
    assert Source.objects.get().summary == source_summary  # a no-op leaves the record alone
    accepted.refresh_from_db()
    assert accepted.status == SuggestionStatus.ACCEPTED
    assert accepted.decided_by is not None and accepted.decided_at is not None


def test_dry_run_reimport_after_an_accepted_action_counts_it_unchanged(imported: Path):
    accepted = _accept_action()
    summary = import_uprinfo(imported, dry_run=True)
    assert _counts(summary) == (0, 0, 3)
    assert _bare().action_category == accepted.action_category


def test_accepted_action_is_kept_even_when_the_import_makes_no_suggestions(
    imported: Path, settings
):
    # The import hook used to be what put the category back; without it the label was lost.
    accepted = _accept_action()
    settings.UPRHUB_SUGGEST_ON_IMPORT = False
    summary = import_uprinfo(imported)
    assert _counts(summary) == (0, 0, 3)
    assert _bare().action_category == accepted.action_category


def test_a_real_change_is_still_counted_and_keeps_the_accepted_action(imported: Path):
    accepted = _accept_action()
    rows = [*ROWS[:1], (ROWS[1][0], BARE, "", "Trafficking"), *ROWS[2:]]
    summary = import_uprinfo(write_uprinfo_csv(imported, rows))
    assert _counts(summary) == (0, 1, 2)
    assert _bare().action_category == accepted.action_category


def test_an_action_in_the_file_still_wins(imported: Path):
    accepted = _accept_action()
    other = 5 if accepted.action_category != 5 else 4
    rows = [*ROWS[:1], (ROWS[1][0], BARE, str(other), ""), *ROWS[2:]]
    summary = import_uprinfo(write_uprinfo_csv(imported, rows))
    assert _counts(summary) == (0, 1, 2)
    assert _bare().action_category == other


def test_reimport_after_accepted_issue_and_rejected_suggestions_updates_nothing(imported: Path):
    member = make_user("member")
    bare = _bare()
    issue = Suggestion.objects.filter(recommendation=bare, kind=SuggestionKind.ISSUE).first()
    services.accept(issue, actor=member)
    action = Suggestion.objects.get(recommendation=bare, kind=SuggestionKind.ACTION)
    services.reject(action, actor=member)

    summary = import_uprinfo(imported)

    assert _counts(summary) == (0, 0, 3)
    assert Label.objects.filter(recommendation=bare, entered_by=member).count() == 1
    assert _bare().action_category is None

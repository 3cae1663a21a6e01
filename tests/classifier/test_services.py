"""Suggestions: made only where labels are missing, never over a label, accepted or rejected."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from tests.accounts.factories import make_user as _make_user
from tests.factories import RecommendationFactory, ThemeFactory, VocabularyFactory
from uprhub.classifier import services
from uprhub.recommendations.importers.reference import load_reference_data
from uprhub.recommendations.importers.uprinfo import import_uprinfo
from uprhub.recommendations.models import (
    Label,
    Recommendation,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
)
from uprhub.search.index import current_version

from .fixtures import DP, write_uprinfo_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def issues_vocabulary():
    return VocabularyFactory(slug="uprinfo-issues", name="UPR Info issues")


def make_user(role: str):
    """An account in ``role``, read back so its profile (and so its role) is current."""
    user = _make_user(role)
    return type(user).objects.get(pk=user.pk)


def _rec(text: str, *, action: int | None = None, themes=()) -> Recommendation:
    return RecommendationFactory(text=text, action_category=action, themes=list(themes))


def _suggestions(rec: Recommendation, kind: str | None = None) -> list[Suggestion]:
    found = Suggestion.objects.filter(recommendation=rec).select_related("theme")
    if kind:
        found = found.filter(kind=kind)
    return list(found)


def test_suggestions_fill_only_the_missing_kinds(shared_model, issues_vocabulary):
    dp = ThemeFactory(vocabulary=issues_vocabulary, name=DP)
    bare = _rec("Abolish the death penalty")
    has_issue = _rec("Abolish the death penalty for all crimes", themes=[dp])
    has_action = _rec("Continue its efforts to combat trafficking in persons", action=4)
    complete = _rec("Commute all death sentences", action=5, themes=[dp])

    result = services.suggest_for([r.pk for r in (bare, has_issue, has_action, complete)])

    assert [s.theme.name for s in _suggestions(bare, "issue")] == [DP]
    assert [s.action_category for s in _suggestions(bare, "action")] == [5]
    assert _suggestions(has_issue, "issue") == []
    assert [s.action_category for s in _suggestions(has_issue, "action")] == [5]
    assert _suggestions(has_action, "action") == []
    assert {s.theme.name for s in _suggestions(has_action, "issue")} == {"Trafficking"}
    assert _suggestions(complete) == []
    # nothing was written to the labels themselves
    assert Label.objects.filter(recommendation=bare).count() == 0
    assert Recommendation.objects.get(pk=bare.pk).action_category is None
    assert (
        has_action.action_category == Recommendation.objects.get(pk=has_action.pk).action_category
    )
    s = _suggestions(bare, "action")[0]
    assert s.status == SuggestionStatus.PENDING and 0 < s.score <= 1
    assert s.model_version == shared_model.version
    assert result.issues_added == 2 and result.actions_added == 2


def test_a_label_from_another_vocabulary_does_not_count_as_an_issue(shared_model):
    ohchr = ThemeFactory(vocabulary=VocabularyFactory(slug="ohchr-themes-cycle3"), name="Life")
    rec = _rec("Abolish the death penalty", action=5, themes=[ohchr])
    services.suggest_for([rec.pk])
    assert [s.theme.name for s in _suggestions(rec, "issue")] == [DP]
    assert _suggestions(rec, "issue")[0].theme.vocabulary.slug == "uprinfo-issues"


def test_suggesting_again_is_idempotent_and_keeps_ids(shared_model, issues_vocabulary):
    rec = _rec("Abolish the death penalty")
    services.suggest_for([rec.pk])
    before = {s.pk for s in _suggestions(rec)}
    again = services.suggest_for([rec.pk])
    assert {s.pk for s in _suggestions(rec)} == before
    assert not again.changed


def test_a_human_label_is_never_replaced_by_a_suggestion(shared_model, issues_vocabulary):
    person = make_user("member")
    other = ThemeFactory(vocabulary=issues_vocabulary, name="Justice")
    rec = _rec("Abolish the death penalty", action=4)
    Label.objects.create(recommendation=rec, theme=other, entered_by=person)
    services.suggest_for([rec.pk])
    rec.refresh_from_db()
    assert rec.action_category == 4
    assert [(label.theme.name, label.entered_by) for label in rec.labels.all()] == [
        ("Justice", person)
    ]
    assert _suggestions(rec) == []


def test_pending_suggestions_go_when_a_label_arrives(shared_model, issues_vocabulary):
    rec = _rec("Abolish the death penalty")
    services.suggest_for([rec.pk])
    assert len(_suggestions(rec)) == 2
    Label.objects.create(recommendation=rec, theme=ThemeFactory(vocabulary=issues_vocabulary))
    Recommendation.objects.filter(pk=rec.pk).update(action_category=3)
    result = services.suggest_for([rec.pk])
    assert _suggestions(rec) == []
    assert result.removed == 2


def test_accepting_an_issue_makes_a_label_entered_by_the_member(shared_model, issues_vocabulary):
    member = make_user("member")
    rec = _rec("Abolish the death penalty")
    services.suggest_for([rec.pk])
    issue = _suggestions(rec, "issue")[0]
    services.accept(issue, actor=member)
    issue.refresh_from_db()
    assert issue.status == SuggestionStatus.ACCEPTED
    assert issue.decided_by == member and issue.decided_at is not None
    label = Label.objects.get(recommendation=rec)
    assert (label.theme_id, label.entered_by, label.source) == (issue.theme_id, member, None)
    assert "entered by" in label.provenance


def test_accepting_an_issue_keeps_an_existing_label_as_it_is(shared_model, issues_vocabulary):
    member = make_user("member")
    rec = _rec("Abolish the death penalty")
    services.suggest_for([rec.pk])
    issue = _suggestions(rec, "issue")[0]
    imported = Label.objects.create(recommendation=rec, theme=issue.theme, source=rec.source)
    services.accept(issue, actor=member)
    imported.refresh_from_db()
    assert imported.entered_by is None and imported.source == rec.source
    assert Label.objects.filter(recommendation=rec).count() == 1


def test_accepting_an_action_sets_it_only_when_there_is_none(shared_model, issues_vocabulary):
    member = make_user("member")
    rec = _rec("Abolish the death penalty")
    services.suggest_for([rec.pk])
    action = _suggestions(rec, "action")[0]
    Recommendation.objects.filter(pk=rec.pk).update(action_category=4)  # a person set it since
    with pytest.raises(services.SuggestionError):
        services.accept(action, actor=member)
    rec.refresh_from_db()
    assert rec.action_category == 4
    action.refresh_from_db()
    assert action.status == SuggestionStatus.PENDING

    Recommendation.objects.filter(pk=rec.pk).update(action_category=None)
    services.accept(action, actor=member)
    rec.refresh_from_db()
    assert rec.action_category == action.action_category


def test_rejected_suggestions_are_kept_and_not_made_again(shared_model, issues_vocabulary):
    coordinator = make_user("coordinator")
    rec = _rec("Abolish the death penalty")
    services.suggest_for([rec.pk])
    issue = _suggestions(rec, "issue")[0]
    services.reject(issue, actor=coordinator)
    services.suggest_for([rec.pk])
    issues = _suggestions(rec, "issue")
    assert [(s.pk, s.status) for s in issues] == [(issue.pk, SuggestionStatus.REJECTED)]
    with pytest.raises(services.SuggestionError):
        services.accept(issues[0], actor=coordinator)


@pytest.mark.parametrize("role", ["registered", "anonymous"])
def test_only_members_decide(shared_model, issues_vocabulary, role):
    from django.contrib.auth.models import AnonymousUser

    actor = AnonymousUser() if role == "anonymous" else make_user(role)
    rec = _rec("Abolish the death penalty")
    services.suggest_for([rec.pk])
    suggestion = _suggestions(rec)[0]
    with pytest.raises(PermissionDenied):
        services.accept(suggestion, actor=actor)
    with pytest.raises(PermissionDenied):
        services.reject(suggestion, actor=actor)


def test_suggestions_change_the_search_data_version(shared_model, issues_vocabulary):
    rec = _rec("Abolish the death penalty")
    before = current_version()
    services.suggest_for([rec.pk])
    after = current_version()
    assert after != before
    services.reject(_suggestions(rec)[0], actor=make_user("member"))
    assert current_version() != after


# --- the import hook ---------------------------------------------------------------------------

ROWS = [
    ("Norway", "Abolish the death penalty", "5", "Death penalty"),  # fully labelled
    ("Norway", "Continue its efforts to combat trafficking in persons", "", ""),  # nothing
    ("Norway", "Ratify the Convention against Torture", "", "Torture and other CID treatment"),
]


@pytest.fixture
def reference(db) -> None:
    load_reference_data()


def _by_text() -> dict[str, Recommendation]:
    return {r.text: r for r in Recommendation.objects.all()}


def test_an_import_suggests_what_its_file_lacks(shared_model, reference, tmp_path: Path):
    import_uprinfo(write_uprinfo_csv(tmp_path / "u.csv", ROWS))
    recs = _by_text()
    labelled, bare, partial = (recs[r[1]] for r in ROWS)
    assert _suggestions(labelled) == []
    assert {s.kind for s in _suggestions(bare)} == {"issue", "action"}
    assert [s.action_category for s in _suggestions(bare, "action")] == [2]
    assert [s.kind for s in _suggestions(partial)] == ["action"]
    # re-importing the same file writes nothing, suggestions included
    count = Suggestion.objects.count()
    summary = import_uprinfo(tmp_path / "u.csv")
    assert not summary.changed and Suggestion.objects.count() == count


def test_an_import_removes_suggestions_its_labels_make_moot(
    shared_model, reference, tmp_path: Path
):
    import_uprinfo(write_uprinfo_csv(tmp_path / "u.csv", ROWS))
    bare = _by_text()[ROWS[1][1]]
    assert _suggestions(bare)
    labelled = [*ROWS[:1], (ROWS[1][0], ROWS[1][1], "2", "Trafficking"), *ROWS[2:]]
    import_uprinfo(write_uprinfo_csv(tmp_path / "u.csv", labelled))
    assert _suggestions(bare) == []


def test_accepted_action_survives_a_reimport_without_one(shared_model, reference, tmp_path):
    path = write_uprinfo_csv(tmp_path / "u.csv", ROWS)
    import_uprinfo(path)
    bare = _by_text()[ROWS[1][1]]
    action = _suggestions(bare, "action")[0]
    services.accept(action, actor=make_user("member"))
    # the file still has no Action for it; another change makes the import run again
    import_uprinfo(write_uprinfo_csv(path, [*ROWS, ("Norway", "Adopt a law", "5", "Justice")]))
    bare.refresh_from_db()
    assert bare.action_category == action.action_category


def test_the_import_hook_can_be_switched_off(shared_model, reference, tmp_path, settings):
    settings.UPRHUB_SUGGEST_ON_IMPORT = False
    import_uprinfo(write_uprinfo_csv(tmp_path / "u.csv", ROWS))
    assert Suggestion.objects.count() == 0


def test_a_dry_run_import_suggests_nothing(shared_model, reference, tmp_path: Path):
    import_uprinfo(write_uprinfo_csv(tmp_path / "u.csv", ROWS), dry_run=True)
    assert Suggestion.objects.count() == 0


def test_an_import_without_a_model_still_imports(reference, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(services, "is_available", lambda: False)
    summary = import_uprinfo(write_uprinfo_csv(tmp_path / "u.csv", ROWS))
    assert summary.created == 3 and Suggestion.objects.count() == 0


def test_a_failing_model_never_fails_the_import(shared_model, reference, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "suggest_for", broken)
    summary = import_uprinfo(write_uprinfo_csv(tmp_path / "u.csv", ROWS))
    assert summary.created == 3 and Recommendation.objects.count() == 3


def test_kind_and_value_must_agree(issues_vocabulary):
    from django.db import IntegrityError, transaction

    rec = _rec("Abolish the death penalty")
    with pytest.raises(IntegrityError), transaction.atomic():
        Suggestion.objects.create(
            recommendation=rec, kind=SuggestionKind.ACTION, score=0.5, model_version="x"
        )

"""Every write about machine suggestions: make them, accept them, reject them.

Rules, whatever calls these functions (import runner, ``uprhub classifier apply``, the web):

* A recommendation gets *issue* suggestions only while it has no UPR Info issue label, and an
  *action* suggestion only while it has no action category. Labels from a file or a person
  always win: making suggestions never writes a ``Label`` or an action category.
* Suggestions are stored apart (:class:`~uprhub.recommendations.models.Suggestion`) with the model
  version, the score and the date. Pending ones are refreshed when the model changes and
  removed once a human or imported label of their kind exists; accepted and rejected ones stay
  as the record of the decision (and a rejected value is not suggested again).
* Accepting creates ``Label(entered_by=actor)`` for an issue, or sets the action category
  when the recommendation has none; it never replaces a label that is already there.
  Re-importing a file without an Action keeps an accepted category (importers ask
  :func:`uprhub.recommendations.selectors.accepted_action_categories`), so the row counts
  as unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from uprhub.core.rules import Actor, require_perm
from uprhub.recommendations.models import (
    Label,
    Recommendation,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
    Theme,
    Vocabulary,
)

if TYPE_CHECKING:
    from .model import Model

logger = logging.getLogger(__name__)


# The model module imports scikit-learn and SciPy (about a second): every page and command that
# lists suggestions imports this module, so the model is imported only when one is needed.
def get_model() -> Model:
    from .model import get_model as load

    return load()


def is_available() -> bool:
    """True when the shipped model exists (without loading it)."""
    from .model import is_available as available

    return available()


ISSUES_VOCABULARY = "uprinfo-issues"
BATCH = 2000  # recommendations predicted and written per round

Progress = Callable[[int, int], None]


class SuggestionError(Exception):
    """A suggestion cannot be accepted or rejected (already decided, or a label is there)."""


@dataclass
class SuggestResult:
    """What :func:`suggest_for` did."""

    recommendations: int = 0  # looked at
    predicted: int = 0  # texts sent to the model
    issues_added: int = 0
    actions_added: int = 0
    refreshed: int = 0  # pending suggestions whose score or model version changed
    removed: int = 0  # pending suggestions dropped (a label arrived, or the model changed its mind)
    restored: int = 0  # accepted action categories put back after an import cleared them
    model_version: str = ""

    @property
    def changed(self) -> bool:
        return bool(
            self.issues_added or self.actions_added or self.refreshed or self.removed
        ) or bool(self.restored)

    def as_dict(self) -> dict[str, Any]:
        return {
            "recommendations": self.recommendations,
            "predicted": self.predicted,
            "issues_added": self.issues_added,
            "actions_added": self.actions_added,
            "refreshed": self.refreshed,
            "removed": self.removed,
            "restored": self.restored,
            "model_version": self.model_version,
        }


# --- reads -------------------------------------------------------------------------------------


def _issue_labels() -> QuerySet[Label]:
    return Label.objects.filter(
        recommendation_id=OuterRef("pk"), theme__vocabulary__slug=ISSUES_VOCABULARY
    )


def lacking_labels(queryset: QuerySet[Recommendation] | None = None) -> QuerySet[Recommendation]:
    """Recommendations without a UPR Info issue or without an action category."""
    queryset = queryset if queryset is not None else Recommendation.objects.all()
    return queryset.filter(Q(action_category__isnull=True) | ~Exists(_issue_labels()))


# --- making suggestions ------------------------------------------------------------------------


def _chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Themes:
    """UPR Info issue names → Theme ids, creating a missing theme only when suggested."""

    def __init__(self) -> None:
        self._vocabulary: Vocabulary | None = None
        self._ids: dict[str, int] = {}

    def id_of(self, name: str) -> int:
        key = name.casefold()
        if self._vocabulary is None:
            from uprhub.recommendations.importers.lookups import VOCABULARIES

            defaults = dict(VOCABULARIES[ISSUES_VOCABULARY])
            self._vocabulary, _created = Vocabulary.objects.get_or_create(
                slug=ISSUES_VOCABULARY, defaults=defaults
            )
            for pk, theme_name in self._vocabulary.themes.values_list("pk", "name"):
                self._ids[theme_name.casefold()] = pk
        found = self._ids.get(key)
        if found is None:
            found = Theme.objects.create(vocabulary=self._vocabulary, name=name[:255]).id
            self._ids[key] = found
        return found


def suggest_for(
    recommendation_ids: Iterable[int],
    *,
    model: Model | None = None,
    progress: Progress | None = None,
) -> SuggestResult:
    """Make or refresh machine suggestions for these recommendations (batched; idempotent).

    Recommendations that have both kinds of label get none; pending suggestions that a label
    has made pointless are removed. Raises :class:`ModelUnavailable` without a model.
    """
    model = model or get_model()
    ids = sorted(set(recommendation_ids))
    result = SuggestResult(model_version=model.version)
    themes = _Themes()
    done = 0
    for chunk in _chunks(ids, BATCH):
        with transaction.atomic():
            _suggest_chunk(chunk, model, themes, result)
        done += len(chunk)
        if progress is not None:
            progress(done, len(ids))
    return result


def _suggest_chunk(
    chunk: Sequence[int], model: Model, themes: _Themes, result: SuggestResult
) -> None:
    recs = list(
        Recommendation.objects.filter(pk__in=chunk).values_list("pk", "text", "action_category")
    )
    result.recommendations += len(recs)
    labelled = set(
        Label.objects.filter(
            recommendation_id__in=chunk, theme__vocabulary__slug=ISSUES_VOCABULARY
        ).values_list("recommendation_id", flat=True)
    )
    existing: dict[tuple[int, str], list[tuple]] = {}
    for row in Suggestion.objects.filter(recommendation_id__in=chunk).values_list(
        "pk",
        "recommendation_id",
        "kind",
        "theme_id",
        "action_category",
        "status",
        "score",
        "model_version",
    ):
        existing.setdefault((row[1], row[2]), []).append(row)

    need_issue = {pk for pk, _text, _action in recs if pk not in labelled}
    need_action = {pk for pk, _text, action in recs if action is None}
    _restore_accepted_actions(need_action, existing, result)
    to_predict = [(pk, text) for pk, text, _action in recs if pk in need_issue | need_action]

    wanted: dict[tuple[int, str], dict[Any, float]] = {}  # (rec, kind) → value → score
    if to_predict:
        result.predicted += len(to_predict)
        issue_lists, actions = model.predict([text for _pk, text in to_predict])
        for (pk, _text), issues, action in zip(to_predict, issue_lists, actions, strict=True):
            if pk in need_issue:
                wanted[(pk, SuggestionKind.ISSUE)] = {
                    themes.id_of(score.label): score.score for score in issues
                }
            if pk in need_action:
                wanted[(pk, SuggestionKind.ACTION)] = {action.category: action.probability}

    to_delete: list[int] = []
    to_update: list[Suggestion] = []
    to_create: list[Suggestion] = []
    for pk, _text, _action in recs:
        for kind in (SuggestionKind.ISSUE, SuggestionKind.ACTION):
            rows = existing.get((pk, kind), [])
            values = wanted.get((pk, kind), {})
            decided = {_value(row) for row in rows if row[5] != SuggestionStatus.PENDING}
            pending = {_value(row): row for row in rows if row[5] == SuggestionStatus.PENDING}
            for value, row in pending.items():
                if value not in values:
                    to_delete.append(row[0])  # a label arrived, or the model changed its mind
                elif (row[6], row[7]) != (values[value], model.version):
                    to_update.append(
                        Suggestion(pk=row[0], score=values[value], model_version=model.version)
                    )
            for value, score in values.items():
                if value in pending or value in decided:
                    continue
                to_create.append(
                    Suggestion(
                        recommendation_id=pk,
                        kind=kind,
                        theme_id=value if kind == SuggestionKind.ISSUE else None,
                        action_category=value if kind == SuggestionKind.ACTION else None,
                        score=score,
                        model_version=model.version,
                    )
                )
    if to_delete:
        Suggestion.objects.filter(pk__in=to_delete).delete()
    if to_update:
        Suggestion.objects.bulk_update(to_update, ["score", "model_version"], batch_size=500)
    if to_create:
        Suggestion.objects.bulk_create(to_create, batch_size=500)
    result.removed += len(to_delete)
    result.refreshed += len(to_update)
    result.issues_added += sum(1 for s in to_create if s.kind == SuggestionKind.ISSUE)
    result.actions_added += sum(1 for s in to_create if s.kind == SuggestionKind.ACTION)


def _value(row: tuple) -> int:
    """The suggested value of an existing-suggestion row: theme id or action category."""
    return row[3] if row[2] == SuggestionKind.ISSUE else row[4]


def _restore_accepted_actions(
    need_action: set[int], existing: dict[tuple[int, str], list[tuple]], result: SuggestResult
) -> None:
    """A re-import of a file without action categories writes "none" over a category a member
    accepted; the member's decision stands, so put it back (and stop suggesting)."""
    restore: dict[int, int] = {}
    for pk in need_action:
        for row in existing.get((pk, SuggestionKind.ACTION), []):
            if row[5] == SuggestionStatus.ACCEPTED:
                restore[pk] = row[4]
    for pk, category in restore.items():
        Recommendation.objects.filter(pk=pk, action_category__isnull=True).update(
            action_category=category
        )
        need_action.discard(pk)
    result.restored += len(restore)


def suggest_after_import(
    *,
    since: datetime | None = None,
    recommendation_ids: Iterable[int] | None = None,
) -> SuggestResult | None:
    """Called by the import runner once a successful import's transaction has ended.

    Looks at the recommendations the import created or changed (``updated_at >= since``, or
    the given ids) plus those that received labels, and makes suggestions where a kind of label
    is missing. Off with ``UPRHUB_SUGGEST_ON_IMPORT = False``; a missing model or any failure is
    logged and never fails the import (which is already committed).
    """
    if not getattr(settings, "UPRHUB_SUGGEST_ON_IMPORT", True):
        return None
    if not is_available():
        logger.info("no classifier model: imported recommendations get no suggestions")
        return None
    ids: set[int] = set(recommendation_ids or ())
    if since is not None:
        ids |= set(
            lacking_labels(Recommendation.objects.filter(updated_at__gte=since)).values_list(
                "pk", flat=True
            )
        )
        # Labels that just arrived make pending suggestions of theirs pointless.
        ids |= set(
            Suggestion.objects.pending()
            .filter(
                Q(recommendation__updated_at__gte=since)
                | Q(recommendation__labels__created_at__gte=since)
            )
            .values_list("recommendation_id", flat=True)
        )
    if not ids:
        return None
    try:
        with transaction.atomic():
            result = suggest_for(ids)
    except Exception:  # never fail an import because of a suggestion
        logger.exception("machine suggestions after the import failed; the import is kept")
        return None
    logger.info("machine suggestions after import: %s", result.as_dict())
    return result


# --- decisions ---------------------------------------------------------------------------------


def _check_can_review(actor: Actor, suggestion: Suggestion) -> None:
    # Members decide, once: "classifier.review_suggestion" in uprhub.core.rules.
    require_perm(
        actor,
        "classifier.review_suggestion",
        suggestion,
        state_error=SuggestionError(_("This suggestion has already been decided.")),
    )


def _locked(suggestion: Suggestion) -> Suggestion:
    locked = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("theme", "recommendation")
        .get(pk=suggestion.pk)
    )
    if locked.status != SuggestionStatus.PENDING:
        raise SuggestionError(_("This suggestion has already been decided."))
    return locked


def accept(suggestion: Suggestion, *, actor: Actor) -> Suggestion:
    """Make the suggestion a human label, entered by ``actor`` (who and when are kept).

    An issue becomes ``Label(entered_by=actor)`` (a label already there is left as it is). An
    action category is set only when the recommendation has none; otherwise
    :class:`SuggestionError`, since a suggestion never replaces a label.
    """
    _check_can_review(actor, suggestion)
    now = timezone.now()
    with transaction.atomic():
        suggestion = _locked(suggestion)
        if suggestion.kind == SuggestionKind.ISSUE:
            assert suggestion.theme_id is not None  # an issue has a theme (check constraint)
            Label.objects.get_or_create(
                recommendation_id=suggestion.recommendation_id,
                theme_id=suggestion.theme_id,
                defaults={"entered_by": actor},
            )
        else:
            rec = Recommendation.objects.select_for_update().get(pk=suggestion.recommendation_id)
            if rec.action_category is not None and rec.action_category != (
                suggestion.action_category
            ):
                raise SuggestionError(
                    _(
                        "This recommendation already has an action category; a suggestion "
                        "never replaces it."
                    )
                )
            if rec.action_category is None:
                rec.action_category = suggestion.action_category
                rec.save(update_fields=["action_category", "updated_at"])
            # Other pending category suggestions are moot once a category is chosen.
            Suggestion.objects.pending().filter(
                recommendation_id=rec.pk, kind=SuggestionKind.ACTION
            ).exclude(pk=suggestion.pk).delete()
        suggestion.status = SuggestionStatus.ACCEPTED
        suggestion.decided_by = actor
        suggestion.decided_at = now
        suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    return suggestion


def reject(suggestion: Suggestion, *, actor: Actor) -> Suggestion:
    """Record that ``actor`` rejected the suggestion; it will not be suggested again."""
    _check_can_review(actor, suggestion)
    with transaction.atomic():
        suggestion = _locked(suggestion)
        suggestion.status = SuggestionStatus.REJECTED
        suggestion.decided_by = actor
        suggestion.decided_at = timezone.now()
        suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    return suggestion

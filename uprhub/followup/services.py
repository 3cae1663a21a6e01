"""Every write of assessing and reviewing: one function per use case.

Each function checks permission first (`require_perm`, rules in `policy.py`), then writes in
one transaction. Views, the API and commands call these, so they behave alike.

No lost work (as in `uprhub.reports.services.save_paragraph`):

* An assessment or a position is saved from the version the person started from. The check
  and the write are one ``UPDATE … WHERE version = seen`` (a compare-and-swap), so of two people
  saving at once exactly one wins; the other gets `ConflictError` carrying what is stored now.
* Every save and every change of status of a position leaves a `PositionRevision` (its
  history), with who did it kept as text.
* A cluster is assessed all or nothing: one clash or one bad row and nothing is written, the
  error naming the paragraphs.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from uprhub.accounts.models import Organisation
from uprhub.accounts.selectors import display_name
from uprhub.core.rules import Actor, has_perm, require_perm
from uprhub.recommendations.models import Recommendation

from .models import (
    Assessment,
    AssessmentRound,
    Cluster,
    EvidenceItem,
    EvidenceKind,
    Grade,
    Position,
    PositionRevision,
    PositionStatus,
)
from .policy import AssessTarget

MAX_RATIONALE_CHARS = 5000
MAX_QUOTE_CHARS = 3000
MAX_NOTE_CHARS = 300

EVIDENCE_FIELDS = ("kind", "document_symbol", "paragraph", "url", "title", "quote", "date")


class FollowupError(Exception):
    """A refusal the person can act on; the message is translated and safe to show."""


class ConflictError(FollowupError):
    """Someone saved after you loaded it. `current` is what is stored now (an `Assessment` or a
    `Position`, or for a cluster a list of them); `paragraphs` names the recommendations."""

    def __init__(self, message: str, current: Any, paragraphs: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.current = current
        self.paragraphs = list(paragraphs)


def person_label(user: Any) -> str:
    """How a person is named in a history: the name they chose to show (never their e-mail
    address, which would then be kept in the history text)."""
    if user is None:
        return _("command line")
    return display_name(user)


def _closed_error() -> FollowupError:
    return FollowupError(_("The round is closed: it takes no more changes."))


def _published_error() -> FollowupError:
    return FollowupError(
        _("The position is published: a reviewer must send it back to draft before it changes.")
    )


# --- checks shared by the writes -----------------------------------------------------------------


def _check_recommendation(round_: AssessmentRound, recommendation: Recommendation) -> None:
    if recommendation.review_id != round_.review_id:
        raise FollowupError(
            _("Recommendation %(paragraph)s is not one of the review this round assesses.")
            % {"paragraph": recommendation.paragraph}
        )


def _check_grade(round_: AssessmentRound, grade: Grade | None, paragraph: str = "") -> Grade:
    if grade is None:
        raise FollowupError(_("Choose a grade."))
    if grade.scale_id != round_.scale_id:
        if paragraph:
            raise FollowupError(
                _("Recommendation %(paragraph)s: grade %(code)s is not on this round's scale.")
                % {"paragraph": paragraph, "code": grade.code}
            )
        raise FollowupError(
            _("Grade %(code)s is not on this round's scale.") % {"code": grade.code}
        )
    return grade


def _clean_rationale(rationale: str | None, paragraph: str = "") -> str:
    text = (rationale or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if len(text) > MAX_RATIONALE_CHARS:
        if paragraph:
            raise FollowupError(
                _("Recommendation %(paragraph)s: a rationale has at most %(n)s characters.")
                % {"paragraph": paragraph, "n": MAX_RATIONALE_CHARS}
            )
        raise FollowupError(
            _("A rationale has at most %(n)s characters.") % {"n": MAX_RATIONALE_CHARS}
        )
    return text


def _check_as_of(as_of: datetime.date | None) -> datetime.date:
    if not isinstance(as_of, datetime.date):
        raise FollowupError(_("Give the date the assessment speaks of."))
    return as_of


def _clean_note(note: str | None) -> str:
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE_CHARS:
        raise FollowupError(_("A note has at most %(n)s characters.") % {"n": MAX_NOTE_CHARS})
    return note


def _require_position_edit(actor: Actor, position: Position) -> None:
    """Who may change a position's content in its state: anyone taking part on a draft, only
    reviewers in review, nobody once published (send it back first)."""
    if position.status == PositionStatus.IN_REVIEW:
        require_perm(actor, "followup.review", position, state_error=_closed_error())
        return
    # A published position: the person passes `who` and meets the state error.
    state_error = _published_error() if position.is_published else _closed_error()
    require_perm(actor, "followup.draft_position", position, state_error=state_error)


def _revision(position: Position, actor: Actor, note: str = "") -> PositionRevision:
    return PositionRevision(
        position_id=position.pk,
        version=position.version,
        grade_id=position.grade_id,
        rationale=position.rationale,
        as_of=position.as_of,
        status=position.status,
        note=note,
        author=actor,
        author_label=person_label(actor),
    )


# --- an organisation's assessment ----------------------------------------------------------------


def save_assessment(
    actor: Actor,
    round: AssessmentRound,  # noqa: A002  (the domain's word)
    recommendation: Recommendation,
    organisation: Organisation,
    *,
    grade: Grade | None,
    rationale: str,
    as_of: datetime.date,
    version: int | None = None,
) -> Assessment:
    """Save `organisation`'s assessment of `recommendation`; `version` is the one the person
    started from (None for a new one). Raises `ConflictError` if someone saved since."""
    require_perm(
        actor, "followup.assess", AssessTarget(round, organisation), state_error=_closed_error()
    )
    _check_recommendation(round, recommendation)
    grade = _check_grade(round, grade)
    rationale = _clean_rationale(rationale)
    as_of = _check_as_of(as_of)
    found = Assessment.objects.filter(
        round=round, recommendation=recommendation, organisation=organisation
    )
    with transaction.atomic():
        if version is None:
            try:
                with transaction.atomic():
                    return Assessment.objects.create(
                        round=round,
                        recommendation=recommendation,
                        organisation=organisation,
                        grade=grade,
                        rationale=rationale,
                        as_of=as_of,
                        assessed_by=actor,
                    )
            except IntegrityError:
                pass  # someone created it meanwhile: a clash, shown below
        elif found.filter(version=version).update(
            grade=grade,
            rationale=rationale,
            as_of=as_of,
            assessed_by=actor,
            version=F("version") + 1,
            updated_at=timezone.now(),
        ):
            return found.select_related("grade").get()
        current = found.select_related("grade", "assessed_by__profile").first()
        if current is None:
            raise FollowupError(_("This assessment was removed meanwhile."))
        raise ConflictError(
            _(
                "Someone saved %(organisation)s's assessment of %(paragraph)s after you opened "
                "it. Their version is shown; nothing of yours was lost or saved."
            )
            % {"organisation": organisation.name, "paragraph": recommendation.paragraph},
            current,
            [recommendation.paragraph],
        )


# --- the coalition's position --------------------------------------------------------------------


def _stale(position: Position) -> ConflictError:
    current = (
        Position.objects.select_related("grade", "round", "recommendation")
        .filter(pk=position.pk)
        .first()
    )
    return ConflictError(
        _(
            "Someone changed the coalition's position on %(paragraph)s after you opened it. "
            "Their version is shown; nothing of yours was saved."
        )
        % {"paragraph": position.recommendation.paragraph},
        current,
        [position.recommendation.paragraph],
    )


def save_position(
    actor: Actor,
    round: AssessmentRound,  # noqa: A002
    recommendation: Recommendation,
    *,
    grade: Grade | None,
    rationale: str,
    as_of: datetime.date,
    version: int | None,
    note: str = "",
) -> Position:
    """Create (as a draft, `version` None) or change the coalition's position, leaving a
    revision. Drafts: anyone taking part; in review: reviewers; published: send back first."""
    existing = (
        Position.objects.select_related("round", "recommendation")
        .filter(round=round, recommendation=recommendation)
        .first()
    )
    if existing is None:
        require_perm(actor, "followup.draft_position", round, state_error=_closed_error())
    else:
        _require_position_edit(actor, existing)
    _check_recommendation(round, recommendation)
    grade = _check_grade(round, grade)
    rationale = _clean_rationale(rationale)
    as_of = _check_as_of(as_of)
    note = _clean_note(note)
    with transaction.atomic():
        if existing is None or version is None:
            if existing is not None:
                raise _stale(existing)
            try:
                with transaction.atomic():
                    position = Position.objects.create(
                        round=round,
                        recommendation=recommendation,
                        grade=grade,
                        rationale=rationale,
                        as_of=as_of,
                        drafted_by=actor,
                    )
            except IntegrityError:
                raise _stale(
                    Position.objects.select_related("recommendation").get(
                        round=round, recommendation=recommendation
                    )
                ) from None
            _revision(position, actor, note).save()
            return position
        updated = Position.objects.filter(
            pk=existing.pk, version=version, status=existing.status
        ).update(
            grade=grade,
            rationale=rationale,
            as_of=as_of,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        if not updated:
            raise _stale(existing)
        position = Position.objects.select_related("round", "recommendation", "grade").get(
            pk=existing.pk
        )
        _revision(position, actor, note).save()
        return position


def _transition(
    actor: Actor,
    position: Position,
    *,
    version: int,
    to: str,
    note: str,
    extra: Mapping[str, Any] | None = None,
    allowed_from: tuple[str, ...],
) -> Position:
    with transaction.atomic():
        current = Position.objects.select_for_update().filter(pk=position.pk).first()
        if current is None or current.version != version:
            raise _stale(position)
        if current.status not in allowed_from:
            raise FollowupError(
                _("The position is %(status)s: it cannot go to %(to)s from there.")
                % {
                    "status": current.get_status_display().lower(),
                    "to": PositionStatus(to).label.lower(),
                }
            )
        updated = Position.objects.filter(
            pk=position.pk, version=version, status=current.status
        ).update(status=to, version=F("version") + 1, updated_at=timezone.now(), **(extra or {}))
        if not updated:
            raise _stale(position)
        fresh = Position.objects.select_related("round", "recommendation", "grade").get(
            pk=position.pk
        )
        _revision(fresh, actor, note).save()
        if PositionStatus.PUBLISHED in (to, current.status):
            # `update()` sends no save signal: the public pages (scorecards, State and
            # recommendation panels) are cached per data version, so move it here.
            from uprhub.search.index import mark_changed

            transaction.on_commit(mark_changed)
        return fresh


def submit_for_review(
    actor: Actor, position: Position, *, version: int, note: str = ""
) -> Position:
    """Draft → in review (the round's assessors and reviewers)."""
    require_perm(
        actor,
        "followup.draft_position",
        position,
        state_error=_closed_error()
        if position.round.closed
        else FollowupError(_("Only a draft can be sent for review.")),
    )
    return _transition(
        actor,
        position,
        version=version,
        to=PositionStatus.IN_REVIEW,
        note=_clean_note(note),
        allowed_from=(PositionStatus.DRAFT,),
    )


def publish(actor: Actor, position: Position, *, version: int, note: str = "") -> Position:
    """In review → published (reviewers): from now on the public sees it."""
    require_perm(actor, "followup.review", position, state_error=_closed_error())
    return _transition(
        actor,
        position,
        version=version,
        to=PositionStatus.PUBLISHED,
        note=_clean_note(note),
        extra={"published_at": timezone.now(), "published_by": actor},
        allowed_from=(PositionStatus.IN_REVIEW,),
    )


def send_back(actor: Actor, position: Position, *, version: int, note: str) -> Position:
    """In review or published → draft (reviewers), saying why: the note is required."""
    require_perm(actor, "followup.review", position, state_error=_closed_error())
    note = _clean_note(note)
    if not note:
        raise FollowupError(_("Say why the position goes back to draft (a note is required)."))
    return _transition(
        actor,
        position,
        version=version,
        to=PositionStatus.DRAFT,
        note=note,
        extra={"published_at": None, "published_by": None},
        allowed_from=(PositionStatus.IN_REVIEW, PositionStatus.PUBLISHED),
    )


# --- evidence ------------------------------------------------------------------------------------


def _require_owner_edit(actor: Actor, owner: Assessment | Position) -> None:
    if isinstance(owner, Assessment):
        require_perm(
            actor,
            "followup.assess",
            AssessTarget(owner.round, owner.organisation),
            state_error=_closed_error(),
        )
    else:
        _require_position_edit(actor, owner)


def clean_evidence(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of one evidence item, checked for its kind (raises `FollowupError`)."""
    unknown = set(fields) - set(EVIDENCE_FIELDS) - {"suggestion", "suggestion_id"}
    if unknown:
        raise FollowupError(_("Unknown evidence fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    kind = fields.get("kind") or ""
    if kind not in EvidenceKind.values:
        raise FollowupError(_("Choose the kind of evidence."))
    data: dict[str, Any] = {
        "kind": kind,
        "document_symbol": " ".join(str(fields.get("document_symbol") or "").split()),
        "paragraph": fields.get("paragraph") or None,
        "url": str(fields.get("url") or "").strip(),
        "title": " ".join(str(fields.get("title") or "").split()),
        "quote": str(fields.get("quote") or "").replace("\x00", "").strip(),
        "date": fields.get("date") or None,
    }
    for key in ("suggestion", "suggestion_id"):
        if fields.get(key):
            data[key] = fields[key]
    if kind == EvidenceKind.UN_DOCUMENT and not (data["document_symbol"] and data["paragraph"]):
        raise FollowupError(_("A UN document needs its symbol and the paragraph number."))
    if kind == EvidenceKind.URL and not data["url"]:
        raise FollowupError(_("A web page needs its address."))
    if data["url"]:
        try:
            URLValidator(schemes=["http", "https"])(data["url"])
        except ValidationError:
            raise FollowupError(_("Give a full web address (https://…).")) from None
        if len(data["url"]) > 500:
            raise FollowupError(_("An address has at most 500 characters."))
    if kind in (EvidenceKind.LAW, EvidenceKind.COURT_CASE, EvidenceKind.NEWS) and not data["title"]:
        raise FollowupError(_("A law, a court case or a news item needs its title or citation."))
    if len(data["title"]) > 300:
        raise FollowupError(_("A title has at most 300 characters."))
    if len(data["document_symbol"]) > 60:
        raise FollowupError(_("A document symbol has at most 60 characters."))
    if len(data["quote"]) > MAX_QUOTE_CHARS:
        raise FollowupError(_("A quote has at most %(n)s characters.") % {"n": MAX_QUOTE_CHARS})
    if data["paragraph"] is not None:
        try:
            data["paragraph"] = int(data["paragraph"])
        except (TypeError, ValueError):
            raise FollowupError(_("A paragraph is a number.")) from None
        if data["paragraph"] < 1:
            raise FollowupError(_("A paragraph is a number.")) from None
    if data["date"] is not None and not isinstance(data["date"], datetime.date):
        raise FollowupError(_("Give the date as a date."))
    return data


def add_evidence(actor: Actor, owner: Assessment | Position, **fields: Any) -> EvidenceItem:
    """Add one evidence item to an organisation's assessment or the coalition's position."""
    _require_owner_edit(actor, owner)
    data = clean_evidence(fields)
    owner_field = "assessment" if isinstance(owner, Assessment) else "position"
    with transaction.atomic():
        last = EvidenceItem.objects.filter(**{owner_field: owner}).aggregate(n=Max("order"))["n"]
        return EvidenceItem.objects.create(
            **{owner_field: owner},
            **data,
            order=(last or 0) + 1,
            added_by=actor,
        )


def evidence_owner(item: EvidenceItem) -> Assessment | Position:
    if item.assessment_id:
        return Assessment.objects.select_related("round", "organisation").get(pk=item.assessment_id)
    return Position.objects.select_related("round", "recommendation").get(pk=item.position_id or 0)


def remove_evidence(actor: Actor, item: EvidenceItem) -> None:
    """Remove one evidence item (from an assessment or a position the person may change)."""
    _require_owner_edit(actor, evidence_owner(item))
    with transaction.atomic():
        EvidenceItem.objects.filter(pk=item.pk).delete()


def _same_evidence(item: EvidenceItem) -> tuple[Any, ...]:
    return tuple(getattr(item, name) for name in EVIDENCE_FIELDS)


def adopt_assessment(
    actor: Actor,
    target: Position | AssessmentRound,
    assessment: Assessment,
    *,
    version: int | None,
    recommendation: Recommendation | None = None,
) -> Position:
    """Make one organisation's assessment the coalition's draft: its grade, rationale and
    evidence (evidence already on the position stays; identical items are not doubled).

    `target` is the position, or the round when there is none yet (`version` None)."""
    if isinstance(target, Position):
        round_, recommendation = target.round, target.recommendation
    else:
        round_, recommendation = target, recommendation or assessment.recommendation
    if assessment.round_id != round_.pk or assessment.recommendation_id != recommendation.pk:
        raise FollowupError(_("This assessment is of another recommendation or round."))
    note = _("Adopted from %(organisation)s's assessment") % {
        "organisation": assessment.organisation.name
    }
    with transaction.atomic():
        position = save_position(
            actor,
            round_,
            recommendation,
            grade=assessment.grade,
            rationale=assessment.rationale,
            as_of=assessment.as_of,
            version=version,
            note=note[:MAX_NOTE_CHARS],
        )
        have = {_same_evidence(item) for item in position.evidence.all()}
        start = len(have)
        copies: list[EvidenceItem] = []
        for item in assessment.evidence.all():
            if _same_evidence(item) in have:
                continue
            have.add(_same_evidence(item))
            copies.append(
                EvidenceItem(
                    position=position,
                    **{name: getattr(item, name) for name in EVIDENCE_FIELDS},
                    suggestion_id=item.suggestion_id,
                    order=start + len(copies) + 1,
                    added_by=actor,
                )
            )
        EvidenceItem.objects.bulk_create(copies)
    return position


# --- a cluster in one step -----------------------------------------------------------------------


def _grade_of(value: Any, grades: Mapping[Any, Grade], paragraph: str) -> Grade | None:
    """An override's grade: a Grade, its id or code; None/"" for "same as above"."""
    if value in (None, ""):
        return None
    if isinstance(value, Grade):
        key: Any = value.pk
    else:
        key = value
    found = grades.get(key) or grades.get(str(key))
    if found is None:
        if isinstance(value, Grade):
            found = value  # another scale's grade: `_check_grade` names it
        else:
            raise FollowupError(
                _("Recommendation %(paragraph)s: unknown grade %(value)s.")
                % {"paragraph": paragraph, "value": value}
            )
    return found


def assess_cluster(
    actor: Actor,
    round: AssessmentRound,  # noqa: A002
    cluster: Cluster,
    *,
    target: str,
    organisation: Organisation | None = None,
    grade: Grade | None,
    rationale: str,
    as_of: datetime.date,
    overrides: Mapping[int, Mapping[str, Any]] | None = None,
    versions: Mapping[int, int | None] | None = None,
) -> list[Assessment] | list[Position]:
    """Assess every recommendation of `cluster` in one step, all or nothing.

    `target` "organisation": `organisation`'s assessments; "position": the coalition's drafts.
    `overrides` = {recommendation id: {"grade", "rationale", "skip"}} (a missing or empty grade
    or rationale: the common one); `versions` = {recommendation id: the version seen} (absent
    or None: there was none). Any clash and nothing is written; the error names the paragraphs.
    A bounded number of queries whatever the cluster's size.
    """
    overrides = overrides or {}
    versions = versions or {}
    if target == "organisation":
        if organisation is None:
            raise FollowupError(_("Choose the organisation you assess for."))
        require_perm(
            actor, "followup.assess", AssessTarget(round, organisation), state_error=_closed_error()
        )
    elif target == "position":
        require_perm(actor, "followup.draft_position", round, state_error=_closed_error())
    else:
        raise FollowupError(_("Choose what to assess: your organisation's or the coalition's."))
    if cluster.review_id != round.review_id:
        raise FollowupError(_("This cluster is of another review than the round's."))
    as_of = _check_as_of(as_of)
    common_rationale = _clean_rationale(rationale)
    grades: dict[Any, Grade] = {g.pk: g for g in Grade.objects.filter(scale_id=round.scale_id)}
    grades.update({g.code: g for g in list(grades.values())})
    common_grade = _grade_of(grade, grades, "") if grade is not None else None
    if common_grade is not None:
        _check_grade(round, common_grade)

    recommendations = list(
        cluster.recommendations.order_by("paragraph_sort", "id").only("id", "paragraph", "review")
    )
    chosen: list[tuple[Recommendation, Grade, str]] = []
    for rec in recommendations:
        override = overrides.get(rec.pk) or overrides.get(str(rec.pk)) or {}  # type: ignore[call-overload]
        if override.get("skip"):
            continue
        row_grade = _grade_of(override.get("grade"), grades, rec.paragraph) or common_grade
        if row_grade is None:
            raise FollowupError(
                _("Recommendation %(paragraph)s: choose a grade.") % {"paragraph": rec.paragraph}
            )
        _check_grade(round, row_grade, rec.paragraph)
        row_rationale = _clean_rationale(override.get("rationale"), rec.paragraph)
        chosen.append((rec, row_grade, row_rationale or common_rationale))
    if not chosen:
        raise FollowupError(_("Every recommendation of the cluster was skipped: nothing to save."))

    def seen(rec: Recommendation) -> int | None:
        value = versions.get(rec.pk, versions.get(str(rec.pk)))  # type: ignore[call-overload]
        return int(value) if value not in (None, "", 0, "0") else None

    ids = [rec.pk for rec, _g, _r in chosen]
    now = timezone.now()
    with transaction.atomic():
        if target == "organisation":
            existing_a = {
                a.recommendation_id: a
                for a in Assessment.objects.select_for_update().filter(
                    round=round, organisation=organisation, recommendation_id__in=ids
                )
            }
            clashes = [
                rec
                for rec, _g, _r in chosen
                if (existing_a[rec.pk].version if rec.pk in existing_a else None) != seen(rec)
            ]
            if clashes:
                raise _cluster_conflict(clashes, [existing_a.get(r.pk) for r in clashes])
            new_a, changed_a = [], []
            for rec, row_grade, row_rationale in chosen:
                current = existing_a.get(rec.pk)
                if current is None:
                    new_a.append(
                        Assessment(
                            round=round,
                            recommendation=rec,
                            organisation=organisation,
                            grade=row_grade,
                            rationale=row_rationale,
                            as_of=as_of,
                            assessed_by=actor,
                        )
                    )
                else:
                    current.grade = row_grade
                    current.rationale = row_rationale
                    current.as_of = as_of
                    current.assessed_by = actor
                    current.version += 1
                    current.updated_at = now
                    changed_a.append(current)
            try:
                Assessment.objects.bulk_create(new_a)
            except IntegrityError:
                raise _cluster_conflict([a.recommendation for a in new_a], []) from None
            Assessment.objects.bulk_update(
                changed_a, ["grade", "rationale", "as_of", "assessed_by", "version", "updated_at"]
            )
            return [*new_a, *changed_a]

        existing_p = {
            p.recommendation_id: p
            for p in Position.objects.select_for_update().filter(
                round=round, recommendation_id__in=ids
            )
        }
        clashes = [
            rec
            for rec, _g, _r in chosen
            if (existing_p[rec.pk].version if rec.pk in existing_p else None) != seen(rec)
        ]
        if clashes:
            raise _cluster_conflict(clashes, [existing_p.get(r.pk) for r in clashes])
        published = [
            rec.paragraph
            for rec, _g, _r in chosen
            if rec.pk in existing_p and existing_p[rec.pk].is_published
        ]
        if published:
            raise FollowupError(
                _(
                    "The coalition's position on %(paragraphs)s is published: a reviewer must "
                    "send it back to draft first, or skip it."
                )
                % {"paragraphs": ", ".join(published)}
            )
        in_review = [
            rec.paragraph
            for rec, _g, _r in chosen
            if rec.pk in existing_p and existing_p[rec.pk].status == PositionStatus.IN_REVIEW
        ]
        if in_review and not has_perm(actor, "followup.review", round):
            # One check for all of them: a position in review is the reviewers'.
            raise FollowupError(
                _(
                    "The coalition's position on %(paragraphs)s is in review: only reviewers "
                    "change it now. Skip it, or ask a reviewer."
                )
                % {"paragraphs": ", ".join(in_review)}
            )
        new_p, changed_p = [], []
        for rec, row_grade, row_rationale in chosen:
            position = existing_p.get(rec.pk)
            if position is None:
                new_p.append(
                    Position(
                        round=round,
                        recommendation=rec,
                        grade=row_grade,
                        rationale=row_rationale,
                        as_of=as_of,
                        drafted_by=actor,
                    )
                )
            else:
                position.grade = row_grade
                position.rationale = row_rationale
                position.as_of = as_of
                position.version += 1
                position.updated_at = now
                changed_p.append(position)
        try:
            Position.objects.bulk_create(new_p)
        except IntegrityError:
            raise _cluster_conflict([p.recommendation for p in new_p], []) from None
        Position.objects.bulk_update(
            changed_p, ["grade", "rationale", "as_of", "version", "updated_at"]
        )
        note = _("Assessed with the cluster “%(label)s”") % {"label": cluster.label}
        PositionRevision.objects.bulk_create(
            [_revision(p, actor, note[:MAX_NOTE_CHARS]) for p in [*new_p, *changed_p]]
        )
        return [*new_p, *changed_p]


def _cluster_conflict(recommendations: list[Recommendation], current: list[Any]) -> ConflictError:
    paragraphs = [r.paragraph for r in recommendations]
    return ConflictError(
        _(
            "Someone saved %(paragraphs)s after you opened the cluster. Nothing was saved; "
            "reload to see their work."
        )
        % {"paragraphs": ", ".join(paragraphs)},
        current,
        paragraphs,
    )


# --- many at once ---------------------------------------------------------------------------

#: What `transition_many` may do, by the name the pages post.
BULK_TRANSITIONS = ("submit", "publish", "send_back")


def transition_many(
    actor: Actor,
    round: AssessmentRound,
    action: str,
    seen: Mapping[int, int],
    *,
    note: str = "",
) -> list[Position]:
    """One transition for many positions of a round (`seen`: position id → the version the
    page showed): a reviewer publishing the queue, an assessor sending a cluster's drafts for
    review. All or nothing: any refusal or clash writes none, and the error names the
    paragraphs."""
    if action not in BULK_TRANSITIONS:
        raise FollowupError(_("Unknown action."))
    if not seen:
        raise FollowupError(_("Choose at least one position."))
    step = {"submit": submit_for_review, "publish": publish, "send_back": send_back}[action]
    positions = {
        p.pk: p
        for p in Position.objects.filter(round=round, pk__in=list(seen)).select_related(
            "round", "recommendation"
        )
    }
    if len(positions) != len(seen):
        raise FollowupError(_("Some of the chosen positions are not in this round."))
    done: list[Position] = []
    refused: list[str] = []
    first_error: Exception | None = None
    with transaction.atomic():
        for pk in sorted(positions, key=lambda k: positions[k].recommendation.paragraph_sort or 0):
            position = positions[pk]
            try:
                with transaction.atomic():
                    done.append(step(actor, position, version=seen[pk], note=note))
            except (FollowupError, PermissionDenied) as error:
                refused.append(position.recommendation.paragraph)
                first_error = first_error or error
        if refused:
            transaction.set_rollback(True)
    if refused:
        if isinstance(first_error, PermissionDenied) and len(refused) == len(positions):
            raise first_error
        raise FollowupError(
            _("Nothing was changed: %(paragraphs)s could not be changed (%(reason)s).")
            % {
                "paragraphs": ", ".join(refused),
                "reason": str(first_error)
                if isinstance(first_error, FollowupError)
                else _("not allowed"),
            }
        )
    return done

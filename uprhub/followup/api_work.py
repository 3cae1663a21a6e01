"""Follow-up API endpoints of assessing and reviewing (see ``api.py``), signed in.

The same services and rules as the pages: a person without a part in the round gets 403, an
unknown round or recommendation 404, a stale version 409 with what is stored now.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from uprhub.core.rules import has_perm
from uprhub.recommendations.models import Recommendation

from . import progress, services
from .models import AssessmentRound, Grade, Position

# Mounted on `api.router` by `api.py` (importing it from here would make an import circle).
router = Router(auth=django_auth, tags=["follow-up"])


def _actor(request: HttpRequest) -> Any:
    """The signed-in person doing a write (the services judge them, anonymous included)."""
    return request.user


class GradeIn(Schema):
    grade: str  # the grade's code on the round's scale ("B", "partially")
    rationale: str = ""
    as_of: datetime.date | None = None


class PositionIn(GradeIn):
    version: int | None = None  # the version you started from; none for a new position
    note: str = ""


class TransitionIn(Schema):
    action: str  # "submit", "publish" or "send_back"
    version: int
    note: str = ""


class OverrideIn(Schema):
    grade: str | None = None
    rationale: str = ""
    skip: bool = False


class ClusterIn(GradeIn):
    target: str  # "organisation" or "position"
    organisation: int | None = None
    overrides: dict[int, OverrideIn] = {}
    versions: dict[int, int | None] = {}


def _round(request: HttpRequest, slug: str) -> AssessmentRound:
    round_ = progress.round_by_slug(slug)
    if round_ is None:
        raise HttpError(404, _("There is no such round."))
    if not has_perm(request.user, "followup.view_work", round_):
        raise HttpError(403, _("You take no part in this round."))
    return round_


def _recommendation(round_: AssessmentRound, pk: int) -> Recommendation:
    rec = progress.recommendation_in_round(round_, pk)
    if rec is None:
        raise HttpError(404, _("This recommendation is not assessed in this round."))
    return rec


def _grade(round_: AssessmentRound, code: str | None) -> Grade | None:
    if not code:
        return None
    found = progress.grade_by_code(round_, code)
    if found is None:
        raise HttpError(400, _("Unknown grade %(code)s on this round's scale.") % {"code": code})
    return found


def position_dict(position: Position, *, history: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "recommendation": position.recommendation.paragraph,
        "recommendation_id": position.recommendation_id,
        "grade": position.grade.code,
        "rationale": position.rationale,
        "as_of": position.as_of.isoformat(),
        "status": position.status,
        "version": position.version,
        "published_at": position.published_at.isoformat() if position.published_at else None,
    }
    if history:
        data["history"] = [
            {
                "version": r.version,
                "status": r.status,
                "grade": r.grade.code,
                "rationale": r.rationale,
                "note": r.note,
                "by": r.author_label,
                "at": r.created_at.isoformat(),
            }
            for r in position.revisions.all()
        ]
        data["evidence"] = [
            {
                "kind": e.kind,
                "document_symbol": e.document_symbol,
                "paragraph": e.paragraph,
                "url": e.url,
                "title": e.title,
                "quote": e.quote,
                "date": e.date.isoformat() if e.date else None,
            }
            for e in position.evidence.all()
        ]
    return data


def _position(round_: AssessmentRound, rec: Recommendation) -> Position | None:
    return progress.position_of(round_, rec)


def _call[T](action: Callable[[], T]) -> T | Status[dict[str, Any]]:
    """Run a service: refusals become 403, clashes 409 (with what is stored), errors 400."""
    try:
        return action()
    except PermissionDenied:
        raise HttpError(403, _("You may not do this.")) from None
    except services.ConflictError as clash:
        current = clash.current
        body: dict[str, Any] = {"detail": str(clash), "paragraphs": clash.paragraphs}
        if isinstance(current, Position):
            body["current"] = position_dict(current)
        return Status(409, body)
    except services.FollowupError as error:
        raise HttpError(400, str(error)) from None


@router.get("/rounds/{slug}/progress", auth=django_auth, summary="A round's progress")
def round_progress(request: HttpRequest, slug: str) -> dict[str, Any]:
    round_ = _round(request, slug)
    found = progress.round_progress(round_)

    def groups(items: list[progress.Group]) -> list[dict[str, Any]]:
        return [{"name": g.label, **g.counts.as_dict()} for g in items]

    return {
        "round": round_.slug,
        "overall": found.overall.as_dict(),
        "themes": groups(found.themes),
        "organisations": groups(found.organisations),
        "people": groups(found.people),
    }


@router.get(
    "/rounds/{slug}/positions/{int:recommendation_id}",
    auth=django_auth,
    summary="The coalition's position on a recommendation, with its history",
)
def get_position(request: HttpRequest, slug: str, recommendation_id: int) -> dict[str, Any]:
    round_ = _round(request, slug)
    position = _position(round_, _recommendation(round_, recommendation_id))
    if position is None:
        raise HttpError(404, _("The coalition has no position on this recommendation yet."))
    return position_dict(position, history=True)


@router.put(
    "/rounds/{slug}/positions/{int:recommendation_id}",
    auth=django_auth,
    summary="Save the coalition's position (version-checked)",
    response={200: dict, 409: dict},
)
def put_position(
    request: HttpRequest, slug: str, recommendation_id: int, payload: PositionIn
) -> Any:
    round_ = _round(request, slug)
    rec = _recommendation(round_, recommendation_id)
    grade = _grade(round_, payload.grade)
    result = _call(
        lambda: services.save_position(
            _actor(request),
            round_,
            rec,
            grade=grade,
            rationale=payload.rationale,
            as_of=payload.as_of or round_.as_of,
            version=payload.version,
            note=payload.note,
        )
    )
    return position_dict(result) if isinstance(result, Position) else result


@router.post(
    "/rounds/{slug}/positions/{int:recommendation_id}/transitions",
    auth=django_auth,
    summary="Send for review, publish or send back a position",
    response={200: dict, 409: dict},
)
def transition(
    request: HttpRequest, slug: str, recommendation_id: int, payload: TransitionIn
) -> Any:
    round_ = _round(request, slug)
    position = _position(round_, _recommendation(round_, recommendation_id))
    if position is None:
        raise HttpError(404, _("The coalition has no position on this recommendation yet."))
    actions: dict[str, Callable[[], Position]] = {
        "submit": lambda: services.submit_for_review(
            _actor(request), position, version=payload.version, note=payload.note
        ),
        "publish": lambda: services.publish(
            _actor(request), position, version=payload.version, note=payload.note
        ),
        "send_back": lambda: services.send_back(
            _actor(request), position, version=payload.version, note=payload.note
        ),
    }
    if payload.action not in actions:
        raise HttpError(400, _("action must be submit, publish or send_back."))
    result = _call(actions[payload.action])
    return position_dict(result) if isinstance(result, Position) else result


@router.post(
    "/rounds/{slug}/clusters/{int:cluster_id}/assess",
    auth=django_auth,
    summary="Assess every recommendation of a cluster in one step (all or nothing)",
    response={200: dict, 409: dict},
)
def assess_cluster(request: HttpRequest, slug: str, cluster_id: int, payload: ClusterIn) -> Any:
    round_ = _round(request, slug)
    cluster = progress.cluster_in(round_, cluster_id)
    if cluster is None:
        raise HttpError(404, _("There is no such cluster in this round's review."))
    organisation = None
    if payload.organisation is not None:
        organisation = progress.organisation_by_pk(payload.organisation)
        if organisation is None:
            raise HttpError(404, _("There is no such organisation."))
    grade = _grade(round_, payload.grade)
    overrides = {
        key: {"grade": _grade(round_, o.grade), "rationale": o.rationale, "skip": o.skip}
        for key, o in payload.overrides.items()
    }
    result = _call(
        lambda: services.assess_cluster(
            _actor(request),
            round_,
            cluster,
            target=payload.target,
            organisation=organisation,
            grade=grade,
            rationale=payload.rationale,
            as_of=payload.as_of or round_.as_of,
            overrides=overrides,
            versions=payload.versions,
        )
    )
    if isinstance(result, Status):
        return result
    return {
        "saved": len(result),
        "versions": {str(row.recommendation_id): row.version for row in result},
    }

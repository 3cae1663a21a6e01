"""Anonymised exports of a consultation (JSON and CSV), shared by the command line and the API.

What an export holds, and why:

* Only testimony that left moderation: `selectors.approved` by default. With
  `include_unmoderated`, also new and "needs redaction" items (`selectors.counted`), still
  only their automatically redacted `text`. Rejected texts are never exported.
* Never an identity, never the original words: `Testimony.text` is the redacted text;
  `original_token` is not decrypted here and `Identity` is not read.
* Withdrawn testimony is not exported at all, not even as a tombstone: an export is a
  snapshot for the coalition, and an id marked "withdrawn" would only tell its readers that
  someone took their words back. The consultation's `participants` count (`selectors.counted`)
  already leaves them out, so the figures agree without them.
* Risk-flagged testimony ("I fear reprisals") is included, marked `"risk": true`. An export
  is not public: it needs `consultations.view_results` (members and up, and the people who run
  the consultation), and the coalition must know what was said to count it; the flag tells them
  never to quote it. The read API (`public_item_dicts`) leaves risk-flagged items out entirely,
  like every public page.
* CSV cells go through `uprhub.core.exports` (formula injection); HTML in a text stays plain
  text (JSON and CSV are data; whoever shows them escapes them).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from uprhub.core.exports import csv_writer
from uprhub.core.rules import Actor, require_perm
from uprhub.recommendations.models import SuggestionStatus

from . import selectors
from .models import Consultation, TagKind, Testimony, TestimonyTag

FORMATS = ("json", "csv")

#: Every item's fields, in the order of the CSV's columns.
ITEM_FIELDS = (
    "id",
    "text",
    "language",
    "quote_anonymously",
    "quote_named",
    "may_contact",
    "risk",
    "status",
    "themes",
    "suggested_themes",
    "recommendations",
    "suggested_recommendations",
    "created_at",
)
LIST_FIELDS = ("themes", "suggested_themes", "recommendations", "suggested_recommendations")
FLAG_FIELDS = ("quote_anonymously", "quote_named", "may_contact", "risk")


def _iso(value: Any) -> str | None:
    return value.astimezone(datetime.UTC).isoformat() if value else None


def _with_tags(testimonies: QuerySet[Testimony]) -> QuerySet[Testimony]:
    # Accepted and pending tags only: a rejected suggestion is nowhere in an export.
    tags = TestimonyTag.objects.filter(
        status__in=[SuggestionStatus.ACCEPTED, SuggestionStatus.PENDING]
    ).select_related("theme", "recommendation")
    return testimonies.prefetch_related(Prefetch("tags", queryset=tags)).order_by("pk")


def _recommendation_ref(tag: TestimonyTag) -> str:
    """A recommendation's paragraph number in its report (26.178); one without a number is
    given by its UPR Hub id (#1234), so the link is not lost."""
    rec = tag.recommendation
    return (rec.paragraph or f"#{rec.pk}") if rec is not None else ""


def item_dict(testimony: Testimony) -> dict[str, Any]:
    """One testimony, anonymised (the tags must be prefetched by `_with_tags`)."""
    themes: dict[str, list[str]] = {"accepted": [], "pending": []}
    recommendations: dict[str, list[str]] = {"accepted": [], "pending": []}
    for tag in testimony.tags.all():
        if tag.kind == TagKind.THEME and tag.theme is not None:
            themes[tag.status].append(tag.theme.name)
        elif tag.kind == TagKind.RECOMMENDATION and tag.recommendation is not None:
            recommendations[tag.status].append(_recommendation_ref(tag))
    return {
        "id": testimony.pk,
        "text": testimony.text,  # the redacted text: the original is only encrypted
        "language": testimony.language,
        "quote_anonymously": testimony.quote_anonymously,
        "quote_named": testimony.quote_named,
        "may_contact": testimony.may_contact,
        "risk": testimony.fears_reprisals,
        "status": testimony.status,
        "themes": sorted(themes["accepted"]),
        "suggested_themes": sorted(themes["pending"]),
        "recommendations": sorted(recommendations["accepted"]),
        "suggested_recommendations": sorted(recommendations["pending"]),
        "created_at": _iso(testimony.created_at),
    }


def consultation_dict(consultation: Consultation) -> dict[str, Any]:
    review = consultation.review
    state = review.state
    return {
        "slug": consultation.slug,
        "title": consultation.title,
        "place": consultation.place,
        "state": state.iso3 or state.code,
        "session": review.session_id,
        "cycle": review.session.cycle_id,
        "languages": list(consultation.languages),
        "opens_at": _iso(consultation.opens_at),
        "closes_at": _iso(consultation.closes_at),
        "participants": selectors.counted(consultation).count(),
        "exported_at": _iso(timezone.now()),
    }


def export_items(consultation: Consultation, *, include_unmoderated: bool = False):
    """The testimonies an export holds (see the module's docstring)."""
    chosen = (
        selectors.counted(consultation) if include_unmoderated else selectors.approved(consultation)
    )
    return _with_tags(chosen)


def export_consultation(
    consultation: Consultation, *, actor: Actor, include_unmoderated: bool = False
) -> dict[str, Any]:
    """{"consultation": …, "items": […]}: the anonymised export, for the coalition.

    `include_unmoderated` adds texts no moderator has confirmed yet (redacted automatically
    only): for the people who run the consultation (`consultations.manage`), not every member.
    """
    require_perm(actor, "consultations.view_results", consultation)
    if include_unmoderated:
        require_perm(actor, "consultations.manage", consultation)
    items = export_items(consultation, include_unmoderated=include_unmoderated)
    return {
        "consultation": consultation_dict(consultation),
        "items": [item_dict(testimony) for testimony in items],
    }


def public_items(consultation: Consultation) -> QuerySet[Testimony]:
    """What the read API lists: approved and not risk-flagged (`selectors.public`)."""
    return _with_tags(selectors.public(consultation))


# --- writing ------------------------------------------------------------------------------------


def write_json(data: dict[str, Any], stream: IO[str]) -> None:
    # ensure_ascii=False keeps Spanish and French readable; json escapes "<" nowhere, which is
    # right for data: a page that shows a text escapes it there.
    json.dump(data, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def csv_row(item: dict[str, Any]) -> list[Any]:
    row: list[Any] = []
    for name in ITEM_FIELDS:
        value = item[name]
        if name in LIST_FIELDS:
            value = ";".join(value)
        elif name in FLAG_FIELDS:
            value = "yes" if value else "no"  # as the paper-forms import reads them
        row.append(value)
    return row


def write_csv(items: Iterable[dict[str, Any]], stream: IO[str]) -> None:
    """The items as CSV, one row each, every cell through `core.exports` (formula-safe)."""
    writer = csv_writer(stream)
    writer.writerow(ITEM_FIELDS)
    for item in items:
        writer.writerow(csv_row(item))


def write(data: dict[str, Any], stream: IO[str], fmt: str) -> None:
    if fmt == "csv":
        write_csv(data["items"], stream)
    else:
        write_json(data, stream)

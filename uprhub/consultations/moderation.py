"""Moderation of testimony: the queue, the moderator's view of the original, redaction and
status decisions, each one audited in `ModerationDecision`.

A testimony goes new → approved / needs redaction / rejected; a moderator may change a
decision later, but never a withdrawal (only the person, or `services.withdraw_by_id` on the
command line, withdraws). Redaction is always recomputed from the ORIGINAL words (encrypted
in `Testimony.original_token`): the automatic suggestions the moderator keeps, plus the
phrases they add by hand. The moderator's choices are kept inside the same encrypted token,
so a later decision starts from them, and they go with the original at the retention purge
or a withdrawal. `ModerationDecision` holds who, when, from → to, how many spans were
redacted and the moderator's short note: never the testimony's words.

Concurrency: a decision carries the `updated_at` the moderator saw (`version_of`). If the
testimony changed since (another moderator decided, or the person changed it), the decision
is refused with `StaleDecision`, never applied over the other change.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uprhub.core.rules import Actor, require_perm

from . import crypto, redaction, services, signals
from .models import (
    Consultation,
    IdentityAccess,
    ModerationDecision,
    Testimony,
    TestimonyStatus,
)

#: What a moderator may decide (withdrawal is the person's, or the command line's).
DECISIONS = (
    TestimonyStatus.APPROVED,
    TestimonyStatus.NEEDS_REDACTION,
    TestimonyStatus.REJECTED,
)
#: The queue's tabs, in order.
QUEUE_STATUSES = (TestimonyStatus.NEW, *DECISIONS, TestimonyStatus.WITHDRAWN)
MAX_NOTE = 300
MAX_EXTRA_PHRASES = 50
MAX_PHRASE = 200
OTHER = "other"  # the kind of a span a moderator added by hand
OTHER_PLACEHOLDER = gettext_lazy("[removed]")
FIELDS = ("text", "government")  # the redacted fields: Testimony.text, answers["government"]


class ModerationError(services.ConsultationError):
    """A decision the service refuses (message for the moderator, translated)."""


class StaleDecision(ModerationError):
    """The testimony changed after the moderator opened it."""


@dataclass(frozen=True)
class Suggestion:
    """A suggested redaction in one field of the original, numbered across both fields."""

    index: int
    field: str  # "text" or "government"
    span: redaction.Span


@dataclass(frozen=True)
class Choices:
    """What the moderator chose last time (default: every suggestion, nothing added)."""

    keep: list[int] | None  # None: every suggestion
    extra: list[str]


# --- versions (optimistic concurrency) ------------------------------------------------------


def version_of(testimony: Testimony) -> str:
    """What a decision form carries back: the testimony's last change, to the microsecond."""
    return testimony.updated_at.isoformat()


def parse_version(value: str) -> datetime.datetime | None:
    try:
        parsed = datetime.datetime.fromisoformat(value.strip())
    except (AttributeError, ValueError):
        return None
    return parsed if timezone.is_aware(parsed) else None


def _stale() -> StaleDecision:
    return StaleDecision(
        _(
            "Someone else decided on this testimony meanwhile (or the person changed it). "
            "Nothing was changed: look at it again and decide."
        )
    )


# --- the original, suggestions and choices ----------------------------------------------------


def _original(testimony: Testimony) -> dict[str, Any]:
    """The decrypted original with the moderator's stored choices (services only)."""
    if not testimony.original_token:
        return {
            "text": testimony.text,
            "government": testimony.answers.get("government", ""),
        }
    data: dict[str, Any] = json.loads(crypto.decrypt(testimony.original_token))
    return data


def _names(testimony: Testimony) -> list[str]:
    name = services.identity_of(testimony).get("name", "")
    return [name] if name else []


def suggestions_for(original: dict[str, Any], names: Sequence[str]) -> list[Suggestion]:
    found: list[Suggestion] = []
    for field_name in FIELDS:
        for span in redaction.suggest(original.get(field_name) or "", names=names):
            found.append(Suggestion(len(found), field_name, span))
    return found


def choices_of(original: dict[str, Any]) -> Choices:
    stored = original.get("redaction") or {}
    keep = stored.get("keep")
    return Choices(
        keep=[int(i) for i in keep] if isinstance(keep, list) else None,
        extra=[str(p) for p in stored.get("extra", [])],
    )


def clean_phrases(lines: Iterable[str]) -> list[str]:
    """One phrase per line, stripped, duplicates dropped (case-insensitively)."""
    phrases: list[str] = []
    seen: set[str] = set()
    for line in lines:
        phrase = " ".join(line.split())
        if not phrase or redaction.fold(phrase) in seen:
            continue
        if len(phrase) < 2:
            raise ModerationError(
                _("“%s” is too short to redact: give at least two characters.") % phrase
            )
        if len(phrase) > MAX_PHRASE:
            raise ModerationError(
                _("A phrase to redact is longer than %d characters.") % MAX_PHRASE
            )
        seen.add(redaction.fold(phrase))
        phrases.append(phrase)
    if len(phrases) > MAX_EXTRA_PHRASES:
        raise ModerationError(_("Give at most %d phrases to redact.") % MAX_EXTRA_PHRASES)
    return phrases


def _phrase_spans(text: str, phrases: Sequence[str]) -> list[redaction.Span]:
    """Every occurrence of each phrase, ignoring case and accents (`fold` keeps offsets)."""
    folded = redaction.fold(text)
    spans: list[redaction.Span] = []
    for phrase in phrases:
        words = redaction.fold(phrase).split()
        pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
        for match in pattern.finditer(folded):
            spans.append(
                redaction.Span(match.start(), match.end(), OTHER, text[match.start() : match.end()])
            )
    return spans


def _placeholder(kind: str) -> str:
    return str(OTHER_PLACEHOLDER) if kind == OTHER else redaction.default_placeholder(kind)


def _merged_count(spans: Iterable[redaction.Span]) -> int:
    """How many placeholders `redaction.apply` writes for these spans (overlaps merge)."""
    count, end = 0, -1
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if count and span.start < end:
            end = max(end, span.end)
            continue
        count, end = count + 1, span.end
    return count


@dataclass(frozen=True)
class Redacted:
    text: str
    government: str
    count: int  # placeholders written in both fields


def compute(
    original: dict[str, Any],
    suggestions: Sequence[Suggestion],
    keep: Iterable[int] | None,
    extra: Sequence[str],
) -> Redacted:
    """The redacted fields for these choices (a pure function: previews use it too)."""
    kept = {s.index for s in suggestions} if keep is None else set(keep)
    out: dict[str, str] = {}
    count = 0
    for field_name in FIELDS:
        source = original.get(field_name) or ""
        spans = [s.span for s in suggestions if s.field == field_name and s.index in kept]
        spans += _phrase_spans(source, extra)
        out[field_name] = redaction.apply(source, spans, _placeholder)
        count += _merged_count(spans)
    return Redacted(out["text"], out["government"], count)


# --- reading (moderators) -------------------------------------------------------------------


@dataclass(frozen=True)
class OriginalView:
    """Everything the moderator's detail page shows about the words of a testimony."""

    original: dict[str, str]
    suggestions: list[Suggestion]
    choices: Choices
    preview: Redacted


def view_original(testimony: Testimony, *, actor: Actor) -> OriginalView:
    """The original words, the suggested redactions and the moderator's last choices, for a
    moderator of the consultation; every view is logged in `IdentityAccess` (as identity)."""
    require_perm(actor, "consultations.view_original", testimony.consultation)
    assert actor is not None  # the rule has no command-line path
    testimony.refresh_from_db()  # the words as they are now, not as the caller last read them
    if testimony.is_withdrawn:
        raise ModerationError(_("This testimony was withdrawn: nothing of it is left to see."))
    IdentityAccess.objects.create(testimony=testimony, user=actor)
    original = _original(testimony)
    suggestions = suggestions_for(original, _names(testimony))
    choices = choices_of(original)
    return OriginalView(
        original={"text": original.get("text", ""), "government": original.get("government", "")},
        suggestions=suggestions,
        choices=choices,
        preview=compute(original, suggestions, choices.keep, choices.extra),
    )


def preview(
    testimony: Testimony, *, actor: Actor, keep: Iterable[int] | None, extra: Sequence[str]
) -> Redacted:
    """What the redacted text would be with these choices (nothing is saved)."""
    require_perm(actor, "consultations.view_original", testimony.consultation)
    original = _original(testimony)
    return compute(original, suggestions_for(original, _names(testimony)), keep, extra)


def queue(consultation: Consultation, status: str = TestimonyStatus.NEW) -> QuerySet[Testimony]:
    """One tab of the moderation queue, oldest first (moderation pages only)."""
    return consultation.testimonies.filter(status=status).order_by("created_at", "pk")


def status_counts(consultation: Consultation) -> dict[str, int]:
    counts = dict.fromkeys(QUEUE_STATUSES, 0)
    rows = consultation.testimonies.values("status").annotate(n=Count("pk")).order_by()
    for found in rows:
        counts[found["status"]] = found["n"]
    return counts


def neighbours(testimony: Testimony, status: str) -> tuple[Testimony | None, Testimony | None]:
    """The previous and next items of the queue tab `status` around this testimony."""
    tab = queue(testimony.consultation, status).exclude(pk=testimony.pk)
    key = (testimony.created_at, testimony.pk)
    earlier = tab.filter(created_at__lt=key[0]) | tab.filter(created_at=key[0], pk__lt=key[1])
    later = tab.filter(created_at__gt=key[0]) | tab.filter(created_at=key[0], pk__gt=key[1])
    return (
        earlier.order_by("-created_at", "-pk").first(),
        later.order_by("created_at", "pk").first(),
    )


def next_new(consultation: Consultation, *, after: Testimony | None = None) -> Testimony | None:
    """The testimony to decide next: the first new one after `after` in the queue's order,
    else the oldest new one left (the moderator works down the queue, then wraps around)."""
    waiting = queue(consultation, TestimonyStatus.NEW)
    if after is None:
        return waiting.first()
    waiting = waiting.exclude(pk=after.pk)
    _previous, following = neighbours(after, TestimonyStatus.NEW)
    return following or waiting.first()


def decisions_of(testimony: Testimony) -> QuerySet[ModerationDecision]:
    return testimony.decisions.select_related("user__profile").order_by("-at", "-pk")


# --- writing (moderators) -------------------------------------------------------------------


def _locked(testimony: Testimony, *, actor: Actor, expected: datetime.datetime | None):
    """The testimony re-read under a row lock (PostgreSQL; SQLite's IMMEDIATE transactions
    serialise writers), refused if withdrawn or changed since the moderator's `expected`."""
    require_perm(actor, "consultations.moderate", testimony.consultation)
    current = Testimony.objects.select_for_update().get(pk=testimony.pk)
    if current.is_withdrawn:
        raise ModerationError(_("This testimony was withdrawn: it cannot be moderated."))
    if expected is not None and current.updated_at != expected:
        raise _stale()
    return current


def _note(note: str) -> str:
    # Control characters out, one line: the note is shown in the audit trail as it is.
    return " ".join(services._clean_text(note, MAX_NOTE).split())


def _redact_in_place(
    current: Testimony, keep: Iterable[int] | None, extra: Sequence[str]
) -> tuple[int, bool]:
    """Recompute the redacted fields from the original; (count, whether they changed)."""
    original = _original(current)
    suggestions = suggestions_for(original, _names(current))
    keep = None if keep is None else sorted({int(i) for i in keep})
    if keep is not None and any(i < 0 or i >= len(suggestions) for i in keep):
        raise _stale()  # indexes of suggestions the moderator did not see
    result = compute(original, suggestions, keep, extra)
    answers = dict(current.answers)
    before = (current.text, answers.get("government", ""))
    current.text = result.text
    if result.government or answers.get("government"):
        answers["government"] = result.government
    current.answers = answers
    if current.original_token:
        # The choices stay with the original (encrypted), so the next decision starts from them.
        original["redaction"] = {"keep": keep, "extra": list(extra)}
        current.original_token = crypto.encrypt(json.dumps(original))
    return result.count, before != (current.text, answers.get("government", ""))


def _record(
    current: Testimony,
    *,
    actor: Actor,
    from_status: str,
    redactions: int = 0,
    note: str = "",
) -> ModerationDecision:
    return ModerationDecision.objects.create(
        testimony=current,
        user=actor,
        from_status=from_status,
        to_status=current.status,
        redactions=redactions,
        note=_note(note),
    )


def set_status(
    testimony: Testimony,
    to_status: str,
    *,
    actor: Actor,
    note: str = "",
    expected: datetime.datetime | None = None,
) -> Testimony:
    """Approve, ask for more redaction, or reject; audited."""
    return decide(testimony, to_status, actor=actor, note=note, expected=expected, redact=False)


def redact(
    testimony: Testimony,
    *,
    actor: Actor,
    keep_suggested: list[int] | None,
    extra: Sequence[str] = (),
    note: str = "",
    expected: datetime.datetime | None = None,
) -> Testimony:
    """Recompute the redacted text from the original: the suggestions at `keep_suggested`
    (indexes into `suggestions_for`; None: all) and every occurrence of each `extra` phrase.
    Audited with the number of redactions; the status is unchanged."""
    return decide(
        testimony,
        None,
        actor=actor,
        keep_suggested=keep_suggested,
        extra=extra,
        note=note,
        expected=expected,
    )


def decide(
    testimony: Testimony,
    to_status: str | None,
    *,
    actor: Actor,
    keep_suggested: list[int] | None = None,
    extra: Sequence[str] = (),
    note: str = "",
    expected: datetime.datetime | None = None,
    redact: bool = True,
) -> Testimony:
    """The moderator's form in one step: redact as chosen (unless `redact` is False), then
    set `to_status` (None: keep it). One transaction, one audit row."""
    if to_status is not None and to_status not in DECISIONS:
        raise ModerationError(_("A moderator can approve, ask for redaction or reject."))
    extra = clean_phrases(extra)
    with transaction.atomic():
        current = _locked(testimony, actor=actor, expected=expected)
        from_status = current.status
        count, changed = 0, False
        if redact:
            count, changed = _redact_in_place(current, keep_suggested, extra)
        if to_status is not None:
            current.status = to_status
        current.save()
        _record(current, actor=actor, from_status=from_status, redactions=count, note=note)
        unapproved = from_status == TestimonyStatus.APPROVED != current.status
        if changed or unapproved:
            # Quotes made from the old text, or from a testimony no longer approved, must
            # follow (receivers run in this transaction).
            signals.testimony_redacted.send(sender=Testimony, testimony=current)
    testimony.refresh_from_db()
    return testimony

"""Apply parsed recommendations to the database: create, update in place, or leave alone.

Every format module parses its file into :class:`RecDraft` objects and hands them here, so the
rules are the same for all sources:

* A recommendation is identified by (review, ``text_key``). For sources with paragraph numbers a
  recommendation of the same source at the same paragraph is also "the same" one, so a corrected
  text updates in place instead of creating a twin.
* Recommending States and labels are owned by their source: an import adds, changes and removes
  only the rows its own file gave, never those of another file or those entered by a person.
* An empty action category in the file keeps one a member accepted from a machine suggestion
  (the member's decision stands; the row counts as unchanged if nothing else differs).
* Nothing is deleted when it vanishes from a newer file; it is kept and reported as a warning.
* Writes are batched (a few statements per thousand rows) and nothing is written when nothing
  changed, so re-importing the same file is both fast and a true no-op.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from uprhub.recommendations.importers.base import ImportSummary
from uprhub.recommendations.models import (
    Label,
    Recommendation,
    RecommendingState,
    Source,
    VoluntaryPledge,
)
from uprhub.recommendations.selectors import accepted_action_categories

BATCH = 500
# Enough to keep every query's parameter list small on SQLite as well as PostgreSQL.
IN_CHUNK = 500


def chunks(items: list, size: int = IN_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_rows(model: type[Model], fields: Sequence[str], rows: list[tuple]) -> None:
    """Insert plain rows whose ids nobody needs back, much faster than ``bulk_create``.

    ``bulk_create`` builds a model instance and compiles every value through the ORM, which is
    most of the time of a large import. Here PostgreSQL gets ``COPY``, SQLite multi-row
    ``INSERT … VALUES (…), (…)``. Both run one statement per batch, which matters on
    PostgreSQL: the search app's statement-level triggers then fire once per batch, not once
    per row. Triggers still fire, so the search index stays in step. Values must already be in
    database form (see ``adapt_datetimefield_value``).
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    meta = model._meta
    table = quote(meta.db_table)
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    # Identifiers come from the model's metadata and values are parameters or COPY data:
    # nothing user-supplied reaches the SQL text.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        # Well under SQLite's limit of 32,766 parameters per statement.
        size = max(1, min(1000, 30_000 // len(fields)))
        for part in chunks(rows, size):
            sql = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one] * len(part))  # noqa: S608
            cursor.execute(sql, [value for row in part for value in row])


@dataclass
class RecDraft:
    """One recommendation as the file describes it, with every name already resolved to ids."""

    review_id: int
    text: str
    key: str
    source_row: int
    position: str
    position_as_published: str
    action_category: int | None = None
    paragraph: str = ""
    # state id → (name as published, row); theme id → row. Insertion order = file order.
    recommenders: dict[int, tuple[str, int]] = field(default_factory=dict)
    labels: dict[int, int] = field(default_factory=dict)

    def add_recommender(self, state_id: int, name: str, row: int) -> bool:
        """False if that State was already a recommender (a duplicated row)."""
        if state_id in self.recommenders:
            return False
        self.recommenders[state_id] = (name.strip()[:200], row)
        return True

    def add_label(self, theme_id: int, row: int) -> None:
        self.labels.setdefault(theme_id, row)


def make_keys_unique(drafts: list[RecDraft]) -> None:
    """Give every draft of a review its own ``text_key``.

    The UN sometimes numbers identical texts from different States as separate items (the US
    list has "Impose a moratorium on executions…" at 26.187 and 26.192). The lowest paragraph
    keeps the plain key, so it still matches the same text from other sources; the others get a
    key salted with their paragraph, stable across re-imports.
    """
    groups: dict[tuple[int, str], list[RecDraft]] = {}
    for draft in drafts:
        groups.setdefault((draft.review_id, draft.key), []).append(draft)
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda d: (Recommendation.paragraph_key(d.paragraph) or 0, d.source_row))
        for draft in group[1:]:
            salted = f"{draft.key}\x1f{draft.paragraph or draft.source_row}"
            draft.key = hashlib.sha1(salted.encode()).hexdigest()  # noqa: S324 - an id, not security


# --- Source ---------------------------------------------------------------------------------


def open_source(kind: str, path: str | Path, sha256: str) -> tuple[Source, bool]:
    """The Source of this file (by kind and file name), created if new. Returns (source, new)."""
    name = Path(path).name
    source = Source.objects.filter(kind=kind, name=name).first()
    if source is not None:
        return source, False
    return Source.objects.create(kind=kind, name=name, sha256=sha256), True


def close_source(source: Source, summary: ImportSummary, sha256: str, *, new: bool) -> None:
    """Record the file's hash and the summary, but only if something changed: re-importing the
    same file must write nothing at all."""
    if not new and source.sha256 == sha256 and source.rows == summary.rows and not summary.changed:
        return
    source.sha256 = sha256
    source.rows = summary.rows
    source.summary = summary.as_dict()
    source.save()


# --- recommendations ------------------------------------------------------------------------

_REC_FIELDS = (
    "review_id",
    "text",
    "text_key",
    "paragraph",
    "position",
    "position_as_published",
    "action_category",
    "source_id",
    "source_row",
)


_REC_UPDATE_FIELDS = [
    "review",
    "text",
    "text_key",
    "paragraph",
    "position",
    "position_as_published",
    "action_category",
    "source",
    "source_row",
    "paragraph_sort",
    "updated_at",
]


def _draft_values(draft: RecDraft, source: Source) -> tuple:
    return (
        draft.review_id,
        draft.text,
        draft.key,
        draft.paragraph,
        draft.position,
        draft.position_as_published[:60],
        draft.action_category,
        source.pk,
        draft.source_row,
    )


def _create_recommendations(
    source: Source,
    drafts: list[RecDraft],
    review_ids: list[int],
    summary: ImportSummary,
    now: datetime.datetime,
) -> list[int]:
    """Insert new recommendations with their recommending States and labels; return their ids.

    Plain executemany inserts (see :func:`insert_rows`); the new ids are then read back by the
    unique (review, text_key) pair rather than trusting the order of a RETURNING clause.
    """
    stamp = connection.ops.adapt_datetimefield_value(now)
    insert_rows(
        Recommendation,
        (*_REC_FIELDS, "paragraph_sort", "created_at", "updated_at"),
        [
            # bulk inserts skip save(), which normally computes the sort key
            (*_draft_values(d, source), Recommendation.paragraph_key(d.paragraph), stamp, stamp)
            for d in drafts
        ],
    )
    ids: dict[tuple[int, str], int] = {}
    for part in chunks(review_ids):
        for pk, review_id, key in Recommendation.objects.filter(review_id__in=part).values_list(
            "pk", "review_id", "text_key"
        ):
            ids[(review_id, key)] = pk
    pks = [ids[(d.review_id, d.key)] for d in drafts]
    recommenders = [
        (pk, state_id, name, source.pk, row)
        for pk, draft in zip(pks, drafts, strict=True)
        for state_id, (name, row) in draft.recommenders.items()
    ]
    insert_rows(
        RecommendingState,
        ("recommendation", "state", "name_as_published", "source", "source_row"),
        recommenders,
    )
    labels = [
        (pk, theme_id, source.pk, row, stamp)
        for pk, draft in zip(pks, drafts, strict=True)
        for theme_id, row in draft.labels.items()
    ]
    insert_rows(Label, ("recommendation", "theme", "source", "source_row", "created_at"), labels)
    summary.created += len(drafts)
    summary.count(_("recommending States added"), len(recommenders))
    summary.count(_("labels added"), len(labels))
    return pks


def _existing_recommendations(review_ids: list[int]) -> list[tuple]:
    rows: list[tuple] = []
    for part in chunks(review_ids):
        rows.extend(
            Recommendation.objects.filter(review_id__in=part).values_list("pk", *_REC_FIELDS)
        )
    return rows


def _owned_rows(model, review_ids: list[int], target: str, fields: Iterable[str]):
    """Rows of RecommendingState / Label for the recommendations of these reviews."""
    rows: list[tuple] = []
    for part in chunks(review_ids):
        rows.extend(
            model.objects.filter(**{"recommendation__review_id__in": part}).values_list(
                "pk", "recommendation_id", target, "source_id", "source_row", *fields
            )
        )
    return rows


def _match(
    source: Source, drafts: list[RecDraft], review_ids: list[int]
) -> tuple[dict[int, tuple], dict[int, int], set[int]]:
    """(current values by pk, draft index → matched pk, matched pks) against the database."""
    existing = _existing_recommendations(review_ids)
    by_key: dict[tuple[int, str], int] = {}
    by_paragraph: dict[tuple[int, str], int] = {}
    current: dict[int, tuple] = {}
    for pk, *values in existing:
        current[pk] = tuple(values)
        review_id, _text, key, paragraph = values[0], values[1], values[2], values[3]
        by_key[(review_id, key)] = pk
        if paragraph and values[7] == source.pk:
            by_paragraph.setdefault((review_id, paragraph), pk)

    # Pass 1 matches on the text, pass 2 on the paragraph (see the module docstring).
    matched: dict[int, int] = {}
    used: set[int] = set()
    for i, draft in enumerate(drafts):
        pk = by_key.get((draft.review_id, draft.key))
        if pk is not None and pk not in used:
            matched[i] = pk
            used.add(pk)
    for i, draft in enumerate(drafts):
        if i in matched or not draft.paragraph:
            continue
        pk = by_paragraph.get((draft.review_id, draft.paragraph))
        if pk is not None and pk not in used:
            matched[i] = pk
            used.add(pk)
    return current, matched, used


def split_new(source: Source, drafts: list[RecDraft]) -> tuple[list[RecDraft], list[RecDraft]]:
    """(drafts no existing row matches: `sync_recommendations` would create them, the rest)."""
    _current, matched, _used = _match(source, drafts, sorted({d.review_id for d in drafts}))
    fresh = [d for i, d in enumerate(drafts) if i not in matched]
    return fresh, [d for i, d in enumerate(drafts) if i in matched]


def create_recommendations(
    source: Source, drafts: list[RecDraft], summary: ImportSummary
) -> list[int]:
    """Insert `drafts` (all new, see `new_recommendations`) now; return their ids."""
    review_ids = sorted({d.review_id for d in drafts})
    return _create_recommendations(source, drafts, review_ids, summary, timezone.now())


def sync_recommendations(
    source: Source,
    drafts: list[RecDraft],
    summary: ImportSummary,
    *,
    new_source: bool,
    also_in_file: Iterable[int] = (),
) -> None:
    """Make the database hold ``drafts`` for ``source``; count created / updated / unchanged.

    ``also_in_file``: ids of this file's recommendations written already (a batched import),
    so they are not reported as vanished from it.
    """
    now = timezone.now()
    review_ids = sorted({d.review_id for d in drafts})
    current, matched, used = _match(source, drafts, review_ids)

    _keep_accepted_actions(drafts, matched, current)

    # "changed" = what the recommendation says changed (counted as updated); "renumbered" = only
    # its line numbers moved because rows were added or removed above it (saved, not counted).
    changed: set[int] = set()
    renumbered: set[int] = set()
    updates: list[Recommendation] = []
    for i, pk in matched.items():
        wanted = _draft_values(drafts[i], source)
        if current[pk] != wanted:
            rec = Recommendation(pk=pk, **dict(zip(_REC_FIELDS, wanted, strict=True)))
            rec.paragraph_sort = Recommendation.paragraph_key(rec.paragraph)
            rec.updated_at = now
            updates.append(rec)
            (changed if current[pk][:-1] != wanted[:-1] else renumbered).add(pk)

    if matched:
        _sync_owned(
            RecommendingState,
            "state_id",
            ("name_as_published",),
            {pk: drafts[i].recommenders for i, pk in matched.items()},
            review_ids,
            source,
            (changed, renumbered),
            summary,
            _("recommending States"),
        )
        _sync_owned(
            Label,
            "theme_id",
            (),
            {pk: {t: (row,) for t, row in drafts[i].labels.items()} for i, pk in matched.items()},
            review_ids,
            source,
            (changed, renumbered),
            summary,
            _("labels"),
            row_first=True,
        )

    if updates:
        Recommendation.objects.bulk_update(updates, _REC_UPDATE_FIELDS, batch_size=BATCH)
    summary.updated += len(changed)
    summary.unchanged += len(matched) - len(changed)
    summary.count(_("line numbers refreshed"), len(renumbered - changed))

    new_drafts = [d for i, d in enumerate(drafts) if i not in matched]
    if new_drafts:
        _create_recommendations(source, new_drafts, review_ids, summary, now)

    if not new_source:
        _warn_vanished(source, used | set(also_in_file), summary)


_ACTION = _REC_FIELDS.index("action_category")


def _keep_accepted_actions(
    drafts: list[RecDraft], matched: dict[int, int], current: dict[int, tuple]
) -> None:
    """A file without an Action must not clear a category a member accepted from a machine
    suggestion: the draft takes that category, so an otherwise identical row is unchanged."""
    candidates = {
        pk: i
        for i, pk in matched.items()
        if drafts[i].action_category is None and current[pk][_ACTION] is not None
    }
    if not candidates:
        return
    for pk, category in accepted_action_categories(candidates).items():
        drafts[candidates[pk]].action_category = category


def _sync_owned(
    model,
    target: str,
    fields: tuple[str, ...],
    wanted: dict[int, dict[int, tuple]],
    review_ids: list[int],
    source: Source,
    marks: tuple[set[int], set[int]],
    summary: ImportSummary,
    noun: str,
    *,
    row_first: bool = False,
) -> None:
    """Recommending States or labels of the matched recommendations: add what the file has,
    update this source's rows that differ, remove this source's rows the file no longer has.

    ``wanted`` maps recommendation id → {state or theme id → values}, where values are
    (name, row) for recommending States and (row,) for labels (``row_first``). ``marks`` are the
    (changed, renumbered) sets of recommendation ids to add to.
    """
    changed, renumbered = marks
    have: dict[int, dict[int, tuple]] = {}
    for pk, rec_id, target_id, source_id, source_row, *extra in _owned_rows(
        model, review_ids, target, fields
    ):
        if rec_id in wanted:
            have.setdefault(rec_id, {})[target_id] = (pk, source_id, source_row, *extra)
    to_create, to_update, to_delete = [], [], []
    for rec_id, items in wanted.items():
        present = have.get(rec_id, {})
        for target_id, values in items.items():
            row = values[0] if row_first else values[1]
            extra = () if row_first else (values[0],)
            found = present.get(target_id)
            if found is None:
                obj = model(recommendation_id=rec_id, source_id=source.pk, source_row=row)
                setattr(obj, target, target_id)
                for name, value in zip(fields, extra, strict=True):
                    setattr(obj, name, value)
                to_create.append(obj)
                changed.add(rec_id)
            elif found[1] == source.pk and (found[2], *found[3:]) != (row, *extra):
                obj = model(pk=found[0], recommendation_id=rec_id, source_id=source.pk)
                setattr(obj, target, target_id)
                obj.source_row = row
                for name, value in zip(fields, extra, strict=True):
                    setattr(obj, name, value)
                to_update.append(obj)
                (changed if tuple(found[3:]) != extra else renumbered).add(rec_id)
            # A row of another source (or entered by a person) already says the same: keep it.
        for target_id, found in present.items():
            if found[1] == source.pk and target_id not in items:
                to_delete.append(found[0])
                changed.add(rec_id)
    if to_create:
        model.objects.bulk_create(to_create, batch_size=BATCH)
        summary.count(_("%(things)s added") % {"things": noun}, len(to_create))
    if to_update:
        model.objects.bulk_update(to_update, ["source_row", *fields], batch_size=BATCH)
        summary.count(_("%(things)s updated") % {"things": noun}, len(to_update))
    for part in chunks(to_delete):
        model.objects.filter(pk__in=part).delete()
    if to_delete:
        summary.count(_("%(things)s removed") % {"things": noun}, len(to_delete))


def _warn_vanished(source: Source, used: set[int], summary: ImportSummary) -> None:
    """Recommendations this source gave before but the new file no longer has: kept, reported."""
    gone = [
        (row, paragraph)
        for pk, row, paragraph in Recommendation.objects.filter(source=source).values_list(
            "pk", "source_row", "paragraph"
        )
        if pk not in used
    ]
    for row, paragraph in sorted(gone, key=lambda item: item[0] or 0):
        summary.warn(
            None,
            _(
                "the recommendation imported from line %(row)s%(paragraph)s of an earlier version "
                "of this file is no longer in it; it was kept"
            )
            % {"row": row, "paragraph": f" ({paragraph})" if paragraph else ""},
        )


# --- voluntary pledges ----------------------------------------------------------------------


@dataclass
class PledgeDraft:
    review_id: int
    text: str
    key: str
    source_row: int
    themes: list[int] = field(default_factory=list)


def sync_pledges(
    source: Source, drafts: list[PledgeDraft], summary: ImportSummary, *, new_source: bool
) -> None:
    """Voluntary pledges: same rules as recommendations (identity = review + text key)."""
    review_ids = sorted({d.review_id for d in drafts})
    current: dict[tuple[int, str], tuple] = {}
    for part in chunks(review_ids):
        for pk, review_id, key, text, source_id, row in VoluntaryPledge.objects.filter(
            review_id__in=part
        ).values_list("pk", "review_id", "text_key", "text", "source_id", "source_row"):
            current[(review_id, key)] = (pk, text, source_id, row)
    through = VoluntaryPledge.themes.through
    themes: dict[int, set[int]] = {}
    for part in chunks(review_ids):
        for pledge_id, theme_id in through.objects.filter(
            voluntarypledge__review_id__in=part
        ).values_list("voluntarypledge_id", "theme_id"):
            themes.setdefault(pledge_id, set()).add(theme_id)

    new: list[tuple[VoluntaryPledge, PledgeDraft]] = []
    updates: list[VoluntaryPledge] = []
    links: list = []
    unlink: list[tuple[int, int]] = []
    used: set[int] = set()
    for draft in drafts:
        found = current.get((draft.review_id, draft.key))
        if found is None:
            pledge = VoluntaryPledge(
                review_id=draft.review_id,
                text=draft.text,
                text_key=draft.key,
                source_id=source.pk,
                source_row=draft.source_row,
            )
            new.append((pledge, draft))
            continue
        pk, text, source_id, row = found
        used.add(pk)
        is_changed = (text, source_id) != (draft.text, source.pk)
        if is_changed or row != draft.source_row:
            updates.append(
                VoluntaryPledge(
                    pk=pk, text=draft.text, source_id=source.pk, source_row=draft.source_row
                )
            )
        have = themes.get(pk, set())
        wanted = set(draft.themes)
        for theme_id in wanted - have:
            links.append(through(voluntarypledge_id=pk, theme_id=theme_id))
        for theme_id in have - wanted:
            unlink.append((pk, theme_id))
        if is_changed or wanted != have:
            summary.updated += 1
        else:
            summary.unchanged += 1
    if updates:
        VoluntaryPledge.objects.bulk_update(
            updates, ["text", "source", "source_row"], batch_size=BATCH
        )
    for pk, theme_id in unlink:
        through.objects.filter(voluntarypledge_id=pk, theme_id=theme_id).delete()
    if new:
        VoluntaryPledge.objects.bulk_create([p for p, _d in new], batch_size=BATCH)
        for pledge, draft in new:
            links.extend(
                through(voluntarypledge_id=pledge.pk, theme_id=t)
                for t in dict.fromkeys(draft.themes)
            )
        summary.created += len(new)
    if links:
        through.objects.bulk_create(links, batch_size=BATCH)
        summary.count(_("pledge themes linked"), len(links))
    if unlink:
        summary.count(_("pledge themes unlinked"), len(unlink))
    if not new_source:
        used.update(p.pk for p, _d in new)
        for pk, row in VoluntaryPledge.objects.filter(source=source).values_list(
            "pk", "source_row"
        ):
            if pk not in used:
                summary.warn(
                    None,
                    _(
                        "the pledge imported from line %(row)s of an earlier version of this file "
                        "is no longer in it; it was kept"
                    )
                    % {"row": row},
                )

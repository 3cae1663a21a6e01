"""In-memory lookups for one import: State names, sessions, reviews, vocabularies and themes.

Everything is read once up front (a few hundred rows) so that parsing tens of thousands of rows
costs no queries; missing things (an unknown State name, a new theme) are created the first
time they are met — once per distinct value, never once per row.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from collections.abc import Callable

from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify
from django.utils.translation import gettext as _

from uprhub.recommendations.importers.base import ImportSummary, WarningKind
from uprhub.recommendations.importers.text import cycle_for_session, sdg_name
from uprhub.recommendations.models import Theme, Vocabulary, VocabularyKind
from uprhub.reviews.models import (
    Cycle,
    RegionalGroup,
    Review,
    Session,
    State,
    StateAlias,
    StateKind,
)
from uprhub.reviews.names import UPRINFO_REGION_NAMES, normalise_name

_ADDENDUM = re.compile(r"/Add\.\d+$", re.IGNORECASE)
UNKNOWN_CODE = "UNKNOWN"  # the reference data's record for names the source itself left unknown

# Vocabularies are versioned per source and cycle (domain brief §5): never mix them.
VOCABULARIES: dict[str, dict[str, str]] = {
    "uprinfo-issues": {
        "name": "UPR Info issues",
        "kind": VocabularyKind.ISSUE,
        "version": "2015 export",
        "description": "The 54 issues of UPR Info's database (sessions 1–17).",
    },
    "sdg": {
        "name": "Sustainable Development Goals",
        "kind": VocabularyKind.SDG,
        "version": "goal level",
        "description": "The 17 goals of the 2030 Agenda, as OHCHR links them to recommendations.",
    },
}
_ORDINAL = {1: "1st", 2: "2nd", 3: "3rd"}


def ohchr_themes_slug(cycle: int) -> str:
    return f"ohchr-themes-cycle{cycle}"


def ohchr_groups_slug(cycle: int) -> str:
    return f"ohchr-groups-cycle{cycle}"


def _vocabulary_defaults(slug: str) -> dict[str, str]:
    if slug in VOCABULARIES:
        return VOCABULARIES[slug]
    for prefix, name, kind in (
        ("ohchr-themes-cycle", "OHCHR human rights themes", VocabularyKind.ISSUE),
        ("ohchr-groups-cycle", "OHCHR groups of persons", VocabularyKind.GROUP),
    ):
        if slug.startswith(prefix) and slug[len(prefix) :].isdigit():
            cycle = int(slug[len(prefix) :])
            ordinal = _ORDINAL.get(cycle, f"{cycle}th")
            return {
                "name": f"{name} ({ordinal} cycle)",
                "kind": kind,
                "version": f"{ordinal} cycle",
                "description": "As used in OHCHR thematic lists and UHRI exports of that cycle.",
            }
    raise KeyError(slug)


class Lookups:
    """Caches for one import. ``summary`` receives the warnings about names it could not match."""

    def __init__(self, summary: ImportSummary) -> None:
        self.summary = summary
        self.states: dict[int, State] = {s.pk: s for s in State.objects.all()}
        self.codes: set[str] = {s.code for s in self.states.values()}
        self.alias_index: dict[str, int] = dict(StateAlias.objects.values_list("key", "state_id"))
        self._by_name: dict[str, State | None] = {}
        self.sessions: dict[int, Session] = {s.number: s for s in Session.objects.all()}
        self.reviews: dict[tuple[int, int], int] = {
            (state_id, session_id): pk
            for pk, state_id, session_id in Review.objects.values_list(
                "pk", "state_id", "session_id"
            )
        }
        self._vocabularies: dict[str, Vocabulary] = {}
        self._themes: dict[str, dict[str, int]] = {}
        self._theme_codes: dict[str, dict[str, int]] = {}
        self._unknown_seen: set[str] = set()
        # Rows this import created, in order: a batched import that fails deletes them again.
        self.created: list[tuple[type[Model], int]] = []
        # A batched import's journal: told of each row in the transaction that creates it.
        self.journal: Callable[[type[Model], list[int]], None] | None = None

    def _created(self, model: type[Model], pk: int) -> None:
        self.created.append((model, pk))
        if self.journal is not None:
            self.journal(model, [pk])

    # --- States ----------------------------------------------------------------------------

    def find_state(self, name: str) -> State | None:
        """The State a name means, or ``None`` (no creation, no warning)."""
        try:
            return self._by_name[name]
        except KeyError:
            pass
        key = normalise_name(name)
        state_id = self.alias_index.get(key) if key else None
        state = self.states.get(state_id) if state_id is not None else None
        self._by_name[name] = state
        return state

    def is_known_state(self, name: str) -> bool:
        state = self.find_state(name)
        return state is not None and state.kind != StateKind.UNKNOWN

    @property
    def unknown_state(self) -> State:
        """The "Unknown" State of the reference data (UPR Info's "&#40;Unknown&#41;")."""
        state = self.find_state("Unknown")
        if state is None:
            state = self._create_unknown("Unknown", region="")
        return state

    def state(self, name: str, line: int | None, *, region: str = "") -> State:
        """The State ``name`` means, creating a visible *unknown* State when nothing matches.

        ``region`` (a UPR Info regional-group label) is only used for a new unknown State: for
        known States the reference data is the authority.
        """
        state = self.find_state(name)
        if state is None:
            if not normalise_name(name):
                self.summary.warn(
                    line, _("no State name: recorded as Unknown"), WarningKind.MISSING
                )
                return self.unknown_state
            state = self._create_unknown(name, region=region)
        # Warn on every import, not only the one that created it, so unknowns stay visible.
        if (
            state.kind == StateKind.UNKNOWN
            and state.code != UNKNOWN_CODE
            and (state.code not in self._unknown_seen)
        ):
            self._unknown_seen.add(state.code)
            self.summary.warn(
                line,
                _("unknown State name %(name)r: kept as %(code)s (add an alias to match it)")
                % {"name": name.strip(), "code": state.code},
                WarningKind.UNKNOWN_NAME,
            )
        return state

    def _create_unknown(self, name: str, *, region: str) -> State:
        shown = html.unescape(name).strip()[:200] or "Unknown"
        key = normalise_name(name)[:200]
        slug = slugify(shown).upper() or hashlib.sha1(shown.encode()).hexdigest()[:8].upper()  # noqa: S324
        base = ("X-" + slug)[:40]
        code, n = base, 2
        while code in self.codes:
            suffix = f"-{n}"
            code, n = base[: 40 - len(suffix)] + suffix, n + 1
        group = UPRINFO_REGION_NAMES.get(html.unescape(region).strip(), "")
        # Each creation and its journal record commit together (outside an import's transaction).
        with transaction.atomic():
            state = State.objects.create(
                code=code,
                iso3="",
                un_name=shown,
                short_name=shown[:120],
                regional_group=group if group in RegionalGroup.values else "",
                kind=StateKind.UNKNOWN,
            )
            self._created(State, state.pk)
            if key:
                alias = StateAlias.objects.create(state=state, name=shown, key=key)
                self._created(StateAlias, alias.pk)
        self.summary.count(_("unknown States created"))
        if key:
            self.alias_index[key] = state.pk
        self.states[state.pk] = state
        self.codes.add(code)
        self._by_name[name] = state
        return state

    # --- sessions and reviews --------------------------------------------------------------

    def session(self, number: int) -> Session:
        session = self.sessions.get(number)
        if session is None:
            with transaction.atomic():
                cycle, new_cycle = Cycle.objects.get_or_create(number=cycle_for_session(number))
                if new_cycle:
                    self._created(Cycle, cycle.pk)
                session = Session.objects.create(number=number, cycle=cycle)
                self._created(Session, session.pk)
            self.summary.count(_("sessions created"))
            self.sessions[number] = session
        return session

    def review_id(self, state: State, session_number: int) -> int:
        """The review of ``state`` at that session, created (with its symbols) when missing."""
        key = (state.pk, session_number)
        pk = self.reviews.get(key)
        if pk is None:
            review = Review(state=state, session=self.session(session_number))
            with transaction.atomic():
                review.save()  # Review.save() fills the /1 /2 /3 symbols
                self._created(Review, review.pk)
            self.summary.count(_("reviews created"))
            pk = self.reviews[key] = review.pk
        return pk

    # --- vocabularies and themes -----------------------------------------------------------

    def vocabulary(self, slug: str) -> Vocabulary:
        vocabulary = self._vocabularies.get(slug)
        if vocabulary is None:
            with transaction.atomic():
                vocabulary, created = Vocabulary.objects.get_or_create(
                    slug=slug, defaults=_vocabulary_defaults(slug)
                )
                if created:
                    self._created(Vocabulary, vocabulary.pk)
            if created:
                self.summary.count(_("vocabularies created"))
            self._vocabularies[slug] = vocabulary
            names: dict[str, int] = {}
            codes: dict[str, int] = {}
            for pk, name, code in vocabulary.themes.values_list("pk", "name", "code"):
                names[name.casefold()] = pk
                if code:
                    codes[code] = pk
            self._themes[slug] = names
            self._theme_codes[slug] = codes
        return vocabulary

    def theme_id(self, slug: str, name: str, code: str = "") -> int:
        """The theme ``name`` (case-insensitive) of vocabulary ``slug``, created when missing."""
        vocabulary = self.vocabulary(slug)
        names = self._themes[slug]
        folded = name.casefold()
        pk = names.get(folded)
        if pk is None and code:
            pk = self._theme_codes[slug].get(code)
        if pk is None:
            with transaction.atomic():
                pk = Theme.objects.create(vocabulary=vocabulary, name=name[:255], code=code[:20]).pk
                self._created(Theme, pk)
            self.summary.count(_("themes created"))
            names[folded] = pk
            if code:
                self._theme_codes[slug][code] = pk
        return pk

    def sdg_id(self, number: int) -> int:
        """The goal-level SDG theme (code "5", name "SDG 5 – Gender equality")."""
        return self.theme_id("sdg", sdg_name(number), str(number))

    def review(self, pk: int) -> Review:
        return Review.objects.select_related("state", "session").get(pk=pk)

    def record_symbols(self, review_id: int, symbols: Counter[str]) -> None:
        """Fill a review's Working Group report and responses (Add.1) symbols from the document
        symbols a file cites, when the review does not have them yet; never overwrite."""
        if not symbols:
            return
        review = self.review(review_id)
        ranked = [s for s, _n in symbols.most_common()]
        addenda = [s for s in ranked if _ADDENDUM.search(s)]
        wanted: dict[str, str] = {}
        if addenda:
            wanted["responses_symbol"] = addenda[0]
            wanted["wg_report_symbol"] = _ADDENDUM.sub("", addenda[0])
        elif ranked:
            wanted["wg_report_symbol"] = ranked[0]
        changed = []
        for field, value in wanted.items():
            current = getattr(review, field)
            if not current:
                setattr(review, field, value[:60])
                changed.append(field)
            elif current != value:
                self.summary.warn(
                    None,
                    _("the file cites %(value)s but the review's %(field)s is %(current)s; kept")
                    % {"value": value, "field": field, "current": current},
                )
        if changed:
            review.save(update_fields=changed)
            self.summary.count(_("review symbols filled"), len(changed))

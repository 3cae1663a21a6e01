"""Carry-forward: a later cycle's recommendation asks for the same measure as an earlier one.

``link_cycles(later_review)`` compares each recommendation of a review with those of the same
State's nearest earlier review that has recommendations (the bundled data hold the United
States' 1st cycle, from UPR Info, and its 3rd, from OHCHR: the 3rd links to the 1st) and stores
a `CarryForward` for each earlier one whose :mod:`.similarity` reaches ``LINK_THRESHOLD`` (the
best ``MAX_LINKS`` at most). A later recommendation with no link is *new* (nothing stored).

The kind of link, a documented heuristic on the recommendation's opening (its action verb):

* each text gets a *strength*: 1 considering ("consider", "explore", "study"…), 2 continuing
  ("continue", "pursue", "strengthen efforts"…), 3 general ("take measures", "ensure",
  "combat"…), 4 specific ("ratify", "abolish", "close", "repeal", "adopt", "establish"…), in the
  spirit of UPR Info's action categories (which only the UPR Info data carry, so the text
  decides for both sides);
* a step up the ladder of a measure counts too: a moratorium → abolition of the death penalty,
  signing → ratifying a treaty;
* *strengthened* when the later text is stronger by either test, *repeated* otherwise.

``LINK_THRESHOLD`` was read off the real pairs (US 3rd cycle against 1st): from 0.5 up the pairs
are the same measure (116 of the 347 linked, 87 repeated and 29 strengthened, 231 new:
ratifications, the death penalty, Guantánamo, the Cuba embargo, racial profiling…); between
0.4 and 0.5 most share a theme but not the measure ("combat racism" / "a fair immigration
policy"). Known misses above it: very short earlier texts ("Accede to ICC") meet any text
naming the court (the sanctions on its staff). Whole-data relinking (the first run's load:
72 later reviews of sessions 13–17 and the US) takes about 9 s on two busy cores.

Relinking replaces the later review's machine links and keeps those people made (``manual``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction

from uprhub.core.rules import require_perm
from uprhub.recommendations.models import Recommendation
from uprhub.reviews.models import Review
from uprhub.search.index import mark_changed

from .models import CarryForward, LinkKind
from .similarity import similarity

log = logging.getLogger(__name__)

LINK_THRESHOLD = 0.5
MAX_LINKS = 3
METHOD = f"tfidf-{LINK_THRESHOLD:g}"
MANUAL = "manual"

CONSIDERING, CONTINUING, GENERAL, SPECIFIC = 1, 2, 3, 4
# The opening words that say how strong the ask is, checked in this order (first match wins).
_OPENINGS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (
        CONSIDERING,
        re.compile(
            r"^(?:consider|explore|study|examine|reflect|look into|take into consideration|"
            r"give consideration|envisage|reconsider|seek|think)",
        ),
    ),
    (
        CONTINUING,
        re.compile(
            r"^(?:continue|pursue|proceed|maintain|keep|persevere|further|carry on|"
            r"(?:strengthen|step up|intensify|redouble|increase|enhance|advance)\b"
            r"(?:\s+\w+)?\s+(?:efforts|work|measures|steps))",
        ),
    ),
    (
        SPECIFIC,
        re.compile(
            r"^(?:ratify|accede|become (?:a )?party|abolish|close|repeal|rescind|revoke|lift|"
            r"end|adopt|enact|establish|create|impose|introduce|declare|reinstate|restore|"
            r"withdraw|ban|prohibit|criminali[sz]e|release|sign|issue|extend|amend|"
            r"implement|finali[sz]e|expedite|accelerate|ensure the speedy)",
        ),
    ),
)
# Steps up one measure's ladder: (weaker, stronger) patterns found anywhere in the texts.
_LADDERS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"\bmoratori"), re.compile(r"\babolish|\babolition")),
    (re.compile(r"^sign\b(?! and ratify)"), re.compile(r"\bratif|\baccede|\baccession")),
)


# A preamble that only says "do it": "Take all necessary measures to impose a moratorium" is
# judged by "impose".
_PREAMBLE = re.compile(
    r"^(?:(?:take|taking|adopt) (?:all |the )?"
    r"(?:(?:necessary|appropriate|concrete|further|effective) )*"
    r"(?:measures|steps|action)(?: in order| with a view)? to |that steps be taken to )"
)

_ADVERB = re.compile(r"^(?:(?!apply|comply|supply|rely)\w{3,}ly,? )+")


def strength(text: str) -> int:
    """How strong the ask is, from its opening words (see the module docstring)."""
    opening = _PREAMBLE.sub("", " ".join(text.lower().split()))
    opening = _ADVERB.sub("", opening)  # "swiftly ratify" is "ratify"
    for value, pattern in _OPENINGS:
        if pattern.match(opening):
            return value
    return GENERAL


def _ladder_up(later: str, earlier: str) -> bool:
    """The later text asks for the next rung of a measure the earlier asked the first of."""
    later, earlier = later.lower(), earlier.lower()
    for weaker, stronger in _LADDERS:
        if weaker.search(earlier) and not stronger.search(earlier) and stronger.search(later):
            return True
    return False


def kind_of(later: str, earlier: str) -> str:
    if strength(later) > strength(earlier) or _ladder_up(later, earlier):
        return LinkKind.STRENGTHENED
    return LinkKind.REPEATED


def _cycle(review: Review) -> int:
    return int(review.session.cycle_id)


def nearest_earlier_review(review: Review) -> Review | None:
    """The same State's nearest earlier review that has recommendations."""
    return (
        Review.objects.filter(
            state_id=review.state_id,
            session__cycle_id__lt=review.session.cycle_id,
            recommendations__isnull=False,
        )
        .select_related("session")
        .order_by("-session__cycle_id", "-session__number")
        .distinct()
        .first()
    )


@dataclass
class LinkRun:
    later_review: int
    earlier_review: int | None
    later_cycle: int
    earlier_cycle: int | None
    method: str = METHOD
    removed: int = 0
    compared: int = 0
    links: list[dict[str, object]] = field(default_factory=list)

    @property
    def linked(self) -> int:
        return len({link["later"] for link in self.links})

    def counts(self) -> dict[str, int]:
        kinds = {LinkKind.REPEATED.value: 0, LinkKind.STRENGTHENED.value: 0}
        best: dict[object, str] = {}
        for link in self.links:  # a recommendation counts once, by its best link
            best.setdefault(link["later"], str(link["kind"]))
        for value in best.values():
            kinds[value] += 1
        return {**kinds, "new": self.compared - len(best)}

    def as_dict(self) -> dict[str, object]:
        return {
            "later_review": self.later_review,
            "earlier_review": self.earlier_review,
            "later_cycle": self.later_cycle,
            "earlier_cycle": self.earlier_cycle,
            "method": self.method,
            "removed": self.removed,
            "recommendations": self.compared,
            "counts": self.counts(),
            "links": self.links,
        }


def link_cycles(
    later_review: Review,
    earlier_review: Review | None = None,
    *,
    actor: Any = None,
    use_semantic: bool = False,
    progress: Callable[[str], None] | None = None,
) -> LinkRun:
    """Link each recommendation of ``later_review`` to the earlier cycle's on the same measure
    (see the module docstring). Replaces the later review's machine links, keeps manual ones.
    Coordinators and the command line (``actor=None``) may."""
    require_perm(actor, "followup.manage_round", None)
    earlier = earlier_review or nearest_earlier_review(later_review)
    run = LinkRun(
        later_review=later_review.pk,
        earlier_review=earlier.pk if earlier else None,
        later_cycle=_cycle(later_review),
        earlier_cycle=_cycle(earlier) if earlier else None,
    )
    later_rows = list(
        Recommendation.objects.filter(review=later_review)
        .order_by("paragraph_sort", "id")
        .only("id", "paragraph", "text")
    )
    run.compared = len(later_rows)
    earlier_rows = (
        list(
            Recommendation.objects.filter(review=earlier)
            .order_by("paragraph_sort", "id")
            .only("id", "paragraph", "text")
        )
        if earlier
        else []
    )
    if progress:
        progress(f"{len(later_rows)} recommendations against {len(earlier_rows)} earlier ones")
    new_links: list[CarryForward] = []
    if later_rows and earlier_rows:
        measured = similarity(
            [r.text for r in later_rows],
            [r.text for r in earlier_rows],
            use_semantic=use_semantic,
        )
        matrix = measured.matrix
        # "fused-0.5" when the sentence model took part (``use_semantic`` and the extra).
        run.method = f"{measured.method}-{LINK_THRESHOLD:g}"
        for i, later in enumerate(later_rows):
            best = np.argsort(-matrix[i], kind="stable")[:MAX_LINKS]
            for j in best:
                score = float(matrix[i, j])
                if score < LINK_THRESHOLD:
                    break
                found = earlier_rows[int(j)]
                new_links.append(
                    CarryForward(
                        later_id=later.pk,
                        earlier_id=found.pk,
                        kind=kind_of(later.text, found.text),
                        score=round(score, 4),
                        method=run.method,
                    )
                )
    with transaction.atomic():
        machine = CarryForward.objects.filter(later__review=later_review).exclude(method=MANUAL)
        run.removed = machine.count()
        machine.delete()
        manual = set(
            CarryForward.objects.filter(later__review=later_review).values_list(
                "later_id", "earlier_id"
            )
        )
        kept = [link for link in new_links if (link.later_id, link.earlier_id) not in manual]
        CarryForward.objects.bulk_create(kept)
        # Public pages show the links and are cached by the data version, which the database
        # triggers do not move for follow-up's tables.
        mark_changed()
    paragraphs = {r.pk: r.paragraph or f"#{r.pk}" for r in [*later_rows, *earlier_rows]}
    run.links = [
        {
            "later": paragraphs[link.later_id],
            "earlier": paragraphs[link.earlier_id],
            "later_id": link.later_id,
            "earlier_id": link.earlier_id,
            "kind": str(link.kind),
            "score": link.score,
        }
        for link in kept
    ]
    if progress:
        progress(f"{run.linked} linked")
    return run


def relink_state_reviews(review_ids: set[int]) -> list[LinkRun]:
    """After ``review_ids`` changed: relink each of them to its earlier cycle, and each later
    review of the same States (whose earlier one may be among them). Cycle order, so each
    review is linked once."""
    if not review_ids:
        return []
    states = set(Review.objects.filter(pk__in=review_ids).values_list("state_id", flat=True))
    changed = Review.objects.filter(pk__in=review_ids).select_related("session")
    first_cycle: dict[int, int] = {}
    for review in changed:
        cycle = int(review.session.cycle_id)
        first_cycle[review.state_id] = min(first_cycle.get(review.state_id, cycle), cycle)
    candidates = (
        Review.objects.filter(state_id__in=states, recommendations__isnull=False)
        .select_related("session")
        .distinct()
        .order_by("state_id", "session__cycle_id", "session__number")
    )
    runs = []
    for review in candidates:
        if int(review.session.cycle_id) < first_cycle[review.state_id]:
            continue
        if review.pk not in review_ids and int(review.session.cycle_id) == first_cycle.get(
            review.state_id
        ):
            continue
        if nearest_earlier_review(review) is None:
            continue
        runs.append(link_cycles(review))
    return runs

"""Quality check of the recommendations submitters propose.

Three things, each cheap enough to show while people write:

* an **estimated action category** (UPR Info's 1–5, see UPR.md §5) with the reason, from the
  leading verb and a few structures ("Consider ratifying" is 3, "Adopt measures" is 4);
* **SMART hints**: is there a specific action, a measurable target, a time frame, a
  responsible authority?
* the **most similar past recommendations to the same State**, so submitters can write "as
  recommended previously" ("already recommended by France in 2015 (cycle 2), noted").

The category comes from an estimator behind a small registry: `register_estimator("model",
fn)` (below, with the classifier's estimator) and the setting
``UPRHUB_ACTION_CATEGORY_ESTIMATOR = "model"`` plug a trained model in without touching
callers. An estimator returns ``None`` when it has no opinion; the next one (finally the
rules) is asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from uprhub.classifier.estimator import Estimate, Estimator, model_estimate
from uprhub.recommendations.models import ACTION_CATEGORY_NAMES as CATEGORY_NAMES
from uprhub.recommendations.models import Recommendation
from uprhub.reviews.models import Review
from uprhub.search import service as search
from uprhub.search.query import parse
from uprhub.search.types import SearchQuery

from . import same_ask
from .citations import list_states, position_label, review_year
from .same_ask import GENERIC_WORDS

_ESTIMATORS: dict[str, Estimator] = {}


def register_estimator(name: str, estimator: Estimator) -> None:
    """Make an estimator available under `name` (re-registering replaces it)."""
    _ESTIMATORS[name] = estimator


def estimators() -> dict[str, Estimator]:
    return dict(_ESTIMATORS)


def estimate_action_category(text: str) -> Estimate:
    """The category of a recommendation's text: the configured estimator, else the rules."""
    chosen = getattr(settings, "UPRHUB_ACTION_CATEGORY_ESTIMATOR", "rules")
    for name in dict.fromkeys([chosen, "rules"]):
        estimator = _ESTIMATORS.get(name)
        if estimator is None:
            continue
        found = estimator(text)
        if found is not None:
            return found
    return Estimate(None, None, _("No estimator is available."))


# --- the rules ---------------------------------------------------------------------------------


# Leading words (lower case, possibly several words) → category. Longest match wins, so
# "take measures" (4) beats "take", and "seek technical assistance" (1) beats "seek".
LEADING: dict[str, int] = {}
for _category, _phrases in {
    1: [
        "seek",
        "request assistance",
        "request technical assistance",
        "share",
        "call on other states",
        "call upon other states",
        "invite the international community",
        "provide assistance to",
        "provide technical assistance to",
    ],
    2: ["continue", "maintain", "pursue", "persevere", "persist", "keep", "sustain", "carry on"],
    3: [
        "consider",
        "explore",
        "envisage",
        "envision",
        "reflect on",
        "study",
        "look into",
        "examine the possibility",
        "assess the possibility",
        "give consideration",
        "think about",
    ],
    4: [
        "take measures",
        "take steps",
        "take action",
        "take all necessary",
        "take the necessary",
        "take further",
        "take concrete",
        "take effective",
        "take appropriate",
        "take additional",
        "take",
        "ensure",
        "promote",
        "strengthen",
        "improve",
        "enhance",
        "combat",
        "fight",
        "guarantee",
        "protect",
        "respect",
        "intensify",
        "redouble",
        "step up",
        "address",
        "work towards",
        "work to",
        "work with",
        "encourage",
        "support",
        "increase",
        "reduce",
        "develop",
        "prevent",
        "eliminate",
        "end",
        "tackle",
        "accelerate",
        "facilitate",
        "foster",
        "raise awareness",
        "make efforts",
        "make further efforts",
        "bring",
        "uphold",
        "safeguard",
        "reinforce",
        "expand",
        "provide",
        "put an end",
        "redress",
        "combat",
        "further",
        "do more",
        "engage",
        "cooperate",
        "collaborate",
        "allocate",
        "invest",
        "implement",
        "fulfil",
        "fulfill",
        "comply",
    ],
    5: [
        "ratify",
        "accede",
        "adopt",
        "establish",
        "amend",
        "abolish",
        "investigate",
        "repeal",
        "enact",
        "criminalize",
        "criminalise",
        "decriminalize",
        "decriminalise",
        "create",
        "sign",
        "sign and ratify",
        "withdraw",
        "lift",
        "extend a standing invitation",
        "issue a standing invitation",
        "prosecute",
        "release",
        "close",
        "revise",
        "introduce",
        "pass",
        "incorporate",
        "harmonize",
        "harmonise",
        "align",
        "prohibit",
        "ban",
        "set up",
        "declare",
        "impose a moratorium",
        "institute",
        "reinstate",
        "remove",
        "recognize",
        "recognise",
        "legislate",
        "publish",
        "submit",
    ],
}.items():
    for _phrase in _phrases:
        LEADING[_phrase] = _category

# A specific verb with a vague object asks for general action ("Adopt measures to …").
VAGUE_OBJECTS = re.compile(
    r"^(?:all\s+)?(?:the\s+)?(?:necessary\s+|appropriate\s+|further\s+|effective\s+|concrete\s+|"
    r"additional\s+|adequate\s+|relevant\s+|specific\s+)*(?:measures|steps|actions?|efforts|"
    r"policies|initiatives|programmes|programs|strategies)\b"
)
# Openings to skip before the verb: "We recommend that the Government", "The United States
# should", "Urge the Government to", numbering…
_PREAMBLE = re.compile(
    r"""^\s*(?:
        (?:\d+(?:\.\d+)*|[a-z]|[ivx]+)[.)]\s+        # 1. / 26.3 / a) / iv.
      | [-–•*]\s+                                      # bullets
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_SUBJECT = re.compile(
    r"""^\s*(?:
        (?:we\s+)?(?:strongly\s+)?(?:recommend|urge|call\s+(?:up)?on|encourage|request|invite|ask)s?
            \s+(?:that\s+)?(?:the\s+)?[\w\s.,'’-]{0,60}?
            \s+(?:to|should|must|shall|will)\s+
      | (?:we\s+)?(?:strongly\s+)?recommends?\s+that\s+
      | (?:that\s+)?[\w\s.,'’-]{1,60}?\s+(?:should|must|shall)\s+(?:also\s+|further\s+)?
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Words that can stand before the verb in "(we recommend that) the Government ratify …".
_SUBJECT_WORDS = frozenset(
    [
        "the",
        "its",
        "their",
        "government",
        "governments",
        "state",
        "states",
        "united",
        "of",
        "america",
        "authorities",
        "congress",
        "federal",
        "administration",
        "country",
        "it",
        "they",
    ]
)


def _strip_preamble(text: str) -> tuple[str, str]:
    """(the text from the main verb on, what was skipped)."""
    text = " ".join(text.split())
    skipped = ""
    match = _PREAMBLE.match(text)
    if match:
        skipped, text = match.group(0), text[match.end() :]
    match = _SUBJECT.match(text)
    if match:
        skipped, text = skipped + match.group(0), text[match.end() :]
    return text, skipped


def _leading(words: list[str]) -> tuple[str, int] | None:
    if len(words) > 1 and words[0] in ("be", "is", "are"):
        # A passive opening ("… should be abolished"): the participle carries the action.
        participle = words[1]
        for suffix in ("ed", "d"):
            if participle.endswith(suffix):
                stem = participle[: -len(suffix)]
                for candidate in (stem, stem + "e"):
                    if candidate in LEADING:
                        return f"{words[0]} {participle}", LEADING[candidate]
    for length in range(min(5, len(words)), 0, -1):
        phrase = " ".join(words[:length])
        if phrase in LEADING:
            return phrase, LEADING[phrase]
    # Inflected openings ("Ratifying", "Continues"): try the stem of the first word.
    first = words[0] if words else ""
    for suffix in ("ing", "es", "s", "ed"):
        if first.endswith(suffix):
            stem = first[: -len(suffix)]
            for candidate in (stem, stem + "e"):
                if candidate in LEADING:
                    return candidate, LEADING[candidate]
    return None


def _reason(phrase: str, category: int, detail: str = "") -> str:
    reason = _("starts with “%(phrase)s” → %(name)s (%(category)s)") % {
        "phrase": phrase[:1].upper() + phrase[1:],
        "name": CATEGORY_NAMES[category],
        "category": category,
    }
    if not detail:
        return reason
    # Translators: an estimate's reason, then a detail that changed it; French spaces the ";".
    return _("%(reason)s; %(detail)s") % {"reason": reason, "detail": detail}


def rule_based_estimate(text: str) -> Estimate:
    """UPR Info's categories from the leading verb and a few structures."""
    body, _skipped = _strip_preamble(text or "")
    words = [w.lower() for w in _WORD.findall(body)]
    if not words:
        return Estimate(None, None, _("There is no text to look at yet."))
    found = _leading(words)
    start = 0
    while found is None and start < 6 and start + 1 < len(words) and words[start] in _SUBJECT_WORDS:
        start += 1  # skip a subject ("the Government ratify …"), then try again
        found = _leading(words[start:])
    words = words[start:] if found is not None else words
    if found is None:
        return Estimate(
            None,
            None,
            _("“%(word)s” is not a verb UPR Hub knows; start with the action you ask for.")
            % {"word": words[0]},
            (words[0],),
        )
    phrase, category = found
    rest = words[len(phrase.split()) :]
    rest_text = " ".join(rest)
    # Structures that change the category the first verb suggests.
    vague_match = VAGUE_OBJECTS.match(rest_text) if category == 5 else None
    if vague_match:
        vague = vague_match.group(0)
        return Estimate(
            4,
            None,
            _reason(
                f"{phrase} {vague}",
                4,
                _("a specific verb with a general object asks for general action"),
            ),
            (*phrase.split(), *vague.split()),
        )
    if (
        category == 4
        and phrase.startswith("provide")
        and re.search(r"\bto\s+other\s+states\b", rest_text)
    ):
        return Estimate(
            1, None, _reason(phrase, 1, _("addressed to other States")), tuple(phrase.split())
        )
    return Estimate(category, None, _reason(phrase, category), tuple(phrase.split()))


register_estimator("rules", rule_based_estimate)
# The trained model when it is there (it loads lazily, on the first estimate), else the rules.
register_estimator("model", model_estimate)


# --- SMART hints -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hint:
    """One SMART criterion: met or not, and what to do."""

    code: str  # specific | measurable | time_bound | responsible
    label: str
    met: bool
    message: str


_MEASURABLE = re.compile(
    r"\d|%|\bper\s*cent\b|\bpercent\b|\ball\b|\bevery\b|\bat\s+least\b|\bnumber\s+of\b|"
    r"\bindicators?\b|\bdisaggregated\b|\bdata\b|\bbudget\b|\bquota\b|\btargets?\b|"
    r"\bhalve\b|\bdouble\b|\bzero\b|\bno\s+(?:longer|more)\b|\bmoratorium\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\bby\s+(?:(?:the\s+)?(?:end\s+of\s+)?(?:19|20)\d\d|january|february|march|april|may|"
    r"june|july|august|september|october|november|december|the\s+(?:next|fifth|5th)\s+"
    r"(?:review|cycle)|the\s+mid-?\s*term)|\bwithin\s+(?:\w+\s+){0,2}(?:days?|weeks?|months?|"
    r"years?)\b|\bbefore\s+(?:the\s+)?(?:next|fifth|5th|mid-?\s*term)\b|\bwithout\s+delay\b|"
    r"\bimmediately\b|\bdeadline\b|\btimeline\b|\btime-?bound\b|\bin\s+(?:19|20)\d\d\b",
    re.IGNORECASE,
)
_RESPONSIBLE = re.compile(
    r"\bcongress\b|\bsenate\b|\bhouse\s+of\s+representatives\b|\bparliament\b|\blegislature\b|"
    r"\blegislat\w+\b|\bministr(?:y|ies)\b|\bminister\b|\bdepartment\s+of\b|\battorney\s+general\b|"
    r"\bpresident\b|\bexecutive\b|\bgovernor\w*\b|\bstate\s+(?:and\s+local\s+)?governments?\b|"
    r"\bfederal\s+(?:government|agencies|authorities)\b|\bagenc(?:y|ies)\b|\bpolice\b|"
    r"\bcourts?\b|\bjudiciary\b|\bprosecutors?\b|\bcommission\b|\bombudsperson\b|\bombudsman\b|"
    r"\bnational\s+human\s+rights\s+institution\b|\bmunicipal\w*\b|\blocal\s+authorities\b|"
    r"\bbureau\b|\boffice\s+of\b|\bauthorit(?:y|ies)\b",
    re.IGNORECASE,
)


def smart_hints(text: str, estimate: Estimate | None = None) -> list[Hint]:
    """Whether the text names a specific action, a measurable target, a time frame and who acts."""
    estimate = estimate or estimate_action_category(text)
    specific = estimate.category == 5
    return [
        Hint(
            "specific",
            _("Specific action"),
            specific,
            _("It asks for a specific, checkable action.")
            if specific
            else _(
                "Name one checkable action (ratify, adopt, amend, repeal, establish…) rather "
                "than “ensure” or “take measures”."
            ),
        ),
        Hint(
            "measurable",
            _("Measurable target"),
            bool(_MEASURABLE.search(text)),
            _("It has something that can be counted or checked.")
            if _MEASURABLE.search(text)
            else _("Add a target that can be checked: a number, a share, “all”, an indicator."),
        ),
        Hint(
            "time_bound",
            _("Time frame"),
            bool(_TIME.search(text)),
            _("It says by when.")
            if _TIME.search(text)
            else _("Say by when: “by 2027”, “within two years”, “before the next review”."),
        ),
        Hint(
            "responsible",
            _("Responsible authority"),
            bool(_RESPONSIBLE.search(text)),
            _("It names who must act.")
            if _RESPONSIBLE.search(text)
            else _(
                "Name who must act: Congress, a department, the Attorney General, State "
                "governments…"
            ),
        ),
    ]


# --- similar past recommendations ---------------------------------------------------------------

SIMILAR_WORDS = 6  # distinctive words searched for, one search each
SIMILAR_MIN_SHARED = 2  # a past recommendation must share this many (unless fewer searched)


@dataclass
class SimilarPast:
    recommendation: Recommendation
    shared_words: list[str] = field(default_factory=list)
    score: float = 0.0  # the search's: shared rare words (finds and orders candidates)
    same_ask: float = 0.0  # `same_ask.score`: decides "already recommended" or "similar"

    @property
    def already_recommended(self) -> bool:
        """Whether the past recommendation asks what the proposal asks (calibrated for a
        precision of at least 0.9, see `same_ask`); otherwise it is only similar."""
        return same_ask.is_same_ask(self.same_ask)

    @property
    def sentence(self) -> str:
        """ "already recommended by France in 2015 (cycle 2), noted", or for a weaker match
        "similar to a recommendation by France in 2015 (cycle 2), noted"."""
        rec = self.recommendation
        review = rec.review
        states = list_states([s.short_name for s in rec.recommending_states.all()])
        position = position_label(rec.position, rec.position_as_published)
        year = review_year(review)
        values = {
            "states": states or _("a State"),
            "year": year or "",
            "cycle": review.session.cycle_id,
            "position": position,
        }
        if not self.already_recommended:
            if year:
                return (
                    _(
                        "similar to a recommendation by %(states)s in %(year)s "
                        "(cycle %(cycle)s), %(position)s"
                    )
                    % values
                )
            return (
                _("similar to a recommendation by %(states)s (cycle %(cycle)s), %(position)s")
                % values
            )
        if year:
            return (
                _("already recommended by %(states)s in %(year)s (cycle %(cycle)s), %(position)s")
                % values
            )
        return _("already recommended by %(states)s (cycle %(cycle)s), %(position)s") % values


def distinctive_words(text: str, limit: int = SIMILAR_WORDS) -> list[str]:
    """The words to search for: not stop words, not UPR boilerplate; longest first."""
    words = [
        w for w in parse(text).words if len(w) > 3 and not w.isdigit() and w not in GENERIC_WORDS
    ]
    return sorted(words, key=lambda w: (-len(w), words.index(w)))[:limit]


def _scored_past(
    text: str, state_code: str, limit: int, word_ids: dict[str, list[int]]
) -> list[tuple[float, int, list[str]]]:
    """(score, pk, shared words) of the best candidates, ``limit * 4`` at most.

    One search per distinctive word, restricted to the State (the search layer's facet
    filter), remembered in ``word_ids`` so a page of checks searches each word once; each
    recommendation is scored by the words it shares, rarer words weighing more.
    """
    words = distinctive_words(text)
    matched: dict[int, list[str]] = {}
    weights: dict[str, float] = {}
    for word in words:
        if word not in word_ids:
            query = SearchQuery(text=word, state=(state_code,), sort="date", literal=True)
            word_ids[word] = list(search.iter_ids(query))
        ids = word_ids[word]
        if not ids:
            continue
        weights[word] = 1.0 / (1.0 + len(ids)) ** 0.5
        for pk in ids:
            matched.setdefault(pk, []).append(word)
    needed = min(SIMILAR_MIN_SHARED, len(weights))
    return sorted(
        (
            (sum(weights[w] for w in shared), pk, shared)
            for pk, shared in matched.items()
            if len(shared) >= needed
        ),
        key=lambda item: (-item[0], -item[1]),
    )[: limit * 4]


def similar_past_many(texts: list[str], review: Review, limit: int = 3) -> list[list[SimilarPast]]:
    """:func:`similar_past` for several texts at once: each distinctive word is searched once
    for the whole page and the chosen rows are loaded in one query."""
    word_ids: dict[str, list[int]] = {}
    scored = [_scored_past(text, review.state.code, limit, word_ids) for text in texts]
    wanted = {pk for candidates in scored for _s, pk, _w in candidates}
    rows = (
        {
            rec.pk: rec
            for rec in Recommendation.objects.with_details()
            .filter(pk__in=wanted, review__session__number__lt=review.session_id)
            .order_by()
        }
        if wanted
        else {}
    )
    found = []
    for text, candidates in zip(texts, scored, strict=True):
        proposal = same_ask.words(text)
        matches = [
            SimilarPast(
                rows[pk],
                shared,
                score,
                same_ask.score_words(proposal, same_ask.words(rows[pk].text)),
            )
            for score, pk, shared in candidates
            if pk in rows
        ]
        # The closest asks first; equal scores keep the search's order (a stable sort).
        matches.sort(key=lambda m: -m.same_ask)
        found.append(matches[:limit])
    return found


def similar_past(text: str, review: Review, limit: int = 3) -> list[SimilarPast]:
    """Recommendations made to the same State in earlier reviews that resemble `text`.

    Same-text matches come first (they share every word). One search per distinctive word,
    then one query loads the chosen rows.
    """
    return similar_past_many([text], review, limit)[0]


@dataclass
class QualityCheck:
    text: str
    estimate: Estimate
    hints: list[Hint]
    similar: list[SimilarPast]

    @property
    def unmet(self) -> list[Hint]:
        return [h for h in self.hints if not h.met]


def check_recommendation(text: str, review: Review, *, with_similar: bool = True) -> QualityCheck:
    return check_recommendations([text], review, with_similar=with_similar)[0]


def check_recommendations(
    texts: list[str], review: Review, *, with_similar: bool = True
) -> list[QualityCheck]:
    """The checks of a page of proposed recommendations; similar past ones found together."""
    similar = similar_past_many(texts, review) if with_similar else [[] for _text in texts]
    checks = []
    for text, found in zip(texts, similar, strict=True):
        estimate = estimate_action_category(text)
        checks.append(
            QualityCheck(
                text=text, estimate=estimate, hints=smart_hints(text, estimate), similar=found
            )
        )
    return checks

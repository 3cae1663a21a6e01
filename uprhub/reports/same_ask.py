"""Does a past recommendation ask for the same thing as a proposed one ("already recommended")?

The quality check (`quality.similar_past`) finds past recommendations to the same State that
share a proposal's rarest words. Sharing words is not asking the same thing: "Adopt a federal
moratorium on evictions of families with children" shares "families" and "children" with a
recommendation to seek alternatives to detaining migrant children. Only a past recommendation
whose words cover the proposal's may be called "already recommended"; the others are "similar".

The score, between 0 and 1, of a proposal P and a past recommendation R::

    0.7 × (share of P's words found in R) + 0.3 × (share of R's words found in P)

where the words are content words — stop words and UPR boilerplate ("ensure", "take measures",
"human rights", "the State"…) left out — reduced to their Snowball stem ("abolishing" and
"abolish" are one word), with treaty acronyms spelt out ("CEDAW" is the Convention on the
Elimination of All Forms of Discrimination against Women). Coverage of the proposal weighs most:
the past recommendation must ask what the proposal asks; a past one that asked more (a list of
treaties) may still be the same ask.

Computed in Python on the two texts alone, so the verdict is the same on SQLite and PostgreSQL,
whatever the search engine's stemming and synonyms, and needs no query.

`THRESHOLD` is calibrated on a labelled sample of proposals paired with past US
recommendations, each labelled "same ask" or not (``tests/reports/data/already_recommended.csv``),
for a precision of at least 0.9 for "already recommended"; ``bench/already_recommended.py``
prints precision and recall at the threshold and around it.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import snowballstemmer

from uprhub.core.text import STOP_WORDS

#: At or above this score a past recommendation is "already recommended"; below, "similar".
#: On the labelled sample (214 pairs, 59 proposals): precision 0.949, recall 0.596. Chosen on
#: four fifths of the proposals and scored on the rest: precision 0.93. The threshold for
#: exactly 0.9 on the sample (0.53) fell to 0.89 on unseen proposals, hence the margin.
#: Figures: bench/already_recommended.py.
THRESHOLD = 0.6
PROPOSAL_WEIGHT = 0.7

#: Words too common in recommendations to say what one is about.
GENERIC_WORDS = frozenset(
    [
        "ensure",
        "take",
        "measures",
        "measure",
        "steps",
        "step",
        "efforts",
        "effort",
        "rights",
        "right",
        "human",
        "state",
        "states",
        "government",
        "governments",
        "federal",
        "national",
        "country",
        "united",
        "america",
        "american",
        "continue",
        "consider",
        "including",
        "include",
        "includes",
        "particular",
        "particularly",
        "effective",
        "effectively",
        "necessary",
        "appropriate",
        "adequate",
        "full",
        "fully",
        "order",
        "relevant",
        "further",
        "strengthen",
        "promote",
        "adopt",
        "implement",
        "implementation",
        "recommend",
        "recommended",
        "recommendation",
        "recommendations",
        "also",
        "well",
        "level",
        "levels",
        "policies",
        "policy",
        "law",
        "laws",
    ]  # fmt: skip
)

#: Acronyms of instruments and bodies that recommendations also write out in full.
ACRONYMS = {
    "CEDAW": "Convention on the Elimination of All Forms of Discrimination against Women",
    "ICESCR": "International Covenant on Economic, Social and Cultural Rights",
    "ICCPR": "International Covenant on Civil and Political Rights",
    "CRC": "Convention on the Rights of the Child",
    "CRPD": "Convention on the Rights of Persons with Disabilities",
    "OPCAT": "Optional Protocol to the Convention against Torture",
    "CAT": "Convention against Torture",
    "ICERD": "International Convention on the Elimination of All Forms of Racial Discrimination",
    "CERD": "Convention on the Elimination of All Forms of Racial Discrimination",
    "ICPPED": "International Convention for the Protection of All Persons from Enforced "
    "Disappearance",
    "ICMW": "International Convention on the Protection of the Rights of All Migrant Workers",
    "UNDRIP": "United Nations Declaration on the Rights of Indigenous Peoples",
    "NHRI": "national human rights institution",
    "ICC": "International Criminal Court",
    "ILO": "International Labour Organization",
}
# Upper case only: "cat" or "crc" in lower case are not the treaties.
_ACRONYM = re.compile(r"\b(" + "|".join(ACRONYMS) + r")\b")
_WORD = re.compile(r"[^\W\d_]+")
_local = threading.local()


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    # A Snowball stemmer keeps state while it works: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


@lru_cache(maxsize=1)
def _ignored_stems() -> frozenset[str]:
    return frozenset(_stem(w) for w in GENERIC_WORDS | STOP_WORDS)


def words(text: str) -> frozenset[str]:
    """The stems of the content words of `text`."""
    text = _ACRONYM.sub(lambda m: ACRONYMS[m.group(1)], text or "")
    ignored = _ignored_stems()
    stems = set()
    for word in _WORD.findall(text.lower()):
        if len(word) < 3 or word in STOP_WORDS:
            continue
        stem = _stem(word)
        if stem not in ignored:
            stems.add(stem)
    return frozenset(stems)


def score(proposal: str, past: str) -> float:
    """How far `past` asks what `proposal` asks, from 0 (nothing shared) to 1 (same words)."""
    return score_words(words(proposal), words(past))


def score_words(proposal: frozenset[str], past: frozenset[str]) -> float:
    if not proposal or not past:
        return 0.0
    shared = len(proposal & past)
    return PROPOSAL_WEIGHT * shared / len(proposal) + (1 - PROPOSAL_WEIGHT) * shared / len(past)


def is_same_ask(value: float) -> bool:
    return value >= THRESHOLD

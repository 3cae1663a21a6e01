"""The action-category estimate for the report builder's quality check, from the model.

`Estimate` is what every estimator returns (the report builder's rules too); this one is
registered as ``"model"`` by the quality check (``uprhub.reports.quality``), which builds on
this app. It returns ``None`` (no opinion, so the rules answer) when the model is missing or
the text is empty.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from uprhub.recommendations.models import ACTION_CATEGORY_NAMES

logger = logging.getLogger(__name__)
EXPLAIN_WORDS = 5


@dataclass(frozen=True)
class Estimate:
    """An action category estimate. `category` is None when nothing could be said."""

    category: int | None
    probability: float | None  # a model's confidence; None for the rules
    reason: str
    words: tuple[str, ...] = ()  # the words the estimate rests on (to highlight)
    estimator: str = "rules"


Estimator = Callable[[str], Estimate | None]


def is_available() -> bool:
    """True when the shipped model exists (imports the model module, without loading it)."""
    from .model import is_available as available

    return available()


def model_estimate(text: str) -> Estimate | None:
    """The model's category with its probability and the words that drove it."""
    # Imported here, not at module level: the model pulls in scikit-learn and SciPy (about a
    # second), and this module is imported by the app registry at every start-up.
    from .model import ModelUnavailable, get_model

    if not (text or "").strip() or not is_available():
        return None
    try:
        model = get_model()
    except ModelUnavailable:
        logger.warning("the classifier model cannot be loaded; the rules estimate instead")
        return None
    found = model.predict_action([text], explain=EXPLAIN_WORDS)[0]
    # The quotation marks belong to the message: French wants « », other languages their own.
    quoted = [
        # Translators: one word of a list of words, e.g. “ratify”, “abolish”.
        _("“%(word)s”") % {"word": word}
        for word in found.words
    ]
    words = ", ".join(quoted) if quoted else _("no single word")
    reason = _(
        "the trained model (%(version)s) estimates %(name)s (%(category)s) with probability "
        "%(percent)s %%; the words that drove it: %(words)s"
    ) % {
        "version": model.version,
        "name": ACTION_CATEGORY_NAMES.get(found.category, found.category),
        "category": found.category,
        "percent": round(found.probability * 100),
        "words": words,
    }
    return Estimate(
        category=found.category,
        probability=found.probability,
        reason=reason,
        words=tuple(w for phrase in found.words for w in phrase.split()),
        estimator="model",
    )

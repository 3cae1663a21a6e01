"""Clusters: near-identical recommendations of one review, assessed in one step.

A review receives the same ask from many States in slightly different words: about a dozen of
the United States' 3rd-cycle recommendations ask it to impose a moratorium on executions or to
abolish the death penalty, several to ratify CEDAW, two to close Guantánamo. A coalition
assesses such a group once.

How: the pairwise :mod:`.similarity` of the review's recommendations, then agglomerative
clustering with *average* linkage cut at ``threshold`` (a group's members are, on average, at
least that alike: single linkage would chain "ratify CEDAW" to "ratify the CRC" to "protect
children" until a cluster is a theme, not a measure). Groups of one are not clusters.

``DEFAULT_THRESHOLD`` was chosen by reading the clusters of the real 347 US 3rd-cycle
recommendations (``uprhub followup clusters USA --cycle 3 --show``): at 0.5, 35 clusters hold
142 recommendations, the largest the 13 asking for a moratorium with a view to abolition, the
treaty ratifications grouped by the treaties they name, NHRI under the Paris Principles (8),
Guantánamo (2). At 0.45 clusters start to be themes (police use of force, climate change,
voting in one); at 0.55 the death-penalty asks split in five.

Computing replaces the review's earlier machine clusters (method ``tfidf-…``) and keeps the
ones people made (method ``manual``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from sklearn.cluster import AgglomerativeClustering

from uprhub.core.rules import require_perm
from uprhub.recommendations.models import Recommendation
from uprhub.reviews.models import Review

from .models import Cluster
from .similarity import TFIDF, content_words, similarity

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.5
MANUAL = "manual"
LABEL_LENGTH = 90  # characters of the central text kept as the label


def method_name(threshold: float, similarity_method: str = TFIDF) -> str:
    return f"{similarity_method}-{threshold:g}"


@dataclass(frozen=True)
class ClusterResult:
    """One cluster made (plain data for the command's JSON)."""

    pk: int
    label: str
    paragraphs: tuple[str, ...]
    cohesion: float  # mean pairwise similarity of the members

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.pk,
            "label": self.label,
            "size": len(self.paragraphs),
            "paragraphs": list(self.paragraphs),
            "cohesion": round(self.cohesion, 3),
        }


@dataclass
class ClusterRun:
    review_id: int
    method: str
    removed: int = 0
    clusters: list[ClusterResult] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "review": self.review_id,
            "method": self.method,
            "removed": self.removed,
            "clusters": [c.as_dict() for c in self.clusters],
        }


def shorten(text: str, length: int = LABEL_LENGTH) -> str:
    """The text cut at a word boundary, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}…"


def label_for(texts: Sequence[str], matrix: np.ndarray) -> str:
    """The most central member's text (highest mean similarity to the others), shortened;
    its content words when that text is too long to read as a label."""
    central = int(np.argmax(matrix.sum(axis=1)))
    text = texts[central]
    if len(text) <= LABEL_LENGTH:
        return text
    label = shorten(text)
    if len(label) < 30:  # a very long first word: fall back to the key words
        label = shorten(" ".join(content_words(text)[:10]))
    return label


def group(texts: Sequence[str], threshold: float, matrix: np.ndarray) -> list[list[int]]:
    """Indexes of ``texts`` grouped by their similarity ``matrix`` (groups of two or more,
    largest first, then by first index)."""
    if len(texts) < 2:
        return []
    distance = np.clip(1.0 - matrix, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    model = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=1.0 - threshold,
    ).fit(distance)
    found: dict[int, list[int]] = {}
    for index, label in enumerate(model.labels_):
        found.setdefault(int(label), []).append(index)
    groups = [members for members in found.values() if len(members) > 1]
    return sorted(groups, key=lambda members: (-len(members), members[0]))


def compute_clusters(
    review: Review,
    *,
    actor: Any = None,
    threshold: float = DEFAULT_THRESHOLD,
    use_semantic: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ClusterRun:
    """Group the review's near-identical recommendations into `Cluster` rows, replacing the
    review's earlier machine clusters (manual ones are kept). Coordinators and the command
    line (``actor=None``) may."""
    require_perm(actor, "followup.manage_round", None)
    if not 0.0 < threshold < 1.0:
        raise ValueError(threshold)
    recommendations = list(
        Recommendation.objects.filter(review=review)
        .order_by("paragraph_sort", "id")
        .only("id", "paragraph", "text")
    )
    texts = [r.text for r in recommendations]
    if progress:
        progress(f"{len(texts)} recommendations")
    measured = similarity(texts, use_semantic=use_semantic)
    # "fused-0.5" when the sentence model took part (``use_semantic`` and the extra installed).
    method = method_name(threshold, measured.method)
    matrix = measured.matrix
    groups = group(texts, threshold, matrix)
    run = ClusterRun(review_id=review.pk, method=method)
    with transaction.atomic():
        machine = Cluster.objects.filter(review=review).exclude(method=MANUAL)
        run.removed = machine.count()
        machine.delete()
        for members in groups:
            sub = matrix[np.ix_(members, members)]
            label = label_for([texts[i] for i in members], sub)
            cluster = Cluster.objects.create(review=review, label=label[:200], method=method)
            cluster.recommendations.set([recommendations[i].pk for i in members])
            size = len(members)
            cohesion = float((sub.sum() - size) / (size * (size - 1)))
            run.clusters.append(
                ClusterResult(
                    pk=cluster.pk,
                    label=cluster.label,
                    paragraphs=tuple(recommendations[i].paragraph for i in members),
                    cohesion=cohesion,
                )
            )
    if progress:
        progress(f"{len(run.clusters)} clusters")
    return run

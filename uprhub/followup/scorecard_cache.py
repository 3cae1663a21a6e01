"""Built scorecards kept in the process's memory, under the review's data version.

`data_version` is a few aggregate reads that change when a position is saved, published or
withdrawn, an assessment, an evidence item or a State's claim is added or removed, or the
recommendations' data change (the search layer's version, which database triggers bump): every
server process sees a publication at once, with no cache to invalidate.
``UPRHUB_SCORECARD_CACHE_SECONDS`` bounds what no aggregate sees (an evidence item edited in
place, a national report imported); 0 builds on every request.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence

from django.conf import settings
from django.db.models import Count, Max, Q, Sum
from django.utils.translation import get_language

from uprhub.reviews.models import Review
from uprhub.search.index import current_version

from .models import Assessment, AssessmentRound, EvidenceItem, Position, PositionStatus, StateClaim
from .scorecard import Scorecard, build_scorecard


def data_version(review: Review) -> str:
    """A token that changes whenever the review's scorecards may (four small aggregates).

    Positions: count, published count, the sum of their versions (every save bumps one, even
    a bulk ``update`` that bumps ``version``), the latest change, publication and round
    change; assessments likewise; evidence of positions and State's claims: count and latest
    id (a re-import deletes and creates). Recommendations, themes and States: the search
    layer's data version, which database triggers change on any write.
    """
    positions = Position.objects.filter(round__review=review).aggregate(
        n=Count("id", distinct=True),
        published=Count("id", distinct=True, filter=Q(status=PositionStatus.PUBLISHED)),
        versions=Sum("version"),
        changed=Max("updated_at"),
        published_at=Max("published_at"),
        round_changed=Max("round__updated_at"),
    )
    evidence = EvidenceItem.objects.filter(position__round__review=review).aggregate(
        n=Count("id"), last=Max("id")
    )
    assessments = Assessment.objects.filter(round__review=review).aggregate(
        n=Count("id"), versions=Sum("version"), changed=Max("updated_at")
    )
    claims = StateClaim.objects.filter(recommendation__review=review).aggregate(
        n=Count("id"), last=Max("id")
    )
    parts = [current_version(), *positions.values(), *evidence.values()]
    parts += [*assessments.values(), *claims.values()]
    text = "|".join(str(part) for part in parts)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


#: Built scorecards of this process: key → (expiry, scorecard), least recently used first.
#: A plain dictionary, not Django's cache: the local-memory cache pickles, and unpickling the
#: rows of 347 recommendations costs more than half of building them. Scorecards are never
#: changed once built (views and exports only read them), so sharing them between requests
#: is safe.
_kept: OrderedDict[str, tuple[float, Scorecard]] = OrderedDict()
_kept_lock = threading.Lock()
KEPT_MAX = 16


def forget_kept() -> None:
    """Empty this process's kept scorecards (tests)."""
    with _kept_lock:
        _kept.clear()


def scorecard_for(
    review: Review, round_: AssessmentRound, rounds: Sequence[AssessmentRound], *, compare: str = ""
) -> Scorecard:
    """`build_scorecard`, kept per data version and language (see the module's docstring)."""
    seconds = settings.UPRHUB_SCORECARD_CACHE_SECONDS
    if seconds <= 0:
        return build_scorecard(review, round_, rounds, compare=compare)
    key = f"{round_.pk}:{compare}:{get_language()}:{data_version(review)}"
    now = time.monotonic()
    with _kept_lock:
        found = _kept.get(key)
        if found is not None and found[0] > now:
            _kept.move_to_end(key)
            return found[1]
    card = build_scorecard(review, round_, rounds, compare=compare)
    with _kept_lock:
        _kept[key] = (now + seconds, card)
        _kept.move_to_end(key)
        while len(_kept) > KEPT_MAX:
            _kept.popitem(last=False)
    return card

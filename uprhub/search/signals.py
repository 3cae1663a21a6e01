"""Signals of the search layer.

``vectors_missing``
    Sent by `semantic` when it meets recommendations without an embedding. The app connects
    the background task that computes them (`tasks.embed_similarity`), which builds on
    `semantic`; sending a signal keeps `semantic` from importing its own task module.
"""

from __future__ import annotations

from django.dispatch import Signal

vectors_missing = Signal()

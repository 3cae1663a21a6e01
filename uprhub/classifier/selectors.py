"""Reads of machine suggestions for the pages."""

from __future__ import annotations

from uprhub.recommendations.models import Suggestion


def suggestion(pk: int) -> Suggestion | None:
    """One suggestion with its theme (for the messages that name it)."""
    return Suggestion.objects.select_related("theme").filter(pk=pk).first()

"""Follow-up on the review calendar: registered in ``FollowupConfig.ready()``."""

from __future__ import annotations


def register() -> None:
    """Add the event sources (rounds' deadlines)."""

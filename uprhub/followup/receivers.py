"""Reactions to other apps' signals: registered in ``FollowupConfig.ready()``."""

from __future__ import annotations


def connect() -> None:
    """Connect the receivers (carry-forward links after an import)."""

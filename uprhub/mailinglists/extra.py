"""Reminders of higher floors, sent by the same periodic run as the deadline reminders.

The mailing lists cannot import the apps above them (follow-up's assessment rounds have
deadlines of their own), so such an app registers a sender in its `AppConfig.ready()` with
`register_reminder_source`; `reminders.send_reminders` (the `send_reminders` command and
`tasks.send_reminders_task`) runs every registered sender after its own reminders. A sender
takes the run's moment and returns its counts (``{"sent": 2, "skipped": 1}``); it keeps its
own exactly-once guarantee (e.g. a `ReminderLog` row per address and key).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

log = logging.getLogger(__name__)

#: fn(now) -> counts of what it did (and "connection_error" when the mail server failed).
ReminderSource = Callable[[datetime], Mapping[str, Any]]

_SOURCES: list[ReminderSource] = []


def register_reminder_source(source: ReminderSource) -> ReminderSource:
    """Add a sender (once, however often `ready()` runs); usable as a decorator."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def unregister_reminder_source(source: ReminderSource) -> None:
    if source in _SOURCES:
        _SOURCES.remove(source)


def run_sources(now: datetime) -> dict[str, dict[str, Any]]:
    """Run every sender; one that fails is logged and reported, the others still run."""
    results: dict[str, dict[str, Any]] = {}
    for source in list(_SOURCES):
        name = f"{source.__module__}.{source.__name__}"
        try:
            results[name] = dict(source(now))
        except Exception as error:  # noqa: BLE001 (one app's failure must not stop the rest)
            log.exception("Reminder source %s failed", name)
            results[name] = {"error": f"{type(error).__name__}: {error}"}
    return results

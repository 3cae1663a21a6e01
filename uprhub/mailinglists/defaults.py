"""The lists every installation starts with (created by migration 0002, idempotently)."""

from __future__ import annotations

from typing import Any

#: slug → fields. Names stay in English in the database: they are proper names of the lists.
DEFAULT_LISTS: dict[str, dict[str, Any]] = {
    "upr-updates": {
        "name": "UPR updates",
        "description": (
            "News about the Universal Periodic Review of the United States: deadlines, "
            "sessions, outcomes and how to take part."
        ),
        "visibility": "public",
        "position": 1,
    },
    "international-mechanisms": {
        "name": "International Mechanisms",
        "description": (
            "Treaty bodies, special procedures and other UN and regional human-rights "
            "mechanisms: calls for input, reviews and follow-up."
        ),
        "visibility": "public",
        "position": 2,
    },
}


def ensure_default_lists(mailing_list_model: Any) -> None:
    """Create the default lists that do not exist; never overwrite edits to existing ones."""
    for slug, fields in DEFAULT_LISTS.items():
        mailing_list_model.objects.get_or_create(slug=slug, defaults=fields)

"""The implementation scales shipped as data (``data/scales.json``), loaded by a migration.

Loading is idempotent: a grade is matched by scale and code, so re-loading updates labels and
definitions without touching assessments made on them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_noop

SCALES_FILE = Path(__file__).parent / "data" / "scales.json"

# The shipped names, for makemessages: pages show them through gettext (`Grade.display_label`).
_TRANSLATABLE = (
    gettext_noop("Human Rights Committee follow-up grades (A–E)"),
    gettext_noop("UPR Info implementation levels"),
    gettext_noop("Largely satisfactory"),
    gettext_noop("Partially satisfactory"),
    gettext_noop("Not satisfactory"),
    gettext_noop("No cooperation"),
    gettext_noop("Contrary to the recommendation"),
    gettext_noop("Fully implemented"),
    gettext_noop("Partially implemented"),
    gettext_noop("Not implemented"),
    gettext_noop("Reply or action largely satisfactory."),
    gettext_noop("Action taken, but more information or action is needed."),
    gettext_noop(
        "A reply was received, but the action taken does not implement the recommendation or "
        "is not relevant to it."
    ),
    gettext_noop("No reply or no information on the measures taken."),
    gettext_noop("Information or measures contrary to the recommendation, or rejecting it."),
    gettext_noop("Everything the recommendation asks for has been done."),
    gettext_noop("Some of what the recommendation asks for has been done."),
    gettext_noop("Nothing the recommendation asks for has been done."),
)


def shipped_scales() -> list[dict[str, Any]]:
    return json.loads(SCALES_FILE.read_text(encoding="utf-8"))


def load_scales(scale_model: Any, grade_model: Any) -> int:
    """Create or update the shipped scales; returns how many grades were written.

    Takes the models so a migration can pass its historical ones."""
    written = 0
    for data in shipped_scales():
        scale, _created = scale_model.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "source": data.get("source", ""),
                "description": data.get("description", ""),
            },
        )
        for order, grade in enumerate(data["grades"]):
            grade_model.objects.update_or_create(
                scale=scale,
                code=grade["code"],
                defaults={
                    "label": grade["label"],
                    "description": grade.get("description", ""),
                    "bucket": grade["bucket"],
                    "colour": grade.get("colour", "#777777"),
                    "order": order,
                },
            )
            written += 1
    return written

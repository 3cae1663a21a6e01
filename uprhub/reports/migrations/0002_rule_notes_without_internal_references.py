"""Rule source notes no longer cite the project's internal notes ("UPR.md §3 [L]").

Source notes are shown to people next to every finding; rows loaded from an earlier
``rules.csv`` kept those references, and `load_default_rules` never rewrites a row. This takes
them out of every row (defaults and admins' edits alike), leaving the public sources.
"""

import re

from django.db import migrations

_PATTERNS = (
    (re.compile(r";\s*UPR\.md\s*§\s*\d+[^)]*(?=\))"), ""),  # "(OHCHR guide, 2008; UPR.md §3 [H])"
    (re.compile(r"\s*\(UPR\.md[^)]*\)"), ""),  # "(UPR.md §3 [H], later cycles [L])"
    (re.compile(r"\s*\[(?:H|M|L)(?:/(?:H|M|L))?\]"), ""),  # confidence marks "[M]", "[H/M]"
    (re.compile(r"\s*\bUPR\.md\s*§\s*\d+"), ""),
)


def clean(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def forwards(apps, schema_editor):
    ValidationRule = apps.get_model("reports", "ValidationRule")
    for row in ValidationRule.objects.all():
        note, message = clean(row.source_note), clean(row.message_override)
        if (note, message) != (row.source_note, row.message_override):
            row.source_note, row.message_override = note, message
            row.save(update_fields=["source_note", "message_override"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""One word for the UPR Taskforce in each language, never the UN Working Group's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "uprhub" / "locale"
# The chosen words (docs/TRANSLATING.md) and the UN Working Group's, which must not be used.
TASKFORCE = {"es": "Equipo Especial del EPU", "fr": "Task force EPU"}
WORKING_GROUP = {"es": r"grupo de (trabajo|tareas)", "fr": r"groupe de travail"}


def _taskforce_entries(language: str) -> list[tuple[str, str]]:
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        catalogue = read_po(handle)
    entries = []
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and any(re.search(r"task ?force", i, re.IGNORECASE) for i in ids):
            entries += [(ids[0], s) for s in strings if s]
    return entries


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_taskforce_is_never_called_the_working_group(language: str):
    entries = _taskforce_entries(language)
    assert len(entries) >= 40
    for msgid, msgstr in entries:
        # The coalition's own "working groups" (lower case, plural) are a different thing.
        text = msgstr.replace("grupos de trabajo", "").replace("groupes de travail", "")
        assert not re.search(WORKING_GROUP[language], text, re.IGNORECASE), msgid
        assert TASKFORCE[language] in msgstr, msgid

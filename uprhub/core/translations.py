"""Showing data in the visitor's language: helpers shared by State, theme and note names.

Names and notes that come with the data (themes, review notes, sources of calendar dates) are
stored in English, as the sources publish them; searching, facets and exports keep using that
English text. Their Spanish and French versions are data too (bundled CSV files read once) and
are looked up only when a page shows them, so a translation never changes what is stored.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language

#: The languages data translations exist for (English is the stored text).
DATA_LANGUAGES = ("es", "fr")


def current_language() -> str:
    """The active language's base code ("es" for "es-ar"), or the default language."""
    code = get_language() or settings.LANGUAGE_CODE
    return code.split("-")[0].lower()


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a bundled CSV file whose comment lines start with "#"."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(lines):
            yield {key: (value or "").strip() for key, value in row.items()}


def sort_key(text: str) -> tuple[str, str]:
    """Alphabetical order for names in any of our languages ("Égypte" next to "Équateur")."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    return "".join(c for c in folded if not unicodedata.combining(c)), text


def sorted_by_name(items: Iterable[Any], name: str = "display_name") -> list[Any]:
    """Items sorted by their name as shown in the active language."""
    return sorted(items, key=lambda item: sort_key(str(getattr(item, name))))


class DisplayNameChoiceIterator(forms.models.ModelChoiceIterator):
    """Model choices labelled and sorted by the objects' names in the active language."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset]
        yield from sorted(choices, key=lambda choice: sort_key(str(choice[1])))


class DisplayNameChoicesMixin:
    """For a ModelChoiceField/ModelMultipleChoiceField: show ``obj.display_name``, sorted."""

    iterator = DisplayNameChoiceIterator

    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "display_name", obj))


class DisplayNameChoiceField(DisplayNameChoicesMixin, forms.ModelChoiceField):
    pass


class DisplayNameMultipleChoiceField(DisplayNameChoicesMixin, forms.ModelMultipleChoiceField):
    pass

"""Word counting, as close to Word's status-bar count as we can (rule in the package docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from ..document import ReportDocument
from ..layout import lists_organisations, organisation_line, organisations_heading

_IGNORED = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Han (with extensions and compatibility ideographs), kana, Hangul syllables.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002fa1f"
_TOKEN = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+")
_WORDLIKE = re.compile(r"[^\W_]")
_CJK_ONE = re.compile(rf"[{_CJK}]")


def count_words(text: str) -> int:
    """Words in `text` by the rule in this module's docstring."""
    if not text:
        return 0
    text = text.translate(_IGNORED)
    if text.isascii():
        # Fast path for most reports: no CJK, so split on spaces and keep word-like tokens.
        return sum(1 for token in text.split() if _WORDLIKE.search(token))
    return sum(1 for token in _TOKEN.findall(text) if _WORDLIKE.search(token))


def format_count(n: int) -> str:
    """`n` grouped the active language's way ("14,783", "14 783") for messages.

    One helper for the validator's messages, the CLI text and the web count so they agree;
    JSON keeps the plain numbers.
    """
    return number_format(n, force_grouping=True)


def counting_explanation(*, count_footnotes: bool = True) -> list[str]:
    """How words are counted, in plain words, one sentence an item.

    The one explanation shown wherever a count is: the "Check a Word draft" page, the report
    page, the text report (CLI, ``validation.txt``) and the public submission guide, so they
    never disagree. `count_footnotes` is the word-limit rule's parameter of the same name.
    """
    footnotes = (
        _(
            "Footnotes count towards the limit, to be safe: OHCHR has not confirmed whether "
            "they do. Both figures are shown, with and without footnotes."
        )
        if count_footnotes
        else _(
            "Footnotes do not count towards the limit. Both figures are shown, with and "
            "without footnotes."
        )
    )
    return [
        _("Words are counted as Word counts them, as closely as UPR Hub can."),
        _(
            "A word is anything between spaces that contains a letter or a digit: “2,815” and "
            "“2024” are words, “follow-up” is one word, a web address is one word, a lone "
            "dash or bullet is none. Each Chinese, Japanese or Korean character is one word."
        ),
        _(
            "Counted: headings, paragraphs, tables, the list of organisations at the start of "
            "a joint submission, and paragraph numbers typed by hand (Word counts a typed "
            "“12.” as a word)."
        ),
        _(
            "Not counted: the title and the cover information, automatic paragraph numbering "
            "(Word's numbered lists, the report editor's numbers), page numbers and footnote "
            "marks."
        ),
        footnotes,
    ]


@dataclass(frozen=True)
class WordCounts:
    text: int  # organisations list, headings, paragraphs
    footnotes: int

    @property
    def total(self) -> int:
        return self.text + self.footnotes


def word_counts(doc: ReportDocument) -> WordCounts:
    """Counted text of the report, with footnotes apart (see the module docstring)."""
    text = 0
    footnotes = 0
    if lists_organisations(doc):
        if doc.organisations_text:
            # A Word draft's own words ("Submitted by the Coalition X (JS): Org A (City); …").
            text += count_words(doc.organisations_text)
        else:
            # The exports write this list under a heading in the report's language.
            with override(doc.cover.language or "en"):
                text += count_words(organisations_heading())
            text += sum(count_words(organisation_line(org)) for org in doc.organisations)
    for section in doc.sections:
        text += count_words(section.title)
        for paragraph in section.paragraphs:
            # A typed "12." is a word to Word; automatic numbering is not.
            text += count_words(paragraph.typed_number) + count_words(paragraph.text)
            footnotes += sum(count_words(note.text) for note in paragraph.footnotes)
    return WordCounts(text=text, footnotes=footnotes)

"""The one validator of a shadow report, shared by the web editor, the upload check, CLI and API.

``validate(doc, rules=None, now=None)`` applies the rules in force (see `rules.py`: data per
cycle, editable by admins) to a `ReportDocument` and returns a `ValidationReport` whose
findings each carry a severity, a plain-language message, the paragraph concerned and the
rule's source note. It runs no query when `rules` is given; with ``rules=None`` it reads the
rules table once (falling back to the bundled CSV).

How words are counted (`count_words`) — as close to Word's status-bar count as we can:

* a word is a run of characters between white space that contains at least one letter or
  digit, so numbers count ("2,815", "2024"), a hyphenated word is one word ("follow-up"), a
  URL or e-mail address is one word, and a lone dash, bullet or emoji is no word;
* each Chinese, Japanese or Korean character counts as one word, as Word counts them;
* zero-width characters and soft hyphens are ignored, and every Unicode space separates;
* counted: the organisations list at the start of a joint submission (as a Word draft
  writes it, when it is one), headings, paragraphs and tables, paragraph numbers typed by
  hand ("12.", as Word counts them), plus footnotes in ``word_count``
  (``word_count_without_footnotes`` leaves them out). Not counted: the title and cover block
  (the details OHCHR's online form asks for separately), automatic paragraph numbers, page
  numbers and footnote marks — Word skips automatic numbers, headers and footers too.

`counting_explanation` says the same in plain words for people: the upload check, the
report page, the text report and the public guide all show it.

Modules: `words` (counting), `language` (detection), `deadline` (Geneva time, countdown),
`checks` (one function per rule code, and `validate`), `output` (JSON and text).
"""

from __future__ import annotations

from .checks import CHECKS, validate
from .deadline import GENEVA, deadline_countdown, deadline_in_geneva, deadline_label
from .language import (
    LANGUAGE_NAMES,
    OFFICIAL_LANGUAGES,
    detect_language,
    language_name,
    normalise_language,
)
from .output import (
    SEVERITY_LABELS,
    finding_to_dict,
    report_to_dict,
    report_to_json,
    report_to_text,
)
from .words import WordCounts, count_words, counting_explanation, format_count, word_counts

__all__ = [
    "CHECKS",
    "GENEVA",
    "LANGUAGE_NAMES",
    "OFFICIAL_LANGUAGES",
    "SEVERITY_LABELS",
    "WordCounts",
    "count_words",
    "counting_explanation",
    "deadline_countdown",
    "deadline_in_geneva",
    "deadline_label",
    "detect_language",
    "finding_to_dict",
    "format_count",
    "language_name",
    "normalise_language",
    "report_to_dict",
    "report_to_json",
    "report_to_text",
    "validate",
    "word_counts",
]

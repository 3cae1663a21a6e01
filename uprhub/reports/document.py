"""A shadow report as plain data: what the validator checks and the exporters write.

The web editor (database models), an uploaded Word draft and the CLI all turn their input
into a `ReportDocument`, so one validator and one set of exporters serve every surface.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class SubmissionType(StrEnum):
    INDIVIDUAL = "individual"
    JOINT = "joint"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    TIP = "tip"


@dataclass
class Organisation:
    name: str
    acronym: str = ""
    city: str = ""
    country: str = ""
    description: str = ""  # activities and date of establishment, as OHCHR asks
    website: str = ""


@dataclass
class Footnote:
    text: str


@dataclass
class Paragraph:
    """A numbered paragraph. `number` is assigned by numbering, 1-based across the report."""

    text: str
    footnotes: list[Footnote] = field(default_factory=list)
    number: int | None = None
    key: str = ""  # stable id of the source paragraph (database pk, docx index) for findings
    is_numbered: bool = True  # False for a Word paragraph that carries no number
    # A number the drafter typed ("12."), read off the text: Word counts it as a word, while
    # automatic numbering (the editor's, Word's lists) is no word.
    typed_number: str = ""


@dataclass
class Table:
    """A table of figures (follow-up's summary), written after its section's heading. The
    validator does not count it: a shadow report has none."""

    header: list[str]  # column headings
    rows: list[list[str]]  # the first cell of each row heads the row
    caption: str = ""


@dataclass
class Section:
    """A heading and its paragraphs. `kind` follows the OHCHR guidelines' structure."""

    title: str
    kind: str = "other"  # introduction | follow_up | new_developments | recommendations | other
    paragraphs: list[Paragraph] = field(default_factory=list)
    level: int = 1
    table: Table | None = None  # before the paragraphs


@dataclass
class CoverInformation:
    state_name: str = ""  # State under review
    state_code: str = ""
    session: int | None = None
    session_month_year: str = ""  # e.g. "November 2026"
    cycle: int | None = None
    contact_name: str = ""
    contact_email: str = ""
    submission_type: SubmissionType = SubmissionType.INDIVIDUAL
    main_submitter: str = ""
    key_words: list[str] = field(default_factory=list)
    language: str = "en"
    period_start: str = ""  # ISO date the report covers from (the last review)
    period_end: str = ""
    # ISO date of the State's previous review: the report should cover the time since then.
    last_review_date: str = ""


@dataclass
class ReportDocument:
    title: str
    cover: CoverInformation
    organisations: list[Organisation] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    deadline: datetime | None = None  # aware; OHCHR's stakeholder deadline for the review
    states_mentioned: list[str] = field(default_factory=list)  # codes, to check "one State"
    # The submitters as a Word draft writes them ("Submitted by the Coalition X (JS): Org A
    # (City); …"): counted as written, instead of the list our exports generate.
    organisations_text: str = ""
    # (label, value) lines the exports write instead of OHCHR's cover block, for a document
    # that is no submission (follow-up's implementation report). None: the usual cover.
    cover_override: list[tuple[str, str]] | None = None

    def paragraphs(self) -> list[Paragraph]:
        return [p for s in self.sections for p in s.paragraphs]

    def number_paragraphs(self) -> None:
        number = 0
        for paragraph in self.paragraphs():
            if paragraph.is_numbered:
                number += 1
                paragraph.number = number


@dataclass
class Finding:
    rule: str  # rule code, e.g. "word_limit"
    severity: Severity
    message: str  # plain language, translated
    paragraph: int | None = None  # paragraph number it concerns, when it concerns one
    source_note: str = ""  # where the rule comes from
    paragraph_key: str = ""  # `Paragraph.key` of the paragraph it concerns, for the editor


@dataclass
class ValidationReport:
    word_count: int
    word_count_without_footnotes: int
    limit: int
    findings: list[Finding] = field(default_factory=list)
    # Where the limit comes from and how sure we are ("commonly cited; confirm…"), for the UI.
    limit_note: str = ""
    # The word-limit rule's "count_footnotes": whether `word_count` (with footnotes) is the
    # figure held against the limit; `counting_explanation` says so in words.
    count_footnotes: bool = True

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.WARNING]

    @property
    def tips(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.TIP]

"""Reports and Word drafts for the tests and ``bench/report.py``, built in code.

`long_report` makes a realistic report of any length (sections, numbered paragraphs,
footnotes with URLs); the ``draft_*`` functions write .docx files the way people write
drafts in Word: typed numbers, Word list numbering, no numbering, bullets, tables and real
footnotes (added with `add_footnote`, the same markup as our exporter).
"""

from __future__ import annotations

import random
import zipfile
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from uprhub.reports.document import (
    CoverInformation,
    Footnote,
    Organisation,
    Paragraph,
    ReportDocument,
    Section,
    SubmissionType,
)
from uprhub.reports.export.docx import _Footnotes

_VOCABULARY_TEXT = (
    "the State has not implemented recommendations on freedom of expression and assembly "
    "since its last review while human rights defenders journalists and lawyers faced "
    "arbitrary detention torture and ill-treatment in custody the national human rights "
    "institution lacks independence and resources women and girls indigenous peoples "
    "migrants and persons with disabilities continue to face discrimination in access to "
    "justice health education and housing the government adopted a new counter-terrorism "
    "law in 2021 that criminalises peaceful protest and restricts civil society funding "
    "we recommend that the authorities repeal the law ratify the Optional Protocol and "
    "establish an independent mechanism to investigate allegations of abuse by police"
)
VOCABULARY = tuple(_VOCABULARY_TEXT.split(" "))

STATES = ("Xland", "Yland")
GENEVA = ZoneInfo("Europe/Zurich")


def sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(VOCABULARY) for _ in range(words)]
    chosen[0] = chosen[0].capitalize()
    return " ".join(chosen) + "."


def paragraph_text(rng: random.Random, words: int) -> str:
    parts: list[str] = []
    left = words
    while left > 0:
        n = min(left, rng.randint(12, 28))
        parts.append(sentence(rng, n))
        left -= n
    return " ".join(parts)


def cover(**changes: object) -> CoverInformation:
    values: dict[str, object] = {
        "state_name": "Xland",
        "state_code": "XLD",
        "session": 47,
        "session_month_year": "November 2024",
        "cycle": 4,
        "contact_name": "Ana Example",
        "contact_email": "ana@example.org",
        "submission_type": SubmissionType.INDIVIDUAL,
        "main_submitter": "Rights Watch Xland",
        "key_words": ["freedom of expression", "detention"],
        "language": "en",
        "period_start": "2019-11-05",
        "period_end": "2024-03-31",
        "last_review_date": "2019-11-05",
    }
    values.update(changes)
    return CoverInformation(**values)  # type: ignore[arg-type]


def organisation(name: str = "Rights Watch Xland", acronym: str = "RWX") -> Organisation:
    return Organisation(
        name=name,
        acronym=acronym,
        city="Xcity",
        country="Xland",
        description="Founded in 1998; monitors detention and supports human rights defenders.",
    )


def long_report(
    words: int = 6000,
    *,
    footnotes: int = 40,
    seed: int = 7,
    submission_type: SubmissionType = SubmissionType.INDIVIDUAL,
) -> ReportDocument:
    """A report with about `words` words in paragraphs (footnotes come on top)."""
    rng = random.Random(seed)
    titles = [
        ("Introduction", "introduction"),
        ("Follow-up to the previous review", "follow_up"),
        ("New developments since the last review", "new_developments"),
        ("Recommendations", "recommendations"),
    ]
    per_paragraph = 95
    count = max(1, words // per_paragraph)
    paragraphs = [Paragraph(paragraph_text(rng, per_paragraph)) for _ in range(count)]
    for index in range(footnotes):
        target = paragraphs[(index * 7) % len(paragraphs)]
        target.footnotes.append(
            Footnote(
                f"Report of the Special Rapporteur, A/HRC/52/{index + 10}, para. {index}; "
                f"see https://example.org/reports/{index}-annual."
            )
        )
    sections = [Section(title=t, kind=k) for t, k in titles]
    for index, paragraph in enumerate(paragraphs):
        sections[
            min(index * len(sections) // len(paragraphs), len(sections) - 1)
        ].paragraphs.append(paragraph)
    orgs = [organisation()]
    if submission_type == SubmissionType.JOINT:
        orgs.append(organisation("Xland Women's Network", "XWN"))
        orgs.append(organisation("Coalition against Torture", ""))
    doc = ReportDocument(
        title="Submission on Xland to the Universal Periodic Review",
        cover=cover(submission_type=submission_type),
        organisations=orgs,
        sections=sections,
        deadline=datetime(2024, 4, 8, 23, 59, tzinfo=GENEVA),
        states_mentioned=["XLD"],
    )
    doc.number_paragraphs()
    return doc


def small_report(**cover_changes: object) -> ReportDocument:
    doc = ReportDocument(
        title="Submission on Xland",
        cover=cover(**cover_changes),
        organisations=[organisation()],
        sections=[
            Section(
                "Introduction",
                kind="introduction",
                paragraphs=[
                    Paragraph(
                        "This submission assesses the implementation of the recommendations "
                        "the State supported at its last review.",
                        footnotes=[Footnote("A/HRC/43/12, paras. 26.1-26.200.")],
                    )
                ],
            ),
            Section(
                "Freedom of expression",
                paragraphs=[
                    Paragraph("Journalists have been detained for their work since 2020."),
                    Paragraph(
                        "We recommend that the State repeal the law on foreign agents.",
                        footnotes=[Footnote("Law No. 12 of 2021."), Footnote("See para. 2.")],
                    ),
                ],
            ),
        ],
        deadline=datetime(2024, 4, 8, 23, 59, tzinfo=GENEVA),
        states_mentioned=["XLD"],
    )
    doc.number_paragraphs()
    return doc


# ---------------------------------------------------------------------------------------------
# Word drafts written with python-docx


def add_footnote(document: docx.document.Document, paragraph, text: str, notes=None):
    """Add a real footnote to `paragraph`; pass the returned object to add more."""
    notes = notes or _Footnotes(document)
    notes.add(paragraph, Footnote(text))
    return notes


def _save(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def draft_typed_numbers(paragraphs: int = 5, *, with_footnotes: bool = True) -> bytes:
    """A draft whose author typed "1.", "2." … and added footnotes."""
    rng = random.Random(3)
    document = docx.Document()
    document.add_paragraph("Submission on Xland", style="Title")
    document.add_heading("Introduction", level=1)
    notes = None
    for number in range(1, paragraphs + 1):
        p = document.add_paragraph(f"{number}. {paragraph_text(rng, 40)}")
        if with_footnotes and number % 2:
            notes = add_footnote(
                document, p, f"Source number {number}, https://example.org/{number}.", notes
            )
    return _save(document)


def draft_list_numbering(paragraphs: int = 4) -> bytes:
    """Numbered with Word's "List Number" style; bullets inside the second paragraph."""
    rng = random.Random(4)
    document = docx.Document()
    document.add_heading("Introduction", level=1)
    for index in range(paragraphs):
        document.add_paragraph(paragraph_text(rng, 30), style="List Number")
        if index == 1:
            document.add_paragraph("first point of a list", style="List Bullet")
            document.add_paragraph("second point of a list", style="List Bullet")
    return _save(document)


def draft_unnumbered(paragraphs: int = 3) -> bytes:
    rng = random.Random(5)
    document = docx.Document()
    document.add_heading("Introduction", level=1)
    for _ in range(paragraphs):
        document.add_paragraph(paragraph_text(rng, 25))
    return _save(document)


def draft_with_table() -> bytes:
    document = docx.Document()
    document.add_paragraph("1. The table below lists the cases.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Case one"
    table.cell(0, 1).text = "Detained 2021"
    table.cell(1, 0).text = "Case two"
    table.cell(1, 1).text = "Released"
    document.add_paragraph("2. The cases show a pattern.")
    return _save(document)


def draft_with_tracked_deletion() -> bytes:
    """A paragraph with a tracked deletion and a field code: neither is text."""
    document = docx.Document()
    p = document.add_paragraph("1. Kept words")
    deleted = OxmlElement("w:del")
    deleted.set(qn("w:id"), "1")
    deleted.set(qn("w:author"), "A")
    run = OxmlElement("w:r")
    del_text = OxmlElement("w:delText")
    del_text.text = " deleted words here"
    run.append(del_text)
    deleted.append(run)
    p._p.append(deleted)
    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.text = " MERGEFIELD Name "
    instr_run.append(instr)
    p._p.append(instr_run)
    return _save(document)


def empty_draft() -> bytes:
    document = docx.Document()
    document.add_paragraph("")
    document.add_paragraph("   ")
    return _save(document)


def replace_part(data: bytes, name: str, content: bytes) -> bytes:
    """The .docx `data` with part `name` replaced by `content` (highest compression)."""
    source = zipfile.ZipFile(BytesIO(data))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for item in source.infolist():
            body = content if item.filename == name else source.read(item.filename)
            archive.writestr(item.filename, body)
    return buffer.getvalue()


def xml_bomb(megabytes: int = 95) -> bytes:
    """A real .docx whose body is `megabytes` MB of valid, very repetitive paragraphs."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>"
    )
    tail = b"</w:body></w:document>"
    paragraph = b"<w:p><w:r><w:t>The State should ratify the Convention.</w:t></w:r></w:p>"
    count = (megabytes * 1024 * 1024 - len(head) - len(tail)) // len(paragraph)
    return replace_part(
        draft_typed_numbers(1), "word/document.xml", head + paragraph * count + tail
    )


def draft_many_paragraphs(paragraphs: int) -> bytes:
    """A small, real draft with `paragraphs` short body paragraphs."""
    document = docx.Document()
    for number in range(1, paragraphs + 1):
        document.add_paragraph(f"{number}. Short paragraph.")
    return _save(document)

"""Word export and the Word reader: round trips, real footnotes, inert text, bad files."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from uprhub.reports.document import (
    Footnote,
    Paragraph,
    ReportDocument,
    Section,
    SubmissionType,
)
from uprhub.reports.docx_reader import DocxRejected, read_docx, read_upload
from uprhub.reports.export.docx import build_docx
from uprhub.reports.rules import default_rules
from uprhub.reports.validator import validate

from . import samples

RULES = default_rules(4)
NOW = datetime(2024, 3, 1, tzinfo=UTC)
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

NASTY = (
    "<script>alert(1)</script> &lt;b&gt;bold&lt;/b&gt; { MERGEFIELD Name } "
    "\x0b\x0c\x1b end \u202eevil\u202c \u200f\u05e2\u05d1\u05e8\u05d9\u05ea\u200b zero "
    "\U0001f389 emoji ]]> <![CDATA[x]]> &amp;"
)


def within_one_percent(a: int, b: int) -> bool:
    return abs(a - b) <= max(1, round(0.01 * max(a, b)))


def part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(BytesIO(data)).read(name).decode("utf-8")


# --- export ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [SubmissionType.INDIVIDUAL, SubmissionType.JOINT])
def test_round_trip_keeps_words_footnotes_and_numbers(kind: SubmissionType) -> None:
    doc = samples.long_report(6000, submission_type=kind)
    before = validate(doc, rules=RULES, now=NOW)
    back = read_docx(build_docx(doc))
    after = validate(back, rules=RULES, now=NOW)

    assert within_one_percent(before.word_count, after.word_count)
    assert within_one_percent(
        before.word_count_without_footnotes, after.word_count_without_footnotes
    )
    assert back.cover.submission_type == kind
    originals = [n.text for p in doc.paragraphs() for n in p.footnotes]
    assert [n.text for p in back.paragraphs() for n in p.footnotes] == originals
    assert [p.number for p in back.paragraphs()] == [p.number for p in doc.paragraphs()]
    assert not [f for f in after.findings if f.rule == "numbered_paragraphs"]
    assert [s.title for s in back.sections] == [s.title for s in doc.sections]
    assert back.title == doc.title
    assert back.cover.state_name == "Xland"
    assert back.cover.session == 47 and back.cover.session_month_year == "November 2024"
    assert back.cover.contact_email == "ana@example.org"
    if kind == SubmissionType.JOINT:
        assert [o.name for o in back.organisations] == [o.name for o in doc.organisations]
        assert back.organisations[0].description.startswith("Founded in 1998")


def test_docx_structure_ohchr_expects() -> None:
    doc = samples.long_report(800, submission_type=SubmissionType.JOINT)
    data = build_docx(doc)
    names = zipfile.ZipFile(BytesIO(data)).namelist()
    assert "word/footnotes.xml" in names
    types = part(data, "[Content_Types].xml")
    assert (
        'PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.footnotes+xml"' in types
    )
    rels = part(data, "word/_rels/document.xml.rels")
    assert "relationships/footnotes" in rels
    notes = part(data, "word/footnotes.xml")
    assert 'w:type="separator"' in notes and 'w:type="continuationSeparator"' in notes
    body = part(data, "word/document.xml")
    assert body.count("<w:footnoteReference ") == sum(len(p.footnotes) for p in doc.paragraphs())
    assert 'w:rStyle w:val="FootnoteReference"' in body
    assert body.count("<w:numPr>") == len(doc.paragraphs())
    footer = next(n for n in names if n.startswith("word/footer"))
    assert "PAGE" in part(data, footer)
    # The organisations come before the first heading of the text.
    first_org = body.index("Rights Watch Xland (RWX)")
    assert first_org < body.index("Introduction")
    document = docx.Document(BytesIO(data))
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "UPR Cover", "UPR Organisation", "UPR Paragraph"} <= styles


def test_user_text_stays_inert_in_docx() -> None:
    doc = samples.small_report(main_submitter="<b>Org</b> { MERGEFIELD x }")
    doc.title = "Title <i>x</i>"
    doc.sections[0].title = "Heading { PAGE } <h1>"
    doc.sections[0].paragraphs[0].text = NASTY
    doc.sections[0].paragraphs[0].footnotes = [Footnote(NASTY)]
    data = build_docx(doc)
    body = part(data, "word/document.xml")
    notes = part(data, "word/footnotes.xml")
    for xml in (body, notes):
        assert "<script>" not in xml
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml
        assert "&amp;lt;b&amp;gt;bold" in xml
        assert "{ MERGEFIELD Name }" in xml
        assert "\x1b" not in xml and "\x0b" not in xml
        assert "\U0001f389" in xml and "\u202e" in xml
        assert "]]&gt; &lt;![CDATA[x]]&gt; &amp;amp;" in xml
    # The only field in the document is our PAGE number (in the footer, not the body).
    assert "instrText" not in body and "fldSimple" not in body
    assert "MERGEFIELD" not in "".join(
        el.text or "" for el in docx.Document(BytesIO(data)).element.iter(f"{W_NS}instrText")
    )
    back = read_docx(data)
    assert back.paragraphs()[0].text.startswith("<script>alert(1)</script> &lt;b&gt;")
    assert back.paragraphs()[0].footnotes[0].text.startswith("<script>")
    assert back.cover.main_submitter == "<b>Org</b> { MERGEFIELD x }"


def test_unnumbered_paragraphs_stay_unnumbered() -> None:
    doc = samples.small_report()
    doc.sections[1].paragraphs.insert(0, Paragraph("A quoted passage.", is_numbered=False))
    doc.number_paragraphs()
    back = read_docx(build_docx(doc))
    assert [p.number for p in back.paragraphs()] == [1, None, 2, 3]


def test_export_of_an_arabic_report() -> None:
    doc = samples.small_report(language="ar")
    doc.sections[0].paragraphs[0].text = "تقدم هذه الورقة تقييما لتنفيذ التوصيات"
    data = build_docx(doc)
    styles = part(data, "word/styles.xml")
    assert "<w:bidi/>" in styles and "<w:rtl/>" in styles
    back = read_docx(data)
    assert back.cover.language == "ar"
    assert back.paragraphs()[0].text == "تقدم هذه الورقة تقييما لتنفيذ التوصيات"


# --- reading Word drafts ----------------------------------------------------------------------


def test_draft_with_typed_numbers_and_footnotes() -> None:
    back = read_docx(samples.draft_typed_numbers(5), filename="draft.docx")
    assert back.title == "Submission on Xland"
    assert [p.number for p in back.paragraphs()] == [1, 2, 3, 4, 5]
    assert not back.paragraphs()[0].text.startswith("1.")
    notes = [n.text for p in back.paragraphs() for n in p.footnotes]
    assert notes == [f"Source number {n}, https://example.org/{n}." for n in (1, 3, 5)]
    report = validate(back, rules=RULES, now=NOW)
    assert not [f for f in report.findings if f.rule == "numbered_paragraphs"]
    assert report.word_count == report.word_count_without_footnotes + 3 * 4 + 0


def test_draft_with_word_list_numbering_and_bullets() -> None:
    back = read_docx(samples.draft_list_numbering(4))
    assert [p.number for p in back.paragraphs()] == [1, 2, 3, 4]
    assert back.paragraphs()[1].text.endswith("first point of a list\nsecond point of a list")
    report = validate(back, rules=RULES, now=NOW)
    assert not [f for f in report.findings if f.rule == "numbered_paragraphs"]


def test_draft_without_numbering_is_flagged() -> None:
    back = read_docx(samples.draft_unnumbered(3))
    assert [p.is_numbered for p in back.paragraphs()] == [False, False, False]
    report = validate(back, rules=RULES, now=NOW)
    (finding,) = [f for f in report.errors if f.rule == "numbered_paragraphs"]
    assert "None of the 3 paragraphs" in finding.message


def test_typed_numbering_with_a_gap() -> None:
    document = docx.Document()
    for number in (1, 2, 4):
        document.add_paragraph(f"{number}) Paragraph text number {number}.")
    buffer = BytesIO()
    document.save(buffer)
    back = read_docx(buffer.getvalue())
    report = validate(back, rules=RULES, now=NOW)
    (gap,) = [f for f in report.warnings if f.rule == "numbered_paragraphs"]
    assert gap.paragraph == 4 and "should be numbered 3" in gap.message


def test_tables_count_as_words_of_the_paragraph_before() -> None:
    back = read_docx(samples.draft_with_table())
    assert len(back.paragraphs()) == 2
    assert "Case one Detained 2021 Case two Released" in back.paragraphs()[0].text


def test_tracked_deletions_and_field_codes_are_not_text() -> None:
    back = read_docx(samples.draft_with_tracked_deletion())
    assert back.paragraphs()[0].text == "Kept words"


def test_odd_unicode_is_read_as_text() -> None:
    document = docx.Document()
    document.add_paragraph(
        "1. " + NASTY.replace("\x0b", "").replace("\x0c", "").replace("\x1b", "")
    )
    buffer = BytesIO()
    document.save(buffer)
    back = read_docx(buffer.getvalue())
    assert "\U0001f389" in back.paragraphs()[0].text
    validate(back, rules=RULES, now=NOW)


def test_upload_of_a_good_file_and_type_override() -> None:
    upload = SimpleUploadedFile("draft.docx", samples.draft_typed_numbers(3))
    back = read_upload(upload, submission_type="joint")
    assert back.cover.submission_type == SubmissionType.JOINT


# --- rejected files ---------------------------------------------------------------------------


def rejected(data: bytes | str | Path) -> str:
    with pytest.raises(DocxRejected) as info:
        read_docx(data)
    assert info.value.message
    return info.value.message


def test_rejects_non_word_files() -> None:
    assert "PDF" in rejected(b"%PDF-1.7\n...")
    assert ".doc" in rejected(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert "RTF" in rejected(b"{\\rtf1 hello}")
    assert "not a Word document" in rejected(b"Just some text renamed to .docx\n")
    assert "empty" in rejected(b"")


def test_rejects_a_corrupt_docx() -> None:
    data = samples.draft_typed_numbers(3)
    assert "damaged" in rejected(data[: len(data) // 2])
    garbage = bytearray(data)
    garbage[200:400] = b"\0" * 200
    message = rejected(bytes(garbage))
    assert "damaged" in message or "could not be read" in message


def test_rejects_other_zip_formats() -> None:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/></Types>',
        )
    assert "Excel" in rejected(buffer.getvalue())
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "not a Word document" in rejected(buffer.getvalue())


def test_rejects_a_docx_without_paragraphs() -> None:
    assert "no text paragraphs" in rejected(samples.empty_draft())


def test_rejects_a_big_file_before_reading_it(tmp_path: Path) -> None:
    # A 50 MB file made lazily: a sparse file costs no disk and is refused on its size.
    huge = tmp_path / "huge.docx"
    with huge.open("wb") as handle:
        handle.seek(50 * 1024 * 1024)
        handle.write(b"\0")
    assert "50.0 MB" in rejected(huge) and "10.0 MB" in rejected(huge)
    with huge.open("rb") as stream, pytest.raises(DocxRejected, match="larger than"):
        read_docx(stream)
    upload = SimpleUploadedFile("big.docx", b"")
    upload.size = 50 * 1024 * 1024
    with pytest.raises(DocxRejected, match="50.0 MB"):
        read_upload(upload)


def test_upload_limit_comes_from_settings() -> None:
    data = samples.draft_typed_numbers(3)
    with override_settings(UPRHUB_UPLOAD_MAX_BYTES=len(data) - 1):
        assert "largest we accept" in rejected(data)
    with override_settings(UPRHUB_UPLOAD_MAX_BYTES=len(data)):
        read_docx(data)


def test_rejects_a_zip_bomb() -> None:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            part(samples.draft_typed_numbers(1), "[Content_Types].xml"),
        )
        archive.writestr("word/padding.bin", b"\0" * (8 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 100_000
    with override_settings(UPRHUB_UPLOAD_MAX_UNCOMPRESSED_BYTES=4 * 1024 * 1024):
        assert "unpacks to" in rejected(data)


def test_a_small_file_with_95_mb_of_xml_is_refused_unparsed(monkeypatch) -> None:
    from uprhub.reports import docx_sandbox

    data = samples.xml_bomb(95)
    assert len(data) < 1024 * 1024  # a few hundred KB on the wire
    parsed: list[bytes] = []
    monkeypatch.setattr(docx_sandbox, "extract", parsed.append)
    message = rejected(data)
    assert message == (
        "The part word/document.xml of this file unpacks to 95.0 MB of text markup; the "
        "largest we check is 20.0 MB. A real report is far smaller: the file was not accepted."
    )
    assert parsed == []  # refused from the ZIP directory: no XML was parsed
    upload = SimpleUploadedFile("bomb.docx", data)
    with pytest.raises(DocxRejected, match="95.0 MB of text markup"):
        read_upload(upload)


def test_an_absurd_compression_ratio_is_refused() -> None:
    data = samples.xml_bomb(5)
    with override_settings(UPRHUB_UPLOAD_MAX_XML_PART_BYTES=50 * 1024 * 1024):
        assert "compressed" in rejected(data) and "times" in rejected(data)


def test_paragraph_count_is_capped_in_the_sandbox() -> None:
    data = samples.draft_many_paragraphs(60)
    with override_settings(UPRHUB_DOCX_MAX_PARAGRAPHS=50):
        assert "more than 50 paragraphs" in rejected(data)
    with override_settings(UPRHUB_DOCX_MAX_PARAGRAPHS=61):
        assert len(read_docx(data).paragraphs()) == 60


def test_the_parse_is_killed_by_its_time_and_memory_limits() -> None:
    data = samples.draft_typed_numbers(3)
    # The child cannot even start its interpreter within 1 ms, nor within 40 MB of address space.
    with override_settings(UPRHUB_DOCX_CHECK_SECONDS=0.001):
        assert "too large or complex to check" in rejected(data)
    with override_settings(UPRHUB_DOCX_CHECK_MEMORY_MB=40):
        assert "40 MB" in rejected(data)
    assert len(read_docx(data).paragraphs()) == 3


def test_rejects_missing_paths_and_folders(tmp_path: Path) -> None:
    assert "No file" in rejected(tmp_path / "missing.docx")
    assert "folder" in rejected(tmp_path)


def test_macro_documents_are_refused() -> None:
    data = samples.draft_typed_numbers(1)
    source = zipfile.ZipFile(BytesIO(data))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    b".main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            archive.writestr(item, content)
    assert "macros" in rejected(buffer.getvalue())


def test_random_bytes_never_crash() -> None:
    import random

    rng = random.Random(11)
    data = samples.draft_typed_numbers(2)
    for _ in range(30):
        mutated = bytearray(data)
        for _ in range(20):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        try:
            read_docx(bytes(mutated))
        except DocxRejected as exc:
            assert exc.message


def test_empty_report_still_exports() -> None:
    doc = ReportDocument(title="", cover=samples.cover(), sections=[Section("Only a heading")])
    data = build_docx(doc)
    with pytest.raises(DocxRejected):
        read_docx(data)  # nothing but a heading: no paragraphs to check


def test_lettered_lists_belong_to_the_paragraph_before() -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:lvl w:ilvl="0">'
        '<w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%1)"/>'
        "</w:lvl></w:abstractNum>"
    )
    numbering.find(qn_w("num")).addprevious(abstract)
    num_id = numbering.add_num(90).numId
    document.add_paragraph("1. We recommend that the State:")
    for text in ("repeal the law;", "release the detainees."):
        item = document.add_paragraph(text)
        item._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
            )
        )
    document.add_paragraph("2. Next paragraph.")
    buffer = BytesIO()
    document.save(buffer)
    back = read_docx(buffer.getvalue())
    assert [p.number for p in back.paragraphs()] == [1, 2]
    assert back.paragraphs()[0].text.endswith("repeal the law;\nrelease the detainees.")


def qn_w(tag: str) -> str:
    return f"{W_NS}{tag}"


def test_broken_pasted_text_exports_and_validates() -> None:
    doc = samples.small_report()
    doc.sections[0].paragraphs[0].text = "lone \ud800 surrogate, NUL \x00 and \ufffe end"
    doc.sections[0].paragraphs[0].footnotes = [Footnote("\udfff\x07 bell")]
    validate(doc, rules=RULES, now=NOW)
    back = read_docx(build_docx(doc))
    assert back.paragraphs()[0].text == "lone \ufffd surrogate, NUL  and  end"
    assert back.paragraphs()[0].footnotes[0].text == "\ufffd bell"

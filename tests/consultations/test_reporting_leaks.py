"""Reports made from a consultation never carry an identity, a redacted-away string or testimony
that may not be quoted, in the DOCX, the PDF or the report's page; HTML in a testimony stays
text everywhere. Then the raw database: a withdrawn quote is gone from the file's bytes."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.db import connection
from django.utils import translation

from uprhub.consultations import reporting, services
from uprhub.reports.exporting import export_response
from uprhub.reports.selectors import report_with_everything

from .reporting_world import NEVER, World, make_world
from .test_raw_database import raw_database


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def _both_reports(world: World) -> list[int]:
    reporting.add_theme_sections(
        world.consultation,
        world.report,
        [world.data.torture.pk, world.data.women.pk],
        actor=world.lead,
    )
    brief = reporting.create_brief_report(
        world.consultation, actor=world.lead, organisation=world.organisation
    )
    return [world.report.pk, brief.pk]


def _docx_text(content: bytes) -> tuple[str, str]:
    """(the visible text of every part, the raw XML of every part)."""
    import docx

    document = docx.Document(io.BytesIO(content))
    visible = "\n".join(p.text for p in document.paragraphs)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = "\n".join(
            archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
            if name.endswith(".xml")
        )
    # Footnotes live in their own part: their text (w:t) is read from the XML.
    notes = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)
    import html

    return visible + "\n" + html.unescape("\n".join(notes)), xml


def _pdf_text(content: bytes) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _assert_clean(text: str, where: str) -> None:
    for value in NEVER:
        assert value not in text, (where, value)
    assert "The police beat my brother" in text, where  # the quote is there…
    assert "Guards hit people" in text, where


@pytest.mark.slow
@pytest.mark.django_db
def test_docx_pdf_and_page_carry_no_identity_and_inert_html(client):
    world = make_world()
    for pk in _both_reports(world):
        report = report_with_everything(pk)
        visible, xml = _docx_text(export_response(report, "docx").content)
        _assert_clean(visible, f"docx {pk}")
        for value in NEVER:
            assert value not in xml, ("docx xml", value)
        # The HTML is text: written escaped in the XML, read back as the characters typed.
        assert "<script>alert(1)</script> <b>bold</b>" in visible
        assert "<script" not in xml and "<b>" not in xml
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml

        pdf_text = _pdf_text(export_response(report, "pdf").content)
        _assert_clean(pdf_text, f"pdf {pk}")
        # Shown as the characters typed, so no markup was interpreted (<b> would vanish).
        flat = " ".join(pdf_text.split())
        assert "<script>alert(1)</script>" in flat and "<b>bold</b>" in flat

        client.force_login(world.lead)
        page = client.get(report.get_absolute_url()).content.decode()
        _assert_clean(page.replace("&#x27;", "'"), f"page {pk}")
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in page
        assert "<script>alert(1)" not in page and "<b>bold" not in page


@pytest.mark.django_db(transaction=True)
def test_withdrawn_quote_gone_from_the_raw_database(tmp_path):
    world = make_world()
    _both_reports(world)
    words = b"Penn Avenue bus stop"
    assert words in _raw(tmp_path)  # the search does see the report's tables
    services.withdraw_testimony(world.consultation, world.codes["quoted"])
    assert words not in _raw(tmp_path)


def _raw(tmp_path) -> bytes:
    if connection.vendor == "sqlite":
        return raw_database(tmp_path)
    rows: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() "
            "AND (table_name LIKE 'consultations_%%' OR table_name LIKE 'reports_%%')"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT t::text FROM "{table}" AS t')
            rows.extend(row[0] for row in cursor.fetchall())
    return "\n".join(rows).encode()

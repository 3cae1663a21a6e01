"""A `ReportDocument` as PDF (WeasyPrint), with the same words as the Word export.

The HTML comes from ``reports/export_pdf.html`` with Django's autoescaping, so user text is
text: "<script>" prints as "<script>". Footnotes are real CSS footnotes (``float:
footnote``) at the foot of their page; pages are numbered with the ``page`` counter. Fonts are
the locally installed Liberation and DejaVu families, and the URL fetcher refuses every URL,
so rendering never reads a file or the network.

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0) at run time; without it
`build_pdf` raises `PdfUnavailable`, whose message the web shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .. import layout
from ..document import ReportDocument, Table

TEMPLATE = "reports/export_pdf.html"
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries are missing; `message` is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class _HtmlParagraph:
    text: str
    number: int | None
    footnotes: list[str] = field(default_factory=list)


@dataclass
class _HtmlSection:
    title: str
    level: int
    paragraphs: list[_HtmlParagraph]
    table: Table | None = None


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango/HarfBuzz shared libraries missing
        raise PdfUnavailable(
            _(
                "PDF export is not available on this server: WeasyPrint or the Pango library "
                "it needs is not installed. The Word export works; ask the administrator to "
                "install WeasyPrint's system libraries."
            )
        ) from exc
    return weasyprint


def _clean_table(table: Table | None) -> Table | None:
    if table is None:
        return None
    return Table(
        header=[layout.clean_text(h) for h in table.header],
        rows=[[layout.clean_text(v) for v in row[: len(table.header)]] for row in table.rows],
        caption=layout.clean_text(table.caption).strip(),
    )


def render_html(doc: ReportDocument) -> str:
    """The HTML the PDF is printed from (also handy to preview)."""
    language = doc.cover.language or "en"
    sections: list[_HtmlSection] = []
    number = 0  # numbered paragraphs run 1, 2, 3… across the report, as in the Word export
    for section in doc.sections:
        paragraphs: list[_HtmlParagraph] = []
        for paragraph in section.paragraphs:
            text = layout.clean_text(paragraph.text).strip()
            if not text and not paragraph.footnotes:
                continue
            current = None
            if paragraph.is_numbered:
                number += 1
                current = number
            paragraphs.append(
                _HtmlParagraph(
                    text=text,
                    number=current,
                    footnotes=[layout.clean_text(n.text).strip() for n in paragraph.footnotes],
                )
            )
        sections.append(
            _HtmlSection(
                title=layout.clean_text(section.title).strip(),
                level=min(max(section.level, 1), 3),
                paragraphs=paragraphs,
                table=_clean_table(section.table),
            )
        )
    with translation.override(language):
        context = {
            "language": language,
            "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
            "title": layout.clean_text(doc.title).strip(),
            "cover_lines": layout.cover_lines(doc),
            "organisations_heading": layout.organisations_heading(),
            "organisations": [layout.organisation_line(o) for o in doc.organisations]
            if layout.lists_organisations(doc)
            else [],
            "sections": sections,
        }
        return render_to_string(TEMPLATE, context)


def build_pdf(doc: ReportDocument) -> bytes:
    """The PDF of `doc`; raises `PdfUnavailable` when WeasyPrint cannot run here."""
    weasyprint = _weasyprint()
    html = render_html(doc)
    # No protocol allowed: the document references nothing, and user text never becomes a URL.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=frozenset())
    try:
        return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    except OSError as exc:  # a library that loaded but cannot render (fonts, cairo)
        raise PdfUnavailable(
            _("PDF export failed on this server: %(error)s") % {"error": exc}
        ) from exc

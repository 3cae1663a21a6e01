"""Every malformed file of the corpus fails with its file, line and problem, and changes nothing.

The corpus (``corpus/``, made by ``corpus/make_corpus.py`` from the bundled real files) grows
with every bad file met in the wild: add the file and a line below.
"""

from __future__ import annotations

import pytest

from tests.importers.conftest import CORPUS, OHCHR_CSV, table_counts
from uprhub.recommendations.importers.base import ImportFailed
from uprhub.recommendations.importers.kinds import run_kind
from uprhub.recommendations.importers.ohchr_csv import import_ohchr_csv

# file, import kind, line (or spreadsheet / table row; None = the whole file), words expected
CASES = [
    ("uprinfo-missing-column.csv", "uprinfo", 1, 'missing column(s) "Response"'),
    ("uprinfo-macroman-cr.csv", "uprinfo", 4, "not UTF-8"),
    ("uprinfo-latin1.csv", "uprinfo", 5, "re-save it as UTF-8"),
    ("uprinfo-utf16.csv", "uprinfo", 1, "UTF-16"),
    ("uprinfo-unknown-response.csv", "uprinfo", 4, "unknown Response 'Maybe'"),
    ("uprinfo-unknown-response.csv", "uprinfo-pledges", 2, "'Accepted' in a pledges file"),
    ("uprinfo-empty.csv", "uprinfo", None, "the file is empty"),
    ("uprinfo-header-only.csv", "uprinfo", 1, "a header but no rows"),
    ("uprinfo-bad-session.csv", "uprinfo", 5, "Session 'IX' is not"),
    ("uprinfo-bad-action.csv", "uprinfo", 3, "Action '7' is not"),
    ("uprinfo-short-row.csv", "uprinfo", 6, "expected 11 fields, found 10"),
    ("uprinfo-unbalanced-quote.csv", "uprinfo", 3, "expected 11 fields"),
    ("uprinfo-pledge-row.csv", "uprinfo", 4, "kind uprinfo-pledges"),
    ("uprinfo-empty-text.csv", "uprinfo", 3, "the Text cell is empty"),
    ("usa-cycle3-unknown-position.csv", "ohchr-csv", 4, "unknown position 'maybe'"),
    ("usa-cycle3-missing-column.csv", "ohchr-csv", 1, 'missing column(s) "position"'),
    ("recommendations-export.csv", "ohchr-csv", None, "pass --state"),
    ("thematic-renamed-text.docx", "ohchr-docx", None, "not a Word .docx file"),
    ("thematic-truncated.docx", "ohchr-docx", None, "not a Word .docx file"),
    ("thematic-unknown-position.docx", "ohchr-docx", 3, "unknown position 'Maybe'"),
    ("thematic-no-header.docx", "ohchr-docx", None, "pass --state ISO3 and --session N"),
    ("uhri-truncated.xlsx", "uhri-xlsx", None, "truncated"),
    ("uhri-renamed-csv.xlsx", "uhri-xlsx", None, "not an Excel .xlsx file"),
    ("uhri-missing-column.xlsx", "uhri-xlsx", 1, 'missing column(s) "UPR Position"'),
    ("uhri-bad-session.xlsx", "uhri-xlsx", 3, "UPR Session 'thirty-six' is not"),
]


@pytest.fixture
def populated(reference) -> None:
    """A database with data in it, so "unchanged" means something."""
    import_ohchr_csv(OHCHR_CSV)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kind", "line", "words"), CASES, ids=[c[0] + "-" + c[1] for c in CASES]
)
def test_malformed_file_fails_cleanly(populated, name, kind, line, words):
    before = table_counts()
    with pytest.raises(ImportFailed) as failure:
        run_kind(kind, CORPUS / name)
    error = failure.value
    assert error.line == line
    assert words in error.message
    unit = "row" if name.endswith((".docx", ".xlsx")) else "line"
    prefix = f"{name}, {unit} {line}: " if line is not None else f"{name}: "
    assert str(error).startswith(prefix)
    assert table_counts() == before


def test_every_corpus_file_is_listed():
    files = {p.name for p in CORPUS.iterdir() if p.suffix in {".csv", ".docx", ".xlsx"}}
    assert files == {name for name, *_rest in CASES}

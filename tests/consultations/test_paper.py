"""The paper-forms CSV parser: a real file parses; every kind of bad input is reported by line
and column, all at once, and nothing is returned."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from uprhub.consultations.paper import COLUMNS, PaperImportError, PaperTestimony, parse
from uprhub.core.translations import read_rows
from uprhub.recommendations.theme_names import TRANSLATIONS_FILE

DATA = Path(__file__).resolve().parent / "data"
HEADER = ",".join(COLUMNS)
LANGUAGES = ("en", "es", "fr")
PITTSBURGH = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def uprinfo_themes() -> dict[str, str]:
    """The UPR Info issue names, and their Spanish and French names, as the import passes them."""
    mapping: dict[str, str] = {}
    for row in read_rows(TRANSLATIONS_FILE):
        if row["family"] == "uprinfo-issues":
            mapping[row["name"]] = row["name"]
            for language in ("es", "fr"):
                if row[language]:
                    mapping[row[language]] = row["name"]
    return mapping


THEMES = uprinfo_themes()


def read(data: bytes | str, **options) -> list[PaperTestimony]:
    options.setdefault("languages", LANGUAGES)
    options.setdefault("themes", THEMES)
    options.setdefault("timezone", PITTSBURGH)
    options.setdefault("now", NOW)
    with translation.override("en"):
        return parse(data, **options)


def problems(data: bytes | str, **options) -> list[str]:
    with pytest.raises(PaperImportError) as caught, translation.override("en"):
        read(data, **options)
    return [str(problem) for problem in caught.value.problems]


def one_row(**cells: str) -> str:
    row = {
        "submitted_at": "2025-03-14 18:30",
        "language": "en",
        "text": "The bus stop has no ramp.",
        "name": "",
        "email": "",
        "phone": "",
        "consent_quote": "yes",
        "consent_named": "no",
        "consent_contact": "no",
        "risk": "no",
        "themes": "Disabilities",
    } | cells
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerow([row[column] for column in COLUMNS])
    return out.getvalue()


# A real file ----------------------------------------------------------------------------------


def test_realistic_file_in_three_languages_parses():
    rows = read((DATA / "paper_pittsburgh.csv").read_bytes())

    assert len(rows) == 30
    assert {row.language for row in rows} == {"en", "es", "fr"}
    assert [row.line for row in rows[:9]] == [2, 3, 4, 5, 6, 7, 8, 9, 13]  # row 9 spans 4 lines
    first = rows[0]
    assert first.submitted_at == datetime(2025, 3, 14, 18, 30, tzinfo=PITTSBURGH)
    assert first.themes == ("Human rights violations by state agents", "Racial discrimination")
    assert (first.consent_quote, first.consent_named, first.consent_contact, first.risk) == (
        True,
        False,
        False,
        False,
    )
    assert rows[1].name == "Dana Whitfield"
    assert rows[1].email == "dana.whitfield@example.org"
    # Spanish and French names (any case, accents or not) give the canonical English names.
    assert rows[3].themes == ("Right to health", "Migrants")
    assert rows[4].themes == ("Asylum-seekers - refugees",)
    assert rows[8].themes == ("Right to housing", "Rights of the Child")
    assert rows[9].themes == (
        "Racial discrimination",
        "Human rights violations by state agents",
    )
    # "14/03/2025" is day first, at midnight in the consultation's time zone; an offset is kept.
    assert rows[4].submitted_at == datetime(2025, 3, 14, tzinfo=PITTSBURGH)
    assert rows[5].submitted_at.utcoffset().total_seconds() == -4 * 3600
    assert rows[7].text.startswith("I use a wheelchair. The bus stop near me has no ramp, and")
    assert "\n\nI miss medical appointments." in rows[7].text
    assert rows[11].phone == "(412) 555-0199"
    assert rows[11].risk is False  # an empty flag is "no"
    assert all(row.submitted_at.tzinfo is not None for row in rows)


def test_identity_stays_out_of_repr():
    row = read((DATA / "paper_pittsburgh.csv").read_bytes())[1]

    assert "Dana" not in repr(row)
    assert "example.org" not in repr(row)
    assert "Rent went up" not in repr(row)


def test_html_and_script_come_back_verbatim():
    rows = read((DATA / "paper_pittsburgh.csv").read_bytes())

    assert rows[16].text == (
        "<b>Mi hijo</b> fue detenido por ICE en la puerta de la escuela. <script>alert(1)</script>"
    )
    markup = '<img src=x onerror="alert(1)"> &amp; <a href="javascript:x()">link</a>'
    assert read(one_row(text=markup))[0].text == markup


def test_byte_order_mark_and_semicolons():
    data = (DATA / "paper_semicolon_bom.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")

    rows = read(data)

    assert [row.language for row in rows] == ["es", "fr"]
    assert rows[0].text == "Nos cobran la luz, el agua; y el gas aparte."
    assert rows[0].themes == ("Right to housing", "Poverty")
    assert rows[0].submitted_at == datetime(2025, 3, 14, 18, 30, tzinfo=PITTSBURGH)
    assert (rows[0].consent_quote, rows[0].consent_contact) == (True, False)


def test_a_string_with_a_byte_order_mark_is_read_too():
    assert len(read("\ufeff" + one_row())) == 1


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("yes", True),
        ("YES", True),
        ("y", True),
        ("Y", True),
        ("true", True),
        ("True", True),
        ("1", True),
        ("sí", True),
        ("SÍ", True),
        ("si", True),
        ("oui", True),
        ("Oui", True),
        (" yes ", True),
        ("no", False),
        ("No", False),
        ("n", False),
        ("false", False),
        ("FALSE", False),
        ("0", False),
        ("non", False),
        ("NON", False),
        ("", False),
    ],
)
def test_flag_spellings(written, expected):
    row = read(one_row(consent_quote=written, risk=written))[0]

    assert row.consent_quote is expected
    assert row.risk is expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2025-03-14", datetime(2025, 3, 14, tzinfo=PITTSBURGH)),
        ("2025-03-14 18:30", datetime(2025, 3, 14, 18, 30, tzinfo=PITTSBURGH)),
        ("2025-03-14T18:30:15", datetime(2025, 3, 14, 18, 30, 15, tzinfo=PITTSBURGH)),
        ("2025-03-14T18:30:00Z", datetime(2025, 3, 14, 18, 30, tzinfo=UTC)),
        ("14/03/2025", datetime(2025, 3, 14, tzinfo=PITTSBURGH)),
        ("14/03/2025 18:30", datetime(2025, 3, 14, 18, 30, tzinfo=PITTSBURGH)),
        ("4/3/2025", datetime(2025, 3, 4, tzinfo=PITTSBURGH)),
        ("14.03.2025", datetime(2025, 3, 14, tzinfo=PITTSBURGH)),
        ("14/03/2025 18h30", datetime(2025, 3, 14, 18, 30, tzinfo=PITTSBURGH)),
    ],
)
def test_date_forms(written, expected):
    moment = read(one_row(submitted_at=written))[0].submitted_at

    assert moment == expected
    assert moment.utcoffset() == expected.utcoffset()


def test_site_time_zone_by_default(settings):
    settings.TIME_ZONE = "Europe/Paris"
    row = read(one_row(), timezone=None)[0]

    assert row.submitted_at.utcoffset().total_seconds() == 3600
    named = read(one_row(), timezone="Asia/Kolkata")[0]
    assert named.submitted_at.utcoffset().total_seconds() == 5.5 * 3600


def test_language_codes_case_and_a_single_language():
    assert read(one_row(language="ES"))[0].language == "es"
    assert read(one_row(language=""), languages=["en"])[0].language == "en"


def test_themes_matched_without_case_accents_or_punctuation_and_deduplicated():
    row = read(one_row(themes="hiv/aids; DROIT À L'EAU;right to water;; Desarrollo ;"))[0]

    assert row.themes == ("HIV - Aids", "Right to water", "Development")


def test_a_plain_list_of_theme_names():
    row = read(one_row(themes="right to housing"), themes=["Right to housing", "Poverty"])[0]

    assert row.themes == ("Right to housing",)
    assert problems(one_row(themes="Derecho a la vivienda"), themes=["Right to housing"]) == [
        "Line 2, column “themes”: Unknown theme “Derecho a la vivienda”; "
        "use UPR Info issue names separated by “;”."
    ]


def test_header_columns_in_any_order_and_case():
    data = one_row().replace(HEADER, HEADER.replace("text", "TEXT"), 1)
    assert read(data)[0].text == "The bus stop has no ramp."
    columns = list(COLUMNS)
    columns.reverse()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerow(["Poverty", "", "", "", "yes", "", "", "", "Hungry.", "en", "2025-03-14"])
    row = read(out.getvalue())[0]
    assert (row.text, row.themes, row.consent_quote) == ("Hungry.", ("Poverty",), True)


def test_blank_lines_and_empty_trailing_cells_are_ignored():
    data = one_row() + "\n,,,,,,,,,,\n" + one_row().split("\n", 1)[1].rstrip("\n") + ",,\n"

    rows = read(data)

    assert [row.line for row in rows] == [2, 5]


# Every kind of problem, with its line number ---------------------------------------------------


def test_every_problem_at_once_and_nothing_returned():
    found = problems((DATA / "paper_errors.csv").read_bytes())

    assert found == [
        "Line 3, column “consent_quote”: “maybe” is not yes or no "
        "(write yes, no, or leave the cell empty).",
        "Line 4, column “language”: Unknown language “de”; "
        "this consultation's languages are en, es, fr.",
        "Line 5, column “themes”: Unknown theme “Right to housng”; "
        "did you mean “Right to housing”?",
        "Line 6, column “text”: The text is empty.",
        "Line 7, column “email”: This is not a valid e-mail address.",
        "Line 8, column “submitted_at”: “31/02/2025” is not a date. "
        "Write it as 2025-03-14, 2025-03-14 18:30 or 14/03/2025 (day first).",
        "Line 9: This row has 10 cells but the header has 11. A text with a comma, semicolon, "
        "quotation mark or line break must be in double quotes "
        "(and a quotation mark inside it doubled).",
        "Line 10: This row has 12 cells but the header has 11. A text with a comma, semicolon, "
        "quotation mark or line break must be in double quotes "
        "(and a quotation mark inside it doubled).",
        "Line 11, column “consent_named”: “quizás” is not yes or no "
        "(write yes, no, or leave the cell empty).",
        "Line 13, column “themes”: Unknown theme “Santé”; "
        "use UPR Info issue names separated by “;”.",
    ]


def test_the_error_message_lists_every_problem():
    with pytest.raises(PaperImportError) as caught, translation.override("en"):
        read((DATA / "paper_errors.csv").read_bytes())

    message = str(caught.value)
    assert message.startswith("The file has 10 problems:\n- Line 3, column “consent_quote”")
    assert message.count("\n- Line ") == 10


def test_a_long_list_of_problems_is_shortened_in_the_message_only():
    rows = "".join(f"2025-03-14,en,Text {n},,,,maybe,no,no,no,\n" for n in range(60))
    with pytest.raises(PaperImportError) as caught, translation.override("en"):
        read(HEADER + "\n" + rows)

    assert len(caught.value.problems) == 60
    assert str(caught.value).endswith(
        "- Line 51, column “consent_quote”: “maybe” is not yes or "
        "no (write yes, no, or leave the cell empty).\n"
        "… and 10 more problems."
    )


def test_missing_unknown_and_duplicate_columns_are_named():
    header = "submitted_at,language,text,name,email,phone,consent_quote,consent_quote,risk,themse"
    found = problems(header + "\n2025-03-14,en,Text,,,,yes,yes,no,Poverty\n")

    assert found == [
        "Line 1: The column “consent_quote” appears twice.",
        "Line 1: Unknown column “themse”; did you mean “themes”?",
        "Line 1: Columns are missing: consent_named, consent_contact, themes.",
    ]


def test_one_missing_column_still_checks_the_rows():
    header = HEADER.replace(",phone", "")
    found = problems(header + "\n2025-03-14,xx,Text,,,yes,no,no,no,\n")

    assert found == [
        "Line 1: A column is missing: phone.",
        "Line 2, column “language”: Unknown language “xx”; "
        "this consultation's languages are en, es, fr.",
    ]


def test_no_header_at_all():
    found = problems("2025-03-14,en,Text,,,,yes,no,no,no,Poverty\n")

    assert found == [
        "Line 1: The first line must name the columns, separated by commas or semicolons: "
        + HEADER
        + "."
    ]
    # Tabs are not a delimiter: the header is then one unknown name.
    assert problems(one_row().replace(",", "\t")) == found


def test_text_over_the_limit():
    assert problems(one_row(text="x" * 10_001)) == [
        "Line 2, column “text”: The text has 10001 characters; the limit is 10000."
    ]
    assert read(one_row(text="x" * 10_000))[0].text == "x" * 10_000
    assert problems(one_row(text="x" * 51), max_text=50) == [
        "Line 2, column “text”: The text has 51 characters; the limit is 50."
    ]


def test_a_cell_beyond_the_csv_modules_limit():
    data = HEADER + '\n2025-03-14,en,"' + "x" * 200_000 + '",,,,yes,no,no,no,\n'
    # The limit is the csv module's, process-wide: other code in this process (the importers)
    # may have raised it, so the test sets the default it describes.
    previous = csv.field_size_limit(131_072)
    try:
        found = problems(data)
    finally:
        csv.field_size_limit(previous)

    assert found == [
        "Line 2: A cell is far too long to be read (over 131,072 characters); "
        "is a closing quotation mark missing?"
    ]


def test_an_unclosed_quotation_mark_is_reported_at_its_line():
    data = one_row() + '2025-03-14,en,"Unclosed,,,,yes,no,no,no,\n' + one_row().split("\n")[1]

    found = problems(data)

    assert len(found) == 1
    assert found[0].startswith("Line 3: This row has 3 cells but the header has 11.")


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x0b"])
def test_control_and_binary_characters(control):
    assert problems(one_row(text=f"Before{control}after")) == [
        "Line 2, column “text”: This cell contains control or binary characters "
        "(only line breaks and tabs are allowed)."
    ]


def test_tabs_and_line_breaks_are_allowed_and_normalised():
    text = read(one_row(text="One\ttab\r\nWindows line\rold Mac line"))[0].text

    assert text == "One\ttab\nWindows line\nold Mac line"


def test_control_characters_in_other_cells_too():
    assert problems(one_row(name="Ana\x00")) == [
        "Line 2, column “name”: This cell contains control or binary characters "
        "(only line breaks and tabs are allowed)."
    ]


def test_missing_and_future_dates():
    assert problems(one_row(submitted_at="")) == [
        "Line 2, column “submitted_at”: The date is missing."
    ]
    assert problems(one_row(submitted_at="03/14/2025"))[0].startswith(
        "Line 2, column “submitted_at”: “03/14/2025” is not a date."
    )
    assert problems(one_row(submitted_at="2052-03-14")) == [
        "Line 2, column “submitted_at”: The date 2052-03-14 is in the future."
    ]


def test_missing_language_among_several():
    assert problems(one_row(language="")) == [
        "Line 2, column “language”: The language is missing; "
        "this consultation's languages are en, es, fr."
    ]


def test_identity_problems_do_not_repeat_the_values():
    found = problems(one_row(email="ana.at.example.org", name="ana@example.org", phone="5" * 51))

    assert found == [
        "Line 2, column “email”: This is not a valid e-mail address.",
        "Line 2, column “phone”: This cell has 51 characters; the limit is 50.",
        "Line 2, column “name”: This looks like an e-mail address; put it in the “email” column.",
    ]
    assert not any("ana" in problem for problem in found)


def test_empty_files():
    assert problems(b"") == ["The file is empty."]
    assert problems(b"\xef\xbb\xbf \r\n") == ["The file is empty."]
    assert problems(HEADER + "\n\n") == ["The file has a header line but no testimony."]


def test_utf16_files_get_a_clear_message():
    text = (DATA / "paper_pittsburgh.csv").read_text(encoding="utf-8")
    expected = [
        "The file is in UTF-16, not UTF-8. In your spreadsheet, save it again as "
        "“CSV UTF-8 (comma delimited)”."
    ]

    assert problems(text.encode("utf-16")) == expected  # with a byte-order mark
    assert problems(text.encode("utf-16-le")) == expected
    assert problems(text.encode("utf-16-be")) == expected


def test_latin1_files_get_a_clear_message_with_the_line():
    data = one_row(text="Le propriétaire ne répond pas.").encode("cp1252")

    assert problems(data) == [
        "Line 2: The file is not in UTF-8 (it looks like Latin-1 or Windows-1252, which some "
        "spreadsheets use by default). In your spreadsheet, save it again as "
        "“CSV UTF-8 (comma delimited)”."
    ]


def test_binary_files():
    assert problems(b"PK\x03\x04\x14\x00\x06\x00 workbook") == [
        "This is a spreadsheet workbook, not a CSV file. In your spreadsheet, save it as "
        "“CSV UTF-8 (comma delimited)”."
    ]
    assert problems(HEADER.encode() + b"\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xd8") == [
        "Line 2: The file is not text (it contains binary data); is it a CSV file?"
    ]

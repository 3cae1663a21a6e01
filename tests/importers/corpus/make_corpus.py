"""Re-create the malformed-input corpus from the bundled real files.

    .venv/bin/python tests/importers/corpus/make_corpus.py

Every file is made of real rows of ``uprhub/recommendations/data/bundled`` cut or damaged the
way real files get damaged (re-saved in the wrong encoding, truncated downloads, a column
dropped in a spreadsheet, a renamed file…). The files are committed; this script documents how
they were made. ``tests/importers/test_corpus.py`` lists what each must produce.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
BUNDLED = HERE.parents[2] / "uprhub" / "recommendations" / "data" / "bundled"
UPRINFO = BUNDLED / "uprinfo" / "recommendations-sessions-01-17.csv"
PLEDGES = BUNDLED / "uprinfo" / "voluntary-pledges-sessions-01-17.csv"
OHCHR = BUNDLED / "ohchr" / "usa-cycle3-recommendations.csv"
DOCX = BUNDLED / "ohchr" / "thematic-lists" / "UPR48_Slovenia_thematic_list.docx"


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def write(name: str, data: bytes | str) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    (HERE / name).write_bytes(data)


def replace_cell(line: str, column: int, value: str) -> str:
    cells = next(csv.reader([line]))
    cells[column] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def main() -> None:
    up = lines(UPRINFO)
    header, rows = up[0], up[1:]
    first = rows[:5]  # Afghanistan, session 5 (file lines 2-6)
    # Rows with accented letters: Equité (line 3671), Hissène (4639), Guaraní (6949).
    accented = [up[3670], up[4638], up[6948]]

    # 1. A column dropped (Response) when the file was edited in a spreadsheet.
    kept = [c for c in next(csv.reader([header])) if c != "Response"]
    out = io.StringIO()
    writer = csv.DictWriter(out, kept, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in csv.DictReader(io.StringIO("\n".join([header, *first]))):
        writer.writerow(row)
    write("uprinfo-missing-column.csv", out.getvalue())

    # 2. The original export's encoding: Mac Roman with CR line endings (bad byte on line 4).
    text = "\r".join([header, *first[:2], *accented]) + "\r"
    write("uprinfo-macroman-cr.csv", text.encode("mac_roman"))

    # 3. Re-saved as Latin-1 (Windows "ANSI"); first accented letter on line 5.
    text = "\n".join([header, *first[:3], accented[1]]) + "\n"
    write("uprinfo-latin1.csv", text.encode("latin-1"))

    # 4. Saved by Excel as "Unicode text": UTF-16 with a byte-order mark (line 1).
    text = "\n".join([header, *first]) + "\n"
    write("uprinfo-utf16.csv", text.encode("utf-16"))

    # 5. An unknown response on line 4.
    bad = list(first)
    bad[2] = replace_cell(bad[2], 7, "Maybe")
    write("uprinfo-unknown-response.csv", "\n".join([header, *bad]) + "\n")

    # 6. An empty file (a failed download).
    write("uprinfo-empty.csv", b"")

    # 7. The header only.
    write("uprinfo-header-only.csv", header + "\n")

    # 8. A non-numeric session on line 5 (a Roman numeral typed by hand).
    bad = list(first)
    bad[3] = replace_cell(bad[3], 10, "IX")
    write("uprinfo-bad-session.csv", "\n".join([header, *bad]) + "\n")

    # 9. An action category out of range on line 3.
    bad = list(first)
    bad[1] = replace_cell(bad[1], 8, "7")
    write("uprinfo-bad-action.csv", "\n".join([header, *bad]) + "\n")

    # 10. A row cut short (its last field lost) on line 6.
    bad = list(first)
    bad[4] = bad[4].rsplit(",", 1)[0]
    write("uprinfo-short-row.csv", "\n".join([header, *bad]) + "\n")

    # 11. An unbalanced quote on line 3 swallows the rest of the file into one field.
    bad = list(first)
    bad[1] = bad[1].replace("Establish a mechanism", '"Establish a mechanism', 1)
    write("uprinfo-unbalanced-quote.csv", "\n".join([header, *bad]) + "\n")

    # 12. A voluntary pledge (line 4) pasted into the recommendations file.
    pledge = lines(PLEDGES)[1]
    write("uprinfo-pledge-row.csv", "\n".join([header, *first[:2], pledge, *first[2:]]) + "\n")

    # 13. An empty Text cell on line 3.
    bad = list(first)
    bad[1] = replace_cell(bad[1], 3, "")
    write("uprinfo-empty-text.csv", "\n".join([header, *bad]) + "\n")

    oh = lines(OHCHR)
    # 14. OHCHR CSV with an unknown position on line 4.
    bad = list(oh[1:6])
    bad[2] = replace_cell(bad[2], 2, "maybe")
    write("usa-cycle3-unknown-position.csv", "\n".join([oh[0], *bad]) + "\n")

    # 15. OHCHR CSV without its position column.
    out = io.StringIO()
    kept = ["paragraph", "recommending_state", "primary_theme", "text"]
    writer = csv.DictWriter(out, kept, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in csv.DictReader(io.StringIO("\n".join(oh[:6]))):
        writer.writerow(row)
    write("usa-cycle3-missing-column.csv", out.getvalue())

    # 16. OHCHR CSV whose name does not say the State or cycle (and no options given).
    write("recommendations-export.csv", "\n".join(oh[:6]) + "\n")

    docx = DOCX.read_bytes()
    # 17. A text file renamed to .docx.
    write("thematic-renamed-text.docx", "\n".join(oh[:6]) + "\n")

    # 18. A truncated download of the real thematic list.
    write("thematic-truncated.docx", docx[: len(docx) * 2 // 5])

    # 19. The real list with its first position (table row 3) changed to "Maybe".
    # 20. The real list without the State in the page header.
    def rewrite(name: str, member: str, old: bytes, new: bytes) -> None:
        source = zipfile.ZipFile(io.BytesIO(docx))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename == member:
                    assert old in data
                    data = data.replace(old, new, 1)
                target.writestr(info, data)
        write(name, buffer.getvalue())

    rewrite("thematic-unknown-position.docx", "word/document.xml", b">Supported<", b">Maybe<")
    rewrite("thematic-no-header.docx", "word/header1.xml", b">UPR of Slovenia <", b">UPR <")

    # UHRI exports built from the real US rows (the same data UHRI serves).
    columns = [
        "Text",
        "Countries Concerned",
        "Recommending Body",
        "UPR Recommending States",
        "UPR Position",
        "Themes",
        "Affected Persons",
        "SDGs",
        "Document Symbol",
        "Document Publication Date",
        "OHCHR Annotation Id",
        "UPR Session",
    ]
    us_rows = list(csv.DictReader(io.StringIO("\n".join(oh[:41]))))

    def workbook(drop: str | None = None, session_on_row3: str | None = None) -> bytes:
        book = Workbook()
        sheet = book.active
        sheet.append([c for c in columns if c != drop])
        for i, row in enumerate(us_rows, start=2):
            position = {"supported_noted": "Supported/Noted"}.get(
                row["position"], row["position"].capitalize()
            )
            values = {
                "Text": row["text"],
                "Countries Concerned": "- United States of America",
                "Recommending Body": "UPR",
                "UPR Recommending States": "\n".join(
                    f"- {n.strip()}" for n in row["recommending_state"].split(";")
                ),
                "UPR Position": position,
                "Themes": f"- {row['primary_theme']}",
                "Affected Persons": "- General",
                "SDGs": "- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS",
                "Document Symbol": "A/HRC/46/15",
                "Document Publication Date": 44217,
                "OHCHR Annotation Id": f"US-36-{i}",
                "UPR Session": session_on_row3 if (session_on_row3 and i == 3) else 36,
            }
            sheet.append([values[c] for c in columns if c != drop])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    full = workbook()
    # 21. A truncated download.
    write("uhri-truncated.xlsx", full[: len(full) // 2])
    # 22. An export without the UPR Position column.
    write("uhri-missing-column.xlsx", workbook(drop="UPR Position"))
    # 23. A session typed as words on spreadsheet row 3.
    write("uhri-bad-session.xlsx", workbook(session_on_row3="thirty-six"))
    # 24. A CSV renamed to .xlsx.
    write("uhri-renamed-csv.xlsx", "\n".join(oh[:6]) + "\n")


if __name__ == "__main__":
    main()

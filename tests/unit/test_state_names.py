"""Reference data for States and Working Group sessions (no Django, no database)."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from uprhub.reviews.names import (
    REGIONAL_GROUPS,
    STATE_KINDS,
    UPRINFO_REGION_NAMES,
    build_alias_index,
    load_state_records,
    normalise_name,
    resolve_state_code,
)

# The package's own copy of the real data (shipped and loaded on first start).
SHARED_DATA = (
    Path(__file__).resolve().parents[2] / "uprhub" / "recommendations" / "data" / "bundled"
)
UPRINFO_FILES = (
    SHARED_DATA / "uprinfo" / "recommendations-sessions-01-17.csv",
    SHARED_DATA / "uprinfo" / "voluntary-pledges-sessions-01-17.csv",
)
USA_CYCLE3 = SHARED_DATA / "ohchr" / "usa-cycle3-recommendations.csv"
SLOVENIA_DOCX = SHARED_DATA / "ohchr" / "thematic-lists" / "UPR48_Slovenia_thematic_list.docx"
DATA_DIR = Path(__file__).resolve().parents[2] / "uprhub" / "reviews" / "data"

# Known non-State quirks of the OHCHR data, deliberately left unmapped.
UNMAPPABLE = {"Bolivarian Republic of", "the Paris Principles", ""}


@pytest.fixture(scope="module")
def records():
    return load_state_records()


@pytest.fixture(scope="module")
def index(records):
    return build_alias_index(records)


def _need(path: Path) -> Path:
    assert path.exists(), f"bundled data file missing: {path}"
    return path


def _uprinfo_names() -> set[str]:
    names: set[str] = set()
    for path in UPRINFO_FILES:
        with _need(path).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                names.add(row["To"])
                names.add(row["From"])
    return names


def _ohchr_usa_names() -> set[str]:
    names: set[str] = set()
    with _need(USA_CYCLE3).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names.update(part.strip() for part in row["recommending_state"].split("; "))
    return names


def _trailing_parenthesised(text: str) -> list[str]:
    """The balanced "(…)" groups at the end of ``text``, e.g. "(Iran (Islamic Republic of))"."""
    rest = text.rstrip().rstrip(";.").rstrip()
    groups: list[str] = []
    while rest.endswith(")"):
        depth = 0
        start = -1
        for i in range(len(rest) - 1, -1, -1):
            if rest[i] == ")":
                depth += 1
            elif rest[i] == "(":
                depth -= 1
                if depth == 0:
                    start = i
                    break
        if start < 0:
            break
        groups.append(rest[start + 1 : -1])
        rest = rest[:start].rstrip()
    return list(reversed(groups))


def _slovenia_names() -> set[str]:
    docx = pytest.importorskip("docx")
    document = docx.Document(str(_need(SLOVENIA_DOCX)))
    names: set[str] = set()
    items = 0
    for row in document.tables[0].rows:
        cell = row.cells[0].text
        if "Source of Position" not in cell:
            continue
        items += 1
        groups = _trailing_parenthesised(cell.split("Source of Position")[0])
        assert groups, f"no recommending State found in {cell[-120:]!r}"
        for group in groups:
            names.update(part.strip() for part in group.split(", "))
    assert items == 254
    return names


def _unmapped(names: set[str], index: dict[str, str]) -> set[str]:
    return {
        n for n in names if n.strip() not in UNMAPPABLE and resolve_state_code(n, index) is None
    }


def test_uprinfo_names_all_map(index):
    names = _uprinfo_names()
    assert len(names) > 190
    assert _unmapped(names, index) == set()


def test_ohchr_usa_recommenders_all_map(index):
    names = _ohchr_usa_names()
    assert {"Bolivarian Republic of", "the Paris Principles", ""} <= names
    assert _unmapped(names, index) == set()
    # The quirks stay unmapped: the importer warns about them.
    assert resolve_state_code("Bolivarian Republic of", index) is None
    assert resolve_state_code("the Paris Principles", index) is None
    assert resolve_state_code("", index) is None


def test_slovenia_thematic_list_recommenders_all_map(index):
    names = _slovenia_names()
    assert "Venezuela (Bolivarian Republic of)" in names
    assert _unmapped(names, index) == set()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("&#40;Unknown&#41;", "UNKNOWN"),
        ("(Unknown)", "UNKNOWN"),
        ("ACT Group", "ACT-GROUP"),
        ("DPR Korea", "PRK"),
        ("Democratic People ’ s Republic of Korea", "PRK"),
        ("Korea, Republic of", "KOR"),
        ("Bosnia & Herzegovina", "BIH"),
        ("Macedonia FYR", "MKD"),
        ("The former Yugoslav Republic of Macedonia", "MKD"),
        ("Cote d'Ivoire", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("Laos", "LAO"),
        ("Lao People’s Democratic Republic", "LAO"),
        ("Swaziland", "SWZ"),
        ("St Kitts & Nevis", "KNA"),
        ("St. Lucia", "LCA"),
        ("Guinea Bissau", "GNB"),
        ("Democratic Republic of Congo", "COD"),
        ("Republic of Congo", "COG"),
        ("Congo", "COG"),
        ("Palestine", "PSE"),
        ("Micronesia", "FSM"),
        ("Micronesia (Federated States of)", "FSM"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Plurinational State of Bolivia", "BOL"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Czech Republic", "CZE"),
        ("Cape Verde", "CPV"),
        ("Burma", "MMR"),
        ("USA", "USA"),
        ("United States", "USA"),
        ("UK", "GBR"),
        ("DRC", "COD"),
        ("Vatican", "VAT"),
        ("Holy See", "VAT"),
        ("Kingdom of the Netherlands", "NLD"),
        ("the Gambia", "GMB"),
        ("  Slovenia ", "SVN"),
        ("svn", "SVN"),
    ],
)
def test_known_variants(index, name, code):
    assert resolve_state_code(name, index) == code


def test_normalise_name_rules():
    assert normalise_name("Democratic People ’ s Republic of Korea") == normalise_name(
        "Democratic People's Republic of Korea"
    )
    assert normalise_name("&#40;Unknown&#41;") == normalise_name("(Unknown)") == "unknown"
    assert normalise_name("Türkiye") == "turkiye"
    assert normalise_name("Côte d’Ivoire") == normalise_name("Cote d'Ivoire")
    assert normalise_name("St Vincent & the Grenadines") == normalise_name(
        "Saint Vincent and the Grenadines"
    )
    assert normalise_name("Guinea-Bissau") == normalise_name("Guinea Bissau")
    assert normalise_name("The Bahamas") == "bahamas"
    assert normalise_name("") == ""


def test_state_table_shape(records):
    codes = [r.code for r in records]
    assert len(codes) == len(set(codes))
    kinds = Counter(r.kind for r in records)
    assert kinds == {"member": 193, "observer": 2, "group": 1, "unknown": 1}
    assert set(kinds) <= set(STATE_KINDS)
    for record in records:
        if record.kind in ("member", "observer"):
            assert record.code == record.iso3
            assert len(record.iso3) == 3 and record.iso3.isupper()
        else:
            assert record.iso3 == ""
            assert record.regional_group == ""
        if record.kind == "member":
            assert record.regional_group in REGIONAL_GROUPS, record
        assert record.regional_group in (*REGIONAL_GROUPS, "")
        assert record.un_name and record.short_name
        assert "’" not in record.un_name
    by_code = {r.code: r for r in records}
    assert {c for c in by_code if by_code[c].kind == "observer"} == {"VAT", "PSE"}
    assert by_code["VAT"].regional_group == ""
    assert by_code["PSE"].regional_group == "Asia-Pacific"
    assert by_code["USA"].regional_group == "WEOG"
    assert by_code["ISR"].regional_group == "WEOG"
    assert by_code["TUR"].regional_group == "WEOG"
    assert by_code["KIR"].regional_group == "Asia-Pacific"
    assert by_code["USA"].un_name == "United States of America"
    assert by_code["CIV"].un_name == "Côte d'Ivoire"
    assert by_code["UNKNOWN"].un_name == "Unknown"
    assert "(Unknown)" in by_code["UNKNOWN"].aliases
    groups = Counter(r.regional_group for r in records if r.kind == "member")
    assert groups == {"Africa": 54, "Asia-Pacific": 54, "EEG": 23, "GRULAC": 33, "WEOG": 29}


def test_no_alias_collision(records, index):
    # build_alias_index raises on collisions; also check that every name is reachable.
    for record in records:
        for name in record.names():
            assert index[normalise_name(name)] == record.code


def test_alias_collision_raises(records):
    by_code = {r.code: r for r in records}
    clash = type(by_code["COG"])(
        code="XXX", iso3="", un_name="Congo", short_name="Congo", regional_group="", kind="group"
    )
    with pytest.raises(ValueError, match="collision"):
        build_alias_index([by_code["COG"], clash])


def test_uprinfo_region_names():
    assert UPRINFO_REGION_NAMES["Asia"] == "Asia-Pacific"
    assert set(UPRINFO_REGION_NAMES.values()) == set(REGIONAL_GROUPS)


def test_sessions_csv():
    with (DATA_DIR / "sessions.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(r["number"]) for r in rows] == list(range(1, 55))
    for row in rows:
        number, cycle = int(row["number"]), int(row["cycle"])
        expected = 1 if number <= 12 else 2 if number <= 26 else 3 if number <= 40 else 4
        assert cycle == expected, row
        start, end = date.fromisoformat(row["start_date"]), date.fromisoformat(row["end_date"])
        assert start < end and (end - start).days <= 15
        assert row["source_note"]
    starts = [date.fromisoformat(r["start_date"]) for r in rows]
    assert starts == sorted(starts)
    by_number = {int(r["number"]): r for r in rows}
    assert by_number[1]["start_date"] == "2008-04-07"
    assert by_number[9]["start_date"] == "2010-11-01"
    assert by_number[22]["end_date"] == "2015-05-15"
    assert by_number[36]["start_date"] == "2020-11-02"
    assert by_number[50]["end_date"] == "2025-11-14"


def test_reviews_csv(index):
    with (DATA_DIR / "reviews.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    keys = {(r["iso3"], int(r["session"])) for r in rows}
    assert {("USA", 9), ("USA", 22), ("USA", 36), ("USA", 50), ("SVN", 48)} <= keys
    for row in rows:
        assert resolve_state_code(row["iso3"], index) == row["iso3"]
        if row["review_date"]:
            date.fromisoformat(row["review_date"])
    usa50 = next(r for r in rows if r["iso3"] == "USA" and r["session"] == "50")
    assert usa50["wg_report_symbol"] == ""
    assert "did not take part" in usa50["note"]

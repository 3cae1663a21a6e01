"""OHCHR thematic lists (Word): the real 4th-cycle Slovenia list and 2nd/3rd-cycle layouts."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tests.importers.conftest import CORPUS, SLOVENIA_DOCX, table_counts
from uprhub.recommendations.importers.thematic_docx import import_thematic_docx
from uprhub.recommendations.models import Position, Recommendation, Theme
from uprhub.reviews.models import Review

pytestmark = pytest.mark.django_db

OLD_TITLES = (
    "Recommendation",
    "Position",
    "Full list of themes",
    "Assessment/comments on level of implementation",
)


def make_list(path: Path, header: str, titles: tuple[str, ...], items: list) -> Path:
    """A thematic list as OHCHR lays it out: page header, one table, "Theme:" rows spanning it."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = header
    table = document.add_table(rows=1, cols=len(titles))
    for cell, title in zip(table.rows[0].cells, titles, strict=True):
        cell.text = title
    for item in items:
        row = table.add_row()
        if isinstance(item, str):
            merged = row.cells[0].merge(row.cells[-1])
            merged.text = item
            continue
        for cell, value in zip(row.cells, item, strict=True):
            lines = value.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    document.save(path)
    return path


def test_slovenia_fourth_cycle(reference):
    summary = import_thematic_docx(SLOVENIA_DOCX)

    assert (summary.rows, summary.created) == (254, 254)
    review = Review.objects.get(state__code="SVN", session=48)
    recs = review.recommendations
    assert recs.count() == 254
    assert recs.filter(position=Position.SUPPORTED).count() == 217
    assert recs.filter(position=Position.NOTED).count() == 37
    assert review.responses_symbol == "A/HRC/59/15/Add.1"

    first = recs.get(paragraph="140.7")
    assert first.text == (
        "Ratify the Optional Protocol to the International Covenant on Economic, Social and "
        "Cultural Rights"
    )
    assert set(first.recommenders.values_list("state__code", flat=True)) == {"MDV", "PRT"}
    labels = set(first.labels.values_list("theme__vocabulary__slug", "theme__name"))
    assert ("ohchr-themes-cycle4", "Ratification of & accession to international instruments") in (
        labels
    )
    assert ("ohchr-groups-cycle4", "Public officials") in labels
    assert ("sdg", "SDG 5 – Gender equality") in labels
    assert Theme.objects.get(vocabulary__slug="sdg", code="16").name == (
        "SDG 16 – Peace, justice and strong institutions"
    )
    assert recs.get(paragraph="140.11").recommenders.get().state.code == "MKD"

    before = table_counts()
    again = import_thematic_docx(SLOVENIA_DOCX)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 254)
    assert table_counts() == before


def test_state_and_session_given_when_the_header_is_missing(reference):
    summary = import_thematic_docx(CORPUS / "thematic-no-header.docx", state="SVN", session=48)
    assert summary.created == 254


def test_second_cycle_layout(reference, tmp_path: Path):
    source = "Source of position: A/HRC/28/15/Add.1 - Para. 3"
    path = make_list(
        tmp_path / "UPR20_Slovenia_ThematicListRecommendations_E.docx",
        "UPR of Slovenia (2nd Cycle \u2013 20th session)\t\tThematic list of recommendations",
        OLD_TITLES,
        [
            "Theme: A12 Acceptance of international norms",
            (
                "115.3 Ratify the Optional Protocol to the Rights of the Child on a "
                f"communications procedure (Portugal, Slovakia);\n{source}",
                "Supported",
                "A12 Acceptance of international norms\nAffected persons:\n- children",
                "",
            ),
            (
                "115.2 Expedite the process of ratification of the amendment to article 8 of the "
                "International Convention on the Elimination of All Forms of Racial "
                f"Discrimination (Belgium); \n{source}",
                "Supported",
                "A12 Acceptance of international norms\nB32 Racial discrimination\nG1 Members of "
                "minorities\nAffected persons:\n- minorities/ racial, ethnic, linguistic, "
                "religious or descent-based groups",
                "",
            ),
            "Theme: B32 Racial discrimination",
            (
                "115.2 Expedite the process of ratification of the amendment to article 8 of the "
                "International Convention on the Elimination of All Forms of Racial "
                f"Discrimination (Belgium); \n{source}",
                "Supported",
                "A12 Acceptance of international norms\nB32 Racial discrimination",
                "",
            ),
            "Theme: A45 National Human Rights Institution (NHRI) ",
            (
                "115.38 Ensure the compliance of its National Ombudsman with the Paris Principles "
                "(Egypt); continue with the efforts to guarantee compliance of the Human Rights "
                "Ombudsperson with the Paris Principles (Peru);take more effective measures in "
                "order to bring the Ombudsman\u2019s Office into compliance with the Paris "
                f"Principles (Azerbaijan); \n{source}",
                "Noted",
                "A45 National Human Rights Institution (NHRI)\nA42 Institutions & policies - "
                "General\nAffected persons:\n- general",
                "",
            ),
        ],
    )
    summary = import_thematic_docx(path)

    assert summary.created == 3  # 115.2 appears under two themes: one recommendation
    review = Review.objects.get(state__code="SVN", session=20)
    assert (review.wg_report_symbol, review.responses_symbol) == (
        "A/HRC/28/15",
        "A/HRC/28/15/Add.1",
    )
    shared = review.recommendations.get(paragraph="115.3")
    assert set(shared.recommenders.values_list("state__code", flat=True)) == {"PRT", "SVK"}
    merged = review.recommendations.get(paragraph="115.38")
    assert set(merged.recommenders.values_list("state__code", flat=True)) == {"EGY", "PER", "AZE"}
    assert merged.position == Position.NOTED
    coded = Theme.objects.get(vocabulary__slug="ohchr-themes-cycle2", code="A12")
    assert coded.name == "Acceptance of international norms"
    racial = review.recommendations.get(paragraph="115.2")
    assert set(racial.labels.values_list("theme__code", flat=True)) >= {"A12", "B32", "G1"}
    assert racial.labels.filter(theme__vocabulary__slug="ohchr-groups-cycle2").exists()


def test_third_cycle_layout(reference, tmp_path: Path):
    path = make_list(
        tmp_path / "UPR34_Slovenia_Thematic_list_of_Recommendations.docx",
        "UPR of Slovenia (3rd Cycle \u2013 34th Session)",
        OLD_TITLES,
        [
            "Theme: Acceptance of international norms",
            (
                "121.1 Ratify the International Convention for the Protection of All Persons from "
                "Enforced Disappearance (France) (Lithuania);\n"
                "Source of Position: A/HRC/43/15 - Para 121",
                "Supported",
                "- Acceptance of international norms\n- Enforced disappearances\nSDGs: \n- 16 - "
                "PEACE, JUSTICE AND STRONG INSTITUTIONS\nAffected persons: \n- Disappeared persons",
                "",
            ),
            (
                "121.2 Complete the process of ratification of the International Convention for "
                "the Protection of All Persons from Enforced Disappearance (Ukraine); Increase "
                "efforts towards ratification of the International Convention for the Protection "
                "of All Persons from Enforced Disappearance (Slovakia);\n"
                "Source of Position: A/HRC/43/15 - Para 121",
                "Supported",
                "- Acceptance of international norms",
                "",
            ),
            (
                "121.3 Ratify and implement the International Labour Organization\u2019s 2014 "
                "Protocol to the Forced Labour Convention, 1930 (No. 29) (United Kingdom of Great "
                "Britain and Northern Ireland);\nSource of Position: A/HRC/43/15/Add.1 - Para.3",
                "Supported",
                "- Acceptance of international norms\nSDGs: \n"
                "- 8 - DECENT WORK AND ECONOMIC GROWTH",
                "",
            ),
        ],
    )
    summary = import_thematic_docx(path)

    assert summary.created == 3
    review = Review.objects.get(state__code="SVN", session=34)
    assert review.responses_symbol == "A/HRC/43/15/Add.1"
    assert review.wg_report_symbol == "A/HRC/43/15"
    first = review.recommendations.get(paragraph="121.1")
    assert set(first.recommenders.values_list("state__code", flat=True)) == {"FRA", "LTU"}
    labels = set(first.labels.values_list("theme__vocabulary__slug", "theme__name"))
    assert labels == {
        ("ohchr-themes-cycle3", "Acceptance of international norms"),
        ("ohchr-themes-cycle3", "Enforced disappearances"),
        ("sdg", "SDG 16 – Peace, justice and strong institutions"),
        ("ohchr-groups-cycle3", "Disappeared persons"),
    }
    two = review.recommendations.get(paragraph="121.2")
    assert set(two.recommenders.values_list("state__code", flat=True)) == {"UKR", "SVK"}
    ilo = review.recommendations.get(paragraph="121.3")
    assert ilo.text.endswith("Forced Labour Convention, 1930 (No. 29)")
    assert ilo.recommenders.get().state.code == "GBR"
    assert Recommendation.objects.filter(review=review).count() == 3

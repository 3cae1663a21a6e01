"""UPR Info CSV exports: the full bundled file, merging, idempotency, updates in place."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.importers.conftest import (
    PLEDGES_CSV,
    UPRINFO_CSV,
    table_counts,
    uprinfo_lines,
    write_lines,
)
from uprhub.recommendations.importers.uprinfo import import_uprinfo, import_uprinfo_pledges
from uprhub.recommendations.models import (
    Label,
    Position,
    Recommendation,
    RecommendingState,
    Source,
    SourceKind,
    VoluntaryPledge,
)
from uprhub.reviews.models import Review, State, StateKind

pytestmark = pytest.mark.django_db

TO, TO_RGRP, TEXT, FROM, FROM_RGRP, RESPONSE, ACTION, ISSUE, SESSION = 0, 1, 3, 4, 5, 7, 8, 9, 10
COLUMN = {
    "to": TO,
    "to_rgrp": TO_RGRP,
    "frm": FROM,
    "from_rgrp": FROM_RGRP,
    "response": RESPONSE,
    "action": ACTION,
}


def cells(line: str) -> list[str]:
    return next(csv.reader([line]))


def line_of(values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(values)
    return out.getvalue()


def us_session9_lines() -> list[str]:
    """Header + the 280 rows of the United States' 1st review, as in the bundled file."""
    lines = uprinfo_lines()
    return [lines[0], *(x for x in lines[1:] if x.startswith("United States,"))]


def test_bundled_file_is_merged_and_reimport_changes_nothing(reference):
    summary = import_uprinfo(UPRINFO_CSV)

    assert summary.rows == 33_082
    assert (summary.created, summary.updated, summary.unchanged) == (32_082, 0, 0)
    assert Recommendation.objects.count() == 32_082
    # 33,082 rows minus 4 rows that repeat the same State on the same recommendation.
    assert RecommendingState.objects.count() == 33_078
    assert Review.objects.filter(session__number__lte=17).count() == 263
    positions = dict(
        Recommendation.objects.values_list("position").annotate(n=models_count()).order_by()
    )
    assert positions == {Position.SUPPORTED: 23_821, Position.NOTED: 8_261}

    us = Review.objects.get(state__code="USA", session=9)
    assert us.wg_report_symbol == "A/HRC/16/11"  # from the reference data, untouched
    assert us.compilation_symbol == "A/HRC/WG.6/9/USA/2"
    assert us.recommendations.count() == 269
    assert RecommendingState.objects.filter(recommendation__review=us).count() == 280
    cedaw = us.recommendations.get(text="Ratify CEDAW")
    assert sorted(cedaw.recommenders.values_list("state__code", flat=True)) == [
        "GHA",
        "NLD",
        "NZL",
        "PRK",  # published as "DPR Korea"
    ]
    assert cedaw.recommenders.get(state__code="PRK").name_as_published == "DPR Korea"
    assert set(cedaw.labels.values_list("theme__name", flat=True)) == {
        "International instruments",
        "Women's rights",
    }
    assert cedaw.action_category == 5
    assert cedaw.source.kind == SourceKind.UPRINFO_CSV
    assert cedaw.source_row == 14196

    # Odd names all reach their States; "&#40;Unknown&#41;" is kept as the Unknown record.
    published = dict(
        RecommendingState.objects.filter(
            name_as_published__in=["Bosnia & Herzegovina", "Macedonia FYR", "Cote d'Ivoire"]
        ).values_list("name_as_published", "state__code")
    )
    assert published == {
        "Bosnia & Herzegovina": "BIH",
        "Macedonia FYR": "MKD",
        "Cote d'Ivoire": "CIV",
    }
    assert RecommendingState.objects.filter(state__code="UNKNOWN").count() == 9
    assert not State.objects.filter(code__startswith="X-").exists()

    # Rows that disagree inside a merged recommendation are reported with their line.
    lines = {w.line for w in summary.warnings}
    assert {215, 217, 11859, 32109} <= lines

    source = Source.objects.get(kind=SourceKind.UPRINFO_CSV)
    before, stamp = table_counts(), source.imported_at
    again = import_uprinfo(UPRINFO_CSV)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 32_082)
    assert table_counts() == before
    source.refresh_from_db()
    assert source.imported_at == stamp  # not even the Source row was written


def models_count():
    from django.db.models import Count

    return Count("id")


def test_newer_file_updates_in_place(reference, tmp_path: Path):
    lines = us_session9_lines()
    first = write_lines(tmp_path / "extract.csv", lines)
    created = import_uprinfo(first)
    assert created.created == 269

    rows = [cells(x) for x in lines[1:]]
    by_text: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_text.setdefault(row[TEXT].strip(), []).append(i)
    singles = [v[0] for v in by_text.values() if len(v) == 1]
    shared = next(v for v in by_text.values() if len(v) >= 3)

    changed = [list(r) for r in rows]
    a, b, c, gone = singles[:4]
    changed[a][RESPONSE] = "Noted" if rows[a][RESPONSE] == "Accepted" else "Accepted"
    changed[b][ACTION] = "1" if rows[b][ACTION] != "1" else "2"
    changed[c][ISSUE] = "Death penalty"
    dropped_recommender = shared[-1]
    keep = [i for i in range(len(rows)) if i not in (gone, dropped_recommender)]
    new_row = list(rows[0])
    new_row[TEXT] = "Publish the list of every recommendation it has accepted."
    v2 = [lines[0], *(line_of(changed[i]) for i in keep), line_of(new_row)]
    second_dir = tmp_path / "v2"
    second_dir.mkdir()
    second = write_lines(second_dir / "extract.csv", v2)

    ids = {
        text: Recommendation.objects.get(review__state__code="USA", text=text).pk
        for text in (rows[a][TEXT].strip(), rows[gone][TEXT].strip())
    }
    summary = import_uprinfo(second)

    assert summary.created == 1
    assert summary.updated == 4  # response, action, issues, one recommender fewer
    assert summary.unchanged == 269 - 4 - 1
    assert Source.objects.filter(kind=SourceKind.UPRINFO_CSV).count() == 1
    updated = Recommendation.objects.get(pk=ids[rows[a][TEXT].strip()])
    assert updated.position_as_published == changed[a][RESPONSE]
    assert Recommendation.objects.get(text=rows[c][TEXT].strip()).labels.get().theme.name == (
        "Death penalty"
    )
    shared_rec = Recommendation.objects.get(
        review__state__code="USA", text=rows[shared[0]][TEXT].strip()
    )
    assert shared_rec.recommenders.count() == len(shared) - 1
    # Gone from the file: kept, and said so.
    assert Recommendation.objects.filter(pk=ids[rows[gone][TEXT].strip()]).exists()
    assert any("no longer in it" in w.message for w in summary.warnings)

    # And the newer file, imported again, is a no-op.
    before = table_counts()
    again = import_uprinfo(second)
    assert (again.created, again.updated) == (0, 0)
    assert table_counts() == before


def test_dry_run_reports_but_writes_nothing(reference, tmp_path: Path):
    path = write_lines(tmp_path / "us.csv", us_session9_lines())
    before = table_counts()
    summary = import_uprinfo(path, dry_run=True)
    assert summary.dry_run
    assert summary.created == 269
    assert "dry run" in str(summary)
    assert table_counts() == before


def test_unknown_names_and_legacy_responses_are_kept_visible(reference, tmp_path: Path):
    lines = us_session9_lines()
    base = cells(lines[1])

    def row(text: str, **changes: str) -> str:
        values = list(base)
        values[TEXT] = text
        for column, value in changes.items():
            values[COLUMN[column]] = value
        return line_of(values)

    path = write_lines(
        tmp_path / "odd.csv",
        [
            lines[0],
            row("Abolish the death penalty", frm="Atlantis", from_rgrp="WEOG"),
            row(
                "Abolish the death penalty", frm="&#40;Unknown&#41;", from_rgrp="&#40;Unknown&#41;"
            ),
            row("Ratify the Rome Statute", response="Rejected"),
            row("Cooperate with the treaty bodies", response="General Response"),
            row("Invite the Special Rapporteur on torture", response="Pending", action=""),
            row("Release political prisoners", to="Ruritania", to_rgrp="EEG"),
        ],
    )
    summary = import_uprinfo(path)

    atlantis = State.objects.get(code="X-ATLANTIS")
    assert (atlantis.kind, atlantis.iso3, atlantis.regional_group) == (
        StateKind.UNKNOWN,
        "",
        "WEOG",
    )
    assert atlantis.aliases.filter(key="atlantis").exists()
    death = Recommendation.objects.get(text="Abolish the death penalty")
    assert set(death.recommenders.values_list("state__code", flat=True)) == {
        "X-ATLANTIS",
        "UNKNOWN",
    }
    rome = Recommendation.objects.get(text="Ratify the Rome Statute")
    assert (rome.position, rome.position_as_published) == (Position.NOTED, "Rejected")
    assert Recommendation.objects.get(text__startswith="Cooperate").position == Position.OTHER
    pending = Recommendation.objects.get(text__startswith="Invite")
    assert (pending.position, pending.action_category) == (Position.PENDING, None)
    ruritania = Review.objects.get(state__code="X-RURITANIA")
    assert ruritania.state.regional_group == "EEG"
    assert ruritania.session_id == 9
    warned = {w.line: w.message for w in summary.warnings}
    assert "Atlantis" in warned[2] and "X-ATLANTIS" in warned[2]
    assert "Ruritania" in warned[7]

    # Still unknown on the next import: still reported.
    again = import_uprinfo(path)
    assert any("Atlantis" in w.message for w in again.warnings)
    assert (again.created, again.updated) == (0, 0)


def test_voluntary_pledges(reference):
    summary = import_uprinfo_pledges(PLEDGES_CSV)
    assert summary.rows == 832
    assert summary.created == 830  # two Yemeni pledges appear twice
    assert {w.line for w in summary.warnings} == {824, 825}
    pledge = VoluntaryPledge.objects.filter(review__state__code="AND").first()
    assert pledge.themes.exists()
    assert pledge.source.kind == SourceKind.UPRINFO_PLEDGES_CSV
    before = table_counts()
    again = import_uprinfo_pledges(PLEDGES_CSV)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 830)
    assert table_counts() == before
    assert Label.objects.count() == 0  # pledges are not recommendations

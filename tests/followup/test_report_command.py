"""`uprhub followup report ROUND --format docx|pdf -o FILE`: exit status, file, messages."""

from __future__ import annotations

from io import BytesIO, StringIO

import docx
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.followup.report_data import make_round
from uprhub.followup.models import PositionStatus


@pytest.fixture
def round_(usa):
    found, _positions = make_round(usa)
    return found


def _run(*args: str, verbosity: int = 1) -> str:
    err = StringIO()
    with translation.override("en"):
        call_command(
            "followup", "report", *args, stdout=StringIO(), stderr=err, verbosity=verbosity
        )
    return err.getvalue()


def test_writes_the_word_file_with_progress(round_, tmp_path):
    target = tmp_path / "out.docx"
    err = _run(round_.slug, "--format", "docx", "-o", str(target))
    assert "3 published positions" in err and f"Wrote {target}" in err
    text = " ".join(p.text for p in docx.Document(BytesIO(target.read_bytes())).paragraphs)
    assert "Death penalty" in text


def test_default_file_name(round_, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _run(round_.slug, verbosity=0) == ""
    assert (tmp_path / "USA-UPR36-implementation-mid-term-2022.docx").stat().st_size > 0


def test_unknown_round(db, tmp_path):
    with pytest.raises(CommandError, match="No assessment round “nope”"):
        _run("nope", "-o", str(tmp_path / "x.docx"))


def test_nothing_published(round_, tmp_path):
    round_.positions.update(status=PositionStatus.DRAFT)
    target = tmp_path / "x.docx"
    with pytest.raises(CommandError, match="no published position"):
        _run(round_.slug, "-o", str(target))
    assert not target.exists()


def test_missing_folder(round_, tmp_path):
    with pytest.raises(CommandError, match="No such folder"):
        _run(round_.slug, "-o", str(tmp_path / "nowhere" / "x.docx"))


def test_exit_status_of_the_console_script(round_, tmp_path, monkeypatch, capsys):
    # What `uprhub followup report …` runs: a CommandError becomes exit status 1 and the
    # message on stderr. (Its closing of every connection would end the test's transaction.)
    from django.core.management import ManagementUtility, base

    monkeypatch.setattr(base.connections, "close_all", lambda: None)
    utility = ManagementUtility(["uprhub", "followup", "report", "nope", "-o", str(tmp_path / "x")])
    with pytest.raises(SystemExit) as exit_info:
        utility.execute()
    assert exit_info.value.code == 1
    assert "No assessment round" in capsys.readouterr().err

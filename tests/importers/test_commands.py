"""The import_data and load_bundled_data management commands: output and exit status."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.importers.conftest import CORPUS, OHCHR_CSV, table_counts

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_the_summary(reference):
    out, _err = run("ohchr-csv", str(OHCHR_CSV))
    assert "usa-cycle3-recommendations.csv: 347 rows read; 347 created, 0 updated" in out
    assert "warning, line 348" in out
    out, _err = run("ohchr-csv", str(OHCHR_CSV))
    assert "0 created, 0 updated, 347 unchanged" in out


def test_dry_run_saves_nothing(reference):
    before = table_counts()
    out, _err = run("ohchr-csv", str(OHCHR_CSV), "--dry-run")
    assert "347 created" in out and "dry run" in out
    assert table_counts() == before


def test_bad_file_is_a_command_error(reference):
    before = table_counts()
    with pytest.raises(CommandError) as failure:
        run("uprinfo", str(CORPUS / "uprinfo-unknown-response.csv"))
    assert str(failure.value).startswith("uprinfo-unknown-response.csv, line 4: unknown Response")
    assert failure.value.returncode == 1
    assert table_counts() == before
    with pytest.raises(CommandError, match="file not found"):
        run("uprinfo", str(CORPUS / "no-such-file.csv"))
    with pytest.raises(CommandError, match="--state and --session"):
        run("uprinfo", str(OHCHR_CSV), "--state", "USA")


def test_review_options_reach_the_importer(reference, tmp_path: Path):
    renamed = tmp_path / "export.csv"
    renamed.write_bytes(OHCHR_CSV.read_bytes())
    out, _err = run("ohchr-csv", str(renamed), "--state", "USA", "--session", "36")
    assert "347 created" in out


def test_exit_status_and_stderr_of_a_real_process(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "UPRHUB_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        UPRHUB_DATA_DIR=str(tmp_path),
        UPRHUB_AUTOLOAD="0",
        DJANGO_SETTINGS_MODULE="uprhub.settings",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    migrate = subprocess.run(
        [*manage, "migrate", "-v0"], env=env, capture_output=True, text=True, timeout=300
    )
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run(
        [*manage, "import_data", "uprinfo", str(CORPUS / "uprinfo-bad-session.csv")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "uprinfo-bad-session.csv, line 5: Session 'IX' is not" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""

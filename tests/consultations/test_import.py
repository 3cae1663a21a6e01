"""`uprhub consultations import SLUG FILE.csv`: paper forms stored all or none, through the
same service as the web form (redaction, encryption), errors named by line on stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.accounts.factories import make_user
from tests.factories import ThemeFactory, VocabularyFactory
from uprhub.consultations import paper, services
from uprhub.consultations.models import (
    ConsultationRoleKind,
    Identity,
    TagKind,
    Testimony,
    TestimonySource,
    TestimonyStatus,
    TestimonyTag,
)
from uprhub.core.translations import read_rows
from uprhub.recommendations.models import SuggestionStatus
from uprhub.recommendations.theme_names import TRANSLATIONS_FILE

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parents[2]
HEADER = ",".join(paper.COLUMNS)


@pytest.fixture
def issues(db):
    """The UPR Info issues, as the recommendations data loads them."""
    vocabulary = VocabularyFactory(slug="uprinfo-issues")
    names = [
        row["name"] for row in read_rows(TRANSLATIONS_FILE) if row["family"] == "uprinfo-issues"
    ]
    return {name: ThemeFactory(vocabulary=vocabulary, name=name) for name in names}


def run(consultation, path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("consultations", "import", consultation.slug, str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "forms.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_real_file_is_imported_like_web_testimony(consultation, issues):
    out, _err = run(consultation, DATA / "paper_pittsburgh.csv")
    rows = paper.parse(
        (DATA / "paper_pittsburgh.csv").read_bytes(),
        languages=consultation.languages,
        themes=services.paper_themes(),
    )
    assert f"Imported {len(rows)} testimonies" in out
    stored = list(Testimony.objects.order_by("created_at", "pk"))
    assert len(stored) == len(rows) > 20
    assert {t.source for t in stored} == {TestimonySource.PAPER}
    assert {t.status for t in stored} == {TestimonyStatus.NEW}
    assert all(t.entered_by is None and t.receipt_hash for t in stored)
    # The form's own date is kept, not the day it was typed in.
    first = Testimony.objects.get(created_at=datetime(2025, 3, 14, 18, 30, tzinfo=UTC))
    assert first.text.startswith("Police stopped my son") and first.quote_anonymously
    assert set(
        TestimonyTag.objects.filter(testimony=first).values_list("theme__name", flat=True)
    ) == {"Human rights violations by state agents", "Racial discrimination"}
    # Identity stored apart and encrypted; the name redacted out of any text.
    dana = next(t for t in stored if t.quote_named)
    assert services.identity_of(dana)["name"] == "Dana Whitfield"
    assert not any("Dana Whitfield" in i.token for i in Identity.objects.all())
    # Spanish and French theme names become the stored (English) issues, accepted, by nobody.
    spanish = Testimony.objects.get(created_at=datetime(2025, 3, 14, 19, 5, tzinfo=UTC))
    tags = TestimonyTag.objects.filter(testimony=spanish)
    assert {t.theme.name for t in tags} == {"Right to health", "Migrants"}
    assert {(t.kind, t.status, t.decided_by_id) for t in tags} == {
        (TagKind.THEME, SuggestionStatus.ACCEPTED, None)
    }
    assert spanish.fears_reprisals is False and spanish.may_contact is True


def test_redaction_applies_to_paper_as_to_the_web(consultation, issues, tmp_path):
    path = write(
        tmp_path,
        '2025-03-14 18:30,en,"I am Rosa Delgado, write to rosa@example.org or 412-555-0147",'
        "Rosa Delgado,,,yes,no,no,no,",
    )
    run(consultation, path)
    testimony = Testimony.objects.get()
    for secret in ("Rosa Delgado", "rosa@example.org", "412-555-0147"):
        assert secret not in testimony.text
    assert "rosa@example.org" in services.original_of(testimony)["text"]


def test_html_and_script_are_stored_as_inert_text(consultation, issues, tmp_path):
    path = write(
        tmp_path, '2025-03-14,en,"<script>alert(1)</script><b>no heat</b>",,,,no,no,no,no,'
    )
    run(consultation, path)
    assert Testimony.objects.get().text == "<script>alert(1)</script><b>no heat</b>"


GOOD = "2025-03-14,en,Good row that must not be stored alone.,,,,yes,no,no,no,Right to housing"


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ("2025-03-14,en," + "x" * 10_001 + ",,,,yes,no,no,no,", "Line 3, column “text”"),
        ("2025-03-14,en,bell \x07 here,,,,yes,no,no,no,", "Line 3, column “text”: This cell"),
        ("2025-03-14,de,Unknown language.,,,,yes,no,no,no,", "Line 3, column “language”"),
        ("2025-03-14,en,Bad flag.,,,,maybe,no,no,no,", "Line 3, column “consent_quote”"),
        ("2025-03-14,en,Theme.,,,,yes,no,no,no,Right to housng", "did you mean “Right to housing”"),
        ("2025-03-14,en,Too few cells.,,,,yes,no,no,no", "Line 3: This row has 10 cells"),
    ],
)
def test_bad_input_names_the_line_and_writes_nothing(consultation, issues, tmp_path, bad, expected):
    path = write(tmp_path, GOOD, bad, GOOD)
    with pytest.raises(CommandError) as error:
        run(consultation, path)
    assert expected in str(error.value)
    assert "Nothing was imported." in str(error.value)
    assert not Testimony.objects.exists() and not TestimonyTag.objects.exists()


def test_a_missing_column_is_named(consultation, issues, tmp_path):
    header = HEADER.replace(",risk", "")
    path = write(tmp_path, "2025-03-14,en,Text.,,,,yes,no,no,", header=header)
    with pytest.raises(CommandError, match="A column is missing: risk"):
        run(consultation, path)
    assert not Testimony.objects.exists()


def test_every_problem_of_the_file_at_once(consultation, issues):
    with pytest.raises(CommandError) as error:
        run(consultation, DATA / "paper_errors.csv")
    message = str(error.value)
    for line in (3, 4, 5, 6, 7, 8, 9, 10, 11):
        assert f"Line {line}" in message, line
    assert not Testimony.objects.exists()


def test_a_row_the_service_refuses_rolls_back_the_rows_before_it(consultation, issues, tmp_path):
    # A private-use character passes the parser (it checks control characters) but not the
    # testimony service: the third row fails after two were stored in the transaction.
    path = write(tmp_path, GOOD, GOOD, "2025-03-14,en,Private \ue000 use.,,,,yes,no,no,no,")
    with pytest.raises(CommandError) as error:
        run(consultation, path)
    assert "Line 4: The text contains characters that cannot be stored." in str(error.value)
    assert not Testimony.objects.exists() and not TestimonyTag.objects.exists()
    assert not Identity.objects.exists()


def test_progress_for_big_files(consultation, issues, tmp_path):
    path = write(
        tmp_path,
        *[f"2025-03-14,en,Row {n}: no heat in winter.,,,,no,no,no,no," for n in range(1000)],
    )
    out, err = run(consultation, path)
    assert "Imported 1000 testimonies" in out
    assert "500 of 1000 rows" in err and "1000 of 1000 rows" in err
    assert Testimony.objects.count() == 1000


def test_unknown_consultation_and_missing_file(consultation, tmp_path):
    with pytest.raises(CommandError, match="No consultation"):
        call_command("consultations", "import", "nowhere", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("consultations", "import", consultation.slug, str(tmp_path / "x.csv"))


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("registered", False),
        ("member", False),
        ("facilitator", False),
        ("moderator", True),
        ("other_moderator", False),
        ("coordinator", True),
        ("admin", True),
    ],
)
def test_who_may_import(consultation, issues, role, allowed):
    other = services.create_consultation(
        actor=None, slug="detroit", review=consultation.review, title="Detroit"
    )
    base = {"coordinator": "coordinator", "admin": "admin"}.get(role, "member")
    user = make_user(base)
    if role in ("facilitator", "moderator"):
        services.assign_role(consultation, user, role, actor=None)
    if role == "other_moderator":
        services.assign_role(other, user, ConsultationRoleKind.MODERATOR, actor=None)
    data = "\n".join([HEADER, GOOD]) + "\n"
    if allowed:
        (testimony,) = services.import_paper(consultation, data, actor=user)
        assert testimony.entered_by == user
    else:
        with pytest.raises(PermissionDenied):
            services.import_paper(consultation, data, actor=user)
        assert not Testimony.objects.exists()


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs on its own SQLite file in a subprocess"
)
def test_the_uprhub_command(tmp_path):
    """The real `uprhub` entry point: exit status 1 and lines on stderr, then a good import."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "UPRHUB_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="uprhub.settings",
        UPRHUB_DATA_DIR=str(tmp_path),
        UPRHUB_AUTOLOAD="0",
        UPRHUB_SECRET_KEY="test-only",
    )

    def uprhub(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "uprhub.cli", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert uprhub("migrate", "-v0").returncode == 0
    setup = (
        "from tests.factories import ReviewFactory, StateFactory;"
        "from uprhub.consultations import services;"
        "review = ReviewFactory(state=StateFactory(code='USA', short_name='United States'));"
        "services.create_consultation(actor=None, slug='pgh', review=review, title='Pgh')"
    )
    assert uprhub("shell", "-c", setup).returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"{HEADER}\n2025-03-14,en,Fine.,,,,yes,no,no,no,\n2025-03-14,en,Flag.,,,,maybe,no,no,no,\n"
    )
    result = uprhub("consultations", "import", "pgh", str(bad))
    assert result.returncode == 1
    assert (
        "Line 3, column “consent_quote”" in result.stderr
        and "Nothing was imported" in result.stderr
    )
    good = tmp_path / "good.csv"
    good.write_text(
        f"{HEADER}\n2025-03-14,en,Fine.,,,,yes,no,no,no,\n2025-03-15,es,Bien.,,,,sí,no,no,no,\n"
    )
    result = uprhub("consultations", "import", "pgh", str(good))
    assert result.returncode == 0, result.stderr
    assert "Imported 2 testimonies" in result.stdout


def test_the_help_lists_the_columns_the_parser_reads():
    from uprhub.consultations.management.commands.consultations import Command

    parser = Command().create_parser("uprhub", "consultations")
    (subparsers,) = [a for a in parser._actions if a.dest == "subcommand"]
    helps = {action.dest: action.help for action in subparsers._choices_actions}
    assert f"Columns: {HEADER}." in helps["import"]

"""The public guide "How to write a stakeholder submission" is built from the validator's rules."""

from __future__ import annotations

import ast
import html
import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.reports_export import drafts
from uprhub.reports.guide import build_guide
from uprhub.reports.models_rules import ValidationRule
from uprhub.reports.rules import RULES_CSV, csv_rules, default_rules, override
from uprhub.reports.validator import counting_explanation, report_to_text, validate

ROOT = Path(__file__).resolve().parents[2] / "uprhub"
GUIDE = "/reports/guide/"


def text_of(response) -> str:
    """The page's text, entities decoded and white space collapsed."""
    page = html.unescape(response.content.decode())
    return re.sub(r"[ \t\r\n]+", " ", page)  # no-break spaces stay: they group thousands


def test_the_guide_is_public_and_says_what_a_submission_must_be(client, db) -> None:
    response = client.get(reverse("reports:guide"))
    assert response.status_code == 200
    page = text_of(response)
    assert "How to write a stakeholder submission" in page
    # The figures and facts, from the rules data.
    assert "At most 2,815 words for an individual submission and 5,630 words" in page
    assert "Send a Word document (.docx), not a PDF." in page
    assert "Number every paragraph (1, 2, 3 …) and the pages." in page
    assert "At the start of the document, give the State under review" in page
    assert "a contact person" in page
    assert "Submitted by the Coalition for X (JS): Organisation A (City)" in page
    assert "implemented the recommendations of its previous review" in page
    assert "Submissions close at 23:59 Geneva time" in page
    assert "https://uprdoc.ohchr.org" in page and "no longer accepts submissions by e-mail" in page
    for sentence in counting_explanation(count_footnotes=True):
        assert sentence in page
    # Each point says how much it matters, from the rule's severity.
    assert 'data-rule="word_limit"' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "grouped"), [("en", "2,815"), ("es", "2\xa0815"), ("fr", "2\xa0815")]
)
def test_the_guide_in_each_language(client, db, language: str, grouped: str) -> None:
    response = client.get(GUIDE, headers={"accept-language": language})
    page = text_of(response)
    assert f'<html lang="{language}"' in response.content.decode()
    # Every sentence is the gettext string of the page's language, figures grouped its way.
    with translation.override(language):
        guide = build_guide(default_rules(4))
    sentences = [item.text for section in guide.sections for item in section.items]
    assert sentences and all(re.sub(r"[ \t\r\n]+", " ", t) in page for t in sentences)
    assert guide.individual_words == grouped
    assert f"{grouped}" in page


def test_changing_a_rule_in_the_data_changes_the_guide(client, db) -> None:
    before = text_of(client.get(GUIDE))
    assert "up to 2,815 words" in before and "3,000" not in before
    assert "Give a few key words" in before
    ValidationRule.objects.update_or_create(
        code="word_limit",
        cycle=None,
        defaults={
            "severity": "error",
            "params": {"individual": 3000, "joint": 6000, "count_footnotes": False},
        },
    )
    ValidationRule.objects.update_or_create(
        code="key_words", cycle=None, defaults={"severity": "tip", "enabled": False}
    )
    ValidationRule.objects.update_or_create(
        code="deadline",
        cycle=None,
        defaults={"severity": "error", "params": {"closes_at": "12:00", "warn_days": 7}},
    )
    after = text_of(client.get(GUIDE))
    assert "up to 3,000 words" in after and "up to 6,000 words" in after
    assert "up to 2,815" not in after and "At most 2,815" not in after
    assert "Footnotes do not count towards the limit." in after
    assert "Give a few key words" not in after
    assert "Submissions close at 12:00 Geneva time" in after


def test_the_guide_follows_the_rules_of_the_next_sessions_cycle() -> None:
    rules = override(default_rules(1), "period_covered", params={"max_years": 4})
    guide = build_guide(rules)
    content = guide.section("content")
    assert content is not None
    assert any("Cover at most the last 4 years." in item.text for item in content.items)
    assert build_guide(default_rules(4)).section("length") is not None


# --- one explanation of the word count ---------------------------------------------------------


def test_check_page_report_page_text_report_and_guide_explain_the_count_alike(
    world, client
) -> None:
    sentences = counting_explanation(count_footnotes=True)
    client.force_login(world.lead)
    upload = SimpleUploadedFile("draft.docx", drafts.us_joint_housing())
    checked = text_of(client.post(reverse("reports:upload_check"), {"file": upload}))
    empty_check = text_of(client.get(reverse("reports:upload_check")))
    report_page = text_of(client.get(world.report.get_absolute_url()))
    guide = text_of(client.get(GUIDE))
    text = report_to_text(validate(world_document(world)))
    for sentence in sentences:
        for where, page in (
            ("upload check", checked),
            ("upload check form", empty_check),
            ("report page", report_page),
            ("guide", guide),
            ("text report", " ".join(text.split())),
        ):
            assert sentence in page, where
    # Typed numbers are words on every surface, as in Word.
    assert "Word counts a typed “12.” as a word" in checked


def world_document(world):
    from uprhub.reports.checking import check_report
    from uprhub.reports.selectors import report_with_everything

    return check_report(report_with_everything(world.report.pk)).document


def test_the_explanation_follows_the_footnotes_parameter(world, client) -> None:
    ValidationRule.objects.update_or_create(
        code="word_limit",
        cycle=None,
        defaults={
            "severity": "error",
            "params": {"individual": 2815, "joint": 5630, "count_footnotes": False},
        },
    )
    client.force_login(world.lead)
    page = text_of(client.get(world.report.get_absolute_url()))
    assert "Footnotes do not count towards the limit." in page
    assert "Footnotes count towards the limit, to be safe" not in page


# --- links --------------------------------------------------------------------------------------


def test_home_calendar_and_report_builder_link_to_the_guide(world, client) -> None:
    href = f'href="{reverse("reports:guide")}"'
    public = ["/", reverse("calendar:index"), reverse("calendar:state", args=["USA"])]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        assert href in response.content.decode(), url
    client.force_login(world.lead)
    builder = [
        reverse("reports:list"),
        reverse("reports:create"),
        reverse("reports:upload_check"),
        world.report.get_absolute_url(),
    ]
    for url in builder:
        response = client.get(url)
        assert response.status_code == 200, url
        assert href in response.content.decode(), url


# --- no internal references in what people read ------------------------------------------------

INTERNAL = re.compile(r"UPR\.md|§")


def _python_strings(path: Path) -> list[tuple[int, str]]:
    """Every string literal of a module except docstrings (which no user reads)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_user_facing_text_cites_internal_references() -> None:
    found: list[str] = []
    for template in ROOT.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        found += [f"{template}: {m.group(0)}" for m in INTERNAL.finditer(text)]
    for module in ROOT.rglob("*.py"):
        if "migrations" in module.parts:
            continue  # the migration that removes them names what it removes
        found += [
            f"{module}:{line}: {value[:60]!r}"
            for line, value in _python_strings(module)
            if INTERNAL.search(value)
        ]
    data = RULES_CSV.read_text(encoding="utf-8")
    found += [f"rules.csv: {m.group(0)}" for m in INTERNAL.finditer(data)]
    found += [f"{r.code}: {r.source_note}" for r in csv_rules() if "[" in r.source_note]
    assert found == []


def test_rendered_pages_cite_no_internal_reference(world, client) -> None:
    client.force_login(world.lead)
    upload = SimpleUploadedFile("draft.docx", drafts.fr_individual_police())
    pages = {
        "guide": client.get(GUIDE),
        "upload check": client.post(reverse("reports:upload_check"), {"file": upload}),
        "report": client.get(world.report.get_absolute_url()),
        "calendar": client.get(reverse("calendar:index")),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert not INTERNAL.search(response.content.decode()), name
    # The findings carry the rules' source notes: none cites an internal reference either.
    report = validate(world_document(world))
    assert report.findings and not INTERNAL.search(report_to_text(report))


def test_the_migration_cleans_rules_an_earlier_release_stored(db) -> None:
    old = (
        "2,815 words (individual) / 5,630 words (joint) for the 3rd and 4th cycles: commonly "
        "cited; confirm with the current OHCHR guidelines. Whether footnotes count is "
        "unverified, so both counts are shown and footnotes are counted to be safe "
        "(UPR.md §3 [L])."
    )
    ValidationRule.objects.update_or_create(
        code="word_limit", cycle=None, defaults={"severity": "error", "source_note": old}
    )
    ValidationRule.objects.update_or_create(
        code="key_words",
        cycle=None,
        defaults={
            "severity": "tip",
            "source_note": "Key words are encouraged (OHCHR technical guide, July 2008; "
            "UPR.md §3 [H]).",
        },
    )
    migration = importlib.import_module(
        "uprhub.reports.migrations.0002_rule_notes_without_internal_references"
    )
    migration.forwards(apps, None)
    notes = dict(ValidationRule.objects.values_list("code", "source_note"))
    assert notes["word_limit"] == next(
        r.source_note for r in csv_rules() if r.code == "word_limit" and r.cycle is None
    )
    assert notes["key_words"] == "Key words are encouraged (OHCHR technical guide, July 2008)."

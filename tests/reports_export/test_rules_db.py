"""Rules as data in the database: defaults loaded once, admin edits win, fallback to the CSV."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from uprhub.reports.document import Severity
from uprhub.reports.models_rules import ValidationRule
from uprhub.reports.rules import (
    csv_rules,
    default_rules,
    load_default_rules,
    rules_for_cycle,
)
from uprhub.reports.validator import validate

from . import samples

NOW = datetime(2024, 3, 1, tzinfo=UTC)


def test_csv_defaults_cover_every_rule_with_a_source() -> None:
    rules = default_rules(4)
    assert {r.code for r in rules} == {
        "has_text",
        "word_limit",
        "numbered_paragraphs",
        "official_language",
        "one_state",
        "joint_organisations",
        "cover_information",
        "period_covered",
        "deadline",
        "introduction",
        "key_words",
    }
    assert all(r.source_note for r in csv_rules())
    limit = rules.get("word_limit")
    assert limit.params["individual"] == 2815 and limit.params["joint"] == 5630
    assert "confirm with the current OHCHR guidelines" in limit.source_note
    # A cycle's own row wins over the row for every cycle.
    assert default_rules(1).get("period_covered").params["max_years"] == 4
    assert default_rules(None).get("period_covered").params["max_years"] is None


@pytest.mark.django_db
def test_empty_table_falls_back_to_the_csv() -> None:
    assert ValidationRule.objects.count() == 0
    assert rules_for_cycle(4).rules == default_rules(4).rules


@pytest.mark.django_db
def test_load_default_rules_is_idempotent_and_keeps_admin_edits() -> None:
    created = load_default_rules()
    assert created == len(csv_rules()) == ValidationRule.objects.count()
    row = ValidationRule.objects.get(code="word_limit", cycle__isnull=True)
    row.params = {"individual": 3000, "joint": 6000}
    row.severity = Severity.WARNING
    row.save()
    ValidationRule.objects.filter(code="key_words").update(enabled=False)
    assert load_default_rules() == 0
    row.refresh_from_db()
    assert row.params["individual"] == 3000

    rules = rules_for_cycle(4)
    assert rules.get("word_limit").params["individual"] == 3000
    assert rules.get("word_limit").severity == Severity.WARNING
    assert rules.get("key_words") is None
    report = validate(samples.small_report(key_words=[]), now=NOW)  # rules=None: the table
    assert report.limit == 3000
    assert not [f for f in report.findings if f.rule == "key_words"]


@pytest.mark.django_db
def test_a_cycle_row_wins_and_a_deleted_row_comes_back() -> None:
    load_default_rules()
    ValidationRule.objects.create(
        cycle=5,
        code="word_limit",
        severity="error",
        params={"individual": 2000, "joint": 4000},
        source_note="Hypothetical 5th-cycle guidelines.",
    )
    assert rules_for_cycle(5).get("word_limit").params["individual"] == 2000
    assert rules_for_cycle(4).get("word_limit").params["individual"] == 2815
    ValidationRule.objects.filter(code="has_text").delete()
    assert rules_for_cycle(4).get("has_text") is not None  # the CSV still backs it
    assert load_default_rules() == 1


@pytest.mark.django_db
def test_message_override_from_the_table() -> None:
    load_default_rules()
    ValidationRule.objects.filter(code="key_words").update(message_override="Key words, please.")
    report = validate(samples.small_report(key_words=[]), now=NOW)
    (finding,) = [f for f in report.findings if f.rule == "key_words"]
    assert finding.message == "Key words, please."


@pytest.mark.django_db
def test_admin_lists_the_rules(admin_client) -> None:
    from django.contrib import admin

    from uprhub.reports.models_rules import ValidationRule as Model

    assert Model in admin.site._registry
    load_default_rules()
    response = admin_client.get("/admin/reports/validationrule/")
    assert response.status_code == 200
    assert b"Word limit" in response.content


@pytest.mark.django_db
def test_validating_reads_the_rules_in_one_query(django_assert_num_queries) -> None:
    load_default_rules()
    rules_for_cycle(4)  # the first read may add a savepoint around the query
    doc = samples.small_report()
    with django_assert_num_queries(1):
        validate(doc, now=NOW)

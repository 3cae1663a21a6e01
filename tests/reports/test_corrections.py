"""`correct_paragraph`: words that must leave a report (a withdrawn source's) leave its text,
history and comments; the people on the report see a comment from UPR Hub."""

from __future__ import annotations

import pytest
from django.urls import reverse

from uprhub.reports import services
from uprhub.reports.models import Comment, Report, ReportStatus, RevisionKind

pytestmark = pytest.mark.django_db

SECRET = "words that were withdrawn"


def _fix(text: str) -> str:
    return text.replace(SECRET, "[removed]")


def test_text_history_and_comments_corrected_and_flagged(world, client):
    lead = world.lead
    paragraph = services.add_paragraph(world.follow_up, f"They said {SECRET}.", actor=lead)
    paragraph = services.save_paragraph(
        paragraph, f"They said {SECRET}, twice.", [SECRET], expected_version=1, actor=lead
    )
    services.add_comment(paragraph, f"Is “{SECRET}” right?", actor=lead)
    before = Report.objects.get(pk=world.report.pk).content_changed_at

    assert services.correct_paragraph(paragraph.pk, _fix, notice="A source was withdrawn.")

    paragraph.refresh_from_db()
    assert (paragraph.text, paragraph.footnotes) == ("They said [removed], twice.", ["[removed]"])
    assert paragraph.version == 3 and paragraph.updated_by is None
    revisions = list(paragraph.revisions.all())
    assert [r.kind for r in revisions] == [
        RevisionKind.CORRECTED,
        RevisionKind.EDITED,
        RevisionKind.CREATED,
    ]
    assert all(SECRET not in r.text and SECRET not in str(r.footnotes) for r in revisions)
    assert not Comment.objects.filter(text__contains=SECRET).exists()
    flag = Comment.objects.get(system=True)
    assert flag.author is None and flag.text == "A source was withdrawn."
    assert Report.objects.get(pk=world.report.pk).content_changed_at > before

    client.force_login(world.people["reviewer"])
    page = client.get(reverse("reports:detail", args=[world.report.pk])).content.decode()
    assert "<strong>UPR Hub</strong>" in page and "A source was withdrawn." in page
    assert SECRET not in page
    history = client.get(
        reverse("reports:paragraph_history", args=[world.report.pk, paragraph.pk])
    ).content.decode()
    assert "Version 3: corrected by UPR Hub" in history and SECRET not in history


def test_final_report_corrected_too_and_nothing_to_change_still_flags(world):
    paragraph = services.add_paragraph(world.follow_up, f"They said {SECRET}.", actor=world.lead)
    Report.objects.filter(pk=world.report.pk).update(status=ReportStatus.FINAL)
    assert services.correct_paragraph(paragraph.pk, _fix, notice="Gone.")
    paragraph.refresh_from_db()
    assert SECRET not in paragraph.text
    assert not services.correct_paragraph(paragraph.pk, _fix, notice="Checked again.")
    assert Comment.objects.filter(system=True).count() == 2

"""Round deadline reminders over real SMTP: the right people, their progress, exactly once,
nothing after the round closes, and through the existing periodic run (command and task)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from tests.accounts.factories import make_user
from tests.smtp import smtp_controller, smtp_server  # noqa: F401 (fixtures)
from uprhub.core.models import OutboxMessage, OutboxStatus
from uprhub.followup import rounds
from uprhub.followup.models import Assessment
from uprhub.mailinglists.models import ReminderLog
from uprhub.mailinglists.reminders import send_reminders
from uprhub.mailinglists.tasks import send_reminders_task

from .rounds_helpers import make_round, member_of

pytestmark = pytest.mark.django_db

ASSESSMENTS_DUE = date(2027, 3, 10)
REVIEW_DUE = date(2027, 3, 20)
# Deadlines are at noon UTC; the 7-day reminder of the assessments is due from 3 March, 12:00.
SEVEN_BEFORE_ASSESSMENTS = datetime(2027, 3, 3, 13, 0, tzinfo=UTC)
ONE_BEFORE_REVIEW = datetime(2027, 3, 19, 12, 30, tzinfo=UTC)


@pytest.fixture
def mailbox(smtp_server):  # noqa: F811 (the imported fixture)
    return smtp_server


@pytest.fixture(autouse=True)
def site(settings):
    settings.UPRHUB_SITE_URL = "http://testserver"


@pytest.fixture
def people():
    made = make_round(assessments_due=ASSESSMENTS_DUE, review_due=REVIEW_DUE)
    assessor, organisation = member_of(email="ana@example.org", name="Ana Assessor")
    reviewer = make_user("member", email="rui@example.org", name="Rui Reviewer")
    both, _org = member_of(email="bo@example.org", name="Bo Both")
    rounds.add_role(None, made, assessor, "assessor", organisation)
    rounds.add_role(None, made, reviewer, "reviewer")
    rounds.add_role(None, made, both, "assessor", _org)
    rounds.add_role(None, made, both, "reviewer")
    recommendation = made.review.recommendations.first()
    Assessment.objects.create(
        round=made,
        recommendation=recommendation,
        organisation=organisation,
        grade=made.scale.grades.first(),
        as_of=date(2022, 6, 1),
    )
    return {"round": made, "organisation": organisation}


def run_at(moment, capture):
    with capture(execute=True):
        return send_reminders(moment)


def test_assessors_get_their_progress_exactly_once(
    people, mailbox, django_capture_on_commit_callbacks
):
    report = run_at(SEVEN_BEFORE_ASSESSMENTS, django_capture_on_commit_callbacks)
    assert report.sources["uprhub.followup.reminders.send_round_reminders"] == {
        "due": 2,
        "sent": 2,
        "skipped": 0,
    }
    assert sorted(a for m in mailbox.messages for a in m.rcpt_tos) == [
        "ana@example.org",
        "bo@example.org",
    ]
    (mail,) = mailbox.to("ana@example.org")
    assert mail.subject == "In 7 days: assessments due – Mid-term 2022"
    assert "Dear Ana Assessor," in mail.text
    organisation = people["organisation"].name
    assert f"For {organisation}, you have assessed 1 of 3 recommendations." in mail.text
    assert "http://testserver/followup/rounds/mid-term-2022/work/" in mail.links()
    assert "Wednesday 10 March 2027" in mail.text and mail.html and "1 of 3" in mail.html
    key = f"followup-round-{people['round'].pk}-assessments_due:7"
    assert ReminderLog.objects.filter(key=key).count() == 2
    # Run again, and again later the same day: nothing more.
    again = run_at(SEVEN_BEFORE_ASSESSMENTS, django_capture_on_commit_callbacks)
    later = run_at(SEVEN_BEFORE_ASSESSMENTS.replace(hour=20), django_capture_on_commit_callbacks)
    for report in (again, later):
        counts = report.sources["uprhub.followup.reminders.send_round_reminders"]
        assert counts["sent"] == 0
    assert len(mailbox.messages) == 2


def test_review_deadline_one_mail_for_both_roles(
    people, mailbox, django_capture_on_commit_callbacks
):
    run_at(ONE_BEFORE_REVIEW, django_capture_on_commit_callbacks)
    assert sorted(a for m in mailbox.messages for a in m.rcpt_tos) == [
        "ana@example.org",
        "bo@example.org",
        "rui@example.org",
    ]
    (both,) = mailbox.to("bo@example.org")
    assert both.subject == "In 1 day: review due – Mid-term 2022"
    assert "you have assessed 0 of 3" in both.text
    assert "published for 0 of 3 recommendations" in both.text
    (reviewer,) = mailbox.to("rui@example.org")
    assert "you have assessed" not in reviewer.text


def test_nothing_before_the_moment_nor_long_after(
    people, mailbox, django_capture_on_commit_callbacks
):
    run_at(datetime(2027, 3, 3, 11, 0, tzinfo=UTC), django_capture_on_commit_callbacks)
    run_at(datetime(2027, 3, 5, 11, 0, tzinfo=UTC), django_capture_on_commit_callbacks)
    assert mailbox.messages == []


def test_nothing_after_the_round_closes(people, mailbox, django_capture_on_commit_callbacks):
    rounds.close_round(None, people["round"])
    report = run_at(SEVEN_BEFORE_ASSESSMENTS, django_capture_on_commit_callbacks)
    assert report.sources["uprhub.followup.reminders.send_round_reminders"]["due"] == 0
    assert mailbox.messages == [] and not ReminderLog.objects.exists()


def test_a_person_removed_from_the_round_gets_nothing(
    people, mailbox, django_capture_on_commit_callbacks
):
    for role in people["round"].roles.filter(user__email="ana@example.org"):
        rounds.remove_role(None, role)
    run_at(SEVEN_BEFORE_ASSESSMENTS, django_capture_on_commit_callbacks)
    assert [a for m in mailbox.messages for a in m.rcpt_tos] == ["bo@example.org"]


def test_through_the_command_and_the_task(people, mailbox, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--now", SEVEN_BEFORE_ASSESSMENTS.isoformat(), stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["sources"]["uprhub.followup.reminders.send_round_reminders"]["sent"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        result = send_reminders_task.enqueue(SEVEN_BEFORE_ASSESSMENTS.isoformat())
    assert result.return_value["sources"]["uprhub.followup.reminders.send_round_reminders"] == {
        "due": 2,
        "sent": 0,
        "skipped": 2,
    }
    assert len(mailbox.messages) == 2


def test_without_a_mail_server_the_outbox_keeps_them(
    people, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    run_at(SEVEN_BEFORE_ASSESSMENTS, django_capture_on_commit_callbacks)
    kept = OutboxMessage.objects.filter(kind="followup_round_reminder")
    assert kept.count() == 2
    assert set(kept.values_list("status", flat=True)) == {OutboxStatus.CAPTURED}


def test_a_concurrent_run_that_logged_first_wins(
    people, mailbox, django_capture_on_commit_callbacks
):
    # Another run inserted Ana's row between our selection and our insert: the unique
    # (email, key) refuses ours, and she is not sent a second one.
    ReminderLog.objects.create(
        email="ana@example.org",
        key=f"followup-round-{people['round'].pk}-assessments_due:7",
        state_code="USA",
        due=SEVEN_BEFORE_ASSESSMENTS,
    )
    report = run_at(SEVEN_BEFORE_ASSESSMENTS, django_capture_on_commit_callbacks)
    counts = report.sources["uprhub.followup.reminders.send_round_reminders"]
    assert counts == {"due": 2, "sent": 1, "skipped": 1}
    assert [a for m in mailbox.messages for a in m.rcpt_tos] == ["bo@example.org"]

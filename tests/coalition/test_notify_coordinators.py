"""Coordinators hear about applications waiting for them: over real SMTP, one message each."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from tests.accounts.factories import make_user
from uprhub.coalition import services
from uprhub.coalition.models import TaskforceApplication
from uprhub.coalition.notifications import EXCERPT_CHARS, excerpt

pytestmark = pytest.mark.django_db

NEW_SUBJECT = "New UPR Taskforce application: Rosa Parks"
BACK_SUBJECT = "UPR Taskforce application back in the queue: Rosa Parks"
RECEIVED = "We received your application to the UPR Taskforce"


@pytest.fixture
def reviewers(db):
    """Two coordinators and an admin get the news; members and switched-off accounts do not."""
    people = {
        "coordinator": make_user("coordinator", email="coord1@example.org"),
        "coordinator2": make_user("coordinator", email="coord2@example.org"),
        "admin": make_user("admin", email="admin@example.org"),
    }
    make_user("member", email="member@example.org")
    make_user("registered", email="registered@example.org")
    gone = make_user("coordinator", email="gone@example.org")
    gone.is_active = False
    gone.save()
    return people


REVIEWER_ADDRESSES = ["admin@example.org", "coord1@example.org", "coord2@example.org"]


def apply(client, data, capture, **extra):
    with capture(execute=True):
        return client.post(reverse("coalition:apply"), data, **extra)


def to_reviewers(mailbox) -> list:
    return [m for m in mailbox.messages if m.rcpt_tos != ["rosa.parks@example.org"]]


def test_every_reviewer_gets_their_own_message(
    client, form_data, reviewers, smtp_server, site_url, django_capture_on_commit_callbacks
):
    response = apply(client, form_data, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    application = TaskforceApplication.objects.get()

    sent = to_reviewers(smtp_server)
    # One message per address: nobody sees another coordinator's address.
    assert sorted(address for m in sent for address in m.rcpt_tos) == REVIEWER_ADDRESSES
    for mail in sent:
        assert len(mail.rcpt_tos) == 1
        assert mail.message["To"] == mail.rcpt_tos[0]
        assert mail.message["Cc"] is None and mail.message["Bcc"] is None
        assert mail.subject == NEW_SUBJECT
        text = mail.text
        assert "A new application to join the UPR Taskforce is waiting for review." in text
        assert "Name: Rosa Parks" in text
        assert "Organisation: NAACP Montgomery" in text
        assert "Focus themes: Death penalty, Right to housing" in text
        assert "Motivation (beginning): “To bring the voices of Montgomery to Geneva.”" in text
        assert f"http://testserver/taskforce/applications/{application.pk}/" in mail.links()
        assert "http://testserver/taskforce/applications/" in mail.links()
        # The applicant's address is on the review page, not in the e-mail.
        assert "rosa.parks@example.org" not in text
        assert "Rosa Parks" in (mail.html or "")
    # The applicant still gets their confirmation, and only that.
    assert [m.subject for m in smtp_server.to("rosa.parks@example.org")] == [RECEIVED]


def test_no_reviewers_no_notification(
    client, form_data, smtp_server, django_capture_on_commit_callbacks
):
    make_user("member", email="member@example.org")
    apply(client, form_data, django_capture_on_commit_callbacks)
    assert [m.rcpt_tos for m in smtp_server.messages] == [["rosa.parks@example.org"]]


def test_free_text_is_cut_short_and_escaped(
    client, form_data, reviewers, smtp_server, django_capture_on_commit_callbacks
):
    motivation = "<script>alert(1)</script> Please\r\nvisit   http://spam.example " + "x" * 2000
    data = {**form_data, "name": "Rosa <b>Parks</b>", "motivation": motivation}
    apply(client, data, django_capture_on_commit_callbacks)

    mail = smtp_server.to("coord1@example.org")[0]
    assert mail.subject == "New UPR Taskforce application: Rosa <b>Parks</b>"  # plain text
    line = next(ln for ln in mail.text.splitlines() if ln.startswith("Motivation (beginning)"))
    quoted = line.split("“", 1)[1].rstrip("”")
    assert quoted == excerpt(motivation) and len(quoted) == EXCERPT_CHARS
    assert quoted.startswith("<script>alert(1)</script> Please visit http://spam.example x")
    assert quoted.endswith("…") and "x" * 300 not in mail.text
    html = mail.html or ""
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Parks</b>" not in html and "Rosa &lt;b&gt;Parks&lt;/b&gt;" in html


def test_excerpt_keeps_one_line_without_hidden_characters():
    assert excerpt("a\nb\u202ec\u2028d\x00e   f") == "a b c d e f"
    assert excerpt("short") == "short"
    assert len(excerpt("word " * 100, limit=20)) == 20


def confirm_from_mail(smtp_server, capture) -> None:
    """The address's owner confirms the new answers from the link in the last e-mail."""
    (link,) = [
        url
        for url in smtp_server.to("rosa.parks@example.org")[-1].links()
        if "/taskforce/apply/confirm/" in url
    ]
    with capture(execute=True):
        services.confirm_revision(link.rstrip("/").rsplit("/", 1)[-1])


def test_a_repeat_of_a_waiting_application_does_not_mail_reviewers_again(
    client, form_data, reviewers, smtp_server, django_capture_on_commit_callbacks
):
    apply(client, form_data, django_capture_on_commit_callbacks)
    apply(
        client,
        {**form_data, "email": "ROSA.PARKS@example.org", "motivation": "Again."},
        django_capture_on_commit_callbacks,
    )
    confirm_from_mail(smtp_server, django_capture_on_commit_callbacks)
    assert TaskforceApplication.objects.get().submission_count == 2
    assert sorted(a for m in to_reviewers(smtp_server) for a in m.rcpt_tos) == REVIEWER_ADDRESSES
    assert [m.subject for m in smtp_server.to("rosa.parks@example.org")] == [
        RECEIVED,
        "Confirm the new answers to your UPR Taskforce application",
        "Your UPR Taskforce application is updated",
    ]


def test_answers_to_a_question_bring_the_application_back_to_the_reviewers(
    form_data, reviewers, smtp_server, django_capture_on_commit_callbacks
):
    data = {k: v for k, v in form_data.items() if k != "themes"}
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.submit_application(themes=[], **data)
        services.decide(
            submitted.application, "ask_info", "Which city?", actor=reviewers["coordinator"]
        )
    smtp_server.clear()

    with django_capture_on_commit_callbacks(execute=True):
        again = services.submit_application(themes=[], **{**data, "city": "Selma"})
    assert again.outcome == services.Outcome.TO_CONFIRM
    assert to_reviewers(smtp_server) == []  # nothing changed until the owner confirms
    confirm_from_mail(smtp_server, django_capture_on_commit_callbacks)
    sent = to_reviewers(smtp_server)
    assert sorted(a for m in sent for a in m.rcpt_tos) == REVIEWER_ADDRESSES
    assert {m.subject for m in sent} == {BACK_SUBJECT}
    assert "Focus themes: none chosen" in sent[0].text


def test_approved_applicant_applying_again_does_not_mail_reviewers(
    form_data, reviewers, smtp_server, django_capture_on_commit_callbacks
):
    data = {k: v for k, v in form_data.items() if k != "themes"}
    submitted = services.submit_application(themes=[], **data)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(submitted.application, "approve", "Welcome!", actor=reviewers["admin"])
    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.submit_application(themes=[], **data)
    assert again.outcome == services.Outcome.ALREADY_MEMBER
    assert [m.rcpt_tos for m in smtp_server.messages] == [["rosa.parks@example.org"]]


def test_nothing_is_sent_when_the_application_is_rolled_back(
    form_data, reviewers, smtp_server, django_capture_on_commit_callbacks
):
    data = {k: v for k, v in form_data.items() if k != "themes"}
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.submit_application(themes=[], **data)
        raise RuntimeError("something later failed")
    assert callbacks == [] and smtp_server.messages == []


def test_reviewers_read_the_site_language_not_the_applicants(
    client, form_data, reviewers, smtp_server, django_capture_on_commit_callbacks
):
    apply(client, form_data, django_capture_on_commit_callbacks, HTTP_ACCEPT_LANGUAGE="fr")
    applicant = smtp_server.to("rosa.parks@example.org")[0]
    assert applicant.subject != RECEIVED  # the applicant's own message is in French
    assert {m.subject for m in to_reviewers(smtp_server)} == {NEW_SUBJECT}


def test_superusers_count_as_admins_and_addresses_are_not_repeated(
    form_data, smtp_server, django_capture_on_commit_callbacks
):
    get_user_model().objects.create_superuser("root", "Root@Example.org", "x-long-password-1")
    make_user("coordinator", email="root@example.org")  # same person, second account
    data = {k: v for k, v in form_data.items() if k != "themes"}
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(themes=[], **data)
    assert len(to_reviewers(smtp_server)) == 1

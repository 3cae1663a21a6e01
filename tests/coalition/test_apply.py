"""The public application: confirmation e-mail over SMTP, duplicates recognised, spam refused."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.accounts.factories import make_user
from tests.accounts.grid import without_csrf
from uprhub.coalition import services
from uprhub.coalition.models import ApplicationStatus, TaskforceApplication

pytestmark = pytest.mark.django_db


def apply(client, data, capture):
    with capture(execute=True):
        return client.post(reverse("coalition:apply"), data)


def test_application_is_saved_and_confirmed_by_email(
    client, form_data, smtp_server, site_url, django_capture_on_commit_callbacks
):
    response = apply(client, form_data, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("coalition:apply_done")

    application = TaskforceApplication.objects.get()
    assert application.email == "rosa.parks@example.org"
    assert application.status == ApplicationStatus.PENDING
    assert application.themes.count() == 2
    assert application.location_label == "Montgomery, Alabama"

    mail = smtp_server.only()
    assert mail.rcpt_tos == ["rosa.parks@example.org"]
    assert mail.subject == "We received your application to the UPR Taskforce"
    assert "http://testserver/taskforce/apply/" in mail.links()
    # Nothing the applicant typed is echoed into the e-mail (the form cannot relay spam).
    assert "Montgomery" not in mail.text and "Rosa" not in mail.text


def confirm_link(mail) -> str:
    (link,) = [url for url in mail.links() if "/taskforce/apply/confirm/" in url]
    return urlsplit(link).path


def press_confirm(client, path: str, capture):
    assert client.get(path).status_code == 200  # the link only shows a button
    token = path.rstrip("/").rsplit("/", 1)[-1]
    with capture(execute=True):
        return client.post(reverse("coalition:confirm_submit"), {"token": token})


def test_second_application_from_same_address_waits_for_the_owner(
    client, form_data, smtp_server, site_url, django_capture_on_commit_callbacks
):
    apply(client, form_data, django_capture_on_commit_callbacks)
    again = {**form_data, "email": "ROSA.PARKS@example.ORG", "motivation": "Updated answer."}
    first_done = apply(client, again, django_capture_on_commit_callbacks)
    assert first_done["Location"] == reverse("coalition:apply_done")

    application = TaskforceApplication.objects.get()  # still one, unchanged
    assert application.submission_count == 1
    assert application.motivation.startswith("To bring the voices")
    received, to_confirm = smtp_server.messages
    assert received.subject == "We received your application to the UPR Taskforce"
    assert to_confirm.subject == "Confirm the new answers to your UPR Taskforce application"
    assert to_confirm.rcpt_tos == ["rosa.parks@example.org"]

    response = press_confirm(client, confirm_link(to_confirm), django_capture_on_commit_callbacks)
    assert response.status_code == 200 and b"Your new answers are saved" in response.content
    application.refresh_from_db()
    assert application.submission_count == 2
    assert application.motivation == "Updated answer."
    assert application.previous_answers[0]["motivation"].startswith("To bring the voices")
    assert smtp_server.messages[-1].subject == "Your UPR Taskforce application is updated"
    # The link is spent.
    assert client.get(confirm_link(to_confirm)).status_code == 400


def test_answer_to_a_question_goes_back_to_the_queue(
    client, form_data, themes, smtp_server, site_url, django_capture_on_commit_callbacks
):
    coordinator = make_user("coordinator")
    data = {k: v for k, v in form_data.items() if k != "themes"}
    submitted = services.submit_application(themes=[], **data)
    services.decide(submitted.application, "ask_info", "Which city?", actor=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.submit_application(themes=[], **{**data, "city": "Selma"})
    assert again.outcome == services.Outcome.TO_CONFIRM
    again.application.refresh_from_db()
    assert again.application.status == ApplicationStatus.NEEDS_INFO
    mail = smtp_server.to("rosa.parks@example.org")[-1]
    press_confirm(client, confirm_link(mail), django_capture_on_commit_callbacks)
    again.application.refresh_from_db()
    assert again.application.status == ApplicationStatus.PENDING
    assert again.application.city == "Selma"


def test_approved_applicant_applying_again_is_told_they_are_in(
    client, form_data, smtp_server, django_capture_on_commit_callbacks
):
    apply(client, form_data, django_capture_on_commit_callbacks)
    application = TaskforceApplication.objects.get()
    application.status = ApplicationStatus.APPROVED
    application.save()
    smtp_server.clear()

    response = apply(
        client, {**form_data, "motivation": "Again"}, django_capture_on_commit_callbacks
    )
    assert response["Location"] == reverse("coalition:apply_done")
    application.refresh_from_db()
    assert application.motivation != "Again" and application.submission_count == 1
    assert smtp_server.only().subject == "You are already in the UPR Taskforce"


def test_responses_do_not_reveal_known_addresses(
    client, form_data, django_capture_on_commit_callbacks
):
    apply(client, form_data, django_capture_on_commit_callbacks)
    known = apply(client, form_data, django_capture_on_commit_callbacks)
    unknown = apply(
        client, {**form_data, "email": "new@example.org"}, django_capture_on_commit_callbacks
    )
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert without_csrf(client.get(known["Location"]).content) == without_csrf(
        client.get(unknown["Location"]).content
    )


@pytest.mark.parametrize(
    "field",
    ["email", "name", "organisation_name", "city"],
)
def test_header_injection_through_the_form_is_refused(
    client, form_data, field, smtp_server, django_capture_on_commit_callbacks
):
    value = form_data[field] or "x"
    response = apply(
        client,
        {**form_data, field: f"{value}\r\nBcc: victim@example.org"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 200
    assert b"error-summary" in response.content
    assert not TaskforceApplication.objects.exists()
    assert smtp_server.messages == []


def test_honeypot(client, form_data, smtp_server, django_capture_on_commit_callbacks):
    response = apply(
        client, {**form_data, "contact_website": "buy.example"}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("coalition:apply_done")
    assert not TaskforceApplication.objects.exists()
    assert smtp_server.messages == []


def test_rate_limit(client, form_data, settings):
    settings.UPRHUB_RATE_LIMITS = {**settings.UPRHUB_RATE_LIMITS, "apply": "2/h"}
    statuses = [
        client.post(
            reverse("coalition:apply"), {**form_data, "email": f"a{i}@example.org"}
        ).status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert TaskforceApplication.objects.count() == 2


def test_missing_answers_are_listed_and_linked(client):
    response = client.post(reverse("coalition:apply"), {"name": "", "email": "not-an-address"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_email"' in content and 'href="#id_motivation"' in content
    assert 'aria-describedby="id_email_helptext id_email_error"' in content


def test_themes_come_from_the_focus_vocabulary(client, themes):
    content = client.get(reverse("coalition:apply")).content.decode()
    for name in themes:
        assert name in content
    assert "<legend" in content  # the checkbox group has a legend

"""Coordinators' decisions: approve (account, taskforce, working groups), decline, ask for
more information; each e-mailed over SMTP and audited."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.accounts.factories import PASSWORD, ApplicationFactory, OrganisationFactory, make_user
from uprhub.accounts.models import Organisation
from uprhub.coalition import services
from uprhub.coalition.models import (
    ApplicationDecision,
    ApplicationStatus,
    TaskforceMember,
    WorkingGroup,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return make_user("coordinator", name="Coordinator Cora")


@pytest.fixture
def application(themes):
    application = ApplicationFactory(
        name="Bayard Rustin", email="bayard@example.org", organisation_name="Tenants United"
    )
    application.themes.set([themes["Right to housing"], themes["Indigenous peoples"]])
    return application


def decide_in_browserless_ui(client, application, decision, message, capture):
    with capture(execute=True):
        return client.post(
            reverse("coalition:application_detail", args=[application.pk]),
            {"decision": decision, "message": message},
        )


def test_approval_creates_account_membership_groups_and_sends_set_password_link(
    client,
    coordinator,
    application,
    themes,
    smtp_server,
    site_url,
    django_capture_on_commit_callbacks,
):
    housing_group = WorkingGroup.objects.create(name="Housing", theme=themes["Right to housing"])
    other_group = WorkingGroup.objects.create(name="Death penalty", theme=themes["Death penalty"])
    organisation = OrganisationFactory(name="Tenants United")
    client.force_login(coordinator)

    response = decide_in_browserless_ui(
        client, application, "approve", "Welcome aboard!", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("coalition:queue")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    user = application.user
    assert user.email == "bayard@example.org" and user.is_active
    assert not user.has_usable_password()
    assert user.profile.full_name == "Bayard Rustin"
    assert user.profile.role == "member"
    assert user.groups.filter(name="Members").exists()
    assert set(user.profile.themes.all()) == set(application.themes.all())
    member = TaskforceMember.objects.get(user=user)
    assert list(member.working_groups.all()) == [housing_group]
    assert not other_group.members.exists()
    # The typed name matches an existing organisation: approval never adds anyone to it
    # (only its contact person can), and creates no second one.
    assert not organisation.memberships.filter(user=user).exists()
    assert Organisation.objects.count() == 1

    record = ApplicationDecision.objects.get(application=application)
    assert (record.decision, record.message, record.actor) == (
        "approve",
        "Welcome aboard!",
        coordinator,
    )
    assert (record.status_before, record.status_after) == ("pending", "approved")
    assert record.created_at is not None and coordinator.email in record.actor_label

    mail = smtp_server.only()
    assert mail.rcpt_tos == ["bayard@example.org"]
    assert mail.subject == "Welcome to the UPR Taskforce"
    assert "Welcome aboard!" in mail.text
    (link,) = [url for url in mail.links() if "/accounts/password/choose/" in url]

    # The applicant chooses a password through the link and logs in.
    client.logout()
    form_url = client.get(urlsplit(link).path)["Location"]
    response = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    response = client.post(
        reverse("accounts:login"), {"username": "Bayard@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("coalition:directory")).status_code == 200
    user.profile.refresh_from_db()
    assert user.profile.email_verified_at is not None


def test_approval_links_an_existing_account(coordinator, application, smtp_server, site_url):
    existing = make_user(email="Bayard@Example.org", password=PASSWORD, name="B. Rustin")
    services.decide(application, "approve", "Welcome back", actor=coordinator)
    application.refresh_from_db()
    assert application.user == existing
    assert get_user_model().objects.filter(email__iexact="bayard@example.org").count() == 1
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)  # untouched
    assert existing.profile.full_name == "B. Rustin"  # what they wrote is kept
    assert existing.profile.city == "Detroit"  # blanks are filled from the application
    assert TaskforceMember.objects.filter(user=existing).exists()


def test_approval_of_an_unconfirmed_signup_drops_its_password(coordinator, application):
    squatter = make_user(email="bayard@example.org", password=PASSWORD, verified=False)
    services.decide(application, "approve", "Welcome", actor=coordinator)
    squatter.refresh_from_db()
    assert squatter.is_active
    assert not squatter.has_usable_password()


def test_approving_does_not_lower_a_higher_role(application, themes):
    admin = make_user("admin", email="bayard@example.org")
    services.decide(application, "approve", "Welcome", actor=make_user("coordinator"))
    admin.profile.refresh_from_db()
    assert admin.profile.role == "admin"


@pytest.mark.parametrize(
    ("decision", "status", "subject"),
    [
        ("decline", ApplicationStatus.DECLINED, "Your application to the UPR Taskforce"),
        ("ask_info", ApplicationStatus.NEEDS_INFO, "Your UPR Taskforce application: a question"),
    ],
)
def test_decline_and_ask_for_information(
    client,
    coordinator,
    application,
    smtp_server,
    site_url,
    decision,
    status,
    subject,
    django_capture_on_commit_callbacks,
):
    client.force_login(coordinator)
    message = "Thank you.\nPlease tell us more about your work in Detroit."
    decide_in_browserless_ui(
        client, application, decision, message, django_capture_on_commit_callbacks
    )
    application.refresh_from_db()
    assert application.status == status
    assert application.user is None
    assert not get_user_model().objects.filter(email="bayard@example.org").exists()
    record = ApplicationDecision.objects.get(application=application)
    assert (record.decision, record.message, record.actor) == (decision, message, coordinator)
    mail = smtp_server.only()
    assert mail.subject == subject
    assert "Please tell us more about your work in Detroit." in mail.text
    if decision == "ask_info":
        assert "http://testserver/taskforce/apply/" in mail.links()


def test_every_decision_is_kept(coordinator, application):
    services.decide(application, "ask_info", "Which city?", actor=coordinator)
    services.decide(application, "decline", "Sorry", actor=coordinator)
    services.decide(application, "approve", "Changed our minds", actor=coordinator)
    assert list(
        ApplicationDecision.objects.filter(application=application)
        .order_by("pk")
        .values_list("decision", "status_before", "status_after")
    ) == [
        ("ask_info", "pending", "needs_info"),
        ("decline", "needs_info", "declined"),
        ("approve", "declined", "approved"),
    ]


def test_approved_applications_take_no_further_decision(client, coordinator, application):
    services.decide(application, "approve", "Welcome", actor=coordinator)
    with pytest.raises(services.DecisionNotAllowed):
        services.decide(application, "decline", "Oops", actor=coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("coalition:application_detail", args=[application.pk]),
        {"decision": "decline", "message": "Oops"},
    )
    assert response.status_code == 302
    assert ApplicationDecision.objects.filter(application=application).count() == 1


def test_a_decision_needs_a_message(client, coordinator, application):
    client.force_login(coordinator)
    response = client.post(
        reverse("coalition:application_detail", args=[application.pk]),
        {"decision": "approve", "message": "  "},
    )
    assert response.status_code == 400
    assert not ApplicationDecision.objects.exists()
    with pytest.raises(ValueError):
        services.decide(application, "approve", " ", actor=coordinator)


def test_queue_filters_by_status(client, coordinator, themes, django_assert_max_num_queries):
    pending = ApplicationFactory(name="Pending Person")
    declined = ApplicationFactory(name="Declined Person", status=ApplicationStatus.DECLINED)
    for _ in range(20):
        ApplicationFactory().themes.set(themes.values())
    client.force_login(coordinator)
    with django_assert_max_num_queries(10):
        open_page = client.get(reverse("coalition:queue")).content.decode()
    assert pending.name in open_page and declined.name not in open_page
    declined_page = client.get(reverse("coalition:queue") + "?status=declined").content.decode()
    assert declined.name in declined_page and pending.name not in declined_page

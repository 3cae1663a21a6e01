"""Members download and delete their own data (/accounts/your-data/)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.accounts.factories import PASSWORD, ApplicationFactory, OrganisationFactory, make_user
from tests.mailinglists.factories import MailingListFactory, PostFactory, active_subscription
from tests.reports.factories import make_world
from uprhub.accounts import services as accounts
from uprhub.accounts.choices import Role
from uprhub.accounts.models import Membership, Profile, RoleChange
from uprhub.coalition.models import TaskforceApplication
from uprhub.mailinglists.models import Delivery, DeliveryStatus, Subscriber, Subscription
from uprhub.reports import services as reports
from uprhub.reports.models import Comment, Paragraph, ReportRole, Revision

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:your_data")
DOWNLOAD = reverse("accounts:download_data")
DELETE = reverse("accounts:delete_account")


@pytest.fixture
def person():
    """A drafter on a shared report, with a bit of everything, and someone else beside."""
    world = make_world()
    drafter = world.people["drafter"]
    drafter.set_password(PASSWORD)
    drafter.save()
    paragraph = reports.add_paragraph(
        world.follow_up, text="Torture persists in immigration detention.", actor=drafter
    )
    reports.add_comment(paragraph, "Add the 2020 figures here.", actor=drafter)
    Membership.objects.create(
        user=drafter, organisation=OrganisationFactory(name="Housing Justice Network")
    )
    ApplicationFactory(email=drafter.email, email_key=drafter.email.lower(), motivation="Housing")
    newsletter = MailingListFactory(slug="news", name="Coalition news")
    active_subscription(drafter.email, newsletter)
    post = PostFactory(mailing_list=newsletter, subject="Review week", status="sent")
    Delivery.objects.create(post=post, email=drafter.email, status=DeliveryStatus.SENT)
    accounts.set_role(drafter, Role.COORDINATOR, actor=world.people["admin"], reason="Elected")
    other = make_user("member", email="someone.else@example.org", password=PASSWORD)
    active_subscription(other.email, newsletter)
    return world, drafter, paragraph, other


def test_download_has_everything_about_the_person_and_nothing_else(client, person):
    world, drafter, _paragraph, _other = person
    client.force_login(drafter)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Download my data" in page.content.decode()
    assert client.get(DOWNLOAD).status_code == 405  # a POST with the CSRF token only

    response = client.post(DOWNLOAD)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="uprhub-my-data-')
    data = json.loads(response.content)
    assert data["account"]["email"] == drafter.email
    assert data["profile"]["name"] == "Drafter Person"
    assert {o["organisation"] for o in data["organisations"]} == {"Housing Justice Network"}
    assert data["taskforce"]["applications"][0]["motivation"] == "Housing"
    lists = data["mailing_lists"]
    assert [s["list"] for s in lists["subscriptions"]] == ["Coalition news"]
    assert lists["mail_sent"][0]["post"] == "Review week"
    written = data["shadow_reports"]
    assert [c["text"] for c in written["comments"]] == ["Add the 2020 figures here."]
    assert "Torture persists in immigration detention." in [
        r["text"] for r in written["paragraph_revisions"]
    ]
    assert {r["role"] for r in written["roles"]} == {"drafter"}
    assert data["role_changes"][-1]["new_role"] == "coordinator"
    assert data["role_changes"][-1]["reason"] == "Elected"
    assert "someone.else@example.org" not in response.content.decode()


def test_pages_need_a_login(client, db):
    assert client.get(PAGE).status_code == 302
    assert client.post(DOWNLOAD).status_code == 302
    assert client.post(DELETE, {"password": "x", "confirm": "on"}).status_code == 302


def test_deleting_needs_the_password_and_the_confirmation(client, person):
    _world, drafter, _paragraph, _other = person
    client.force_login(drafter)
    wrong = client.post(DELETE, {"password": "not my password", "confirm": "on"})
    assert wrong.status_code == 400
    assert "The password is not correct." in wrong.content.decode()
    unconfirmed = client.post(DELETE, {"password": PASSWORD})
    assert unconfirmed.status_code == 400
    assert get_user_model().objects.filter(pk=drafter.pk).exists()


def test_deleting_removes_personal_data_and_keeps_report_text_anonymised(client, person):
    world, drafter, paragraph, other = person
    pk, email = drafter.pk, drafter.email
    client.force_login(drafter)
    page = client.get(PAGE).content.decode()
    assert "What you wrote in shadow reports stays" in page

    response = client.post(DELETE, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200
    assert "Your account has been deleted" in response.content.decode()

    assert not get_user_model().objects.filter(pk=pk).exists()
    assert not Profile.objects.filter(user_id=pk).exists()
    assert not Membership.objects.filter(user_id=pk).exists()
    assert not ReportRole.objects.filter(user_id=pk).exists()
    assert not RoleChange.objects.filter(user_id=pk).exists()
    assert not TaskforceApplication.objects.filter(email_key=email.lower()).exists()
    assert not Subscriber.objects.filter(email__iexact=email).exists()
    assert not Delivery.objects.filter(email__iexact=email).exists()
    # The shared work stays, without the author.
    paragraph = Paragraph.objects.get(pk=paragraph.pk)
    assert paragraph.text == "Torture persists in immigration detention."
    assert paragraph.updated_by is None
    assert Revision.objects.filter(paragraph=paragraph, author=None).exists()
    comment = Comment.objects.get(text="Add the 2020 figures here.")
    assert comment.author is None
    # Nobody else is touched; the person is logged out.
    assert Subscription.objects.filter(subscriber__email=other.email).exists()
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_the_only_lead_of_a_shared_report_must_hand_over_first(client, person):
    world, *_rest = person
    lead = world.lead
    lead.set_password(PASSWORD)
    lead.save()
    client.force_login(lead)
    assert world.report.title in client.get(PAGE).content.decode()
    response = client.post(DELETE, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 400
    assert "only lead" in response.content.decode()
    assert get_user_model().objects.filter(pk=lead.pk).exists()


def test_organisation_events_about_the_person_are_downloaded_and_anonymised_on_deletion(
    client, person
):
    from uprhub.accounts.models import OrganisationEvent

    world, drafter, _paragraph, _other = person
    organisation = OrganisationFactory(name="Riverside Tenants Union")
    event = OrganisationEvent.objects.create(
        organisation=organisation,
        organisation_label="Riverside Tenants Union",
        action="member_added",
        user=drafter,
        user_label=f"{drafter.email} (#{drafter.pk})",
        actor=world.people["admin"],
        actor_label="admin",
    )
    client.force_login(drafter)
    data = json.loads(client.post(DOWNLOAD).content)
    assert [e["organisation"] for e in data["organisation_events"]] == ["Riverside Tenants Union"]

    pk, email = drafter.pk, drafter.email
    client.post(DELETE, {"password": PASSWORD, "confirm": "on"})
    event.refresh_from_db()
    assert event.user_id is None
    assert email not in event.user_label
    assert event.user_label == f"deleted account #{pk}"

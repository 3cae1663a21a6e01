"""Issue 12, point 1: approving an application never joins an existing organisation by
name; membership is granted only by the organisation's contact (or an admin), audited;
organisation claims are reviewed; a second application cannot overwrite someone's."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.accounts.factories import ApplicationFactory, OrganisationFactory, make_user
from tests.accounts.grid import without_csrf
from uprhub.accounts import services as accounts
from uprhub.accounts.models import Membership, Organisation, OrganisationEvent
from uprhub.coalition import services
from uprhub.coalition.models import TaskforceApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_ngo():
    """A confirmed organisation with its real contact person."""
    contact = make_user("member", name="Real Contact")
    organisation = OrganisationFactory(name="Tenants United", acronym="")
    Membership.objects.create(user=contact, organisation=organisation, role_in_org="contact")
    return organisation


def review_page(client, application) -> str:
    response = client.get(reverse("coalition:application_detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("typed", ["Tenants United", "  tenants   UNITED ", "Ténants Unïted"])
def test_approval_never_joins_an_existing_organisation_by_name(client, real_ngo, typed):
    coordinator = make_user("coordinator")
    application = ApplicationFactory(organisation_name=typed, email="squatter@example.org")
    client.force_login(coordinator)
    page = review_page(client, application)
    assert "What approval will do" in page
    assert "Organisation name matches an existing organisation." in page
    assert "Approval does not add the applicant to it" in page

    services.decide(application, "approve", "Welcome", actor=coordinator)
    application.refresh_from_db()
    assert application.user is not None
    assert not Membership.objects.filter(user=application.user).exists()
    assert list(Organisation.objects.all()) == [real_ngo]  # nothing merged, nothing created
    assert not OrganisationEvent.objects.filter(action="member_added").exists()


def test_approval_registers_a_new_organisation_as_a_claim_to_review(client, settings):
    coordinator = make_user("coordinator")
    application = ApplicationFactory(organisation_name="Detroit Water Brigade")
    client.force_login(coordinator)
    page = review_page(client, application)
    assert "Creates a new organisation “Detroit Water Brigade”" in page
    assert "pending contact person" in page

    services.decide(application, "approve", "Welcome", actor=coordinator)
    application.refresh_from_db()
    organisation = Organisation.objects.get(name="Detroit Water Brigade")
    assert organisation.verified_at is None  # a claim, not yet a listed organisation
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role_in_org) == (application.user, "contact")
    created = OrganisationEvent.objects.get(organisation=organisation, action="created")
    assert created.actor == coordinator and created.user == application.user

    # The pending contact cannot add anyone yet.
    newcomer = make_user("registered", email="newcomer@example.org")
    client.force_login(application.user)
    add_url = reverse("accounts:organisation_add_member", args=[organisation.pk])
    assert client.post(add_url, {"email": newcomer.email}).status_code == 403
    assert not Membership.objects.filter(user=newcomer).exists()

    # A coordinator confirms the claim (audited); now the contact adds members (audited).
    client.force_login(coordinator)
    claim_url = reverse("accounts:organisation_claim", args=[organisation.pk])
    assert client.post(claim_url, {"decision": "confirm"}).status_code == 302
    organisation.refresh_from_db()
    assert organisation.verified_at is not None and organisation.verified_by == coordinator
    confirmed = OrganisationEvent.objects.get(organisation=organisation, action="claim_confirmed")
    assert confirmed.actor == coordinator

    client.force_login(application.user)
    assert client.post(add_url, {"email": "NEWCOMER@example.org"}).status_code == 302
    assert Membership.objects.filter(user=newcomer, organisation=organisation).exists()
    added = OrganisationEvent.objects.get(organisation=organisation, action="member_added")
    assert (added.actor, added.user) == (application.user, newcomer)
    assert added.actor_label and added.created_at


def test_review_page_says_no_organisation(client):
    coordinator = make_user("coordinator")
    application = ApplicationFactory(organisation_name="")
    client.force_login(coordinator)
    assert "No organisation." in review_page(client, application)
    services.decide(application, "approve", "Welcome", actor=coordinator)
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("contact", True),
        ("admin", True),
        ("member_of_org", False),
        ("coordinator", False),
        ("stranger", False),
    ],
)
def test_only_the_contact_or_an_admin_adds_members(client, real_ngo, who, allowed):
    contact = real_ngo.memberships.get(role_in_org="contact").user
    if who == "contact":
        actor = contact
    elif who == "member_of_org":
        actor = make_user("member")
        Membership.objects.create(user=actor, organisation=real_ngo)
    elif who == "stranger":
        actor = make_user("member")
    else:
        actor = make_user(who)
    target = make_user("registered", email="target@example.org")
    client.force_login(actor)
    response = client.post(
        reverse("accounts:organisation_add_member", args=[real_ngo.pk]), {"email": target.email}
    )
    joined = Membership.objects.filter(user=target, organisation=real_ngo).exists()
    assert joined == allowed
    assert response.status_code == (302 if allowed else 404 if who == "stranger" else 403)
    assert OrganisationEvent.objects.filter(action="member_added", user=target).exists() == allowed
    if not allowed:
        with pytest.raises(accounts.OrganisationPermissionDenied):
            accounts.add_member(real_ngo, target, actor=actor)


def test_a_new_organisation_cannot_squat_an_existing_name(client, real_ngo):
    user = make_user("member")
    client.force_login(user)
    response = client.post(
        reverse("accounts:organisation_create"),
        {"name": "TÉNANTS  united", "kind": "ngo", "country": "United States"},
    )
    assert response.status_code == 200
    assert b"already registered" in response.content
    assert Organisation.objects.count() == 1


def test_a_self_registered_organisation_is_a_claim_until_confirmed(client):
    creator = make_user("member")
    client.force_login(creator)
    client.post(
        reverse("accounts:organisation_create"),
        {"name": "Amnesty Chapter 42", "kind": "ngo", "country": "United States"},
    )
    organisation = Organisation.objects.get()
    assert organisation.verified_at is None
    page = client.get(reverse("accounts:organisation_detail", args=[organisation.pk]))
    assert b"Claim waiting for review" in page.content
    # Its creator cannot add people to it while the claim waits.
    other = make_user("registered")
    with pytest.raises(accounts.OrganisationPermissionDenied):
        accounts.add_member(organisation, other, actor=creator)
    # A coordinator sees it first in the list and may reject it (audited).
    coordinator = make_user("coordinator")
    client.force_login(coordinator)
    listing = client.get(reverse("accounts:organisation_list")).content.decode()
    assert "Amnesty Chapter 42" in listing and "Waiting for review" in listing
    client.post(
        reverse("accounts:organisation_claim", args=[organisation.pk]), {"decision": "reject"}
    )
    assert not Organisation.objects.exists()
    rejected = OrganisationEvent.objects.get(action="claim_rejected")
    assert rejected.organisation_label == "Amnesty Chapter 42" and rejected.actor == coordinator


def test_only_coordinators_confirm_claims(client):
    creator = make_user("member")
    organisation = accounts.create_organisation(actor=creator, name="Claimed", kind="ngo")
    client.force_login(creator)
    response = client.post(
        reverse("accounts:organisation_claim", args=[organisation.pk]), {"decision": "confirm"}
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.verified_at is None


def test_someone_elses_address_does_not_overwrite_a_pending_application(
    client, themes, smtp_server, site_url, django_capture_on_commit_callbacks
):
    owner = {
        "name": "Real Applicant",
        "email": "real@example.org",
        "organisation_name": "Tenants United",
        "themes": [themes["Right to housing"].pk],
        "experience": "some",
        "motivation": "My own words.",
    }
    attacker = {
        **owner,
        "name": "Impostor",
        "email": "REAL@example.org",
        "organisation_name": "Impostor Org",
        "motivation": "Replaced.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("coalition:apply"), owner)
    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("coalition:apply"), attacker)
        unknown = client.post(reverse("coalition:apply"), {**attacker, "email": "new@example.org"})

    application = TaskforceApplication.objects.get(email_key="real@example.org")
    assert (application.name, application.motivation) == ("Real Applicant", "My own words.")
    assert application.organisation_name == "Tenants United"
    assert application.submission_count == 1 and application.previous_answers == []
    # The sender learns nothing: the same answer as for an unknown address.
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert without_csrf(client.get(known["Location"]).content) == without_csrf(
        client.get(unknown["Location"]).content
    )
    # Only the address's owner hears of it, with a link to confirm (or ignore).
    (mail,) = smtp_server.to("real@example.org")
    assert "Impostor" not in mail.text and "Replaced" not in mail.text
    (link,) = [url for url in mail.links() if "/taskforce/apply/confirm/" in url]
    # Opening the link (a mail scanner) changes nothing either.
    assert client.get(urlsplit(link).path).status_code == 200
    application.refresh_from_db()
    assert application.motivation == "My own words."


def test_an_admin_adding_a_member_in_the_admin_site_is_audited(client, real_ngo):
    admin_user = make_user("admin")
    target = make_user("registered")
    existing = real_ngo.memberships.get()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_organisation_change", args=[real_ngo.pk]),
        {
            "name": real_ngo.name,
            "acronym": "",
            "kind": real_ngo.kind,
            "city": real_ngo.city,
            "country": real_ngo.country,
            "website": "",
            "description": "",
            "established_on": "",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": str(existing.pk),
            "memberships-0-organisation": str(real_ngo.pk),
            "memberships-0-user": str(existing.user_id),
            "memberships-0-role_in_org": "contact",
            "memberships-1-organisation": str(real_ngo.pk),
            "memberships-1-user": str(target.pk),
            "memberships-1-role_in_org": "member",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert Membership.objects.filter(user=target, organisation=real_ngo).exists()
    event = OrganisationEvent.objects.get(action="member_added")
    assert (event.actor, event.user) == (admin_user, target)


def test_unconfirmed_answers_expire(client, themes, smtp_server, site_url):
    import time_machine

    from uprhub.coalition.models import ApplicationRevision

    data = {"name": "A", "email": "a@example.org", "experience": "none", "motivation": "x"}
    with time_machine.travel("2030-01-01 12:00 +0000", tick=False):
        services.submit_application(themes=[], **data)
        services.submit_application(themes=[], **{**data, "motivation": "second"})
    (revision,) = ApplicationRevision.objects.all()
    with time_machine.travel("2030-01-05 12:00 +0000", tick=False):
        # A link older than three days does not work, and the answers are dropped.
        services.submit_application(themes=[], **{**data, "motivation": "third"})
    assert not ApplicationRevision.objects.filter(pk=revision.pk).exists()
    assert ApplicationRevision.objects.get().answers["motivation"] == "third"
    assert TaskforceApplication.objects.get().motivation == "x"

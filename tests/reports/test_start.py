"""Starting a report (test client): pick an organisation you belong to, or register yours in the
same form (a claim a coordinator confirms, audited), never join an existing one by its name;
errors are shown again with what was typed."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.accounts.factories import ApplicationFactory, OrganisationFactory, make_user
from tests.web.factories import make_web_data
from uprhub.accounts import services as accounts
from uprhub.accounts.models import (
    Membership,
    Organisation,
    OrganisationAction,
    OrganisationEvent,
    OrganisationRole,
)
from uprhub.coalition import services as coalition
from uprhub.reports import services
from uprhub.reports.models import Report

pytestmark = pytest.mark.django_db

URL = reverse("reports:create")


@pytest.fixture
def data():
    return make_web_data()


@pytest.fixture
def newcomer(client):
    """A taskforce member in no organisation yet, signed in."""
    user = make_user("member", name="Nadia Newcomer")
    client.force_login(user)
    return user


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def form_data(data, **extra):
    return {
        "review": data.review_2025.pk,
        "submission_type": "individual",
        "language": "en",
        **extra,
    }


def new_organisation(**extra):
    return {
        "new_organisation_name": "Detroit Tenants Union",
        "new_organisation_acronym": "DTU",
        "new_organisation_kind": "ngo",
        "new_organisation_city": "Detroit",
        "new_organisation_country": "United States",
        **extra,
    }


def test_someone_in_no_organisation_is_offered_to_register_one(client, data, newcomer):
    page = text(client.get(URL))
    assert "You are not in any organisation on UPR Hub yet." in page
    assert "<legend>Register your organisation</legend>" in page
    assert 'name="new_organisation_name"' in page
    assert 'name="organisations"' not in page  # nothing to pick: no empty, required list


def test_nothing_chosen_says_what_to_do_and_keeps_the_answers(client, data, newcomer):
    response = client.post(URL, form_data(data, key_words="housing, evictions"))
    assert response.status_code == 400
    page = text(response)
    assert "Please correct the following" in page
    assert (
        "Name of your organisation: Give your organisation's name: every report is submitted "
        "by at least one organisation."
    ) in page
    assert 'href="#id_new_organisation_name"' in page
    assert 'value="housing, evictions"' in page
    assert "this field is required" not in page.lower()
    assert Report.objects.count() == 0


def test_register_your_organisation_while_starting_a_report(client, data, newcomer):
    response = client.post(URL, form_data(data, **new_organisation()), follow=True)
    report = Report.objects.get()
    assert response.redirect_chain[-1][0] == report.get_absolute_url()
    organisation = Organisation.objects.get(name="Detroit Tenants Union")
    assert [m.organisation for m in report.members.all()] == [organisation]
    # A claim: the person is its contact, a coordinator has yet to confirm it.
    assert organisation.verified_at is None
    assert (organisation.acronym, organisation.kind, organisation.city) == ("DTU", "ngo", "Detroit")
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role_in_org) == (newcomer, OrganisationRole.CONTACT)
    event = OrganisationEvent.objects.get(organisation=organisation)
    assert event.action == OrganisationAction.CREATED
    assert (event.actor, event.user) == (newcomer, newcomer)
    assert event.note == "registered when starting a report"
    page = text(response)
    assert "The report is started. You are its lead." in page
    assert "Your organisation is registered and you are its contact person." in page


def test_a_registered_name_is_never_joined(client, data, newcomer):
    existing = OrganisationFactory(name="Tenants United", acronym="TU")
    response = client.post(
        URL, form_data(data, **new_organisation(new_organisation_name="  TÉNANTS   united "))
    )
    assert response.status_code == 400
    page = text(response)
    assert "An organisation with this name is already registered on UPR Hub." in page
    assert "Only its contact person can add you to it" in page
    assert 'value="  TÉNANTS   united "' in response.content.decode()  # as typed
    assert not Membership.objects.filter(user=newcomer).exists()
    assert list(Organisation.objects.all()) == [existing]
    assert Report.objects.count() == 0


def test_incomplete_registration_names_each_missing_answer(client, data, newcomer):
    response = client.post(URL, form_data(data, new_organisation_city="Detroit"))
    assert response.status_code == 400
    page = text(response)
    assert "Give the organisation's name to register it (or leave these fields empty)." in page
    response = client.post(URL, form_data(data, new_organisation_name="Detroit Tenants Union"))
    page = text(response)
    assert "Type of organisation: Choose the type of your organisation." in page
    assert "Country: Give the country where your organisation is based." in page
    assert Organisation.objects.count() == 0


def test_pick_an_organisation_you_belong_to(client, data, newcomer):
    mine = OrganisationFactory(name="Advocates for Human Rights", acronym="AHR")
    Membership.objects.create(user=newcomer, organisation=mine)
    theirs = OrganisationFactory(name="Partners for Justice", acronym="PJ")
    pending = OrganisationFactory(name="Someone Else's Claim", verified_at=None)
    page = text(client.get(URL))
    assert "Your organisations" in page
    assert "Not listed? Register your organisation" in page
    assert re.search(rf'value="{mine.pk}"[^>]*checked', page)  # chosen for them
    assert "Partner organisations (joint submission)" in page and "Partners for Justice" in page
    assert "Someone Else" not in page  # another person's unconfirmed claim stays private

    response = client.post(URL, form_data(data, organisations=[mine.pk]))
    report = Report.objects.get()
    assert response.url == report.get_absolute_url()
    assert [m.organisation for m in report.members.all()] == [mine]

    joint = form_data(data, submission_type="joint", organisations=[mine.pk, theirs.pk])
    client.post(URL, joint)
    assert [m.organisation for m in Report.objects.latest("pk").members.all()] == [mine, theirs]

    refused = client.post(URL, form_data(data, submission_type="joint", organisations=[pending.pk]))
    assert refused.status_code == 400
    assert "Select a valid choice." in text(refused)


def test_an_individual_submission_has_one_organisation(client, data, newcomer):
    mine = OrganisationFactory(name="Advocates for Human Rights")
    Membership.objects.create(user=newcomer, organisation=mine)
    response = client.post(URL, form_data(data, organisations=[mine.pk], **new_organisation()))
    assert response.status_code == 400
    assert "An individual submission comes from one organisation, and 2 are chosen" in text(
        response
    )
    assert Organisation.objects.count() == 1


def test_the_service_checks_who_may_name_an_organisation(data):
    member = make_user("member")
    claim = accounts.create_organisation(
        actor=make_user("member"), name="A Claim", kind="ngo", country="Chile"
    )
    with pytest.raises(PermissionDenied):
        services.create_report(
            actor=member,
            review=data.review_2025,
            submission_type="individual",
            organisations=[claim],
        )
    assert Report.objects.count() == 0


def test_a_duplicate_registered_meanwhile_is_refused_by_the_service(data):
    OrganisationFactory(name="Tenants United")
    member = make_user("member")
    with pytest.raises(Exception) as raised:
        services.create_report(
            actor=member,
            review=data.review_2025,
            submission_type="individual",
            organisations=[],
            new_organisation=services.NewOrganisation(
                name="tenants united", kind="ngo", country="United States"
            ),
        )
    assert "name" in raised.value.message_dict
    assert not Membership.objects.filter(user=member).exists()
    assert Report.objects.count() == 0


# --- approved taskforce applicants ------------------------------------------------------------


def _approve(application):
    coordinator = make_user("coordinator")
    coalition.decide(application, "approve", "Welcome!", actor=coordinator)
    application.refresh_from_db()
    return application.user


def test_approved_applicant_with_a_taken_name_registers_their_own(client, data):
    existing = OrganisationFactory(name="Tenants United")
    application = ApplicationFactory(organisation_name="Tenants United", email="ana@example.org")
    user = _approve(application)
    # Approval never adds anyone to an existing organisation.
    assert not Membership.objects.filter(user=user).exists()
    assert not existing.memberships.exists()
    client.force_login(user)
    page = text(client.get(URL))
    assert "Your taskforce application names “Tenants United”, which is already registered" in page
    assert 'name="new_organisation_name" value=' not in page  # nothing filled in to join it
    response = client.post(
        URL, form_data(data, **new_organisation(new_organisation_name="Tenants United Detroit"))
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=user).organisation.name == "Tenants United Detroit"
    assert not existing.memberships.exists()


def test_approved_applicant_whose_claim_was_made_picks_it(client, data):
    application = ApplicationFactory(organisation_name="Justice Now", email="jo@example.org")
    user = _approve(application)
    claim = Organisation.objects.get(name="Justice Now")
    client.force_login(user)
    page = text(client.get(URL))
    assert "Justice Now — Detroit, United States (awaiting a coordinator's confirmation)" in page
    client.post(URL, form_data(data, organisations=[claim.pk]))
    assert [m.organisation for m in Report.objects.get().members.all()] == [claim]


def test_application_fills_in_the_registration(client, data):
    # An application approved before approval registered organisations: the person is a member
    # of none, and approval copied the organisation, city and State into their profile.
    user = make_user("member")
    ApplicationFactory(
        organisation_name="Justice Now",
        city="Detroit",
        us_state="MI",
        status="approved",
        user=user,
    )
    profile = accounts.profile_for(user)
    profile.organisation_name, profile.city, profile.us_state = "Justice Now", "Detroit", "MI"
    profile.save()
    client.force_login(user)
    page = text(client.get(URL))
    assert "Filled in from your taskforce application" in page
    assert 'name="new_organisation_name" value="Justice Now"' in page
    assert 'name="new_organisation_country" value="United States"' in page


def test_every_problem_is_said_at_once(client, data, newcomer):
    response = client.post(URL, {"submission_type": "individual", "language": "en"})
    page = text(response)
    assert "State and session: Choose the State and session the report is for." in page
    assert "Name of your organisation: Give your organisation's name" in page

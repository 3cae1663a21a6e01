"""Issue 12, point 2: organisation pages and member lists are for members only, never show
an e-mail address in place of a name, and members choose whether they are listed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.factories import OrganisationFactory, make_user
from uprhub.accounts import services as accounts
from uprhub.accounts.models import Membership, Profile
from uprhub.coalition.models import TaskforceMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    organisation = OrganisationFactory(name="Border Rights Network", acronym="")
    contact = make_user("member", name="Carla Contact", email="carla@example.org")
    Membership.objects.create(user=contact, organisation=organisation, role_in_org="contact")
    return organisation


def join(organisation, user, *, listed: bool) -> None:
    Profile.objects.filter(user=user).update(listed_in_directory=listed)
    Membership.objects.create(user=user, organisation=organisation)


def page(client, organisation):
    return client.get(reverse("accounts:organisation_detail", args=[organisation.pk]))


@pytest.mark.parametrize("role", ["registered", "member"])
def test_organisation_page_is_for_its_members(client, organisation, role):
    outsider = make_user(role)
    client.force_login(outsider)
    response = page(client, organisation)
    assert response.status_code == 404
    assert b"Border Rights Network" not in response.content
    assert b"Carla Contact" not in response.content
    # Not in the list either.
    listing = client.get(reverse("accounts:organisation_list"))
    assert b"Border Rights Network" not in listing.content

    join(organisation, outsider, listed=True)
    response = page(client, organisation)
    assert response.status_code == 200 and b"Border Rights Network" in response.content


def test_anonymous_visitors_go_to_log_in(client, organisation):
    response = page(client, organisation)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_no_email_in_place_of_a_missing_name(client, organisation):
    nameless = make_user("member", email="hidden.person@example.org")
    Profile.objects.filter(user=nameless).update(full_name="")
    join(organisation, nameless, listed=True)
    client.force_login(organisation.memberships.get(role_in_org="contact").user)
    content = page(client, organisation).content.decode()
    assert "Member without a display name" in content
    assert "hidden.person" not in content


def test_unlisted_members_are_hidden_from_other_members(client, organisation):
    listed = make_user("member", name="Listed Lee")
    unlisted = make_user("member", name="Quiet Quinn")
    join(organisation, listed, listed=True)
    join(organisation, unlisted, listed=False)
    Profile.objects.filter(user__email="carla@example.org").update(listed_in_directory=True)

    client.force_login(listed)
    content = page(client, organisation).content.decode()
    assert "Listed Lee" in content and "Carla Contact" in content
    assert "Quiet Quinn" not in content

    # The unlisted member sees themselves; the contact person, who manages the members,
    # sees everyone, unlisted ones marked.
    client.force_login(unlisted)
    assert "Quiet Quinn" in page(client, organisation).content.decode()
    client.force_login(organisation.memberships.get(role_in_org="contact").user)
    content = page(client, organisation).content.decode()
    assert "Quiet Quinn" in content and "not listed in the directory" in content


def test_directory_honours_the_choice_and_new_profiles_are_unlisted(client, themes):
    viewer = make_user("member", name="Viewer")
    listed = make_user("member", name="Listed Lee")
    unlisted = make_user("member", name="Quiet Quinn")
    assert Profile.objects.get(user=unlisted).listed_in_directory is False  # opt-in
    accounts.update_profile(listed, actor=listed, listed_in_directory=True, us_state="CA")
    accounts.update_profile(unlisted, actor=unlisted, us_state="AK")
    for user in (viewer, listed, unlisted):
        TaskforceMember.objects.create(user=user)

    client.force_login(viewer)
    content = client.get(reverse("coalition:directory")).content.decode()
    assert "Listed Lee" in content
    assert "Quiet Quinn" not in content
    # The location filter does not reveal where unlisted members are either.
    assert 'value="state:CA"' in content and 'value="state:AK"' not in content


def test_profile_form_sets_the_choice(client):
    user = make_user("member")
    client.force_login(user)
    form = client.get(reverse("accounts:profile")).content.decode()
    assert 'name="listed_in_directory"' in form
    client.post(
        reverse("accounts:profile"),
        {"full_name": "Ella Baker", "experience": "none", "listed_in_directory": "on"},
    )
    assert Profile.objects.get(user=user).listed_in_directory is True
    client.post(reverse("accounts:profile"), {"full_name": "Ella Baker", "experience": "none"})
    assert Profile.objects.get(user=user).listed_in_directory is False

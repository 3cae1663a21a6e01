"""The profile (with focus themes) and organisations with their members."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from uprhub.accounts import services
from uprhub.accounts.models import Membership, Organisation

from .factories import OrganisationFactory, make_user

pytestmark = pytest.mark.django_db


def test_profile_saves_themes_location_and_experience(client, themes):
    user = make_user("member")
    client.force_login(user)
    housing = themes["Right to housing"]
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Ella Baker",
            "organisation_name": "SNCC",
            "city": "Atlanta",
            "us_state": "GA",
            "themes": [housing.pk],
            "languages": "English",
            "experience": "experienced",
            # A role in the POST is ignored: roles change only through set_role.
            "role": "admin",
        },
    )
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.full_name == "Ella Baker"
    assert user.profile.location_label == "Atlanta, Georgia"
    assert list(user.profile.themes.all()) == [housing]
    assert user.profile.experience == "experienced"
    assert user.profile.role == "member"


def test_profile_offers_only_the_focus_vocabulary(client, themes):
    from tests.factories import ThemeFactory, VocabularyFactory

    other = ThemeFactory(vocabulary=VocabularyFactory(slug="sdgs", name="SDGs"), name="SDG 1")
    client.force_login(make_user())
    content = client.get(reverse("accounts:profile")).content.decode()
    assert "Right to housing" in content
    assert other.name not in content


def test_profile_rejects_line_breaks_in_names(client):
    user = make_user()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Ella\r\nBcc: x@y.org", "experience": "none"}
    )
    assert response.status_code == 200
    assert b"single line" in response.content


def test_create_organisation_makes_the_creator_its_contact(client):
    user = make_user()
    client.force_login(user)
    response = client.post(
        reverse("accounts:organisation_create"),
        {
            "name": "Detroit Justice Center",
            "acronym": "DJC",
            "kind": "ngo",
            "city": "Detroit",
            "country": "United States",
            "website": "https://example.org",
            "description": "Legal services and advocacy.",
            "established_on": "2018-05-01",
        },
    )
    organisation = Organisation.objects.get(name="Detroit Justice Center")
    assert response["Location"] == reverse("accounts:organisation_detail", args=[organisation.pk])
    assert organisation.established_on.year == 2018
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role_in_org) == (user, "contact")
    page = client.get(response["Location"]).content.decode()
    assert "Detroit Justice Center (DJC)" in page and "Contact person" in page


def test_organisation_names_are_unique_whatever_the_case():
    user = make_user()
    OrganisationFactory(name="Tenants United")
    with pytest.raises(ValidationError):
        services.create_organisation(actor=user, name="TENANTS UNITED", kind="ngo")


def test_organisation_list_query_budget(client, django_assert_max_num_queries):
    for _ in range(30):
        OrganisationFactory()
    client.force_login(make_user())
    with django_assert_max_num_queries(8):
        assert client.get(reverse("accounts:organisation_list")).status_code == 200

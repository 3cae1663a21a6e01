"""The members' directory: members only, filterable by theme and location."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.factories import make_user
from uprhub.accounts import services as accounts
from uprhub.coalition.models import TaskforceMember

pytestmark = pytest.mark.django_db


def taskforce_member(
    name, *, themes=(), us_state="", country="", city="", active=True, listed=True
):
    user = make_user("member", name=name)
    accounts.update_profile(
        user,
        actor=user,
        themes=themes,
        us_state=us_state,
        country=country,
        city=city,
        listed_in_directory=listed,
    )
    TaskforceMember.objects.create(user=user, active=active)
    return user


@pytest.fixture
def members(themes):
    housing, indigenous = themes["Right to housing"], themes["Indigenous peoples"]
    return {
        "ana": taskforce_member("Ana", themes=[housing], us_state="CA", city="Oakland"),
        "ben": taskforce_member("Ben", themes=[indigenous], us_state="AZ", city="Tucson"),
        "chloe": taskforce_member("Chloe", themes=[housing, indigenous], country="Mexico"),
        "dan": taskforce_member("Dan", themes=[housing], us_state="CA", active=False),
    }


def names(client, query=""):
    response = client.get(reverse("coalition:directory") + query)
    assert response.status_code == 200
    return {member.user.profile.full_name for member in response.context["page"].object_list}


def test_directory_lists_active_members(client, members):
    client.force_login(members["ana"])
    assert names(client) == {"Ana", "Ben", "Chloe"}


def test_filter_by_theme(client, members, themes):
    client.force_login(members["ana"])
    assert names(client, f"?theme={themes['Indigenous peoples'].pk}") == {"Ben", "Chloe"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?location=state:CA", {"Ana"}),
        ("?location=country:Mexico", {"Chloe"}),
        ("?city=tucs", {"Ben"}),
    ],
)
def test_filter_by_location(client, members, query, expected):
    client.force_login(members["ana"])
    assert names(client, query) == expected


def test_location_choices_come_from_members(client, members):
    client.force_login(members["ana"])
    content = client.get(reverse("coalition:directory")).content.decode()
    assert 'value="state:CA"' in content and 'value="country:Mexico"' in content
    assert 'value="state:NY"' not in content


def test_directory_query_budget(client, members, themes, django_assert_max_num_queries):
    for number in range(25):
        taskforce_member(f"Extra {number}", themes=list(themes.values()), us_state="NY")
    client.force_login(members["ana"])
    with django_assert_max_num_queries(12):
        assert len(names(client)) == 28

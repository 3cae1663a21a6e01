"""The home page presents every part of UPR Hub, and the report builder can be found and
understood before signing in, with the way in for each kind of visitor."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def test_home_presents_every_part_and_what_comes_next(client):
    page = text(client.get(reverse("core:home")))
    headings = re.findall(r'<h3 id="part-[a-z-]+">(.*?)</h3>', page)
    assert [re.sub(r"<[^>]+>", "", h).strip() for h in headings] == [
        "Know",
        "Organise",
        "Write",
        "Listen",
        "Follow up",
    ]
    assert "Community consultations" in page
    assert "Implementation tracking" in page
    for name in (
        "recommendations:explorer",
        "calendar:index",
        "coalition:about",
        "reports:about",
        "consultations:index",
        "followup:index",
        "followup:about",
    ):
        assert f'href="{reverse(name)}"' in page, name


def test_the_report_builder_is_found_before_signing_in(client):
    home = text(client.get(reverse("core:home")))
    assert f'<a href="{reverse("reports:about")}">Shadow reports</a>' in home  # in the header
    response = client.get(reverse("reports:about"))
    assert response.status_code == 200  # no log-in wall
    page = text(response)
    assert "<h1>The report builder</h1>" in page
    assert "register yours in the same form" in page
    login = f"{reverse('accounts:login')}?next={reverse('reports:create')}"
    assert f'<a href="{login}">Log in and start a report</a>' in page
    assert f'<a href="{reverse("coalition:apply")}">Apply to join the UPR Taskforce</a>' in page
    assert f'<a href="{reverse("accounts:signup")}">Sign up</a>' in page


def test_the_report_builder_page_shows_each_account_its_way_in(client):
    client.force_login(make_user("member"))
    page = text(client.get(reverse("reports:about")))
    assert f'href="{reverse("reports:create")}">Start a report</a>' in page
    client.force_login(make_user("registered"))
    page = text(client.get(reverse("reports:about")))
    assert "Your account is not in the UPR Taskforce yet." in page
    assert f'href="{reverse("reports:create")}"' not in page

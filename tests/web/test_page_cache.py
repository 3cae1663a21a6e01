"""The public pages' cache (uprhub/core/pagecache.py): fast for anonymous visitors, never stale
after a write, never personal."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from uprhub.search.index import current_version


def _get(client: Client, url: str, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/recommendations/",
        "/recommendations/?q=torture&state=USA",
        "/states/USA/",
        "/api/recommendations?q=torture",
    ],
)
def test_anonymous_public_pages_are_cached_without_csrf_token_or_cookie(web_data, url):
    client = Client()
    first = _get(client, url)
    assert first["X-Page-Cache"] == "miss"
    second = _get(client, url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    for response in (first, second):
        assert b"csrfmiddlewaretoken" not in response.content
        assert not response.cookies  # no CSRF cookie, no session
        assert "Cookie" in response["Vary"]


def test_recommendation_page_is_cached_and_a_write_shows_at_once(web_data):
    rec = web_data.recommendations[0]
    url = reverse("recommendations:detail", args=[rec.pk])
    client = Client()
    _get(client, url)
    assert _get(client, url)["X-Page-Cache"] == "hit"
    rec.text = "Abolish solitary confinement in every federal prison"
    rec.save()
    after = _get(client, url)
    assert after["X-Page-Cache"] == "miss"
    assert "Abolish solitary confinement in every federal prison" in after.content.decode()
    # The explorer and the API follow too.
    found = _get(client, "/api/recommendations?q=solitary").json()
    assert [hit["id"] for hit in found["results"]] == [rec.pk]


def test_an_import_invalidates_the_cached_explorer(web_data):
    from tests.factories import RecommendationFactory

    client = Client()
    url = "/recommendations/?q=pangolins"
    assert "<mark>pangolins</mark>" not in _get(client, url).content.decode()
    before = _get(client, url)
    assert before["X-Page-Cache"] == "hit"
    RecommendationFactory(review=web_data.review_2020, text="Protect pangolins from trafficking")
    after = _get(client, url)
    assert after["X-Page-Cache"] == "miss"
    assert "Protect <mark>pangolins</mark> from trafficking" in after.content.decode()


def test_a_deadline_write_changes_the_data_version(web_data):
    from uprhub.calendar.models import Deadline, DeadlineKind

    before = current_version()
    Deadline.objects.create(
        review=web_data.review_2025,
        kind=DeadlineKind.choices[0][0],
        due="2026-01-01T12:00:00Z",
        time_zone="Europe/Zurich",
    )
    assert current_version() != before


def test_signed_in_visitor_never_gets_the_cached_anonymous_page(web_data):
    anonymous = Client()
    _get(anonymous, "/")
    assert _get(anonymous, "/")["X-Page-Cache"] == "hit"

    user = get_user_model().objects.create_user(
        username="amina", email="amina@example.org", password="x-long-password-1"
    )
    member = Client()
    member.force_login(user)
    for _ in range(2):
        response = _get(member, "/")
        html = response.content.decode()
        assert "X-Page-Cache" not in response
        assert "Log out" in html and "Log in" not in html
        assert 'name="csrfmiddlewaretoken"' in html  # the log-out form is personal
    # …and the anonymous copy did not pick up anything personal.
    html = _get(anonymous, "/").content.decode()
    assert "Log in" in html and "Log out" not in html


def test_language_is_part_of_the_key(web_data):
    client = Client()
    assert '<html lang="en"' in _get(client, "/").content.decode()
    _get(client, "/")
    client.cookies["django_language"] = "fr"
    assert '<html lang="fr"' in _get(client, "/").content.decode()


def test_visitor_with_a_session_cookie_is_not_served_from_the_cache(web_data):
    client = Client()
    _get(client, "/")
    client.cookies["sessionid"] = "whatever"
    assert "X-Page-Cache" not in _get(client, "/")


def test_pages_that_use_the_csrf_token_are_not_cached(db):
    client = Client()
    for _ in range(2):
        response = client.get(reverse("accounts:login"))
        assert "X-Page-Cache" not in response
        assert b"csrfmiddlewaretoken" in response.content


def test_language_switch_works_without_a_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "fr"

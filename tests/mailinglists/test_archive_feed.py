"""Web archives (public lists public, members-only lists for members) and the Atom feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import make_user
from uprhub.mailinglists.models import PostStatus

from .factories import PostFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def posts(public_list, members_list):
    now = timezone.now()
    return {
        "public": PostFactory(
            mailing_list=public_list,
            subject="Public news",
            body="Hello <script>x</script> **world**",
            status=PostStatus.SENT,
            sent_at=now - timedelta(days=1),
        ),
        "sending": PostFactory(
            mailing_list=public_list,
            subject="Going out now",
            status=PostStatus.SENDING,
            sent_at=now,
        ),
        "members": PostFactory(
            mailing_list=members_list, subject="Members secret", status=PostStatus.SENT, sent_at=now
        ),
        "draft": PostFactory(mailing_list=public_list, subject="Draft not yet out"),
    }


def test_public_archive(client, posts, public_list):
    page = client.get(reverse("mailinglists:archive", args=[public_list.slug])).content.decode()
    assert "Public news" in page and "Going out now" in page
    assert "Draft not yet out" not in page and "Members secret" not in page
    post = client.get(posts["public"].get_absolute_url()).content.decode()
    assert "<strong>world</strong>" in post and "<script>" not in post.split("<main")[1]


def test_members_archive(client, posts, members_list):
    url = reverse("mailinglists:archive", args=[members_list.slug])
    assert client.get(url).status_code == 302
    client.force_login(make_user("registered"))
    assert client.get(url).status_code == 403
    assert client.get(posts["members"].get_absolute_url()).status_code == 403
    client.force_login(make_user("member"))
    assert "Members secret" in client.get(url).content.decode()


def test_post_under_another_list_is_404(client, posts, members_list):
    url = reverse("mailinglists:archive_post", args=[members_list.slug, posts["public"].pk])
    client.force_login(make_user("member"))
    assert client.get(url).status_code == 404


def test_feed_is_atom_with_public_posts_only(client, posts):
    response = client.get(reverse("mailinglists:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # well-formed XML or this raises
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text == "UPR Hub mailing lists"
    assert root.find(f"{ATOM}id") is not None and root.find(f"{ATOM}updated") is not None
    entries = root.findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert titles == ["Going out now", "Public news"]
    for entry in entries:
        assert entry.find(f"{ATOM}id") is not None
        assert entry.find(f"{ATOM}updated") is not None
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/lists/archive/")
    summary = entries[1].find(f"{ATOM}summary").text
    assert "<strong>world</strong>" in summary and "<script>" not in summary


def test_archive_query_budget(client, public_list, django_assert_max_num_queries):
    for i in range(30):
        PostFactory(
            mailing_list=public_list,
            status=PostStatus.SENT,
            sent_at=timezone.now(),
            subject=f"P{i}",
        )
    with django_assert_max_num_queries(6):
        client.get(reverse("mailinglists:archive", args=[public_list.slug]))
    with django_assert_max_num_queries(4):
        client.get(reverse("mailinglists:feed"))

"""Mailing-list permissions × roles × post state (draft, sending, sent), and members-only lists.

Fails on the code before the one vocabulary: `save_draft` and `start_sending` trusted the
view, so any account (or none) could write a post or send it to every subscriber by calling
them.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.mailinglists.factories import MailingListFactory, PostFactory, subscribe_many
from uprhub.core.rules import has_perm
from uprhub.mailinglists import services
from uprhub.mailinglists.models import Delivery, Post, PostStatus, Subscription

from .grid import ROLES, actor, check_cell, row

pytestmark = pytest.mark.django_db

COORDINATORS = {"coordinator", "admin"}
STATES = [PostStatus.DRAFT, PostStatus.SENDING, PostStatus.SENT]


@pytest.fixture
def news():
    mailing_list = MailingListFactory(slug="news", name="News", visibility="public")
    subscribe_many(mailing_list, 2)
    return mailing_list


def _post(mailing_list, status: str) -> Post:
    sent_at = timezone.now() if status != PostStatus.DRAFT else None
    return PostFactory(mailing_list=mailing_list, status=status, sent_at=sent_at)


def _posts():
    return (
        list(Post.objects.order_by("pk").values_list("subject", "body", "status")),
        Delivery.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
def test_write_a_new_post(role, news):
    who = actor(role)
    check_cell(
        who=who,
        perm="mailinglists.write_post",
        obj=None,
        expected=row(COORDINATORS)[role],
        call=lambda: services.save_draft(
            actor=who, mailing_list=news, subject="Session 54", body="Soon."
        ),
        snapshot=_posts,
    )


@pytest.mark.parametrize("status", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_edit_a_post(role, status, news):
    post = _post(news, status)
    who = actor(role)
    check_cell(
        who=who,
        perm="mailinglists.write_post",
        obj=post,
        # A post that went out never changes.
        expected=row(COORDINATORS, refused_for_state=status != PostStatus.DRAFT)[role],
        call=lambda: services.save_draft(
            actor=who, mailing_list=news, subject="Changed", body="Changed.", post=post
        ),
        snapshot=_posts,
        state_error=services.PostStateError,
    )


@pytest.mark.parametrize("status", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_send_a_post(role, status, news, django_capture_on_commit_callbacks):
    post = _post(news, status)
    who = actor(role)
    check_cell(
        who=who,
        perm="mailinglists.send_post",
        obj=post,
        # A post is sent once.
        expected=row(COORDINATORS, refused_for_state=status != PostStatus.DRAFT)[role],
        call=lambda: services.start_sending(post, actor=who),
        snapshot=_posts,
        state_error=services.PostStateError,
    )


@pytest.mark.parametrize("role", ROLES)
def test_join_a_members_only_list_with_ones_own_address(role):
    """Members-only lists: members and up, with their account's address (at once)."""
    members = MailingListFactory(slug="taskforce", name="Taskforce", visibility="members")
    who = actor(role)
    allowed = role in {"member", "coordinator", "admin"}
    assert has_perm(who, "mailinglists.join_members_list", members) is allowed
    email = getattr(who, "email", "") or "someone@example.org"
    if allowed:
        services.request_subscription(email=email, lists=[members], user=who)
        assert Subscription.objects.get(mailing_list=members).status == "active"
    else:
        with pytest.raises(services.SubscriptionError):
            services.request_subscription(email=email, lists=[members], user=who)
        assert not Subscription.objects.filter(mailing_list=members).exists()


@pytest.mark.parametrize("visibility", ["public", "members"])
@pytest.mark.parametrize("role", ROLES)
def test_read_an_archive(client, role, visibility):
    who = actor(role)
    mailing_list = MailingListFactory(slug="archived", name="Archived", visibility=visibility)
    readers = {"member", "coordinator", "admin"}
    assert has_perm(who, "mailinglists.read_members_archive", mailing_list) is (role in readers)
    if role == "system":
        return
    if who.is_authenticated:
        client.force_login(who)
    status = client.get(reverse("mailinglists:archive", args=["archived"])).status_code
    if visibility == "public":
        assert status == 200  # a public list's archive is no permission
    else:
        assert status == (200 if role in readers else 302 if role == "anonymous" else 403)

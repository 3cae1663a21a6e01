"""Every mailing-list page and action × anonymous / registered / member / coordinator / admin."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from tests.accounts.factories import ROLES
from tests.accounts.grid import Case, everyone, run_case
from uprhub.mailinglists import tokens, urls
from uprhub.mailinglists.models import PostStatus, ReminderPreference, Subscriber

from .factories import PostFactory, active_subscription

LOGIN = 302
FORBIDDEN = 403
COORDINATORS = (LOGIN, FORBIDDEN, FORBIDDEN, 200, 200)
COORDINATOR_ACTIONS = (LOGIN, FORBIDDEN, FORBIDDEN, 302, 302)
MEMBERS = (LOGIN, FORBIDDEN, 200, 200, 200)


@pytest.fixture
def world(db, public_list, members_list, smtp_server):
    sent = {"status": PostStatus.SENT, "sent_at": timezone.now()}
    subscription = active_subscription("reader@example.org", public_list)
    subscriber = subscription.subscriber
    Subscriber.objects.filter(pk=subscriber.pk).update(confirm_nonce="grid-nonce")
    subscriber.refresh_from_db()
    preference = ReminderPreference.objects.create(subscriber=subscriber, opted_in=True)
    return SimpleNamespace(
        public=public_list,
        members=members_list,
        public_post=PostFactory(mailing_list=public_list, **sent),
        members_post=PostFactory(mailing_list=members_list, **sent),
        draft=PostFactory(mailing_list=public_list),
        confirm=tokens.make_confirm_token(subscriber),
        unsubscribe=tokens.make_unsubscribe_token(subscription, subscriber.email),
        reminders_off=tokens.make_reminders_off_token(preference, subscriber.email),
        preferences=tokens.make_preferences_token(subscriber),
    )


def url(name: str, *args):
    return lambda w: reverse(
        f"mailinglists:{name}", args=[a(w) if callable(a) else a for a in args]
    )


def post_data(w) -> dict:
    return {"mailing_list": w.public.pk, "subject": "A subject", "body": "Some *text*."}


CASES = [
    Case("index", "get", url("index"), everyone(200)),
    Case(
        "subscribe",
        "post",
        url("index"),
        everyone(302),
        data=lambda w: {"email": "new.reader@example.org", "lists": [w.public.pk]},
        anonymous_to_login=False,
    ),
    Case("subscribe done", "get", url("subscribe_done"), everyone(200)),
    Case("confirm page", "get", url("confirm", lambda w: w.confirm), everyone(200)),
    Case("confirm", "post", url("confirm", lambda w: w.confirm), everyone(200)),
    Case("unsubscribe page", "get", url("unsubscribe", lambda w: w.unsubscribe), everyone(200)),
    Case("unsubscribe", "post", url("unsubscribe", lambda w: w.unsubscribe), everyone(200)),
    Case(
        "reminders off page", "get", url("reminders_off", lambda w: w.reminders_off), everyone(200)
    ),
    Case("reminders off", "post", url("reminders_off", lambda w: w.reminders_off), everyone(200)),
    Case("preferences", "get", url("preferences"), everyone(200)),
    Case(
        "preferences save or link request",
        "post",
        url("preferences"),
        everyone(302),
        data=lambda w: {"email": "reader@example.org", "lists": [w.public.pk]},
        anonymous_to_login=False,
    ),
    Case("preferences sent", "get", url("preferences_sent"), everyone(200)),
    Case(
        "preferences by link",
        "get",
        url("preferences_token", lambda w: w.preferences),
        everyone(200),
    ),
    Case(
        "preferences by link save",
        "post",
        url("preferences_token", lambda w: w.preferences),
        everyone(302),
        data=lambda w: {"lists": [w.public.pk]},
        anonymous_to_login=False,
    ),
    Case("feed", "get", url("feed"), everyone(200)),
    Case("public archive", "get", url("archive", lambda w: w.public.slug), everyone(200)),
    Case(
        "public archive post",
        "get",
        url("archive_post", lambda w: w.public.slug, lambda w: w.public_post.pk),
        everyone(200),
    ),
    Case("members archive", "get", url("archive", lambda w: w.members.slug), MEMBERS),
    Case(
        "members archive post",
        "get",
        url("archive_post", lambda w: w.members.slug, lambda w: w.members_post.pk),
        MEMBERS,
    ),
    Case(
        "draft is not in the archive",
        "get",
        url("archive_post", lambda w: w.public.slug, lambda w: w.draft.pk),
        everyone(404),
    ),
    Case("posts", "get", url("posts"), COORDINATORS),
    Case("compose page", "get", url("compose"), COORDINATORS),
    Case("compose", "post", url("compose"), COORDINATOR_ACTIONS, data=post_data),
    Case("preview", "get", url("preview", lambda w: w.draft.pk), COORDINATORS),
    Case("edit page", "get", url("edit", lambda w: w.draft.pk), COORDINATORS),
    Case("edit", "post", url("edit", lambda w: w.draft.pk), COORDINATOR_ACTIONS, data=post_data),
    Case("send", "post", url("send", lambda w: w.draft.pk), COORDINATOR_ACTIONS),
    Case(
        "send by GET",
        "get",
        url("send", lambda w: w.draft.pk),
        (LOGIN, FORBIDDEN, FORBIDDEN, 405, 405),
    ),
    Case("delivery log", "get", url("deliveries", lambda w: w.public_post.pk), COORDINATORS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_grid(case, role, client_as, world, django_capture_on_commit_callbacks):
    client = client_as(role)
    with django_capture_on_commit_callbacks(execute=True):
        run_case(case, role, client, world)


def test_grid_covers_every_url():
    """A new page without a row in the grid fails here."""
    names = {pattern.name for pattern in urls.urlpatterns}
    world = SimpleNamespace(
        public=SimpleNamespace(pk=1, slug="x"),
        members=SimpleNamespace(pk=2, slug="y"),
        public_post=SimpleNamespace(pk=1),
        members_post=SimpleNamespace(pk=2),
        draft=SimpleNamespace(pk=3),
        confirm="t",
        unsubscribe="t",
        reminders_off="t",
        preferences="t",
    )
    assert names == {resolve(case.url(world)).url_name for case in CASES}

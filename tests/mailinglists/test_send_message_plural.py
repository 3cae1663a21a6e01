"""The message after "Send" counts its recipients in proper English: "1 subscriber"."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.accounts.factories import make_user
from uprhub.mailinglists.models import Post

from .factories import subscribe_many

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "Sending to 1 subscriber has started."),
        (2, "Sending to 2 subscribers has started."),
    ],
)
def test_sending_message_is_pluralised(
    client, smtp_server, public_list, django_capture_on_commit_callbacks, count, expected
):
    subscribe_many(public_list, count)
    client.force_login(make_user("coordinator"))
    client.post(
        reverse("mailinglists:compose"),
        {"mailing_list": public_list.pk, "subject": "News", "body": "Hello"},
    )
    post = Post.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mailinglists:send", args=[post.pk]))
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == expected

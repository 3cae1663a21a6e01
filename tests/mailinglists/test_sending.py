"""Compose → preview → send, over real SMTP: headers, both parts, personal links, the log."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import make_user
from uprhub.core.mail import HeaderInjectionError
from uprhub.mailinglists import delivery, services
from uprhub.mailinglists.models import (
    Delivery,
    DeliveryStatus,
    Post,
    PostStatus,
    Subscription,
    SubscriptionStatus,
)

from .factories import PostFactory, active_subscription, coordinator, subscribe_many

pytestmark = pytest.mark.django_db

BODY = """# Big news

The **54th session** is coming. Read [the calendar](https://example.org/calendar).

<script>alert("x")</script>
[bad link](javascript:alert(1))
"""


def unsubscribe_link(text: str) -> str:
    (link,) = re.findall(r"http://testserver/lists/u/[^\s<>\"]+/", text)
    return link


def test_compose_preview_send(client, smtp_server, public_list, django_capture_on_commit_callbacks):
    addresses = subscribe_many(public_list, 3)
    active_subscription("left@example.org", public_list, status=SubscriptionStatus.UNSUBSCRIBED)
    client.force_login(make_user("coordinator"))

    response = client.post(
        reverse("mailinglists:compose"),
        {"mailing_list": public_list.pk, "subject": "Session 54: what to do", "body": BODY},
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mailinglists:preview", args=[post.pk])
    assert post.status == PostStatus.DRAFT

    preview = client.get(response["Location"]).content.decode()
    html_part = preview.split('id="html-title"')[1].split('id="text-title"')[0]
    assert "<strong>54th session</strong>" in html_part
    assert "<script>" not in html_part and "javascript:" not in html_part
    assert "&lt;script&gt;" in preview  # the plain-text part shows the source, escaped
    assert "Send to 3 subscribers now" in preview
    assert smtp_server.messages == []  # a preview sends nothing

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("mailinglists:send", args=[post.pk]))
    assert sent.status_code == 302
    assert sent["Location"] == reverse("mailinglists:deliveries", args=[post.pk])

    post.refresh_from_db()
    assert post.status == PostStatus.SENT and post.finished_at is not None
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == sorted(addresses)
    assert all(d.status == DeliveryStatus.SENT and d.attempts == 1 for d in post.deliveries.all())

    mail = smtp_server.to(addresses[0])[0]
    headers = mail.message
    assert headers["Subject"] == "Session 54: what to do"
    (sender,) = headers["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Housing news", "upr@localhost")
    assert headers["To"] == addresses[0]
    assert headers["List-Id"].endswith("Housing news <housing-news.testserver>")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Archive"] == "<http://testserver/lists/archive/housing-news/>"
    link = unsubscribe_link(mail.text)
    assert headers["List-Unsubscribe"] == f"<{link}>"
    # Both parts: the Markdown source as text, sanitised HTML, the link in each.
    assert "The **54th session** is coming." in mail.text
    assert "<strong>54th session</strong>" in mail.html
    assert "<script" not in mail.html and "javascript:" not in mail.html
    assert link in mail.html
    assert "/lists/preferences/" in mail.text

    # Personal: another subscriber's link differs.
    other = smtp_server.to(addresses[1])[0]
    assert unsubscribe_link(other.text) != link

    # The link works, with no session and no CSRF token (RFC 8058 one-click POST).
    mail_client = Client(enforce_csrf_checks=True)
    done = mail_client.post(
        link.removeprefix("http://testserver"),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert done.status_code == 200
    assert Subscription.objects.get(subscriber__email=addresses[0]).status == (
        SubscriptionStatus.UNSUBSCRIBED
    )

    # The log page.
    log = client.get(reverse("mailinglists:deliveries", args=[post.pk])).content.decode()
    assert addresses[2] in log and "left@example.org" not in log


def test_sending_twice_is_refused(smtp_server, public_list, django_capture_on_commit_callbacks):
    subscribe_many(public_list, 2)
    post = PostFactory(mailing_list=public_list)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_sending(post, actor=coordinator())
    with pytest.raises(services.PostStateError):
        services.start_sending(post, actor=coordinator())
    assert len(smtp_server.messages) == 2


def test_rerun_sends_nothing_again(smtp_server, public_list, django_capture_on_commit_callbacks):
    subscribe_many(public_list, 5)
    post = PostFactory(mailing_list=public_list)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_sending(post, actor=coordinator())
    assert len(smtp_server.messages) == 5
    report = delivery.deliver_post(post.pk)
    services.enqueue_delivery(post.pk)  # a duplicate task: harmless
    assert report.sent == 0 and report.remaining == 0
    assert len(smtp_server.messages) == 5


def test_members_only_list_reaches_only_current_members(
    smtp_server, members_list, django_capture_on_commit_callbacks
):
    from uprhub.accounts import services as accounts

    User = get_user_model()
    member = User.objects.get(pk=make_user("member", email="m@example.org").pk)
    former = User.objects.get(pk=make_user("member", email="former@example.org").pk)
    for user in (member, former):
        services.request_subscription(email=user.email, lists=[members_list], user=user)
    accounts.set_role(former, "", actor=None)  # no longer a member
    post = PostFactory(mailing_list=members_list)
    with django_capture_on_commit_callbacks(execute=True):
        count = services.start_sending(post, actor=coordinator())
    assert count == 1
    assert [m.rcpt_tos for m in smtp_server.messages] == [["m@example.org"]]


def test_unsubscribed_while_sending_is_not_sent(smtp_server, public_list):
    addresses = subscribe_many(public_list, 3)
    post = PostFactory(mailing_list=public_list)
    services.start_sending(post, actor=coordinator())  # on_commit not run: rows wait
    services.unsubscribe(Subscription.objects.get(subscriber__email=addresses[1]))
    delivery.deliver_post(post.pk)
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == [addresses[0], addresses[2]]
    row = Delivery.objects.get(email=addresses[1])
    assert row.status == DeliveryStatus.FAILED and "Unsubscribed" in row.last_error


@pytest.mark.parametrize(
    ("name", "subject"),
    [
        ("Housing\r\nBcc: victim@example.org", "Fine subject"),
        ("Housing news", "Subject\nBcc: victim@example.org"),
        ("Housing news", "Subject\rBcc: victim@example.org"),
    ],
)
def test_header_injection_is_refused(smtp_server, public_list, name, subject):
    subscribe_many(public_list, 2)
    type(public_list).objects.filter(pk=public_list.pk).update(name=name)  # bypassing validation
    post = PostFactory(mailing_list=public_list)
    Post.objects.filter(pk=post.pk).update(subject=subject)
    post.refresh_from_db()
    with pytest.raises(HeaderInjectionError):
        services.start_sending(post, actor=coordinator())
    assert not Delivery.objects.exists()
    assert smtp_server.messages == []


def test_compose_form_refuses_line_breaks_in_subject(client, public_list):
    client.force_login(make_user("coordinator"))
    response = client.post(
        reverse("mailinglists:compose"),
        {"mailing_list": public_list.pk, "subject": "Hi\r\nBcc: x@example.org", "body": "b"},
    )
    assert response.status_code == 200
    assert not Post.objects.exists()


def test_sent_post_cannot_be_edited(
    client, smtp_server, public_list, django_capture_on_commit_callbacks
):
    post = PostFactory(mailing_list=public_list)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_sending(post, actor=coordinator())
    client.force_login(make_user("coordinator"))
    response = client.post(
        reverse("mailinglists:edit", args=[post.pk]),
        {"mailing_list": public_list.pk, "subject": "Changed", "body": "x"},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.subject != "Changed"
    with pytest.raises(services.PostStateError):
        services.save_draft(
            actor=coordinator(), mailing_list=public_list, subject="x", body="y", post=post
        )


def test_permanent_refusal_is_failed_not_retried(flaky_smtp, public_list):
    flaky_smtp.tempfail = set()
    addresses = subscribe_many(public_list, 2)
    post = PostFactory(mailing_list=public_list)
    services.start_sending(post, actor=coordinator())
    Delivery.objects.filter(email=addresses[0]).update(email="not an address")
    report = delivery.deliver_post(post.pk)
    assert report.sent == 1 and report.failed == 1 and report.remaining == 0
    assert Delivery.objects.get(email="not an address").status == DeliveryStatus.FAILED


def test_markdown_sanitiser():
    from uprhub.mailinglists.rendering import markdown_to_html

    html = markdown_to_html(
        '# Title\n\n<img src=x onerror=alert(1)> <a href="http://x" onclick="y">ok</a>\n\n'
        "[m](mailto:a@example.org) [j](javascript:alert(1))"
    )
    assert "<h2>Title</h2>" in html and "<h1>" not in html
    assert "onerror" not in html and "onclick" not in html and "<img" not in html
    assert 'href="mailto:a@example.org"' in html
    assert "javascript" not in html
    assert 'rel="noopener noreferrer"' in html


def test_an_unexpected_error_counts_as_an_attempt(smtp_server, public_list, monkeypatch):
    from uprhub.mailinglists.rendering import PostMailer

    addresses = subscribe_many(public_list, 3)
    post = PostFactory(mailing_list=public_list)
    services.start_sending(post, actor=coordinator())
    real = PostMailer.message

    def broken(self, email, subscription):
        if email == addresses[1]:
            raise RuntimeError("template bug")
        return real(self, email, subscription)

    monkeypatch.setattr(PostMailer, "message", broken)
    report = delivery.deliver_post(post.pk)
    assert (report.sent, report.deferred, report.remaining) == (2, 1, 1)
    row = Delivery.objects.get(email=addresses[1])
    assert row.attempts == 1 and "template bug" in row.last_error and row.claimed_by == ""

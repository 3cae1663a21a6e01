"""Markdown → safe HTML, and the e-mail a post becomes for one recipient.

The HTML part is rendered with `markdown` and then sanitised with `nh3` (a whitelist of
tags, attributes and URL schemes), because coordinators' text ends up in inboxes and in the
public archive: raw HTML or `javascript:` links in the Markdown must not survive. The plain-
text part is the Markdown source itself, which reads well as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from email.utils import formataddr, parseaddr
from typing import Any
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse

from uprhub.core.mail import Message, absolute_url
from uprhub.core.mail import _check_header as check_header  # the project's one injection check

from . import tokens
from .models import MailingList, Post, Subscription

_ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
_URL_SCHEMES = {"http", "https", "mailto"}
_H1 = re.compile(r"<(/?)h1(\s|>)", re.IGNORECASE)


def markdown_to_html(text: str) -> str:
    """Sanitised HTML for Markdown written by a coordinator."""
    # h1 is the page's (and the archive's) title; the post's own headings start at h2.
    raw = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    raw = _H1.sub(r"<\1h2\2", raw)
    return nh3.clean(
        raw,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def site_domain() -> str:
    return urlsplit(settings.UPRHUB_SITE_URL).hostname or "localhost"


def list_id(mailing_list: MailingList) -> str:
    """RFC 2919 List-Id: "Name" <slug.site-domain>."""
    return formataddr((mailing_list.name, f"{mailing_list.slug}.{site_domain()}"))


def list_from(mailing_list: MailingList) -> str:
    """The list's sender: its own address, else the site's, under the list's name."""
    address = mailing_list.from_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return formataddr((mailing_list.name, address))


class PostMailer:
    """Builds the personalised message of one post for each recipient.

    The templates are loaded and the post's Markdown rendered once; per recipient only the
    footer links change (unsubscribe, preferences), so 5,000 messages cost little CPU.
    """

    def __init__(self, post: Post) -> None:
        self.post = post
        self.mailing_list = post.mailing_list
        self.html_body = post.body_html or markdown_to_html(post.body)
        self.from_email = list_from(self.mailing_list)
        self.headers = {
            "List-Id": list_id(self.mailing_list),
            "List-Archive": f"<{absolute_url(self.mailing_list.get_absolute_url())}>",
            "List-Post": "NO",  # announcement list: replies do not go to the list
            "Precedence": "bulk",
        }
        # Refuse before anything is sent: the name and subject come from people.
        check_header("Subject", post.subject)
        check_header("From", self.from_email)
        for name, value in self.headers.items():
            check_header(name, value)
        self._text = get_template("emails/list_post.txt")
        self._html = get_template("emails/list_post.html")
        self._archive_url = absolute_url(post.get_absolute_url())

    def context(self, email: str, subscription: Subscription | None) -> dict[str, Any]:
        unsubscribe = (
            tokens.unsubscribe_url(subscription, email)
            if subscription is not None
            else absolute_url(reverse("mailinglists:preferences"))
        )
        preferences = (
            tokens.preferences_url(subscription.subscriber)
            if subscription is not None
            else absolute_url(reverse("mailinglists:preferences"))
        )
        return {
            "post": self.post,
            "mailing_list": self.mailing_list,
            "body_text": self.post.body,
            "body_html": self.html_body,
            "unsubscribe_url": unsubscribe,
            "preferences_url": preferences,
            "archive_url": self._archive_url,
            "site_url": settings.UPRHUB_SITE_URL,
        }

    def message(self, email: str, subscription: Subscription | None) -> Message:
        check_header("To", email)
        context = self.context(email, subscription)
        headers = {
            **self.headers,
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        message = Message(
            subject=self.post.subject,
            body=self._text.render(context),
            from_email=self.from_email,
            to=[email],
            headers=headers,
        )
        message.attach_alternative(self._html.render(context), "text/html")
        return message


def build_message(
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None,
    from_email: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Message:
    """A message checked for header injection (reminders and other one-off mail)."""
    from_email = from_email or settings.DEFAULT_FROM_EMAIL
    for name, value in (("To", to), ("Subject", subject), ("From", from_email)):
        check_header(name, value)
    for name, value in (headers or {}).items():
        check_header(name, name)
        check_header(name, value)
    message = Message(
        subject=subject, body=text, from_email=from_email, to=[to], headers=dict(headers or {})
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message

"""Telling the coordinators that an application is waiting for them.

One message per reviewer (nobody sees the others' addresses), sent after the transaction
commits like every other e-mail (`uprhub.core.mail.schedule_mail`). Profiles store no
preferred language, so the message is written in the site's language (LANGUAGE_CODE), never
in whatever language the applicant's browser asked for.

The applicant typed everything in this message. Name and organisation are single-line
fields (validated on the model); of the free text only a short, one-line excerpt is quoted,
and the HTML part escapes it all (Django's autoescape).
"""

from __future__ import annotations

import logging
import unicodedata

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator

from uprhub.core.mail import HeaderInjectionError, absolute_url, schedule_mail

from . import selectors
from .models import TaskforceApplication

log = logging.getLogger(__name__)

#: Characters of the applicant's motivation quoted in the message.
EXCERPT_CHARS = 200


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The beginning of `text` on one line: no control or bidi-override characters."""
    # Cc (line breaks, escapes) and Cf (e.g. U+202E, which reverses what follows) could make
    # the quote look like part of our own message.
    cleaned = "".join(
        " " if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} else char for char in text
    )
    return Truncator(" ".join(cleaned.split())).chars(limit)


def notify_reviewers(application: TaskforceApplication, *, returning: bool = False) -> int:
    """Schedule the "application to review" e-mail to every reviewer; how many were scheduled.

    `returning` says the application was already known and comes back into the queue (new
    answers after a request for information, or after a decision).
    """
    context = {
        "name": application.name,
        "organisation": application.organisation_name,
        "themes": sorted(theme.name for theme in application.themes.all()),
        "excerpt": excerpt(application.motivation),
        "returning": returning,
        "review_url": absolute_url(reverse("coalition:application_detail", args=[application.pk])),
        "queue_url": absolute_url(reverse("coalition:queue")),
    }
    seen: set[str] = set()
    scheduled = 0
    with translation.override(settings.LANGUAGE_CODE):
        for address, name in selectors.reviewers().values_list("email", "profile__full_name"):
            key = address.strip().lower()
            if key in seen:
                continue
            seen.add(key)
            try:
                schedule_mail(address, "application_to_review", context, name=name)
            except HeaderInjectionError:
                # A hand-made account with a broken address must not fail the application.
                log.warning("Reviewer address %r skipped: not a valid header", address)
                continue
            scheduled += 1
    return scheduled

"""Keep secrets in links out of the logs.

Links in e-mails (address verification, password reset and first password, mailing-list
confirmation, unsubscribe, preferences) carry a token in their path, because a link must.
Django logs request paths (``django.request`` for every 4xx/5xx answer, ``django.server``
under runserver); this filter replaces the token part of those paths with "…" before any
handler sees the record. Tokens are also dead once used or after a few days, so one that
reached another log (a reverse proxy's) is worth little.
"""

from __future__ import annotations

import logging
import re

# "/verify/<token>/", "/confirm/<token>/", "/u/<token>/", "/reminders/off/<token>/",
# "/preferences/<token>/", "/password/reset/<uid>/<token>/", "/password/choose/<uid>/<token>/".
# Short segments ("sent", "done", "complete") are page names, not tokens.
_TOKEN_IN_PATH = re.compile(
    r"(?P<prefix>/(?:verify|confirm|u|off|preferences|reset|choose)/)"
    r"(?:(?P<uid>[^/\s?#\"']+/)(?=[^/\s?#\"']{16,}))?"
    r"[^/\s?#\"']{16,}"
)
MASK = "…"


def mask_tokens(text: str) -> str:
    """`text` with every token-bearing path segment (and a password link's uid) masked."""
    return _TOKEN_IN_PATH.sub(lambda m: f"{m.group('prefix')}{MASK}", text)


class MaskTokens(logging.Filter):
    """Logging filter: rewrites the record's message with `mask_tokens`; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's business, not ours
            return True
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True

"""Logging filters referenced from settings.LOGGING: one place for what the logs keep out.

* `ClientErrorsWithoutTraceback`: a refused request (4xx) is logged in one line.
* `MaskTokens`: secrets in the links of e-mails never reach a log.

Why tokens are masked:

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


class ClientErrorsWithoutTraceback(logging.Filter):
    """Drop the traceback from records about 4xx responses; keep the record itself.

    Django logs a PermissionDenied (403) or a SuspiciousOperation (400) with the exception
    attached, so every refused request writes a full traceback: noise that buries real
    errors, and a way for anyone to fill the logs. The one-line message (status, path) is
    kept; 5xx responses keep their traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500 and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True


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

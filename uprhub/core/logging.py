"""Logging helpers referenced from settings.LOGGING."""

from __future__ import annotations

import logging


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

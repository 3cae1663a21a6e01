"""The two ways a Word draft is refused, shared by the reader, the sandbox that runs it, and
the sandbox's child process (which must not import Django, so neither does this module)."""

from __future__ import annotations


class DocxRejected(ValueError):
    """The upload is not a Word document we can read; `message` is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TooManyParagraphs(Exception):
    """Raised inside the extraction when the body has more paragraphs than we check."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit

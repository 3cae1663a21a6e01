"""The child process of `docx_sandbox`: parse a Word draft under resource limits.

Started as ``python -m uprhub.reports.docx_child MEMORY_MB SECONDS MAX_PARAGRAPHS`` with the
bytes on stdin; writes one JSON object on stdout. Imports neither Django's settings nor the
database (see `docx_sandbox` for why it runs apart).
"""

from __future__ import annotations

import json
import sys
from typing import Any


def _apply_limits(memory_mb: int, seconds: int) -> None:
    try:
        import resource
    except ImportError:  # not on this platform (Windows): the wall-clock timeout still holds
        return
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))


def _main(argv: list[str]) -> int:
    memory_mb, seconds, max_paragraphs = (int(value) for value in argv[:3])
    _apply_limits(memory_mb, seconds)
    data = sys.stdin.buffer.read()
    # The parser's libraries load outside the `try`: a child that cannot even load them within
    # its limits dies without answering, which the parent reports as "too large or complex",
    # not as a damaged file.
    import docx  # noqa: F401

    from .docx_errors import TooManyParagraphs
    from .docx_reader import extract_lines

    try:
        answer: dict[str, Any] = {"result": extract_lines(data, max_paragraphs=max_paragraphs)}
    except TooManyParagraphs as exc:
        answer = {"error": "paragraphs", "limit": exc.limit}
    except MemoryError:
        answer = {"error": "memory"}
    except Exception:  # noqa: BLE001 — python-docx and lxml raise many kinds on bad files
        answer = {"error": "damaged"}
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))

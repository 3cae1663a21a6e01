"""Parse an uploaded Word draft in a separate, resource-limited process.

`docx_reader.read_docx` checks the ZIP directory itself (cheap, nothing unpacked) and then
hands the bytes to `extract`, which runs ``python -m uprhub.reports.docx_child`` with:

* an address-space limit (``RLIMIT_AS``) so a file that blows up in lxml dies alone,
  instead of pushing the web server into swap;
* a CPU-time limit (``RLIMIT_CPU``) and a wall-clock timeout, after which the child is killed;
* a cap on body paragraphs.

The child imports neither Django's settings nor the database: it reads the bytes on stdin
and writes plain JSON lines on stdout (no pickle, so a compromised child cannot run code in
the server). Messages for the user are made here, in the parent, in the request's language.
Starting the child costs about 0.3 s, small beside a person uploading a report.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from .docx_errors import DocxRejected

DEFAULT_SECONDS = 20
DEFAULT_MEMORY_MB = 1024
DEFAULT_MAX_PARAGRAPHS = 20_000


def _limit(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def extract(data: bytes) -> dict[str, Any]:
    """`docx_reader.extract_lines(data)` run in the sandbox; raise `DocxRejected` on failure."""
    seconds = _limit("UPRHUB_DOCX_CHECK_SECONDS", DEFAULT_SECONDS)
    memory_mb = _limit("UPRHUB_DOCX_CHECK_MEMORY_MB", DEFAULT_MEMORY_MB)
    max_paragraphs = _limit("UPRHUB_DOCX_MAX_PARAGRAPHS", DEFAULT_MAX_PARAGRAPHS)
    command = [
        sys.executable,
        "-m",
        "uprhub.reports.docx_child",
        str(int(memory_mb)),
        str(math.ceil(seconds)),
        str(int(max_paragraphs)),
    ]
    too_complex = _(
        "This document is too large or complex to check here (we allow %(seconds)s seconds "
        "and %(memory)s MB). Check a shorter version, or save it again from Word."
    ) % {"seconds": f"{seconds:g}", "memory": int(memory_mb)}
    try:
        done = subprocess.run(  # noqa: S603 — our own interpreter and module, fixed arguments
            command,
            input=data,
            capture_output=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:  # run() has killed the child already
        raise DocxRejected(too_complex) from exc
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = None  # killed by a limit, or crashed before answering
    if not isinstance(answer, dict):
        raise DocxRejected(too_complex)
    error = answer.get("error")
    if error is None:
        return answer["result"]
    if error == "paragraphs":
        raise DocxRejected(
            _(
                "The document has more than %(limit)s paragraphs, more than any report we "
                "check: the file was not accepted."
            )
            % {"limit": answer.get("limit", int(max_paragraphs))}
        )
    if error == "memory":
        raise DocxRejected(too_complex)
    raise DocxRejected(
        _("The Word document could not be read: it may be damaged. Save it again and retry.")
    )

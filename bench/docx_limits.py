"""Benchmark: how fast a hostile Word upload is refused, and what a normal check costs.

    .venv/bin/python bench/docx_limits.py

Builds a ~370 KB .docx whose word/document.xml unpacks to 95 MB (valid, very repetitive XML),
then times `read_docx` on it (refused from the ZIP directory, nothing parsed) and on a normal
40-paragraph draft (parsed in the resource-limited sandbox process). Prints one JSON object.
Target: the 95 MB file refused in under 2 s.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprhub.settings")
    import django

    django.setup()
    from tests.reports_export import samples
    from uprhub.reports.docx_reader import DocxRejected, read_docx

    bomb = samples.xml_bomb(95)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        read_docx(bomb)
        message = None
    except DocxRejected as exc:
        message = exc.message
    refused_seconds = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    normal = samples.draft_typed_numbers(40)
    started = time.perf_counter()
    document = read_docx(normal)
    normal_seconds = time.perf_counter() - started

    print(
        json.dumps(
            {
                "bomb_file_bytes": len(bomb),
                "bomb_xml_bytes": 95 * 1024 * 1024,
                "bomb_refused": message is not None,
                "bomb_message": message,
                "bomb_seconds": round(refused_seconds, 4),
                "bomb_peak_rss_growth_kb": rss_after - rss_before,
                "normal_file_bytes": len(normal),
                "normal_paragraphs": len(document.paragraphs()),
                "normal_seconds": round(normal_seconds, 3),
                "target_bomb_seconds": 2.0,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

"""Benchmark: validating and exporting a 6,000-word shadow report.

    .venv/bin/python bench/report.py [--words 6000] [--footnotes 40] [--repeat 20]

Builds a realistic report in memory (four sections, ~63 numbered paragraphs, 40 footnotes
with URLs; the generator in tests/reports_export/samples.py), then times: the validator
(median of --repeat runs, rules passed explicitly so no database is involved), the DOCX
export, reading that DOCX back, and the PDF export (median of 3). Prints one JSON object with
each figure next to its target: validate ≤ 50 ms, DOCX ≤ 1 s, PDF ≤ 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {"validate_ms": 50, "docx_export_ms": 1000, "pdf_export_ms": 5000}


def _median_ms(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    result = func()  # warm-up: imports, regex compilation, font discovery
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        timings.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(timings), 2), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=6000)
    parser.add_argument("--footnotes", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprhub.settings")
    import django

    django.setup()
    from tests.reports_export.samples import long_report
    from uprhub.reports.docx_reader import read_docx
    from uprhub.reports.export.docx import build_docx
    from uprhub.reports.export.pdf import PdfUnavailable, build_pdf
    from uprhub.reports.rules import default_rules
    from uprhub.reports.validator import validate

    doc = long_report(args.words, footnotes=args.footnotes)
    rules = default_rules(doc.cover.cycle)
    validate_ms, report = _median_ms(lambda: validate(doc, rules=rules), args.repeat)
    docx_ms, docx_bytes = _median_ms(lambda: build_docx(doc), 5)
    read_ms, _doc = _median_ms(lambda: read_docx(docx_bytes), 5)
    result: dict[str, Any] = {
        "words": report.word_count_without_footnotes,
        "words_with_footnotes": report.word_count,
        "paragraphs": len(doc.paragraphs()),
        "footnotes": sum(len(p.footnotes) for p in doc.paragraphs()),
        "validate_ms": validate_ms,
        "docx_export_ms": docx_ms,
        "docx_bytes": len(docx_bytes),
        "docx_read_ms": read_ms,
    }
    try:
        pdf_ms, pdf_bytes = _median_ms(lambda: build_pdf(doc), 3)
        result.update(pdf_export_ms=pdf_ms, pdf_bytes=len(pdf_bytes))
    except PdfUnavailable as exc:
        result.update(pdf_export_ms=None, pdf_unavailable=exc.message)
    result["targets_ms"] = TARGETS
    result["within_targets"] = all(
        result.get(key) is not None and result[key] <= target for key, target in TARGETS.items()
    )
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

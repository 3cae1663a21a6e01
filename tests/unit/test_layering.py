"""Views and the API read through selectors: no ORM manager (``Model.objects``) and no
``get_object_or_404(Model, …)`` in the modules listed here. Add a module once its reads have
moved; the list grows, it never shrinks."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "uprhub"

THROUGH_SELECTORS = [
    "api/api.py",
    "calendar/views.py",
    "classifier/views.py",
    "recommendations/views.py",
    "reports/views/live.py",
    "reviews/views.py",
]


def _direct_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"line {node.lineno}: .objects")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "get_object_or_404"
        ):
            found.append(f"line {node.lineno}: get_object_or_404")
    return found


@pytest.mark.parametrize("module", THROUGH_SELECTORS)
def test_module_reads_through_selectors(module):
    assert _direct_reads(ROOT / module) == []

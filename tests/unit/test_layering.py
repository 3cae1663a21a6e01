"""Views and the API read through selectors: no ORM manager (``Model.objects``) and no
``get_object_or_404(Model, …)`` in any views module or API module. The modules are found,
not listed, so a new views module is held to the rule from its first line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "uprhub"

#: Where views and the API live; every match is checked (see `test_every_views_module_found`).
PATTERNS = [
    "*/views.py",
    "*/views/*.py",
    "*/views_*.py",
    "api/*.py",
    "reports/api.py",
]

CHECKED = sorted(
    {path.relative_to(ROOT).as_posix() for pattern in PATTERNS for path in ROOT.glob(pattern)}
)

#: Shortcuts that query the ORM for the view; selectors call them instead.
ORM_SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


def _direct_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager"):
            found.append(f"line {node.lineno}: .{node.attr}")
        if isinstance(node, ast.Call):
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else None
            )
            if name in ORM_SHORTCUTS:
                found.append(f"line {node.lineno}: {name}")
    return sorted(found)


def test_every_views_module_found():
    # Guards the globs: a typo in PATTERNS would otherwise check nothing and pass.
    for expected in (
        "accounts/views.py",
        "accounts/views_privacy.py",
        "api/api.py",
        "mailinglists/views.py",
        "reports/api.py",
        "reports/views/report.py",
    ):
        assert expected in CHECKED


@pytest.mark.parametrize("module", CHECKED)
def test_module_reads_through_selectors(module):
    assert _direct_reads(ROOT / module) == []


def test_the_check_sees_direct_reads(tmp_path):
    source = tmp_path / "views.py"
    source.write_text(
        "from django.shortcuts import get_object_or_404\n"
        "from django import shortcuts\n"
        "a = Post.objects.all()\n"
        "b = get_object_or_404(Post, pk=1)\n"
        "c = shortcuts.get_object_or_404(Post, pk=1)\n",
        encoding="utf-8",
    )
    assert sorted(_direct_reads(source)) == [
        "line 3: .objects",
        "line 4: get_object_or_404",
        "line 5: get_object_or_404",
    ]

"""The floors in pyproject.toml (import-linter's contracts) cover every app of the project.

`lint-imports` (run by ./dev.sh test) checks the imports against the contracts; this test makes
sure a new app cannot slip past them by not being named in any floor.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def _floors() -> list[set[str]]:
    (layers,) = [c for c in _contracts() if c["type"] == "layers"]
    return [{name.strip() for name in floor.split("|")} for floor in layers["layers"]]


def test_every_app_of_the_project_has_a_floor():
    named = set().union(*_floors())
    project_apps = {c.name for c in apps.get_app_configs() if c.name.startswith("uprhub.")}
    assert project_apps, "no project app found"
    assert project_apps - named == set()


def test_apps_on_one_floor_are_declared_independent():
    independent = [set(c["modules"]) for c in _contracts() if c["type"] == "independence"]
    for floor in _floors():
        apps_on_floor = {name for name in floor if (ROOT / name.replace(".", "/")).is_dir()}
        if len(apps_on_floor) > 1:
            assert apps_on_floor in independent, f"{sorted(apps_on_floor)} lacks a contract"


def test_no_circles_inside_apps_is_checked():
    assert any(
        c["type"] == "acyclic_siblings" and c["ancestors"] == ["uprhub.*"] for c in _contracts()
    )

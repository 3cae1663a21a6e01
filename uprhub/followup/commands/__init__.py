"""The subcommands of ``uprhub followup``, one module each.

A module has ``NAME``, ``add_parser(subparsers)`` (adds its parser) and
``run(command, options)``; listing it in `SUBCOMMANDS` is all it takes.
"""

from __future__ import annotations

import importlib
from types import ModuleType

SUBCOMMANDS = ("evidence", "round", "clusters", "link", "report", "claims")


def modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{name}") for name in SUBCOMMANDS]

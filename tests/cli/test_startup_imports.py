"""The command line starts light: nothing heavy is imported before a command needs it.

Each check runs in a new interpreter (the test process itself has imported everything) and
reads `sys.modules` there: Django's set-up plus the whole `uprhub search` path must not import
scikit-learn, SciPy, WeasyPrint or onnxruntime, and `uprhub --help` must not even start Django.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

HEAVY = ("sklearn", "scipy", "weasyprint", "onnxruntime")


def _modules_after(code: str) -> set[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "uprhub.settings"}
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_django_setup_and_the_search_command_path_import_nothing_heavy():
    modules = _modules_after(
        textwrap.dedent(
            """
            import django
            django.setup()
            import uprhub.cli
            from django.core.management import load_command_class
            load_command_class("uprhub.search", "search")
            from uprhub.search import service, facets
            from uprhub.search import serializers
            from uprhub.site import bootstrap
            """
        )
    )
    assert "uprhub.search.management.commands.search" in modules
    assert _heavy(modules) == []
    # The API's framework (and pydantic) is for the web: not an installed app any more.
    assert "ninja" not in modules


def test_help_is_printed_without_starting_django():
    modules = _modules_after(
        "import contextlib, io\n"
        "import uprhub.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    uprhub.cli.main(['--help'])\n"
        "assert 'uprhub search' in out.getvalue()\n"
    )
    assert "django.apps" not in modules
    assert "numpy" not in modules

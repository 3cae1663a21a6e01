"""Every help text of UPR Hub's management commands is in the Spanish and French catalogues.

The help texts are translated when a command module is imported (argparse needs plain
strings), so this looks each English text up in the catalogues instead of running ``--help``
in another language.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Iterator

import pytest
from django.core.management import get_commands
from django.core.management.base import BaseCommand
from django.utils import translation

UPRHUB_COMMANDS = sorted(
    (name, app) for name, app in get_commands().items() if app.startswith("uprhub")
)


def _help_texts(parser: argparse.ArgumentParser) -> Iterator[str]:
    for action in parser._actions:
        if action.help and action.help != argparse.SUPPRESS:
            yield action.help
        if isinstance(action, argparse._SubParsersAction):
            for sub in action._choices_actions:
                if sub.help:
                    yield sub.help
            for subparser in action.choices.values():
                yield from _help_texts(subparser)


def _texts(name: str, app: str) -> list[str]:
    module = importlib.import_module(f"{app}.management.commands.{name}")
    with translation.override("en"):
        # Read the English texts whatever language was active when the module was imported.
        command = importlib.reload(module).Command()
        parser = command.create_parser("manage.py", name)
        django_own = set(_help_texts(BaseCommand().create_parser("manage.py", "x")))
    texts = [str(command.help)] if command.help else []
    return texts + [t for t in _help_texts(parser) if t not in django_own]


def test_the_mailing_list_commands_are_found() -> None:
    names = {name for name, _app in UPRHUB_COMMANDS}
    assert {"deliver_posts", "send_reminders", "classifier", "import_data"} <= names


@pytest.mark.parametrize("language", ["es", "fr"])
@pytest.mark.parametrize(("name", "app"), UPRHUB_COMMANDS)
def test_command_help_is_translated(name: str, app: str, language: str) -> None:
    texts = _texts(name, app)
    assert texts, f"{name} has no help text"
    with translation.override(language):
        untranslated = [t for t in texts if translation.gettext(t) == t]
    assert untranslated == []

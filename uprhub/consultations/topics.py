"""The themes a participant may pick on the testimony form: everyday words, each standing for
one UPR Info issue (the vocabulary the rest of UPR Hub uses). A pick is the person's own
reading of what they said: it reaches moderators as a suggestion, never as a label."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# (key in the form, what the person reads, the UPR Info issue it stands for)
TOPICS: list[tuple[str, Promise, str]] = [
    ("police", _("Police and law enforcement"), "Human rights violations by state agents"),
    ("detention", _("Prisons, jails and detention"), "Detention"),
    ("migrants", _("Immigration and migrants"), "Migrants"),
    ("housing", _("Housing and homelessness"), "Right to housing"),
    ("water", _("Water"), "Right to water"),
    ("environment", _("Environment and pollution"), "Environment"),
    ("health", _("Health care"), "Right to health"),
    ("education", _("Schools and education"), "Right to education"),
    ("work", _("Work and wages"), "Labour"),
    ("poverty", _("Poverty and hunger"), "Poverty"),
    ("racism", _("Racism and discrimination"), "Racial discrimination"),
    ("women", _("Women's rights and gender violence"), "Women's rights"),
    ("children", _("Children and young people"), "Rights of the Child"),
    ("indigenous", _("Indigenous peoples"), "Indigenous peoples"),
    ("voting", _("Voting and elections"), "Elections"),
    ("disability", _("Disability"), "Disabilities"),
    ("lgbtq", _("LGBTQ+ people"), "Sexual Orientation and Gender Identity"),
    (
        "protest",
        _("Protest, speech and organising"),
        "Freedom of association and peaceful assembly",
    ),
    ("death_penalty", _("Death penalty"), "Death penalty"),
]
ISSUE_OF = {key: issue for key, _label, issue in TOPICS}


def choices() -> list[tuple[str, Promise]]:
    return [(key, label) for key, label, _issue in TOPICS]


def issues_for(keys: list[str]) -> list[str]:
    """The UPR Info issue names of the picked keys (unknown keys are ignored)."""
    return [ISSUE_OF[key] for key in keys if key in ISSUE_OF]


def keys_for(issues: list[str]) -> list[str]:
    """The form's keys for stored issue names (to show a person what they picked)."""
    wanted = set(issues)
    return [key for key, _label, issue in TOPICS if issue in wanted]

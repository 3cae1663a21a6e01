"""A small labelled corpus and a tiny model trained on it (well under a second)."""

from __future__ import annotations

import csv
from pathlib import Path

from uprhub.classifier.model import Model
from uprhub.classifier.training import Example, TrainingParams, train
from uprhub.recommendations.importers.text import text_key

DP = "Death penalty"
TRAFFICKING = "Trafficking"
WOMEN = "Women's rights"
CHILD = "Rights of the Child"
EDUCATION = "Right to education"
TORTURE = "Torture and other CID treatment"
INSTRUMENTS = "International instruments"
ASSISTANCE = "Technical assistance and cooperation"

# text, issues, action category — each pattern in several wordings and sessions, so a model
# trained on them has something to generalise from.
ROWS: list[tuple[str, tuple[str, ...], int]] = [
    ("Abolish the death penalty", (DP,), 5),
    ("Abolish the death penalty for all crimes", (DP,), 5),
    ("Abolish capital punishment and the death penalty in law", (DP,), 5),
    ("Establish a moratorium on executions with a view to abolishing the death penalty", (DP,), 5),
    ("Commute all death sentences and abolish the death penalty", (DP,), 5),
    ("Consider abolishing the death penalty", (DP,), 3),
    ("Consider establishing a moratorium on the death penalty", (DP,), 3),
    ("Continue its efforts to combat trafficking in persons", (TRAFFICKING,), 2),
    ("Continue its efforts to fight human trafficking", (TRAFFICKING,), 2),
    ("Continue its efforts to promote women's rights", (WOMEN,), 2),
    ("Continue its efforts to improve the rights of women", (WOMEN,), 2),
    ("Continue its efforts to improve access to education", (EDUCATION,), 2),
    ("Continue its efforts to protect the rights of the child", (CHILD,), 2),
    ("Continue to strengthen education for all children", (EDUCATION, CHILD), 2),
    ("Take measures to protect children from violence", (CHILD,), 4),
    ("Take further measures to protect the rights of the child", (CHILD,), 4),
    ("Ensure access to education for girls", (EDUCATION, WOMEN), 4),
    ("Ensure that women enjoy equal rights", (WOMEN,), 4),
    ("Take effective measures to prevent trafficking in women and children", (TRAFFICKING,), 4),
    ("Take measures to prevent torture in places of detention", (TORTURE,), 4),
    ("Ratify the Convention against Torture", (INSTRUMENTS, TORTURE), 5),
    ("Ratify the Optional Protocol to the Convention against Torture", (INSTRUMENTS, TORTURE), 5),
    ("Ratify the Convention on the Rights of the Child", (INSTRUMENTS, CHILD), 5),
    ("Consider ratifying the Convention against Torture", (INSTRUMENTS, TORTURE), 3),
    (
        "Consider ratifying the Optional Protocol on the rights of the child",
        (INSTRUMENTS, CHILD),
        3,
    ),
    ("Seek technical assistance from OHCHR to train its police", (ASSISTANCE,), 1),
    (
        "Seek technical assistance and cooperation from the international community",
        (ASSISTANCE,),
        1,
    ),
    ("Share its experience and good practices with other States", (ASSISTANCE,), 1),
]

HEADER = ["To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response",
          "Action", "Issue", "Session"]  # fmt: skip


def examples(sessions: int = 6) -> list[Example]:
    """Every row once per session 1..``sessions`` (different wording order per session)."""
    found = []
    for session in range(1, sessions + 1):
        for text, issues, action in ROWS:
            found.append(Example(text, text_key(text), session, issues, action))
    return found


def tiny_model() -> Model:
    model, _report = train(examples(), TrainingParams(n_jobs=1, validation_sessions=2))
    return model


def write_uprinfo_csv(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """A CSV in UPR Info's format; rows are (State, text, action, issues) at session 9."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for state, text, action, issues in rows:
            writer.writerow(
                [state, "WEOG", "", text, "France", "WEOG", "EU", "Accepted", action, issues, "9"]
            )
    return path

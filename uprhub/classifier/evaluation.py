"""Quality figures: how a model does on labelled examples it is asked to predict.

:func:`evaluate` never trains: it scores the given model. It also says how many of the texts
the model saw in training (``seen_in_training``) and repeats the figures for the unseen ones
only, so evaluating the shipped model on its own training file cannot pass for a test.
:func:`uprhub.classifier.training.holdout` is the honest protocol: train on sessions up to N,
evaluate on the later ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

if TYPE_CHECKING:
    from .model import Model

WEAK_LABELS = 8  # how many of the weakest issues to list


@dataclass(frozen=True)
class Example:
    """One recommendation as a training or test example."""

    text: str
    key: str  # text_key() of the text
    session: int | None
    issues: tuple[str, ...]  # empty when the source has none
    action: int | None
    line: int = 0


def _issue_figures(model: Model, examples: Sequence[Example]) -> dict[str, Any]:
    known = {label: j for j, label in enumerate(model.issue_labels)}
    with_issues = [e for e in examples if e.issues]
    if not with_issues:
        return {"issues_n": 0, "issues_micro_f1": None, "issues_macro_f1": None}
    x = model.featurizer.issue_matrix([e.text for e in with_issues])
    chosen = model.decide_issues(model.issue_margins(x))
    # Labels the model does not know count as missed (a column of the truth, never predicted).
    unknown = sorted({i for e in with_issues for i in e.issues} - set(known))
    columns = [*model.issue_labels, *unknown]
    index = {label: j for j, label in enumerate(columns)}
    truth = np.zeros((len(with_issues), len(columns)), dtype=np.int8)
    for i, e in enumerate(with_issues):
        for issue in e.issues:
            truth[i, index[issue]] = 1
    predicted = np.zeros_like(truth)
    predicted[:, : len(model.issue_labels)] = chosen
    present = np.flatnonzero(truth.sum(axis=0))  # macro over the labels this data has
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=present, zero_division=0
    )
    per_label = sorted(
        (
            {
                "label": columns[j],
                "f1": round(float(f1[k]), 4),
                "precision": round(float(precision[k]), 4),
                "recall": round(float(recall[k]), 4),
                "support": int(support[k]),
            }
            for k, j in enumerate(present)
        ),
        key=lambda row: (row["f1"], -row["support"]),
    )
    return {
        "issues_n": len(with_issues),
        "issues_micro_f1": round(
            float(f1_score(truth, predicted, average="micro", zero_division=0)), 4
        ),
        "issues_macro_f1": round(float(np.mean(f1)) if len(f1) else 0.0, 4),
        "issues_weakest": per_label[:WEAK_LABELS],
        "issues_unknown_labels": unknown,
    }


def _action_figures(model: Model, examples: Sequence[Example]) -> dict[str, Any]:
    with_action = [e for e in examples if e.action is not None]
    if not with_action:
        return {"action_n": 0, "action_accuracy": None, "action_macro_f1": None}
    x = model.featurizer.action_matrix([e.text for e in with_action])
    margins = model.action_margins(x)
    predicted = np.array(model.action_classes)[margins.argmax(axis=1)]
    truth = np.array([e.action for e in with_action])
    labels = sorted(set(truth.tolist()))
    f1 = f1_score(truth, predicted, labels=labels, average=None, zero_division=0)
    return {
        "action_n": len(with_action),
        "action_accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "action_macro_f1": round(float(np.mean(f1)), 4),
        "action_f1_by_category": {
            str(c): round(float(v), 4) for c, v in zip(labels, f1, strict=True)
        },
    }


def _figures(model: Model, examples: Sequence[Example]) -> dict[str, Any]:
    return {
        "n": len(examples),
        **_issue_figures(model, examples),
        **_action_figures(model, examples),
    }


def evaluate(model: Model, examples: Sequence[Example]) -> dict[str, Any]:
    """Figures for ``examples``, then the same for those whose text the model never saw."""
    seen = model.seen_in_training([e.key for e in examples])
    result = {**_figures(model, examples), "model_version": model.version}
    result["seen_in_training"] = int(seen.sum())
    unseen = [e for e, s in zip(examples, seen, strict=True) if not s]
    if seen.any():
        figures = _figures(model, unseen)
        result["unseen"] = {k: v for k, v in figures.items() if k != "issues_weakest"}
    return result

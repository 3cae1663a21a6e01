"""Training: UPR Info rows → examples → a calibrated :class:`~uprhub.classifier.model.Model`.

The recipe (all of it deterministic: fixed seeds, ordered parallel results):

1. Read a UPR Info CSV and merge its rows the way the importer does: one example per
   (State under review, session, normalised text), labelled by its first row.
2. Hold out the last ``validation_sessions`` sessions (a session split, never a random one:
   the same texts recur across States within a session). Fit on the rest and, on the held-out
   sessions, choose the issue thresholds (one global, then per label shrunk halfway towards
   it), fit a Platt scaling of the issue margins and a softmax temperature for the action
   margins.
3. Fit again on every example with the same settings, keep the calibration from step 2.

Learners: one ``LinearSVC`` per issue (one-vs-rest, in parallel over labels) on word + char
n-grams scaled by the label's naive-Bayes log-count ratio (NB-SVM, Wang & Manning 2012: a little
better than the plain SVM on session splits at the same cost, and a sparser model; the ratio is
folded into the stored weights, so prediction stays one sparse product), and one multi-class
``LinearSVC`` for the action category on word + head + clause features (see ``features.py``).
Weights closer to zero than ``prune`` are dropped: the artifact shrinks ~5x and the scores do not
move.
"""

from __future__ import annotations

import hashlib
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from django.utils import timezone
from django.utils.translation import gettext as _
from joblib import Parallel, delayed
from sklearn.svm import LinearSVC

from uprhub.recommendations.importers.base import ImportFailed, read_bytes
from uprhub.recommendations.importers.csvfile import read_csv
from uprhub.recommendations.importers.text import parse_session, text_key

from .evaluation import Example, evaluate  # Example: re-exported for the readers here
from .features import Featurizer
from .model import MODEL_NAME, MODEL_VERSION, Model, key_hash

BUNDLED_DATA = (
    Path(__file__).resolve().parent.parent
    / "recommendations/data/bundled/uprinfo/recommendations-sessions-01-17.csv"
)
ACTION_CATEGORIES = (1, 2, 3, 4, 5)

Say = Callable[[str], None]


def _quiet(message: str) -> None:
    """The default progress reporter: say nothing."""


def read_examples(path: str | Path) -> list[Example]:
    """Examples from a CSV in UPR Info's format (``Text`` required; ``Issue``, ``Action``,
    ``Session``, ``To`` used when present). Rows of the same review with the same normalised
    text are merged, as the importer merges them. Bad input raises ``ImportFailed``."""
    table = read_csv(path, read_bytes(path), required=("Text",), optional=_OPTIONAL)
    column = table.columns
    seen: dict[tuple[str, str, str], Example] = {}
    for line, cells in table.rows():

        def cell(name: str, cells: list[str] = cells) -> str:
            index = column.get(name)
            return cells[index].strip() if index is not None else ""

        text = cell("Text")
        if not text:
            continue
        key = text_key(text)
        merge_key = (cell("To"), cell("Session"), key)
        if merge_key in seen:
            continue
        action_text = cell("Action")
        if action_text and action_text not in {"1", "2", "3", "4", "5"}:
            raise ImportFailed(
                table.path,
                line,
                _("Action %(value)r is not an action category (1 to 5, or empty)")
                % {"value": action_text},
            )
        issues = tuple(dict.fromkeys(i.strip() for i in cell("Issue").split(",") if i.strip()))
        seen[merge_key] = Example(
            text=text,
            key=key,
            session=parse_session(cell("Session")) if cell("Session") else None,
            issues=issues,
            action=int(action_text) if action_text else None,
            line=line,
        )
    return list(seen.values())


_OPTIONAL = ("Issue", "Action", "Session", "To")


def split_by_session(
    examples: Sequence[Example], last_train_session: int
) -> tuple[list[Example], list[Example]]:
    """(sessions ≤ ``last_train_session``, later sessions). Examples without a session train."""
    train = [e for e in examples if e.session is None or e.session <= last_train_session]
    test = [e for e in examples if e.session is not None and e.session > last_train_session]
    return train, test


@dataclass
class TrainingParams:
    """Everything that decides the model; stored in its metadata."""

    issue_c: float = 0.1
    nb_alpha: float = 1.0  # smoothing of the naive-Bayes log-count ratio (0: plain SVM)
    action_c: float = 0.3
    seed: int = 0
    n_jobs: int = 2
    validation_sessions: int = 3
    threshold_grid: tuple[float, float, float] = (-0.8, 0.3, 0.05)  # start, stop, step
    threshold_shrink: float = 0.5  # per-label thresholds move this far from the global one
    min_validation_positives: int = 10  # fewer: the label keeps the global threshold
    prune: float = 0.02
    tol: float = 1e-3


@dataclass
class TrainingReport:
    """What training did, for the command line and the artifact's metadata."""

    examples: int = 0
    issue_examples: int = 0
    action_examples: int = 0
    validation_sessions: list[int] = field(default_factory=list)
    validation: dict = field(default_factory=dict)
    seconds: float = 0.0


# --- fitting -----------------------------------------------------------------------------------


def nb_ratio(present: sp.csr_matrix, y: np.ndarray, alpha: float) -> np.ndarray:
    """Per feature, log(P(feature | label) / P(feature | not label)) from presence counts,
    smoothed by ``alpha``; all ones when ``alpha`` is 0 (the plain SVM)."""
    if alpha <= 0:
        return np.ones(present.shape[1], dtype=np.float32)
    positive = np.asarray(present[y == 1].sum(axis=0)).ravel() + alpha
    negative = np.asarray(present[y == 0].sum(axis=0)).ravel() + alpha
    return np.log((positive / positive.sum()) / (negative / negative.sum())).astype(np.float32)


def _fit_binary(
    x: sp.csr_matrix, present: sp.csr_matrix, y: np.ndarray, params: TrainingParams
) -> tuple[np.ndarray, float]:
    if y.min() == y.max():  # a label absent (or everywhere) in this slice: a constant scorer
        return np.zeros(x.shape[1], dtype=np.float32), 1.0 if y.max() else -1.0
    ratio = nb_ratio(present, y, params.nb_alpha)
    svm = LinearSVC(C=params.issue_c, tol=params.tol, random_state=params.seed, max_iter=5000)
    svm.fit(x.multiply(ratio).tocsr(), y)
    # w·(r∘x) = (w∘r)·x: the stored weights read the unscaled features.
    return (svm.coef_[0] * ratio).astype(np.float32), float(svm.intercept_[0])


def _fit_action(
    x: sp.csr_matrix, actions: np.ndarray, params: TrainingParams
) -> tuple[np.ndarray, np.ndarray]:
    svm = LinearSVC(C=params.action_c, tol=params.tol, random_state=params.seed, max_iter=5000)
    svm.fit(x, actions)
    return svm.coef_.astype(np.float32), svm.intercept_.astype(np.float64)


def _label_matrix(examples: Sequence[Example], labels: list[str]) -> np.ndarray:
    index = {label: j for j, label in enumerate(labels)}
    y = np.zeros((len(examples), len(labels)), dtype=np.int8)
    for i, example in enumerate(examples):
        for issue in example.issues:
            y[i, index[issue]] = 1
    return y


def _prune(weights: np.ndarray, threshold: float) -> np.ndarray:
    weights = weights.copy()
    weights[np.abs(weights) < threshold] = 0.0
    return weights


@dataclass
class _Fitted:
    featurizer: Featurizer
    issue_coef: np.ndarray
    issue_intercept: np.ndarray
    action_coef: np.ndarray
    action_intercept: np.ndarray
    action_classes: list[int]


def _fit(
    examples: Sequence[Example], labels: list[str], params: TrainingParams, say: Say
) -> _Fitted:
    issue_rows = [i for i, e in enumerate(examples) if e.issues]
    action_rows = [i for i, e in enumerate(examples) if e.action is not None]
    issue_examples = [examples[i] for i in issue_rows]
    action_examples = [examples[i] for i in action_rows]
    featurizer, issue_all, action_all = Featurizer.fit_transform([e.text for e in examples])
    issue_x, action_x = issue_all[issue_rows], action_all[action_rows]
    say(_("features: %(sizes)s") % {"sizes": featurizer.sizes})
    y = _label_matrix(issue_examples, labels)
    present = issue_x.copy()
    present.data[:] = 1.0
    actions = np.array([e.action for e in action_examples])
    classes = sorted(set(actions.tolist()))
    if len(classes) < 2:
        raise ValueError(_("the action classifier needs examples of at least two categories"))
    # The action fit goes first, in the same pool: it runs beside the issue fits instead of
    # after them on one core.
    action_fit, *fitted = Parallel(n_jobs=params.n_jobs, prefer="threads")(
        [delayed(_fit_action)(action_x, actions, params)]
        + [delayed(_fit_binary)(issue_x, present, y[:, j], params) for j in range(len(labels))]
    )
    issue_coef = np.vstack([w for w, _b in fitted]) if fitted else np.zeros((0, issue_x.shape[1]))
    issue_intercept = np.array([b for _w, b in fitted], dtype=np.float64)
    coef, intercept = action_fit
    if len(classes) == 2:  # scikit-learn keeps one row for two classes: make it symmetric
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return _Fitted(featurizer, issue_coef, issue_intercept, coef, intercept, classes)


# --- calibration on the held-out sessions ------------------------------------------------------


def _micro_f1(y: np.ndarray, chosen: np.ndarray) -> float:
    tp = float((chosen & (y == 1)).sum())
    fp = float((chosen & (y == 0)).sum())
    fn = float((~chosen & (y == 1)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def _with_best(margins: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    chosen = chosen.copy()
    if margins.shape[0] and margins.shape[1]:
        chosen[np.arange(margins.shape[0]), margins.argmax(axis=1)] = True
    return chosen


def tune_thresholds(margins: np.ndarray, y: np.ndarray, params: TrainingParams) -> np.ndarray:
    """Per-label thresholds: the best global one for micro-F1, then each label's own best
    (for its F1) shrunk towards it; labels with few held-out positives keep the global one."""
    start, stop, step = params.threshold_grid
    grid = np.arange(start, stop + step / 2, step)
    scores = [_micro_f1(y, _with_best(margins, margins > t)) for t in grid]
    best_global = float(grid[int(np.argmax(scores))])
    thresholds = np.full(margins.shape[1], best_global)
    for j in range(margins.shape[1]):
        positives = int(y[:, j].sum())
        if positives < params.min_validation_positives:
            continue
        f1 = []
        for t in grid:
            chosen = margins[:, j] > t
            tp = float((chosen & (y[:, j] == 1)).sum())
            f1.append(2 * tp / (chosen.sum() + positives))
        own = float(grid[int(np.argmax(f1))])
        thresholds[j] = best_global + params.threshold_shrink * (own - best_global)
    return thresholds


def fit_platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(a, b) of sigmoid(a*z + b) by Newton's method on the log-loss (1 feature, no sklearn)."""
    a, b = 1.0, 0.0
    z, y = z.astype(np.float64).ravel(), y.astype(np.float64).ravel()
    if not len(z) or y.min() == y.max():
        return a, b
    for _step in range(50):
        p = 1.0 / (1.0 + np.exp(-(a * z + b)))
        w = np.maximum(p * (1 - p), 1e-12)
        grad = np.array([np.dot(p - y, z), np.sum(p - y)])
        hess = np.array([[np.dot(w * z, z), np.sum(w * z)], [np.sum(w * z), np.sum(w)]])
        hess += np.eye(2) * 1e-9
        delta = np.linalg.solve(hess, grad)
        a, b = a - delta[0], b - delta[1]
        if np.abs(delta).max() < 1e-8:
            break
    return float(a), float(b)


def fit_temperature(margins: np.ndarray, y_index: np.ndarray) -> float:
    """The softmax temperature that minimises the held-out negative log-likelihood."""
    if not len(margins):
        return 1.0
    best, best_nll = 1.0, np.inf
    for temperature in np.geomspace(0.02, 5.0, 80):
        scaled = margins / temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        log_p = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
        nll = -float(log_p[np.arange(len(y_index)), y_index].mean())
        if nll < best_nll:
            best, best_nll = float(temperature), nll
    return best


def _validation_sessions(examples: Sequence[Example], count: int) -> list[int]:
    sessions = sorted({e.session for e in examples if e.session is not None})
    if len(sessions) <= count:  # too few sessions to hold some out (tiny data): none
        return []
    return sessions[-count:]


def _data_digest(examples: Sequence[Example]) -> str:
    digest = hashlib.sha256()
    for e in examples:
        digest.update(f"{e.key}|{e.session}|{','.join(e.issues)}|{e.action}\n".encode())
    return digest.hexdigest()


def _build_model(
    fitted: _Fitted,
    labels: list[str],
    params: TrainingParams,
    thresholds: np.ndarray,
    platt: tuple[float, float],
    temperature: float,
) -> Model:
    return Model(
        featurizer=fitted.featurizer,
        issue_labels=list(labels),
        issue_coef=sp.csr_matrix(_prune(fitted.issue_coef, params.prune)),
        issue_intercept=fitted.issue_intercept,
        issue_threshold=thresholds,
        issue_platt=platt,
        action_classes=fitted.action_classes,
        action_coef=_prune(fitted.action_coef, params.prune / 4),
        action_intercept=fitted.action_intercept,
        action_temperature=temperature,
    )


def train(
    examples: Sequence[Example],
    params: TrainingParams | None = None,
    *,
    say: Say = _quiet,
    source_name: str = "",
) -> tuple[Model, TrainingReport]:
    """Train both classifiers on ``examples`` (see the module docstring for the recipe)."""
    params = params or TrainingParams()
    started = time.perf_counter()
    examples = [e for e in examples if e.issues or e.action is not None]
    if not examples:
        raise ValueError(_("no example has issues or an action category to learn from"))
    labels = sorted({issue for e in examples for issue in e.issues})
    report = TrainingReport(
        examples=len(examples),
        issue_examples=sum(1 for e in examples if e.issues),
        action_examples=sum(1 for e in examples if e.action is not None),
    )
    held_out = _validation_sessions(examples, params.validation_sessions)
    report.validation_sessions = held_out
    thresholds = np.zeros(len(labels))
    platt, temperature = (1.0, 0.0), 1.0
    if held_out:
        first_held_out = held_out[0]
        fit_part, check = split_by_session(examples, first_held_out - 1)
        say(
            _("calibrating: fitting on %(n)s examples, holding out sessions %(sessions)s")
            % {"n": len(fit_part), "sessions": ", ".join(map(str, held_out))}
        )
        fitted = _fit(fit_part, labels, params, say)
        provisional = _build_model(fitted, labels, params, thresholds, platt, temperature)
        check_issue_x, check_action_x = provisional.featurizer.transform([e.text for e in check])
        assert check_issue_x is not None and check_action_x is not None
        issue_rows = [i for i, e in enumerate(check) if e.issues]
        issue_check = [check[i] for i in issue_rows]
        margins = provisional.issue_margins(check_issue_x[issue_rows])
        y = _label_matrix(issue_check, labels)
        thresholds = tune_thresholds(margins, y, params)
        platt = fit_platt(margins - thresholds, y)
        classes = provisional.action_classes
        known = [i for i, e in enumerate(check) if e.action in classes]
        action_margins = provisional.action_margins(check_action_x[known])
        y_index = np.array([classes.index(check[i].action) for i in known], dtype=int)
        temperature = fit_temperature(action_margins, y_index)
        calibrated = _build_model(fitted, labels, params, thresholds, platt, temperature)
        report.validation = evaluate(calibrated, check)
        report.validation["note"] = str(
            _("thresholds and calibration were tuned on these sessions: optimistic figures")
        )
    say(_("fitting on all %(n)s examples") % {"n": len(examples)})
    fitted = _fit(examples, labels, params, say)
    model = _build_model(fitted, labels, params, thresholds, platt, temperature)
    model.training_keys = np.unique(np.array([key_hash(e.key) for e in examples], np.uint64))
    report.seconds = round(time.perf_counter() - started, 1)
    sessions = sorted({e.session for e in examples if e.session is not None})
    model.meta = {
        "version": f"{MODEL_NAME}-{MODEL_VERSION}",
        "model_version": MODEL_VERSION,
        "trained_at": timezone.now().isoformat(timespec="seconds"),
        "source": source_name,
        "data_sha256": _data_digest(examples),
        "sessions": [sessions[0], sessions[-1]] if sessions else [],
        "params": asdict(params),
        "report": asdict(report),
        "python": platform.python_version(),
    }
    return model, report


def holdout(
    examples: Sequence[Example],
    last_train_session: int,
    params: TrainingParams | None = None,
) -> dict[str, Any]:
    """Train on sessions ≤ ``last_train_session`` (calibrating inside them), test on the rest.

    Also reports the test texts that never occur in the training sessions ("unseen texts").
    """
    train_part, test_part = split_by_session(examples, last_train_session)
    started = time.perf_counter()
    model, report = train(train_part, params)
    seconds = time.perf_counter() - started
    test_sessions = sorted({e.session for e in test_part if e.session is not None})
    result = evaluate(model, test_part)
    result.update(
        {
            "split": f"sessions 1-{last_train_session} -> "
            + (f"{test_sessions[0]}-{test_sessions[-1]}" if test_sessions else "none"),
            "train_examples": len(train_part),
            "train_seconds": round(seconds, 1),
            "calibration_sessions": report.validation_sessions,
        }
    )
    return result

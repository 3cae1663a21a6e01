"""The trained model: prediction, explanation, storage, and the lazily loaded shared instance.

A :class:`Model` is plain arrays: the :class:`~uprhub.classifier.features.Featurizer`'s
vocabularies and idf weights, one linear scorer per UPR Info issue (one-vs-rest), one linear
scorer per action category, and the calibration learnt on a held-out slice of sessions. It is
saved with ``numpy.savez_compressed`` and loaded with ``allow_pickle=False``: the artifact holds
no code, so loading it cannot run any, and it does not depend on the scikit-learn version.

The shipped artifact lives in ``artifacts/``; :func:`get_model` loads it on first use (once per
process, thread-safe) and :func:`predict_issues` / :func:`predict_action` use it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from uprhub.core.text import STOP_WORDS

from .features import ACTION_CHANNELS, Featurizer, readable

#: Bump when the features, the learner or the training data change; it is stored with every
#: suggestion, so people can tell which model made it.
MODEL_VERSION = "1.1"
MODEL_NAME = "uprinfo-linear"
ARTIFACT_DIR = Path(__file__).resolve().parent / "artifacts"
ARTIFACT_NAME = f"{MODEL_NAME}-v{MODEL_VERSION}.npz"
FORMAT = 1  # of the .npz layout


def artifact_path() -> Path:
    """Where the shipped model is (whether or not it exists)."""
    return ARTIFACT_DIR / ARTIFACT_NAME


class ModelUnavailable(RuntimeError):
    """No trained model: the artifact is missing or unreadable."""


@dataclass(frozen=True)
class IssueScore:
    label: str
    score: float  # calibrated probability, 0–1


@dataclass(frozen=True)
class ActionScore:
    category: int
    probability: float
    probabilities: dict[int, float]
    words: tuple[str, ...] = ()  # the words that pushed the estimate towards `category`


def _csr_arrays(prefix: str, matrix: sp.csr_matrix) -> dict[str, np.ndarray]:
    return {
        f"{prefix}_data": matrix.data.astype(np.float32),
        f"{prefix}_indices": matrix.indices.astype(np.int32),
        f"{prefix}_indptr": matrix.indptr.astype(np.int64),
        f"{prefix}_shape": np.array(matrix.shape, dtype=np.int64),
    }


def _csr_from(prefix: str, arrays: Any) -> sp.csr_matrix:
    shape = tuple(int(v) for v in arrays[f"{prefix}_shape"])
    return sp.csr_matrix(
        (arrays[f"{prefix}_data"], arrays[f"{prefix}_indices"], arrays[f"{prefix}_indptr"]),
        shape=shape,
    )


def key_hash(text_key: str) -> int:
    """64 bits of a ``text_key`` (hex SHA-1): how the model remembers its training texts."""
    return int(text_key[:16], 16)


@dataclass
class Model:
    """Both classifiers and their calibration (see the module docstring)."""

    featurizer: Featurizer
    issue_labels: list[str]
    issue_coef: sp.csr_matrix  # labels × issue features
    issue_intercept: np.ndarray
    issue_threshold: np.ndarray  # per label, on the raw margin
    issue_platt: tuple[float, float]  # probability = sigmoid(a * (margin - threshold) + b)
    action_classes: list[int]
    action_coef: np.ndarray  # classes × action features (dense: 5 rows)
    action_intercept: np.ndarray
    action_temperature: float
    training_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.meta.get("version", f"{MODEL_NAME}-{MODEL_VERSION}"))

    # --- prediction ----------------------------------------------------------------------------

    def issue_margins(self, x: sp.csr_matrix) -> np.ndarray:
        margins = (x @ self.issue_coef.T).toarray() if x.shape[0] else np.zeros((0, 0))
        return margins + self.issue_intercept

    def issue_probabilities(self, margins: np.ndarray) -> np.ndarray:
        a, b = self.issue_platt
        return 1.0 / (1.0 + np.exp(-(a * (margins - self.issue_threshold) + b)))

    def decide_issues(self, margins: np.ndarray) -> np.ndarray:
        """Boolean matrix of the issues predicted: above the label's threshold, and at least the
        best one (every UPR Info recommendation has an issue)."""
        chosen = margins > self.issue_threshold
        if margins.shape[0] and margins.shape[1]:
            chosen[np.arange(margins.shape[0]), margins.argmax(axis=1)] = True
        return chosen

    def predict_issues(self, texts: Sequence[str]) -> list[list[IssueScore]]:
        """The issues of each text, best first, with calibrated scores."""
        x = self.featurizer.issue_matrix(texts)
        margins = self.issue_margins(x)
        return self._issue_lists(margins)

    def _issue_lists(self, margins: np.ndarray) -> list[list[IssueScore]]:
        chosen = self.decide_issues(margins)
        scores = self.issue_probabilities(margins)
        result: list[list[IssueScore]] = []
        for row in range(margins.shape[0]):
            columns = np.flatnonzero(chosen[row])
            columns = columns[np.argsort(-scores[row, columns], kind="stable")]
            result.append(
                [IssueScore(self.issue_labels[j], round(float(scores[row, j]), 4)) for j in columns]
            )
        return result

    def action_margins(self, x: sp.csr_matrix) -> np.ndarray:
        return np.asarray(x @ self.action_coef.T) + self.action_intercept

    def action_probabilities(self, margins: np.ndarray) -> np.ndarray:
        scaled = margins / self.action_temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        exp = np.exp(scaled)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict_action(self, texts: Sequence[str], *, explain: int = 0) -> list[ActionScore]:
        """The action category of each text with its probability; with ``explain`` > 0, up to
        that many words that drove each estimate."""
        x = self.featurizer.action_matrix(texts)
        return self._action_scores(x, explain)

    def _action_scores(self, x: sp.csr_matrix, explain: int) -> list[ActionScore]:
        margins = self.action_margins(x)
        probabilities = self.action_probabilities(margins)
        best = probabilities.argmax(axis=1) if len(probabilities) else np.zeros(0, dtype=int)
        names = self._action_feature_names() if explain else []
        result: list[ActionScore] = []
        for row, column in enumerate(best.tolist()):
            words: tuple[str, ...] = ()
            if explain:
                words = self._explain(x, row, column, names, explain)
            result.append(
                ActionScore(
                    category=self.action_classes[column],
                    probability=round(float(probabilities[row, column]), 4),
                    probabilities={
                        c: round(float(p), 4)
                        for c, p in zip(self.action_classes, probabilities[row], strict=True)
                    },
                    words=words,
                )
            )
        return result

    def predict(self, texts: Sequence[str]) -> tuple[list[list[IssueScore]], list[ActionScore]]:
        """Both predictions for a batch (the shared word features are computed once)."""
        issue_x, action_x = self.featurizer.transform(texts)
        assert issue_x is not None and action_x is not None
        return self._issue_lists(self.issue_margins(issue_x)), self._action_scores(action_x, 0)

    def _action_feature_names(self) -> list[str]:
        names = getattr(self, "_names_cache", None)
        if names is None:
            names = [readable(c, t) for c, t in self.featurizer.feature_names(ACTION_CHANNELS)]
            self._names_cache = names
        return names

    def _explain(
        self, x: sp.csr_matrix, row: int, column: int, names: list[str], limit: int
    ) -> tuple[str, ...]:
        """Words whose weight for the chosen category most exceeds their average weight for the
        other categories (so words about the topic, equally likely in every category, drop out)."""
        start, end = x.indptr[row], x.indptr[row + 1]
        indices, values = x.indices[start:end], x.data[start:end]
        if not len(indices):
            return ()
        weights = self.action_coef[:, indices]
        others = np.delete(weights, column, axis=0)
        lift = weights[column] - (others.mean(axis=0) if len(others) else 0.0)
        contribution = values * lift
        chosen: list[str] = []
        for i in np.argsort(-contribution, kind="stable"):
            if contribution[i] <= 0 or len(chosen) >= limit:
                break
            word = names[indices[i]]
            if all(w in STOP_WORDS for w in word.split()):
                continue  # "its", "the", "to the": true but no help to a reader
            if not any(word in c or c in word for c in chosen):
                chosen.append(word)
        return tuple(chosen)

    def seen_in_training(self, text_keys: Sequence[str]) -> np.ndarray:
        """Boolean per key: was this (normalised) text among the training texts?"""
        if not len(self.training_keys):
            return np.zeros(len(text_keys), dtype=bool)
        hashes = np.array([key_hash(k) for k in text_keys], dtype=np.uint64)
        pos = np.searchsorted(self.training_keys, hashes)
        pos[pos >= len(self.training_keys)] = 0
        return self.training_keys[pos] == hashes

    # --- storage -------------------------------------------------------------------------------

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = json.dumps({**self.meta, "format": FORMAT}, sort_keys=True).encode("utf-8")
        arrays: dict[str, np.ndarray] = {
            "meta": np.frombuffer(meta, dtype=np.uint8),
            "issue_labels": np.frombuffer("\n".join(self.issue_labels).encode(), dtype=np.uint8),
            "issue_intercept": self.issue_intercept.astype(np.float32),
            "issue_threshold": self.issue_threshold.astype(np.float32),
            "issue_platt": np.array(self.issue_platt, dtype=np.float64),
            "action_classes": np.array(self.action_classes, dtype=np.int64),
            "action_intercept": self.action_intercept.astype(np.float32),
            "action_temperature": np.array([self.action_temperature], dtype=np.float64),
            "training_keys": np.sort(self.training_keys.astype(np.uint64)),
            **_csr_arrays("issue_coef", self.issue_coef.tocsr()),
            **_csr_arrays("action_coef", sp.csr_matrix(self.action_coef)),
            **self.featurizer.to_arrays(),
        }
        # Written beside the target and renamed, so a reader never sees half a file.
        partial = path.with_name(path.name + ".partial")
        with open(partial, "wb") as handle:
            np.savez_compressed(handle, **arrays)
        partial.replace(path)
        return path

    @classmethod
    def load(cls, path: str | Path) -> Model:
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as stored:
                arrays = {name: stored[name] for name in stored.files}
        except FileNotFoundError:
            raise ModelUnavailable(f"no model at {path}") from None
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(f"cannot read the model at {path}: {exc}") from None
        meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
        if meta.get("format") != FORMAT:
            raise ModelUnavailable(f"{path}: unknown model format {meta.get('format')!r}")
        labels = arrays["issue_labels"].tobytes().decode("utf-8")
        return cls(
            featurizer=Featurizer.from_arrays(arrays),
            issue_labels=labels.split("\n") if labels else [],
            issue_coef=_csr_from("issue_coef", arrays),
            issue_intercept=arrays["issue_intercept"].astype(np.float64),
            issue_threshold=arrays["issue_threshold"].astype(np.float64),
            issue_platt=(float(arrays["issue_platt"][0]), float(arrays["issue_platt"][1])),
            action_classes=[int(c) for c in arrays["action_classes"]],
            action_coef=_csr_from("action_coef", arrays).toarray().astype(np.float32),
            action_intercept=arrays["action_intercept"].astype(np.float64),
            action_temperature=float(arrays["action_temperature"][0]),
            training_keys=arrays["training_keys"].astype(np.uint64),
            meta=meta,
        )


# --- the shared instance ---------------------------------------------------------------------

_lock = threading.Lock()
_loaded: dict[Path, Model] = {}


def get_model(path: str | Path | None = None) -> Model:
    """The model at ``path`` (default: the shipped artifact), loaded once per process.

    Raises :class:`ModelUnavailable` when there is none.
    """
    key = Path(path) if path is not None else artifact_path()
    model = _loaded.get(key)
    if model is not None:
        return model
    with _lock:  # one thread loads; the others wait and reuse its result
        model = _loaded.get(key)
        if model is None:
            model = _loaded[key] = Model.load(key)
        return model


def is_available() -> bool:
    """True when the shipped model exists (without loading it)."""
    return artifact_path() in _loaded or artifact_path().is_file()


def set_model(model: Model | None, path: str | Path | None = None) -> None:
    """Install ``model`` as the shared instance (tests; after ``train``). ``None`` forgets it."""
    key = Path(path) if path is not None else artifact_path()
    with _lock:
        if model is None:
            _loaded.pop(key, None)
        else:
            _loaded[key] = model


def predict_issues(texts: Sequence[str]) -> list[list[IssueScore]]:
    """Issues of each text with the shipped model (see :meth:`Model.predict_issues`)."""
    return get_model().predict_issues(texts)


def predict_action(texts: Sequence[str], *, explain: int = 0) -> list[ActionScore]:
    """Action category of each text with the shipped model (see :meth:`Model.predict_action`)."""
    return get_model().predict_action(texts, explain=explain)

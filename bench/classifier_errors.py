"""Where the classifier's issue errors are; prints one JSON object.

    .venv/bin/python bench/classifier_errors.py     # ~2 minutes on 2 cores

Trains the shipped recipe on sessions 1–14 and matches every test text of sessions 15–17 with
its nearest training text (TF-IDF cosine over words). For each band of similarity it gives how
many test texts fall there, how well the nearest text's labels would do as a prediction (how far
UPR Info's labelling agrees with itself), and how well the model does (issues micro-F1).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprhub.settings")

BANDS = [(0.999, 1.01), (0.95, 0.999), (0.9, 0.95), (0.8, 0.9), (0.7, 0.8), (0.6, 0.7), (0, 0.6)]


def _f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    tp = int((truth & predicted).sum())
    wrong = int((truth ^ predicted).sum())
    return round(2 * tp / (2 * tp + wrong), 4) if tp or wrong else 1.0


def main() -> None:
    import django

    django.setup()
    from sklearn.feature_extraction.text import TfidfVectorizer

    from uprhub.classifier.features import normalise
    from uprhub.classifier.training import BUNDLED_DATA, read_examples, split_by_session, train

    examples = [e for e in read_examples(BUNDLED_DATA) if e.issues]
    train_part, test_part = split_by_session(examples, 14)
    model, _report = train(train_part)

    labels = sorted({i for e in examples for i in e.issues})
    column = {label: j for j, label in enumerate(labels)}

    def matrix(rows) -> np.ndarray:
        out = np.zeros((len(rows), len(labels)), dtype=np.int8)
        for i, e in enumerate(rows):
            out[i, [column[x] for x in e.issues]] = 1
        return out

    truth_train, truth_test = matrix(train_part), matrix(test_part)
    chosen = model.decide_issues(
        model.issue_margins(model.featurizer.issue_matrix([e.text for e in test_part]))
    )
    predicted = np.zeros_like(truth_test)
    for j, label in enumerate(model.issue_labels):
        predicted[:, column[label]] = chosen[:, j]

    vectoriser = TfidfVectorizer(sublinear_tf=True).fit([normalise(e.text) for e in train_part])
    a = vectoriser.transform([normalise(e.text) for e in test_part])
    b = vectoriser.transform([normalise(e.text) for e in train_part])
    similarity = (a @ b.T).tocsr()
    best = np.zeros(len(test_part))
    nearest = np.zeros(len(test_part), dtype=int)
    for i in range(len(test_part)):
        start, end = similarity.indptr[i], similarity.indptr[i + 1]
        if end > start:
            k = start + int(similarity.data[start:end].argmax())
            best[i], nearest[i] = similarity.data[k], similarity.indices[k]

    bands = []
    for low, high in BANDS:
        rows = (best >= low) & (best < high)
        if rows.any():
            bands.append(
                {
                    "cosine": f"{low}-{min(high, 1.0)}",
                    "n": int(rows.sum()),
                    "nearest_text_labels_f1": _f1(truth_test[rows], truth_train[nearest[rows]]),
                    "model_f1": _f1(truth_test[rows], predicted[rows]),
                }
            )
    result = {
        "split": "sessions 1-14 -> 15-17",
        "n": len(test_part),
        "model_f1": _f1(truth_test, predicted),
        "by_similarity_to_training": bands,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

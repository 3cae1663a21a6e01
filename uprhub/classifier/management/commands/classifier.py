"""`uprhub classifier …`: train, evaluate and use the UPR Info issue / action-category model.

uprhub classifier train [--data CSV] [--output FILE] [--last-session N] [--seed S] [--jobs J]
uprhub classifier evaluate --data CSV [--model FILE] [--split N] [--format json|text]
uprhub classifier predict "TEXT" [--model FILE] [--format text|json]
uprhub classifier apply [--state ISO3] [--session N] [--dry-run]

Exit status 1 with a message on bad input or when there is no model.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from uprhub.classifier import services
from uprhub.classifier.evaluation import evaluate
from uprhub.classifier.model import Model, ModelUnavailable, artifact_path, get_model, set_model
from uprhub.classifier.training import (
    BUNDLED_DATA,
    TrainingParams,
    holdout,
    read_examples,
    split_by_session,
    train,
)
from uprhub.recommendations.importers.base import ImportFailed
from uprhub.recommendations.importers.progress import TqdmProgress
from uprhub.recommendations.models import Recommendation


class _Rollback(Exception):
    """Raised to undo a dry run's writes."""


class Command(BaseCommand):
    help = _(
        "Machine tagging: train the UPR Info issue and action-category classifier, evaluate it "
        "on a CSV, predict a text, or apply it to recommendations that lack labels."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)

        train_p = sub.add_parser("train", help=_("Train the model (fixed seeds: reproducible)."))
        train_p.add_argument(
            "--data", default=str(BUNDLED_DATA), help=_("UPR Info CSV (default: the bundled one).")
        )
        train_p.add_argument(
            "--output",
            default=str(artifact_path()),
            help=_("Where to write the model (default: the shipped artifact)."),
        )
        train_p.add_argument(
            "--last-session",
            type=int,
            help=_("Train on sessions up to this one only (to evaluate on later ones)."),
        )
        train_p.add_argument("--seed", type=int, default=0)
        train_p.add_argument("--jobs", type=int, default=2, help=_("Parallel fits (default 2)."))
        train_p.add_argument("--format", choices=["text", "json"], default="text")

        evaluate_p = sub.add_parser(
            "evaluate", help=_("Quality figures of the model on a CSV in UPR Info's format.")
        )
        evaluate_p.add_argument("--data", required=True, help=_("UPR Info CSV with labels."))
        evaluate_p.add_argument("--model", help=_("Model file (default: the shipped one)."))
        evaluate_p.add_argument(
            "--split",
            type=int,
            help=_(
                "Train a fresh model on this file's sessions up to N and evaluate it on the "
                "later sessions, instead of evaluating an existing model."
            ),
        )
        evaluate_p.add_argument("--jobs", type=int, default=2)
        evaluate_p.add_argument("--format", choices=["json", "text"], default="json")

        predict_p = sub.add_parser("predict", help=_("Issues and action category of a text."))
        predict_p.add_argument("text")
        predict_p.add_argument("--model", help=_("Model file (default: the shipped one)."))
        predict_p.add_argument("--format", choices=["text", "json"], default="text")

        apply_p = sub.add_parser(
            "apply", help=_("Suggest labels for recommendations that lack them.")
        )
        apply_p.add_argument("--state", help=_("Only this State under review (ISO3 code)."))
        apply_p.add_argument("--session", type=int, help=_("Only this Working Group session."))
        apply_p.add_argument(
            "--dry-run", action="store_true", help=_("Report what would change; save nothing.")
        )
        apply_p.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"_{options['subcommand']}")
        try:
            handler(options)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from None
        except ModelUnavailable as exc:
            raise CommandError(
                _("%(problem)s (train one with: uprhub classifier train)") % {"problem": exc}
            ) from None

    def _json(self, payload: Any) -> None:
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))

    def _model(self, options: dict[str, Any]) -> Model:
        return get_model(options.get("model") or None)

    # --- train -----------------------------------------------------------------------------

    def _train(self, options: dict[str, Any]) -> None:
        verbose = options["verbosity"] >= 1 and options["format"] == "text"
        examples = read_examples(options["data"])
        if options["last_session"] is not None:
            examples, _later = split_by_session(examples, options["last_session"])
        params = TrainingParams(seed=options["seed"], n_jobs=max(1, options["jobs"]))
        model, report = train(
            examples,
            params,
            say=(lambda message: self.stderr.write(message)) if verbose else lambda _m: None,
            source_name=Path(options["data"]).name,
        )
        path = model.save(options["output"])
        if Path(options["output"]).resolve() == artifact_path().resolve():
            set_model(model)  # this process uses the new model from now on
        size_mb = round(path.stat().st_size / 1_000_000, 2)
        payload = {
            "output": str(path),
            "model_version": model.version,
            "examples": report.examples,
            "train_seconds": report.seconds,
            "artifact_mb": size_mb,
            "validation_sessions": report.validation_sessions,
            "validation": report.validation,
        }
        if options["format"] == "json":
            self._json(payload)
            return
        self.stdout.write(
            _("Trained %(version)s on %(n)s examples in %(seconds)s s; wrote %(path)s (%(mb)s MB).")
            % {
                "version": model.version,
                "n": f"{report.examples:,}",
                "seconds": report.seconds,
                "path": path,
                "mb": size_mb,
            }
        )
        if report.validation:
            self._write_figures(
                _("Calibration sessions %(sessions)s (tuned there, so optimistic):")
                % {"sessions": ", ".join(map(str, report.validation_sessions))},
                report.validation,
            )

    # --- evaluate --------------------------------------------------------------------------

    def _evaluate(self, options: dict[str, Any]) -> None:
        examples = read_examples(options["data"])
        if options["split"] is not None:
            params = TrainingParams(n_jobs=max(1, options["jobs"]))
            result = holdout(examples, options["split"], params)
        else:
            result = evaluate(self._model(options), examples)
        if options["format"] == "json":
            self._json(result)
            return
        self._write_figures(
            _("%(file)s (%(n)s recommendations):")
            % {"file": Path(options["data"]).name, "n": result["n"]},
            result,
        )

    def _write_figures(self, title: str, figures: dict[str, Any]) -> None:
        self.stdout.write(title)
        for key in (
            "issues_micro_f1",
            "issues_macro_f1",
            "action_accuracy",
            "action_macro_f1",
            "seen_in_training",
            "model_version",
        ):
            if key in figures:
                self.stdout.write(f"  {key}: {figures[key]}")
        if figures.get("unseen"):
            unseen = figures["unseen"]
            self.stdout.write(
                "  "
                + _("texts not seen in training (%(n)s): issues micro-F1 %(f1)s, action %(acc)s")
                % {
                    "n": unseen["n"],
                    "f1": unseen["issues_micro_f1"],
                    "acc": unseen["action_accuracy"],
                }
            )
        weakest = figures.get("issues_weakest") or []
        if weakest:
            self.stdout.write("  " + _("weakest issues:"))
            for row in weakest:
                self.stdout.write(f"    {row['label']}: F1 {row['f1']} (n={row['support']})")

    # --- predict ---------------------------------------------------------------------------

    def _predict(self, options: dict[str, Any]) -> None:
        text = options["text"].strip()
        if not text:
            raise CommandError(_("Give the text of a recommendation."))
        model = self._model(options)
        issues = model.predict_issues([text])[0]
        action = model.predict_action([text], explain=5)[0]
        if options["format"] == "json":
            self._json(
                {
                    "text": text,
                    "model_version": model.version,
                    "issues": [{"label": i.label, "score": i.score} for i in issues],
                    "action": {
                        "category": action.category,
                        "probability": action.probability,
                        "probabilities": {str(k): v for k, v in action.probabilities.items()},
                        "words": list(action.words),
                    },
                }
            )
            return
        self.stdout.write(_("Issues:"))
        for issue in issues:
            self.stdout.write(f"  {issue.label}  {issue.score:.2f}")
        self.stdout.write(
            _("Action category: %(category)s (probability %(p).2f); words: %(words)s")
            % {
                "category": action.category,
                "p": action.probability,
                "words": ", ".join(action.words),
            }
        )
        self.stdout.write(_("Model: %(version)s") % {"version": model.version})

    # --- apply -----------------------------------------------------------------------------

    def _apply(self, options: dict[str, Any]) -> None:
        model = get_model()
        queryset = Recommendation.objects.all()
        if options["state"]:
            queryset = queryset.for_state(options["state"])
        if options["session"]:
            queryset = queryset.filter(review__session_id=options["session"])
        # Lacking labels, or holding pending suggestions that a label may have made moot.
        ids = set(services.lacking_labels(queryset).values_list("pk", flat=True))
        ids |= set(
            queryset.filter(suggestions__status="pending").values_list("pk", flat=True).distinct()
        )
        progress = TqdmProgress(self.stderr._out, enabled=options["verbosity"] >= 1)
        started = time.perf_counter()
        try:
            with transaction.atomic():
                result = services.suggest_for(sorted(ids), model=model, progress=progress)
                if options["dry_run"]:
                    raise _Rollback
        except _Rollback:
            pass
        finally:
            progress.close()
        payload = {
            **result.as_dict(),
            "seconds": round(time.perf_counter() - started, 1),
            "dry_run": options["dry_run"],
        }
        if options["format"] == "json":
            self._json(payload)
            return
        text = _(
            "%(n)s recommendations lacking labels looked at; %(issues)s issue and %(actions)s "
            "action-category suggestions added, %(refreshed)s refreshed, %(removed)s removed "
            "(model %(version)s)"
        ) % {
            "n": f"{result.recommendations:,}",
            "issues": f"{result.issues_added:,}",
            "actions": f"{result.actions_added:,}",
            "refreshed": f"{result.refreshed:,}",
            "removed": f"{result.removed:,}",
            "version": result.model_version,
        }
        if options["dry_run"]:
            text += " " + _("(dry run: nothing was saved)")
        self.stdout.write(text)

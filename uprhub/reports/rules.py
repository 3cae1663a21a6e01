"""The validator's rules as data: a `RuleSet` per cycle, from the database or the bundled CSV.

Rules changed between UPR cycles and OHCHR's figures are partly unverified, so none of them
is a constant in the validator: each rule is a row (code, cycle, severity, params, source
note). Three layers, the later winning for the same code:

1. ``data/rules.csv`` rows for every cycle (empty ``cycle``), then rows for the cycle asked for;
2. `ValidationRule` rows for every cycle (``cycle`` NULL), then rows for that cycle.

So the validator works with an empty or missing table (the CSV alone), and an admin's edit
(severity, parameters, a disabled rule) always wins. `load_default_rules` copies the CSV into
the table without touching rows that exist.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .document import Severity

logger = logging.getLogger(__name__)

RULES_CSV = Path(__file__).resolve().parent / "data" / "rules.csv"


@dataclass(frozen=True)
class Rule:
    """One rule as the validator applies it."""

    code: str
    severity: Severity
    params: dict[str, Any] = field(default_factory=dict)
    source_note: str = ""
    enabled: bool = True
    message_override: str = ""
    cycle: int | None = None

    def param(self, name: str, default: Any = None) -> Any:
        value = self.params.get(name, default)
        return default if value is None else value


@dataclass
class RuleSet:
    """The rules in force for one cycle, keyed by code (disabled rules are kept, not applied)."""

    cycle: int | None = None
    rules: dict[str, Rule] = field(default_factory=dict)

    def get(self, code: str) -> Rule | None:
        """The enabled rule with this code, or None when absent or switched off."""
        rule = self.rules.get(code)
        return rule if rule is not None and rule.enabled else None

    def __iter__(self) -> Iterator[Rule]:
        return (rule for rule in self.rules.values() if rule.enabled)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def with_rule(self, rule: Rule) -> RuleSet:
        """A copy with `rule` replacing the rule of the same code (handy in tests)."""
        return RuleSet(cycle=self.cycle, rules={**self.rules, rule.code: rule})

    @classmethod
    def of(cls, rules: Iterable[Rule], cycle: int | None = None) -> RuleSet:
        """Layer `rules`: rows for every cycle first, then the cycle's own rows win.

        With no cycle (unknown), only rows for every cycle apply.
        """
        merged: dict[str, Rule] = {}
        for rule in sorted(rules, key=lambda r: r.cycle is not None):
            if rule.cycle is None or rule.cycle == cycle:
                merged[rule.code] = rule
        return cls(cycle=cycle, rules=merged)


def _parse_params(text: str, where: str) -> dict[str, Any]:
    if not text.strip():
        return {}
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError(f"{where}: params must be a JSON object")
    return value


@lru_cache(maxsize=1)
def _csv_rules(path: Path = RULES_CSV) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            where = f"{path.name}:{line}"
            cycle = row["cycle"].strip()
            rules.append(
                Rule(
                    code=row["code"].strip(),
                    cycle=int(cycle) if cycle else None,
                    severity=Severity(row["severity"].strip()),
                    params=_parse_params(row["params"], where),
                    source_note=row["source_note"].strip(),
                )
            )
    return tuple(rules)


def csv_rules() -> list[Rule]:
    """Every row of the bundled ``rules.csv``, all cycles."""
    return list(_csv_rules())


def default_rules(cycle: int | None = None) -> RuleSet:
    """The bundled rules for `cycle`, without touching the database."""
    return RuleSet.of(_csv_rules(), cycle)


def _rule_from_row(row: Any) -> Rule:
    try:
        severity = Severity(row.severity)
    except ValueError:
        severity = Severity.WARNING
    return Rule(
        code=row.code,
        cycle=row.cycle,
        severity=severity,
        params=row.params if isinstance(row.params, dict) else {},
        source_note=row.source_note,
        enabled=row.enabled,
        message_override=row.message_override,
    )


class _TableState:
    """Whether the rules table was read once: from then on no savepoint is needed."""

    ready = False


def database_rules() -> list[Rule] | None:
    """Every `ValidationRule` row, or None when the table cannot be read (not migrated yet).

    Until the table has been read once, the read runs in a savepoint so that a missing table
    does not break a surrounding PostgreSQL transaction; after that it is one plain query
    (query budgets of the pages that validate stay small).
    """
    from django.db import DatabaseError, transaction

    from .models_rules import ValidationRule

    if _TableState.ready:
        return [_rule_from_row(row) for row in ValidationRule.objects.all()]
    try:
        with transaction.atomic():
            rows = [_rule_from_row(row) for row in ValidationRule.objects.all()]
    except DatabaseError:
        logger.info("validation rules table unavailable; using the bundled defaults")
        return None
    _TableState.ready = True
    return rows


def rules_for_cycle(cycle: int | None = None) -> RuleSet:
    """The rules in force for `cycle`: bundled defaults overlaid with the admins' rows."""
    rows = database_rules()
    defaults = list(_csv_rules())
    if not rows:
        return RuleSet.of(defaults, cycle)
    # The CSV first (all cycles, then the cycle's), then the table (same order): later wins.
    merged = RuleSet.of(defaults, cycle).rules
    merged.update(RuleSet.of(rows, cycle).rules)
    return RuleSet(cycle=cycle, rules=merged)


def load_default_rules() -> int:
    """Add the bundled rules missing from the table; return how many rows were created.

    Idempotent, and an existing row (an admin's edit, or a rule an admin disabled) is never
    changed: only (cycle, code) pairs with no row are created.
    """
    from django.db import transaction

    from .models_rules import ValidationRule

    existing = set(ValidationRule.objects.values_list("cycle", "code"))
    missing = [rule for rule in _csv_rules() if (rule.cycle, rule.code) not in existing]
    with transaction.atomic():
        ValidationRule.objects.bulk_create(
            [
                ValidationRule(
                    cycle=rule.cycle,
                    code=rule.code,
                    severity=rule.severity.value,
                    params=rule.params,
                    source_note=rule.source_note,
                )
                for rule in missing
            ],
            ignore_conflicts=True,  # a concurrent loader may have added the same row
        )
    return len(missing)


def override(rules: RuleSet, code: str, **changes: Any) -> RuleSet:
    """A copy of `rules` with one rule changed: ``override(rs, "word_limit", enabled=False)``."""
    rule = rules.rules.get(code)
    if rule is None:
        raise KeyError(code)
    return rules.with_rule(replace(rule, **changes))

"""The validator's rules as data, one row per rule and cycle, editable by admins.

A row with no cycle applies to every cycle; a row for a cycle wins over it. Defaults come
from ``data/rules.csv`` (``rules.load_default_rules``), which only adds missing rows and so
never overwrites an admin's edit. `rules.rules_for_cycle` turns rows into a `RuleSet`.

Imported by ``models.py`` so Django registers the model in the reports app.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .document import Severity


class RuleCode(models.TextChoices):
    """Every check the validator knows; a row with another code would do nothing."""

    HAS_TEXT = "has_text", _("The report has text")
    WORD_LIMIT = "word_limit", _("Word limit")
    NUMBERED_PARAGRAPHS = "numbered_paragraphs", _("Numbered paragraphs")
    OFFICIAL_LANGUAGE = "official_language", _("UN official language")
    ONE_STATE = "one_state", _("One State per submission")
    JOINT_ORGANISATIONS = "joint_organisations", _("Joint submissions name every organisation")
    COVER_INFORMATION = "cover_information", _("Cover information complete")
    PERIOD_COVERED = "period_covered", _("Period since the last review")
    DEADLINE = "deadline", _("Deadline not passed")
    INTRODUCTION = "introduction", _("Introduction summarising the main points")
    KEY_WORDS = "key_words", _("Key words")


class SeverityChoice(models.TextChoices):
    ERROR = Severity.ERROR.value, _("Error")
    WARNING = Severity.WARNING.value, _("Warning")
    TIP = Severity.TIP.value, _("Tip")


class ValidationRule(models.Model):
    cycle = models.PositiveSmallIntegerField(
        _("cycle"),
        null=True,
        blank=True,
        help_text=_("UPR cycle this row applies to; leave empty for every cycle."),
    )
    code = models.CharField(_("rule"), max_length=40, choices=RuleCode.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    severity = models.CharField(
        _("severity"),
        max_length=10,
        choices=SeverityChoice.choices,
        help_text=_("Errors block a submission, warnings need a look, tips are advice."),
    )
    params = models.JSONField(
        _("parameters"),
        default=dict,
        blank=True,
        help_text=_('Rule settings as JSON, e.g. {"individual": 2815, "joint": 5630}.'),
    )
    message_override = models.TextField(
        _("message override"),
        blank=True,
        help_text=_("Replaces the validator's own message for this rule when filled in."),
    )
    source_note = models.TextField(
        _("source"),
        blank=True,
        help_text=_("Where the rule comes from and how sure we are, shown next to findings."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["code", "cycle"]
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        # NULLs are distinct in unique constraints, so "every cycle" needs its own constraint.
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "code"],
                condition=models.Q(cycle__isnull=False),
                name="validationrule_unique_cycle_code",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(cycle__isnull=True),
                name="validationrule_unique_code_all_cycles",
            ),
        ]

    def __str__(self) -> str:
        scope = _("cycle %(n)s") % {"n": self.cycle} if self.cycle is not None else _("all cycles")
        return f"{self.get_code_display()} ({scope})"

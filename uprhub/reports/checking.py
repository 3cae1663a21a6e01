"""A report checked: its document, the validator's findings and the paragraph numbers.

The report page, the live word count, `mark_final` and the API all check through
`check_report`, so they agree on the count and on what blocks a submission.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .document import Finding, ReportDocument, ValidationReport
from .models import Report
from .to_document import document_for, paragraph_numbers
from .validator import count_words, validate

__all__ = ["Checked", "check_report", "count_words"]


@dataclass
class Checked:
    document: ReportDocument
    validation: ValidationReport
    numbers: dict[str, int]  # paragraph key → number

    def findings_for(self, key: str) -> list[Finding]:
        number = self.numbers.get(key)
        if number is None:
            return []
        return [f for f in self.validation.findings if f.paragraph == number]

    @property
    def general_findings(self) -> list[Finding]:
        """Findings about the whole report rather than one paragraph."""
        return [f for f in self.validation.findings if f.paragraph is None]


def check_report(
    report: Report,
    *,
    now: datetime | None = None,
    replace: dict[int, tuple[str, list[str]]] | None = None,
    append: dict[int, tuple[str, list[str]]] | None = None,
) -> Checked:
    """Validate a report loaded with ``selectors.report_with_everything``.

    Three queries: the stakeholder deadline, the previous review, and the rules table.
    """
    document = document_for(report, replace=replace, append=append)
    validation = validate(document, now=now)
    return Checked(document, validation, paragraph_numbers(document))

"""Small filters for the calendar templates."""

from __future__ import annotations

from datetime import datetime

from django import template

from uprhub.calendar import selectors
from uprhub.calendar.selectors import DeadlineEntry, SubmissionDeadlines

register = template.Library()


@register.filter
def days_left(entry: DeadlineEntry, now: datetime) -> int:
    return entry.days_left(now)


@register.filter
def abs_value(number: int) -> int:
    return abs(number)


@register.simple_tag
def stakeholder_deadlines(code: str, now: datetime | None = None) -> SubmissionDeadlines:
    """`{% stakeholder_deadlines state.code as submissions %}`: a State's next and last
    stakeholder deadlines, for pages outside the calendar app (home, a State's page)."""
    return selectors.stakeholder_deadlines(code, now)

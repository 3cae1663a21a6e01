"""Small filters for the calendar templates."""

from __future__ import annotations

from datetime import datetime

from django import template

from uprhub.calendar.selectors import DeadlineEntry

register = template.Library()


@register.filter
def days_left(entry: DeadlineEntry, now: datetime) -> int:
    return entry.days_left(now)


@register.filter
def abs_value(number: int) -> int:
    return abs(number)

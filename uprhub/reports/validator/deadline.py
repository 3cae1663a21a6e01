"""The stakeholder deadline in Geneva time, and the countdown to it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _

# Same zone as the calendar (uprhub.calendar.models.GENEVA_TZ): IANA has no "Europe/Geneva".
GENEVA = ZoneInfo("Europe/Zurich")


def deadline_in_geneva(deadline: datetime) -> datetime:
    """The deadline as Geneva wall-clock time; a naive value is taken as Geneva time already."""
    if timezone.is_naive(deadline):
        return deadline.replace(tzinfo=GENEVA)
    return deadline.astimezone(GENEVA)


def deadline_label(deadline: datetime) -> str:
    """ "8 April 2024, 23:59 (Geneva time)" in the active language."""
    local = deadline_in_geneva(deadline)
    return _("%(date)s, %(time)s (Geneva time)") % {
        "date": formats.date_format(local.date(), "DATE_FORMAT"),
        "time": local.strftime("%H:%M"),
    }


def deadline_countdown(deadline: datetime, now: datetime | None = None):  # -> Countdown
    """Time left until `deadline` (zero once passed), as the calendar's `Countdown`."""
    from uprhub.calendar.selectors import Countdown

    now = now or timezone.now()
    seconds = max(0, int((deadline_in_geneva(deadline) - now).total_seconds()))
    days, rest = divmod(seconds, 86400)
    return Countdown(
        days=days, hours=rest // 3600, minutes=rest % 3600 // 60, total_seconds=seconds
    )

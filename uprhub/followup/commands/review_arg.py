"""The review named on the command line by a State's ISO3 code and a cycle (shared by the
``clusters`` and ``link`` subcommands)."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from uprhub.reviews.models import Review, State


def review_of(iso3: str, cycle: int) -> Review:
    """The State's review of that cycle that has recommendations (the latest session if
    several)."""
    if cycle < 1:
        raise CommandError(_("--cycle must be at least 1."))
    state = State.objects.filter(iso3=iso3.strip().upper()).first()
    if state is None:
        raise CommandError(
            _("Unknown State: %(code)s (give its ISO3 code, e.g. USA).") % {"code": iso3}
        )
    review = (
        Review.objects.filter(state=state, session__cycle_id=cycle, recommendations__isnull=False)
        .select_related("session", "state")
        .order_by("-session__number")
        .distinct()
        .first()
    )
    if review is None:
        raise CommandError(
            _("%(state)s has no recommendations in cycle %(cycle)s.")
            % {"state": state.short_name, "cycle": cycle}
        )
    return review

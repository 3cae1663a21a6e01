"""The review named on the command line by a State's ISO3 code and a cycle (shared by the
``clusters`` and ``link`` subcommands)."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from uprhub.followup.selectors import review_of_cycle
from uprhub.reviews.models import Review, State


def review_of(iso3: str, cycle: int) -> Review:
    """The State's review of that cycle that has recommendations (the latest session if
    several)."""
    if cycle < 1:
        raise CommandError(_("--cycle must be at least 1."))
    if not State.objects.filter(iso3=iso3.strip().upper()).exists():
        raise CommandError(
            _("Unknown State: %(code)s (give its ISO3 code, e.g. USA).") % {"code": iso3}
        )
    review = review_of_cycle(iso3, cycle)
    if review is None or not review.has_recommendations:
        state = review.state.short_name if review is not None else iso3.strip().upper()
        raise CommandError(
            _("%(state)s has no recommendations in cycle %(cycle)s.")
            % {"state": state, "cycle": cycle}
        )
    return review

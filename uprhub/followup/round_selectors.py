"""Reads for assessment rounds: which rounds a person sees, who may be given a role, the
reviews and scales a round may be made of, and each participant's progress.

Views, the command line and the reminders read through here (never `Model.objects` in a view).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from uprhub.accounts.models import Organisation
from uprhub.core.roles import Role, is_coordinator
from uprhub.recommendations.models import Recommendation
from uprhub.reviews.models import Review

from .models import Assessment, AssessmentRound, Position, RoundRole, Scale
from .selectors import review_of_cycle

#: A round's deadlines, in their order.
DEADLINE_FIELDS = ("assessments_due", "review_due", "publish_on")
#: A deadline is a date; it is put at noon UTC so it falls on that date nearly everywhere.
DEADLINE_TIME = time(12, 0)

#: Site roles that may be given a role in a round (members and up; superusers count too).
ROUND_ROLE_SITE_ROLES = (Role.MEMBER, Role.COORDINATOR, Role.ADMIN)


def deadline_moment(day: date) -> datetime:
    """The moment of a deadline date (on the calendar and for reminders)."""
    return datetime.combine(day, DEADLINE_TIME, tzinfo=UTC)


def rounds_for(user: Any) -> QuerySet[AssessmentRound]:
    """The rounds a person takes part in; coordinators and admins see every round."""
    rounds = AssessmentRound.objects.select_related("review__state", "review__session", "scale")
    if is_coordinator(user):
        return rounds
    if not getattr(user, "pk", None):
        return rounds.none()
    return rounds.filter(roles__user=user).distinct()


def round_by_slug(slug: str) -> AssessmentRound:
    """The round, whoever asks; Http404 if there is none (callers check who may see it)."""
    found = (
        AssessmentRound.objects.select_related("review__state", "review__session", "scale")
        .filter(slug=slug)
        .first()
    )
    if found is None:
        raise Http404(_("No such assessment round."))
    return found


def roles_of(round_: AssessmentRound) -> list[RoundRole]:
    """The round's people, assessors first, by name."""
    return list(
        RoundRole.objects.filter(round=round_)
        .select_related("user__profile", "organisation")
        .order_by("role", "user__profile__full_name", "user__email")
    )


def role_in(round_: AssessmentRound, pk: int) -> RoundRole:
    found = RoundRole.objects.filter(round=round_, pk=pk).select_related("user").first()
    if found is None:
        raise Http404(_("No such role in this round."))
    return found


def people_for_roles() -> QuerySet[Any]:
    """Active accounts that may be given a role in a round: members and up."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(profile__role__in=ROUND_ROLE_SITE_ROLES))
        .select_related("profile")
        .order_by("profile__full_name", "email")
    )


def person_for_roles(pk: Any) -> Any | None:
    """One account of `people_for_roles`, or None."""
    try:
        return people_for_roles().filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def organisations_of(user: Any) -> QuerySet[Organisation]:
    """The organisations a person is a member of (an assessor assesses for one of them)."""
    return Organisation.objects.filter(memberships__user=user).distinct().order_by("name")


def reviews_with_recommendations() -> QuerySet[Review]:
    """Reviews a round may assess: those with recommendations, latest sessions first."""
    return (
        Review.objects.filter(pk__in=Recommendation.objects.values("review_id"))
        .select_related("state", "session")
        .order_by("-session__number", "state__short_name")
    )


def scales() -> QuerySet[Scale]:
    return Scale.objects.prefetch_related("grades").order_by("name")


def review_for(iso3: str, cycle: int) -> Review | None:
    """The State's review of that cycle (the round's review from the command line)."""
    return review_of_cycle(iso3, cycle)


def has_work(round_: AssessmentRound) -> bool:
    """Whether anything was assessed or positioned in the round (its scale is then fixed)."""
    return (
        Assessment.objects.filter(round=round_).exists()
        or Position.objects.filter(round=round_).exists()
    )


def recommendation_count(round_: AssessmentRound) -> int:
    return Recommendation.objects.filter(review_id=round_.review_id).count()


@dataclass(frozen=True)
class Progress:
    done: int
    total: int


def assessor_progress(round_: AssessmentRound, organisation_id: int) -> Progress:
    """How many of the review's recommendations the organisation has assessed in the round."""
    done = Assessment.objects.filter(round=round_, organisation_id=organisation_id).count()
    return Progress(done, recommendation_count(round_))


def reviewer_progress(round_: AssessmentRound) -> Progress:
    """How many recommendations have a published position of the coalition in the round."""
    done = Position.objects.published().filter(round=round_).count()
    return Progress(done, recommendation_count(round_))


def open_rounds_with_deadlines() -> QuerySet[AssessmentRound]:
    """Open rounds with at least one deadline (the reminders' and the calendar's rounds)."""
    return (
        AssessmentRound.objects.filter(closed=False)
        .filter(
            Q(assessments_due__isnull=False)
            | Q(review_due__isnull=False)
            | Q(publish_on__isnull=False)
        )
        .select_related("review__state", "review__session")
    )


_ORDINALS = {
    1: lambda: pgettext("UPR cycle", "1st cycle"),
    2: lambda: pgettext("UPR cycle", "2nd cycle"),
    3: lambda: pgettext("UPR cycle", "3rd cycle"),
    4: lambda: pgettext("UPR cycle", "4th cycle"),
    5: lambda: pgettext("UPR cycle", "5th cycle"),
    6: lambda: pgettext("UPR cycle", "6th cycle"),
}


def cycle_label(cycle: int) -> str:
    """ "3rd cycle" (translated)."""
    found = _ORDINALS.get(cycle)
    return found() if found else pgettext("UPR cycle", "cycle %(number)s") % {"number": cycle}


def review_label(review: Review) -> str:
    """ "United States of America — 3rd cycle (session 36, 2020)": how a round names its review."""
    session = review.session
    when = review.review_date or session.start_date
    values = {
        "state": review.state.display_name,
        "cycle": cycle_label(session.cycle_id),
        "session": session.number,
    }
    if when:
        return _("%(state)s — %(cycle)s (session %(session)s, %(year)s)") % {
            **values,
            "year": when.year,
        }
    return _("%(state)s — %(cycle)s (session %(session)s)") % values

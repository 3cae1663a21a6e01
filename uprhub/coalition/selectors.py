"""Read-side queries for the taskforce pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from uprhub.accounts.choices import US_STATE_NAMES, Role
from uprhub.accounts.models import Profile

from .models import ApplicationStatus, TaskforceApplication, TaskforceMember


def application_queue(status: str | None) -> QuerySet[TaskforceApplication]:
    """Applications for the coordinators' queue; `None` means the ones still open."""
    applications = TaskforceApplication.objects.for_queue()
    if status in ApplicationStatus.values:
        return applications.filter(status=status)
    return applications.open()


def application_for_review(pk: int) -> TaskforceApplication:
    """One application with its themes, for a coordinator to decide; Http404 if there is none."""
    return get_object_or_404(TaskforceApplication.objects.prefetch_related("themes"), pk=pk)


def reviewers() -> QuerySet[Any]:
    """Active accounts with an address that may review applications.

    The same people the rule "coalition.view_queue" lets into the queue: coordinators,
    admins (roles include the ones below them) and superusers (who count as admins).
    """
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(is_superuser=True) | Q(profile__role__in=[Role.COORDINATOR, Role.ADMIN]))
        .order_by("pk")
    )


def status_counts() -> list[tuple[str, int]]:
    """(status label, number of applications) for every status, in workflow order."""
    rows = TaskforceApplication.objects.values("status").annotate(n=Count("pk")).order_by()
    counts = {row["status"]: row["n"] for row in rows}
    return [(str(label), counts.get(value, 0)) for value, label in ApplicationStatus.choices]


def directory(
    *, theme_id: int | None = None, location: str = "", city: str = ""
) -> QuerySet[TaskforceMember]:
    """Active taskforce members who chose to be listed, with the profile data shown.

    `location` is "state:XX" (a US state code) or "country:<name>".
    """
    members = (
        TaskforceMember.objects.filter(
            active=True, user__is_active=True, user__profile__listed_in_directory=True
        )
        .select_related("user__profile")
        .prefetch_related("user__profile__themes", "working_groups")
        .order_by("user__profile__full_name", "pk")
    )
    if theme_id:
        members = members.filter(user__profile__themes__id=theme_id)
    kind, _, value = location.partition(":")
    if kind == "state" and value in US_STATE_NAMES:
        members = members.filter(user__profile__us_state=value)
    elif kind == "country" and value:
        members = members.filter(user__profile__us_state="", user__profile__country__iexact=value)
    if city:
        members = members.filter(user__profile__city__icontains=city.strip())
    return members


def directory_locations() -> list[tuple[str, str]]:
    """(value, label) for the location filter: US states and countries members are in."""
    # Only listed members: a filter value must not reveal where an unlisted member lives.
    profiles = Profile.objects.filter(
        user__taskforce_membership__active=True, user__is_active=True, listed_in_directory=True
    )
    states = sorted(set(profiles.exclude(us_state="").values_list("us_state", flat=True)))
    countries = sorted(
        {
            country.strip()
            for country in profiles.filter(us_state="")
            .exclude(country="")
            .values_list("country", flat=True)
        },
        key=str.casefold,
    )
    return [
        (f"state:{code}", US_STATE_NAMES[code]) for code in states if code in US_STATE_NAMES
    ] + [(f"country:{name}", name) for name in countries]

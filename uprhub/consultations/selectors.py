"""Reading consultations for views and commands (they never query the models directly)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from uprhub.core.roles import is_coordinator
from uprhub.reviews.models import Review

from .models import Consultation, ConsultationRole, InPersonSession, Testimony, TestimonyStatus


def consultation_by_slug(slug: str) -> Consultation:
    """The consultation, or 404."""
    return get_object_or_404(Consultation.objects.select_related("review__state"), slug=slug)


def listed() -> QuerySet[Consultation]:
    """Every consultation for the public list: open ones first (by closing date), then the
    ones not yet open, then closed ones, most recent first."""
    now = timezone.now()
    return (
        Consultation.objects.select_related("review__state", "review__session")
        .annotate(
            phase=Case(
                When(opens_at__gt=now, then=Value(1)),
                When(closes_at__lte=now, then=Value(2)),
                default=Value(0),
            )
        )
        .order_by("phase", F("closes_at").asc(nulls_last=True), "-created_at")
    )


def run_by(user: Any) -> QuerySet[Consultation]:
    """The consultations a person facilitates or moderates (coordinators: all of them)."""
    if not getattr(user, "pk", None):
        return Consultation.objects.none()
    queryset = Consultation.objects.select_related("review__state")
    if is_coordinator(user):
        return queryset.order_by("-created_at")
    return queryset.filter(roles__user=user).distinct().order_by("-created_at")


def roles_of(consultation: Consultation) -> QuerySet[ConsultationRole]:
    return consultation.roles.select_related("user__profile").order_by("role", "user__email")


def role_in(consultation: Consultation, pk: int) -> ConsultationRole:
    return get_object_or_404(ConsultationRole, consultation=consultation, pk=pk)


def testimony_in(consultation: Consultation, pk: int) -> Testimony:
    return get_object_or_404(Testimony, consultation=consultation, pk=pk)


def sessions_of(consultation: Consultation) -> QuerySet[InPersonSession]:
    return consultation.sessions.order_by("starts_at")


def upcoming_sessions(consultation: Consultation) -> QuerySet[InPersonSession]:
    """Sessions not over yet (one without an end is over the day after it starts)."""
    now = timezone.now()
    return sessions_of(consultation).filter(
        Q(ends_at__gt=now) | Q(ends_at__isnull=True, starts_at__gt=now - datetime.timedelta(days=1))
    )


def session_in(consultation: Consultation, pk: int) -> InPersonSession:
    return get_object_or_404(InPersonSession, consultation=consultation, pk=pk)


def review_for(iso3: str, cycle: int | None = None) -> Review | None:
    """A State's review in a cycle, or its latest one."""
    reviews = (
        Review.objects.for_state(iso3)
        .select_related("session")
        .order_by("-session__cycle_id", "-session_id")
    )
    if cycle is not None:
        reviews = reviews.filter(session__cycle_id=cycle)
    return reviews.first()


# The two doors out of moderation. Every public page, export, API answer and report section
# reads testimony through one of these, never `Testimony.objects` directly.


def counted(consultation: Consultation) -> QuerySet[Testimony]:
    """What counts as a participant's testimony: all but rejected and withdrawn."""
    return consultation.testimonies.exclude(
        status__in=[TestimonyStatus.REJECTED, TestimonyStatus.WITHDRAWN]
    )


def approved(consultation: Consultation) -> QuerySet[Testimony]:
    """Approved by a moderator: the redacted text may leave moderation."""
    return consultation.testimonies.filter(status=TestimonyStatus.APPROVED)


def quotable(consultation: Consultation) -> QuerySet[Testimony]:
    """May be quoted, always anonymously: approved, the person agreed to a quote (anonymous or
    named), and did not say they fear reprisals. UPR Hub never prints a participant's name:
    a named quote is for the moderator to arrange by hand with the person."""
    return (
        approved(consultation)
        .filter(fears_reprisals=False)
        .filter(Q(quote_anonymously=True) | Q(quote_named=True))
    )


def public(consultation: Consultation) -> QuerySet[Testimony]:
    """Shown anywhere outside moderation (read API, public pages): approved and not
    risk-flagged. Risk-flagged testimony is only ever counted."""
    return approved(consultation).filter(fears_reprisals=False)

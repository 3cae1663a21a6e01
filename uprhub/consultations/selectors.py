"""Reading consultations for views and commands (they never query the models directly)."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from uprhub.reviews.models import Review

from .models import Consultation, InPersonSession, Testimony, TestimonyStatus


def consultation_by_slug(slug: str) -> Consultation:
    """The consultation, or 404."""
    return get_object_or_404(Consultation.objects.select_related("review__state"), slug=slug)


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

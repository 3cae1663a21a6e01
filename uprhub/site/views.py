"""The home page: what UPR Hub is, and a way into a State's reviews."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from uprhub.calendar import selectors as calendar_selectors
from uprhub.recommendations import selectors


def home(request: HttpRequest) -> HttpResponse:
    featured = selectors.featured_state()
    now = timezone.now()
    next_deadline = calendar_selectors.next_deadline(featured.code, now) if featured else None
    return render(
        request,
        "core/home.html",
        {
            "featured": featured,
            "states": selectors.states_with_counts(),
            "next_deadline": next_deadline,
            "now": now,
        },
    )


def privacy(request: HttpRequest) -> HttpResponse:
    """What is stored, why and for how long: the periods are the ones `uprhub purge` applies."""
    from django.conf import settings

    return render(
        request,
        "core/privacy.html",
        {
            "unconfirmed_days": settings.UPRHUB_RETENTION_UNCONFIRMED_DAYS,
            "delivery_log_days": settings.UPRHUB_RETENTION_DELIVERY_LOG_DAYS,
            "session_days": settings.SESSION_COOKIE_AGE // 86400,
            "answers_days": max(1, settings.UPRHUB_EMAIL_VERIFICATION_MAX_AGE // 86400),
            "consultation_days": settings.UPRHUB_CONSULTATION_RETENTION_DAYS,
            "address_hash_days": min(settings.UPRHUB_CONSULTATION_ADDRESS_HASH_DAYS, 7),
        },
    )

"""The tabs of the people who run a consultation, each shown only to whom the rules allow."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from uprhub.consultations.models import Consultation
from uprhub.core.rules import has_perm

register = template.Library()

# (URL name, label, the permission that opens it)
TABS = [
    ("detail", _("Public page"), None),
    ("facilitate", _("Facilitator mode"), "consultations.facilitate"),
    ("moderate", _("Moderation"), "consultations.moderate"),
    ("synthesis", _("Synthesis"), "consultations.view_results"),
    ("edit", _("Settings"), "consultations.manage"),
    ("sessions", _("In-person sessions"), "consultations.manage"),
    ("people", _("Facilitators and moderators"), "consultations.manage"),
]


@register.inclusion_tag("consultations/_manage_nav.html", takes_context=True)
def consultation_nav(context: Any, consultation: Consultation, here: str = "") -> dict[str, Any]:
    user = context["request"].user
    tabs = [
        {
            "url": reverse(f"consultations:{name}", args=[consultation.slug]),
            "label": label,
            "current": name == here,
        }
        for name, label, perm in TABS
        if perm is None or has_perm(user, perm, consultation)
    ]
    # A visitor with no other tab sees no bar at all.
    return {"tabs": tabs if len(tabs) > 1 else []}

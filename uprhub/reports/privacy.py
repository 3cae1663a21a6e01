"""Shadow reports' part of a person's data download and account deletion.

Registered with `uprhub.accounts.privacy` in `ReportsConfig.ready()`: roles on reports, reports
created, paragraph versions and comments written. Deleting the account erases nothing here:
roles go with the account row (``CASCADE``) and what the person wrote stays, anonymised
(``SET_NULL``). A shared report whose only lead the person is blocks the deletion until someone
else leads it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from uprhub.accounts.privacy import Blocker, BlockingItem, register_section, when

from .models import Comment, Report, ReportRole, Revision, RoleOnReport


def collect(user: Any) -> dict[str, Any]:
    return {
        "roles": [
            {"report": r.report.title, "role": r.role, "since": when(r.added_at)}
            for r in ReportRole.objects.filter(user=user).select_related("report")
        ],
        "reports_created": [
            {"report": r.title, "created_at": when(r.created_at)}
            for r in Report.objects.filter(created_by=user)
        ],
        "paragraph_revisions": [
            {
                "report": rev.paragraph.section.report.title,
                "section": rev.paragraph.section.title,
                "version": rev.version,
                "what": rev.kind,
                "text": rev.text,
                "footnotes": rev.footnotes,
                "saved_at": when(rev.created_at),
            }
            for rev in Revision.objects.filter(author=user)
            .select_related("paragraph__section__report")
            .order_by("pk")
        ],
        "comments": [
            {
                "report": c.paragraph.section.report.title,
                "text": c.text,
                "written_at": when(c.created_at),
                "resolved_at": when(c.resolved_at),
            }
            for c in Comment.objects.filter(author=user)
            .select_related("paragraph__section__report")
            .order_by("pk")
        ],
    }


def reports_only_led_by(user: Any) -> list[Report]:
    """Shared reports the person is the only lead of: someone must take over first."""
    led = ReportRole.objects.filter(user=user, role=RoleOnReport.LEAD).values("report")
    return list(
        Report.objects.filter(pk__in=led)
        .annotate(
            leads=Count("roles", filter=Q(roles__role=RoleOnReport.LEAD)),
            people=Count("roles"),
        )
        .filter(leads=1, people__gt=1)
        .order_by("title")
    )


def blockers(user: Any) -> list[Blocker]:
    reports = reports_only_led_by(user)
    if not reports:
        return []
    return [
        Blocker(
            warning=_(
                "You are the only lead of these shadow reports. Make someone else lead first:"
            ),
            error=_(
                "You are the only lead of: %(reports)s. Make someone else lead first, so the "
                "report is not left without one."
            )
            % {"reports": ", ".join(r.title for r in reports)},
            items=[BlockingItem(r.title, r.get_absolute_url()) for r in reports],
        )
    ]


def register() -> None:
    register_section("shadow_reports", collect, blockers=blockers, order=30)

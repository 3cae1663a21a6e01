"""A person's own data: download all of it, or delete the account.

``personal_data(user)`` gathers everything UPR Hub stores about one account (profile,
organisations, taskforce application and membership, list subscriptions and reminders, what
they wrote in shadow reports, audit records about them, mail sent to their address) as plain
JSON-ready data.

``delete_account(user, password=…)`` removes the account and the personal data attached to it.
What the person wrote in shared shadow reports (paragraph text, revisions, comments) belongs to
the coalition's work and is kept, with the author anonymised: every author column is
``SET_NULL``, so the rows stay and show "deleted account". Governance records of acts *by*
the person (an application decision, a role change they made) keep the name they were taken
under (``actor_label``), because the coalition must be able to say who decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from uprhub.coalition.models import TaskforceApplication
from uprhub.mailinglists.models import Delivery, ReminderLog, Subscriber
from uprhub.reports.models import Comment, Report, ReportRole, Revision, RoleOnReport

from .models import Membership, OrganisationEvent, RoleChange

FORMAT_VERSION = 1


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _subscriber_of(user: Any) -> Subscriber | None:
    return (
        Subscriber.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        .order_by("-user_id")
        .first()
    )


def personal_data(user: Any) -> dict[str, Any]:
    """Everything stored about ``user``, as JSON-ready data (their own download)."""
    profile = getattr(user, "profile", None)
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "is_active": user.is_active,
        },
    }
    if profile is not None:
        data["profile"] = {
            "name": profile.full_name,
            "organisation_name": profile.organisation_name,
            "city": profile.city,
            "us_state": profile.us_state,
            "country": profile.country,
            "languages": profile.languages,
            "experience": profile.experience,
            "role": profile.role,
            "focus_themes": sorted(t.name for t in profile.themes.all()),
            "email_verified_at": _when(profile.email_verified_at),
            "created_at": _when(profile.created_at),
            "updated_at": _when(profile.updated_at),
        }
    data["organisations"] = [
        {
            "organisation": m.organisation.name,
            "role_in_organisation": m.role_in_org,
            "joined_at": _when(m.joined_at),
        }
        for m in Membership.objects.filter(user=user).select_related("organisation")
    ]
    data["role_changes"] = [
        {
            "old_role": change.old_role,
            "new_role": change.new_role,
            "changed_by": change.actor_label,
            "reason": change.reason,
            "when": _when(change.created_at),
        }
        for change in RoleChange.objects.filter(user=user).order_by("created_at")
    ]
    data["organisation_events"] = [
        {
            "organisation": event.organisation_label,
            "action": event.action,
            "by": event.actor_label,
            "note": event.note,
            "when": _when(event.created_at),
        }
        for event in OrganisationEvent.objects.filter(user=user).order_by("created_at", "pk")
    ]
    data["taskforce"] = _taskforce(user)
    data["mailing_lists"] = _mailing_lists(user)
    data["shadow_reports"] = _reports(user)
    return data


def _taskforce(user: Any) -> dict[str, Any]:
    applications = TaskforceApplication.objects.filter(
        Q(user=user) | Q(email_key=user.email.lower())
    ).prefetch_related("themes", "decisions")
    membership = getattr(user, "taskforce_membership", None)
    return {
        "applications": [
            {
                "name": a.name,
                "email": a.email,
                "organisation": a.organisation_name,
                "role_in_organisation": a.role_title,
                "city": a.city,
                "us_state": a.us_state,
                "country": a.country,
                "languages": a.languages,
                "experience": a.experience,
                "focus_themes": sorted(t.name for t in a.themes.all()),
                "motivation": a.motivation,
                "status": a.status,
                "times_submitted": a.submission_count,
                "earlier_answers": a.previous_answers,
                "first_submitted": _when(a.submitted_at),
                "last_submitted": _when(a.last_submitted_at),
                "decisions": [
                    {
                        "decision": d.decision,
                        "message_sent": d.message,
                        "decided_by": d.actor_label,
                        "when": _when(d.created_at),
                    }
                    for d in a.decisions.all()
                ],
            }
            for a in applications
        ],
        "member_since": _when(getattr(membership, "joined_at", None)) if membership else None,
        "working_groups": sorted(g.name for g in membership.working_groups.all())
        if membership
        else [],
    }


def _mailing_lists(user: Any) -> dict[str, Any]:
    subscriber = _subscriber_of(user)
    if subscriber is None:
        return {"address": None, "subscriptions": [], "reminders": None, "mail_sent": []}
    preference = getattr(subscriber, "reminder_preference", None)
    return {
        "address": subscriber.email,
        "address_confirmed_at": _when(subscriber.confirmed_at),
        "subscriptions": [
            {
                "list": s.mailing_list.name,
                "status": s.status,
                "requested_at": _when(s.requested_at),
                "confirmed_at": _when(s.confirmed_at),
                "unsubscribed_at": _when(s.unsubscribed_at),
            }
            for s in subscriber.subscriptions.select_related("mailing_list").order_by("pk")
        ],
        "reminders": {
            "opted_in": preference.opted_in,
            "states": sorted(s.code for s in preference.states.all()),
            "days_before": preference.days,
        }
        if preference
        else None,
        "mail_sent": [
            {
                "post": d.post.subject,
                "status": d.status,
                "sent_at": _when(d.sent_at),
            }
            for d in Delivery.objects.filter(email__iexact=subscriber.email)
            .select_related("post")
            .order_by("pk")
        ]
        + [
            {"reminder": r.key, "status": r.status, "sent_at": _when(r.sent_at)}
            for r in ReminderLog.objects.filter(email__iexact=subscriber.email).order_by("pk")
        ],
    }


def _reports(user: Any) -> dict[str, Any]:
    return {
        "roles": [
            {"report": r.report.title, "role": r.role, "since": _when(r.added_at)}
            for r in ReportRole.objects.filter(user=user).select_related("report")
        ],
        "reports_created": [
            {"report": r.title, "created_at": _when(r.created_at)}
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
                "saved_at": _when(rev.created_at),
            }
            for rev in Revision.objects.filter(author=user)
            .select_related("paragraph__section__report")
            .order_by("pk")
        ],
        "comments": [
            {
                "report": c.paragraph.section.report.title,
                "text": c.text,
                "written_at": _when(c.created_at),
                "resolved_at": _when(c.resolved_at),
            }
            for c in Comment.objects.filter(author=user)
            .select_related("paragraph__section__report")
            .order_by("pk")
        ],
    }


# ---------------------------------------------------------------------------- deletion


@dataclass
class Deletion:
    """What deleting the account removed (for the confirmation and the tests)."""

    applications: int = 0
    subscriber: bool = False
    mail_log_rows: int = 0
    sessions: int = 0


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


@transaction.atomic
def delete_account(user: Any, *, password: str) -> Deletion:
    """Delete ``user``'s account and personal data; keep their report text, anonymised.

    The password is checked here, not only in the form: no caller can delete an account
    without the person's own confirmation.
    """
    if not user.is_authenticated or not user.check_password(password):
        raise PermissionDenied(_("The password is not correct."))
    blocking = reports_only_led_by(user)
    if blocking:
        raise ValidationError(
            _(
                "You are the only lead of: %(reports)s. Make someone else lead first, so the "
                "report is not left without one."
            )
            % {"reports": ", ".join(r.title for r in blocking)}
        )
    result = Deletion()
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    email = user.email
    result.applications, _detail = TaskforceApplication.objects.filter(
        Q(user=user) | Q(email_key=email.lower())
    ).delete()
    subscriber = _subscriber_of(user)
    if subscriber is not None:
        address = subscriber.email
        subscriber.delete()  # its subscriptions and reminder preference go with it
        result.subscriber = True
    else:
        address = email
    result.mail_log_rows = (
        Delivery.objects.filter(email__iexact=address).delete()[0]
        + ReminderLog.objects.filter(email__iexact=address).delete()[0]
    )
    result.sessions = _delete_sessions_of(user)
    # Audit rows about the person (added to an organisation, their claim decided) stay for the
    # organisation's record, without the address their label was written with.
    OrganisationEvent.objects.filter(user=user).update(
        user_label=_("deleted account #%(id)s") % {"id": user.pk}
    )
    # Profile, memberships, roles on reports, role changes about them: CASCADE. Authored
    # paragraphs, revisions, comments, labels, posts: SET_NULL (kept, anonymised).
    user.delete()
    return result


def _delete_sessions_of(user: Any) -> int:
    """Log the person out everywhere (database sessions carry the user id)."""
    ids = []
    now = timezone.now()
    for session in Session.objects.filter(expire_date__gt=now).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            ids.append(session.pk)
    return Session.objects.filter(pk__in=ids).delete()[0]

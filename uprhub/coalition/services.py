"""Applying to the UPR Taskforce and the coordinators' decisions.

`submit_application` recognises a returning address: the new answers are kept aside and the
address's owner is e-mailed a link to confirm them (`confirm_revision`), so nobody can
overwrite someone else's application by typing their address. The coordinators are e-mailed
when an application enters the queue (`notifications.py`). `decide` records every decision
(who, when, what, message), e-mails the message, and on approval creates or links the account
and adds the person to the taskforce and to the working groups of their themes. Approval
never adds anyone to an existing organisation (only its contact person does that,
`accounts.services.add_member`); it may register a *new* organisation as a claim waiting for
review. `approval_plan` says beforehand what approval will do.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from uprhub.accounts import services as accounts
from uprhub.accounts.choices import Experience, OrganisationType, Role
from uprhub.accounts.models import Organisation
from uprhub.accounts.permissions import has_role
from uprhub.accounts.tokens import set_password_url
from uprhub.core.mail import absolute_url, schedule_mail
from uprhub.core.rules import Actor, require_perm
from uprhub.recommendations.models import Theme

from . import notifications
from .models import (
    ApplicationDecision,
    ApplicationRevision,
    ApplicationStatus,
    Decision,
    TaskforceApplication,
    TaskforceMember,
    WorkingGroup,
)

APPLICATION_FIELDS = (
    "name",
    "email",
    "organisation_name",
    "role_title",
    "experience",
    "city",
    "us_state",
    "country",
    "languages",
    "motivation",
)


class Outcome(enum.StrEnum):
    NEW = "new"
    # New answers for a known address wait for its owner's confirmation; nothing changed.
    TO_CONFIRM = "to_confirm"
    ALREADY_MEMBER = "already_member"


class InvalidConfirmation(Exception):
    """The confirmation link is unknown, used, replaced or expired."""


class OrganisationPlan(enum.StrEnum):
    NONE = "none"  # no organisation named
    CREATE = "create"  # a new organisation, the applicant its contact once the claim is confirmed
    EXISTING = "existing"  # the name is an existing organisation's: nobody is added to it


@dataclass(frozen=True)
class ApprovalPlan:
    """What approving an application will do, shown on the review page before deciding."""

    creates_account: bool
    organisation: OrganisationPlan
    organisation_name: str
    existing_organisation: Organisation | None = None


@dataclass(frozen=True)
class Submission:
    application: TaskforceApplication
    outcome: Outcome


class DecisionNotAllowed(Exception):
    """The application cannot take this decision in its current state."""


def _urls() -> dict[str, str]:
    return {
        "apply_url": absolute_url(reverse("coalition:apply")),
        "login_url": absolute_url(reverse("accounts:login")),
        "reset_url": absolute_url(reverse("accounts:password_reset")),
    }


@transaction.atomic
def submit_application(*, themes: Iterable[Theme], **fields: Any) -> Submission:
    """Record an application; for a known address, keep the answers until its owner confirms.

    Nothing of an existing application changes here. The address always gets an e-mail (and
    only the address: the sender may not own it); what the web page says does not depend on
    whether the address was known (no enumeration through the public form).
    """
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown application fields: {sorted(unknown)}")
    email_key = accounts.normalise_email(fields["email"])
    fields["email"] = email_key
    themes = list(themes)
    now = timezone.now()

    application = (
        TaskforceApplication.objects.select_for_update().filter(email_key=email_key).first()
    )
    if application is None:
        application = TaskforceApplication(email_key=email_key, last_submitted_at=now, **fields)
        application.full_clean()
        try:
            # A savepoint, so a concurrent first submission from the same address takes
            # the known-address path below instead of failing.
            with transaction.atomic():
                application.save()
        except IntegrityError:
            application = TaskforceApplication.objects.select_for_update().get(email_key=email_key)
        else:
            application.themes.set(themes)
            # Greeted neutrally: the name was typed by whoever sent the form, for an address
            # nobody has confirmed (echoing it would make the form a spam relay).
            schedule_mail(application.email, "application_received", _urls())
            notifications.notify_reviewers(application)
            return Submission(application, Outcome.NEW)

    if application.status == ApplicationStatus.APPROVED:
        # Nothing to review again; remind them how to get in.
        schedule_mail(
            application.email, "application_already_member", _urls(), name=application.name
        )
        return Submission(application, Outcome.ALREADY_MEMBER)

    # Someone else may have typed this address: keep the answers aside and ask the owner.
    # Unconfirmed answers past the link's lifetime are personal data with no use: drop them.
    ApplicationRevision.objects.filter(created_at__lt=now - _revision_max_age()).delete()
    token = secrets.token_urlsafe(32)
    ApplicationRevision.objects.create(
        application=application,
        answers={**fields, "themes": [theme.pk for theme in themes]},
        token_hash=_token_hash(token),
    )
    schedule_mail(
        application.email,
        "application_confirm_changes",
        {**_urls(), "confirm_url": absolute_url(reverse("coalition:confirm", args=[token]))},
    )
    return Submission(application, Outcome.TO_CONFIRM)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _revision_max_age() -> timedelta:
    # Same lifetime as an account's verification link (three days by default).
    return timedelta(seconds=settings.UPRHUB_EMAIL_VERIFICATION_MAX_AGE)


def pending_revision(token: str) -> ApplicationRevision:
    """The unconfirmed answers a link is for; raises InvalidConfirmation."""
    revision = (
        ApplicationRevision.objects.select_related("application")
        .filter(token_hash=_token_hash(token), created_at__gte=timezone.now() - _revision_max_age())
        .first()
    )
    if revision is None or revision.application.status == ApplicationStatus.APPROVED:
        raise InvalidConfirmation
    return revision


@transaction.atomic
def confirm_revision(token: str) -> TaskforceApplication:
    """The owner of the address confirms new answers: they replace the application's (the
    earlier ones are kept for the coordinators) and it goes back into the queue."""
    revision = pending_revision(token)
    application = TaskforceApplication.objects.select_for_update().get(pk=revision.application_id)
    if application.status == ApplicationStatus.APPROVED:
        raise InvalidConfirmation
    answers = dict(revision.answers)
    themes = Theme.objects.filter(pk__in=answers.pop("themes", []))
    status_before = application.status
    application.previous_answers = [*application.previous_answers, _snapshot(application)]
    for name in APPLICATION_FIELDS:
        if name in answers and name != "email":
            setattr(application, name, answers[name])
    application.submission_count += 1
    application.last_submitted_at = timezone.now()
    # New answers (often to a request for information) go back into the queue.
    application.status = ApplicationStatus.PENDING
    application.full_clean()
    application.save()
    application.themes.set(themes)
    # This link and any other unconfirmed answers for the application are spent.
    application.revisions.all().delete()
    schedule_mail(application.email, "application_updated", _urls(), name=application.name)
    if status_before != ApplicationStatus.PENDING:
        # Back in the queue (answers to a question, or after a decline): tell the coordinators.
        # Confirmed new answers to an application still waiting are not news: the queue shows
        # the latest answers and how often they were sent.
        notifications.notify_reviewers(application, returning=True)
    return application


def _snapshot(application: TaskforceApplication) -> dict[str, Any]:
    answers: dict[str, Any] = {name: getattr(application, name) for name in APPLICATION_FIELDS}
    answers["themes"] = sorted(theme.name for theme in application.themes.all())
    answers["submitted_at"] = application.last_submitted_at.isoformat()
    return answers


@transaction.atomic
def decide(
    application: TaskforceApplication, decision: str, message: str, *, actor: Actor
) -> ApplicationDecision:
    """Approve, decline or ask for more information; audited and e-mailed.

    Checks "coalition.decide_application" itself (coordinators; not once approved)."""
    require_perm(
        actor,
        "coalition.decide_application",
        application,
        state_error=DecisionNotAllowed("This application has already been approved."),
    )
    if decision not in Decision.values:
        raise ValueError(f"Unknown decision {decision!r}")
    message = message.strip()
    if not message:
        raise ValueError("A decision needs a message for the applicant")
    application = TaskforceApplication.objects.select_for_update().get(pk=application.pk)
    if application.status == ApplicationStatus.APPROVED:
        raise DecisionNotAllowed("This application has already been approved.")

    status_before = application.status
    context: dict[str, Any] = {"message": message, **_urls()}
    if decision == Decision.APPROVE:
        user = _approve(application, actor=actor)
        application.user = user
        application.status = ApplicationStatus.APPROVED
        context["set_password_url"] = None if user.has_usable_password() else set_password_url(user)
        template = "application_approved"
    elif decision == Decision.DECLINE:
        application.status = ApplicationStatus.DECLINED
        template = "application_declined"
    else:
        application.status = ApplicationStatus.NEEDS_INFO
        template = "application_more_info"
    application.save(update_fields=["status", "user", "updated_at"])

    record = ApplicationDecision.objects.create(
        application=application,
        decision=decision,
        message=message,
        status_before=status_before,
        status_after=application.status,
        actor=actor,
        actor_label=f"{actor.get_username()} (#{actor.pk})" if actor else "system",
    )
    schedule_mail(application.email, template, context, name=application.name)
    return record


def _approve(application: TaskforceApplication, *, actor: Any) -> Any:
    """Create or link the account, then add it to the taskforce and working groups."""
    user = accounts.find_user_by_email(application.email)
    if user is None:
        user = accounts.create_account(
            email=application.email, full_name=application.name, password=None, active=True
        )
    else:
        profile = accounts.profile_for(user)
        if profile.email_verified_at is None:
            # An unconfirmed sign-up may have been made by someone else with this address:
            # drop its password; the owner chooses one through the link we e-mail them.
            user.set_unusable_password()
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
        elif not user.is_active:
            raise DecisionNotAllowed(
                "The account with this address is switched off; an administrator must "
                "re-activate it first."
            )

    _fill_profile(user, application)
    if not has_role(user, Role.MEMBER):
        accounts.set_role(user, Role.MEMBER, actor=actor, reason="taskforce application approved")

    member, created = TaskforceMember.objects.get_or_create(
        user=user, defaults={"application": application}
    )
    if not created and not member.active:
        member.active = True
        member.save(update_fields=["active"])
    for group in WorkingGroup.objects.filter(theme__in=application.themes.all()):
        group.members.add(member)

    plan = approval_plan(application)
    if plan.organisation == OrganisationPlan.CREATE:
        # Registered under that name since the page was shown: never merge into it.
        with contextlib.suppress(ValidationError):
            accounts.create_organisation(
                actor=actor,
                contact=user,
                name=application.organisation_name,
                kind=OrganisationType.OTHER,
                city=application.city,
                country=application.country or "United States",
                note=f"taskforce application #{application.pk}",
            )
    return user


def approval_plan(application: TaskforceApplication) -> ApprovalPlan:
    """What `decide(..., "approve")` will do with this application's account and organisation.

    A typed organisation name never makes anyone a member of an existing organisation: when
    it matches one (without case, spacing or accents) it is only flagged for the coordinator.
    """
    creates_account = accounts.find_user_by_email(application.email) is None
    name = application.organisation_name.strip()
    if not name:
        return ApprovalPlan(creates_account, OrganisationPlan.NONE, "")
    existing = Organisation.objects.named_like(name).first()
    if existing is not None:
        return ApprovalPlan(creates_account, OrganisationPlan.EXISTING, name, existing)
    return ApprovalPlan(creates_account, OrganisationPlan.CREATE, name)


def _fill_profile(user: Any, application: TaskforceApplication) -> None:
    """Copy the application into the profile without overwriting what the person wrote."""
    profile = accounts.profile_for(user)
    for name in ("organisation_name", "city", "us_state", "country", "languages"):
        if not getattr(profile, name) and getattr(application, name):
            setattr(profile, name, getattr(application, name))
    if not profile.full_name:
        profile.full_name = application.name
    if profile.experience == Experience.NONE:
        profile.experience = application.experience
    profile.save()
    profile.themes.add(*application.themes.all())

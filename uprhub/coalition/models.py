"""The UPR Taskforce: applications to join, the coordinators' decisions, members and
working groups by theme."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from uprhub.accounts.choices import Experience
from uprhub.accounts.models import Located
from uprhub.accounts.validators import single_line
from uprhub.recommendations.models import Theme


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    NEEDS_INFO = "needs_info", _("More information requested")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


OPEN_STATUSES = (ApplicationStatus.PENDING, ApplicationStatus.NEEDS_INFO)


class TaskforceApplicationQuerySet(models.QuerySet["TaskforceApplication"]):
    def for_email(self, email: str) -> TaskforceApplicationQuerySet:
        return self.filter(email_key=email.strip().lower())

    def open(self) -> TaskforceApplicationQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def for_queue(self) -> TaskforceApplicationQuerySet:
        return self.prefetch_related("themes").order_by("-last_submitted_at")


class TaskforceApplication(Located):
    """One person's application. A person (an e-mail address) has at most one: applying
    again with the address proposes new answers, which replace these only once the address's
    owner confirms them (`ApplicationRevision`)."""

    name = models.CharField(_("name"), max_length=150, validators=[single_line])
    email = models.EmailField(_("e-mail address"))
    # Lower-cased address; unique, so the same person is recognised however they type it.
    email_key = models.EmailField(unique=True, editable=False)
    organisation_name = models.CharField(
        _("organisation"), max_length=255, blank=True, validators=[single_line]
    )
    role_title = models.CharField(
        _("role in the organisation"), max_length=150, blank=True, validators=[single_line]
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("focus themes"), blank=True, related_name="+"
    )
    experience = models.CharField(
        _("experience with UN mechanisms"),
        max_length=20,
        choices=Experience.choices,
        default=Experience.NONE,
    )
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, validators=[single_line]
    )
    motivation = models.TextField(_("motivation"), max_length=3000)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
        db_index=True,
    )
    submission_count = models.PositiveIntegerField(
        _("times submitted"),
        default=1,
        help_text=_("More than one when the person sent the form again with the same address."),
    )
    # Anyone who knows an address can send the form again, so earlier answers are kept
    # for the coordinators rather than silently overwritten.
    previous_answers = models.JSONField(
        _("earlier answers"), default=list, blank=True, editable=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="taskforce_applications",
        help_text=_("The account created or linked when the application was approved."),
    )
    submitted_at = models.DateTimeField(_("first submitted"), auto_now_add=True)
    last_submitted_at = models.DateTimeField(_("last submitted"))
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskforceApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-last_submitted_at"]
        verbose_name = _("taskforce application")
        verbose_name_plural = _("taskforce applications")
        permissions = [("review_application", _("Can review taskforce applications"))]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ApplicationRevision(models.Model):
    """New answers sent with the address of an application that already exists.

    Anyone can type anyone's address into the public form, so new answers never replace
    the application's until the address's owner confirms them from the link we e-mail
    (`services.confirm_revision`). Only a hash of the link's token is stored.
    """

    application = models.ForeignKey(
        TaskforceApplication, on_delete=models.CASCADE, related_name="revisions"
    )
    answers = models.JSONField(editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("unconfirmed answers")
        verbose_name_plural = _("unconfirmed answers")

    def __str__(self) -> str:
        return f"{self.application} ({self.created_at:%Y-%m-%d %H:%M})"


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    DECLINE = "decline", _("Decline")
    ASK_INFO = "ask_info", _("Ask for more information")


class ApplicationDecision(models.Model):
    """Audit trail: who decided what about an application, when, and the message sent."""

    application = models.ForeignKey(
        TaskforceApplication, on_delete=models.CASCADE, related_name="decisions"
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    message = models.TextField(_("message e-mailed to the applicant"))
    status_before = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    status_after = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as text so the record still says who decided after that account is deleted.
    actor_label = models.CharField(_("decided by"), max_length=255)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application decision")
        verbose_name_plural = _("application decisions")

    def __str__(self) -> str:
        return f"{self.get_decision_display()} – {self.application}"


class TaskforceMember(models.Model):
    """A person in the UPR Taskforce. Name, place and themes live on their profile."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="taskforce_membership"
    )
    application = models.ForeignKey(
        TaskforceApplication, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["user__profile__full_name"]
        verbose_name = _("taskforce member")
        verbose_name_plural = _("taskforce members")

    def __str__(self) -> str:
        return str(getattr(self.user, "profile", None) or self.user)


class WorkingGroup(models.Model):
    """A working group of the taskforce, usually around one theme.

    Approved applicants join every group whose theme is among their focus themes.
    """

    name = models.CharField(_("name"), max_length=150, unique=True)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="working_groups",
        help_text=_("Approved applicants with this focus theme join the group."),
    )
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(TaskforceMember, related_name="working_groups", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return self.name

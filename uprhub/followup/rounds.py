"""Assessment rounds: creating and changing them, closing and reopening, and who takes part.

Every service checks ``followup.manage_round`` first (coordinators, admins, the command
line). Changes are version-checked like a report's paragraphs (`reports.services`): the form
carries the version it started from, and a save from an older one is refused with the other
person's values, never silently overwritten. A closed round takes no more changes until it is
reopened.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from uprhub.accounts.models import Organisation
from uprhub.core.rules import Actor, require_perm
from uprhub.reviews.models import Review

from . import round_selectors
from .models import AssessmentRound, RoundRole, RoundRoleKind, Scale

#: Fields `update_round` may change (the slug stays: it is in addresses and reminders).
EDITABLE = (
    "name",
    "review",
    "scale",
    "description",
    "as_of",
    "assessments_due",
    "review_due",
    "publish_on",
)
#: Fields fixed once something was assessed or positioned in the round.
FIXED_WITH_WORK = ("review", "scale")
SLUG_MAX = AssessmentRound._meta.get_field("slug").max_length or 80
#: Short names the pages' own addresses use (``/followup/rounds/new/``).
RESERVED_SLUGS = frozenset({"new"})


class RoundError(ValueError):
    """A change to a round that cannot be made; the message says why (translated)."""


class RoundClosed(RoundError):
    """The round is closed: reopen it first."""


class StaleRound(RoundError):
    """Someone else saved the round since the form was opened; `current` is their version."""

    def __init__(self, message: str, current: AssessmentRound) -> None:
        super().__init__(message)
        self.current = current


def _closed_error() -> RoundClosed:
    return RoundClosed(_("This round is closed: it takes no more changes. Reopen it first."))


def check_dates(
    assessments_due: date | None, review_due: date | None, publish_on: date | None
) -> None:
    """The deadlines come in order: assessments, then the review, then publication."""
    if assessments_due and review_due and review_due < assessments_due:
        raise RoundError(
            _("The review is due on %(review)s, before the assessments (%(assessments)s).")
            % {"review": review_due.isoformat(), "assessments": assessments_due.isoformat()}
        )
    if review_due and publish_on and publish_on < review_due:
        raise RoundError(
            _("Publication is planned on %(publish)s, before the review is due (%(review)s).")
            % {"publish": publish_on.isoformat(), "review": review_due.isoformat()}
        )
    if assessments_due and publish_on and publish_on < assessments_due:
        raise RoundError(
            _(
                "Publication is planned on %(publish)s, before the assessments are due "
                "(%(assessments)s)."
            )
            % {"publish": publish_on.isoformat(), "assessments": assessments_due.isoformat()}
        )


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise RoundError(_("A round needs a name, e.g. Mid-term 2022."))
    return name


def _slug_for(name: str, slug: str | None) -> str:
    """The given slug (refused if taken), or one made from the name (numbered if taken)."""
    if slug:
        wanted = slugify(slug)[:SLUG_MAX]
        if not wanted:
            raise RoundError(_("The short name may use letters, digits and hyphens only."))
        if wanted in RESERVED_SLUGS or AssessmentRound.objects.filter(slug=wanted).exists():
            raise RoundError(
                _("The short name “%(slug)s” is already used by another round.") % {"slug": wanted}
            )
        return wanted
    base = slugify(name)[: SLUG_MAX - 4] or "round"
    candidate, number = base, 2
    while candidate in RESERVED_SLUGS or AssessmentRound.objects.filter(slug=candidate).exists():
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _check_review(review: Review) -> None:
    if not isinstance(review, Review) or not review.recommendations.exists():
        raise RoundError(_("Choose a review that has recommendations."))


def create_round(
    actor: Actor,
    *,
    review: Review,
    name: str,
    slug: str | None = None,
    scale: Scale,
    as_of: date,
    description: str = "",
    assessments_due: date | None = None,
    review_due: date | None = None,
    publish_on: date | None = None,
) -> AssessmentRound:
    require_perm(actor, "followup.manage_round")
    name = _clean_name(name)
    _check_review(review)
    if not isinstance(scale, Scale):
        raise RoundError(_("Choose a scale."))
    if as_of is None:
        raise RoundError(_("Say as of which date the round assesses."))
    check_dates(assessments_due, review_due, publish_on)
    try:
        with transaction.atomic():
            round_ = AssessmentRound.objects.create(
                review=review,
                name=name,
                slug=_slug_for(name, slug),
                scale=scale,
                as_of=as_of,
                description=(description or "").strip(),
                assessments_due=assessments_due,
                review_due=review_due,
                publish_on=publish_on,
                created_by=actor,
            )
            if not review.clusters.exists():
                # A round's first page offers clusters to assess in one step: make them now
                # (TF-IDF, a fraction of a second for 347), not after someone finds the command.
                from .clusters import compute_clusters

                compute_clusters(review, actor=actor)
            return round_
    except IntegrityError as error:
        # Two coordinators naming a round alike at the same moment: the second is told.
        raise RoundError(
            _("Another round took this short name at the same moment: try again.")
        ) from error


def update_round(
    actor: Actor, round_: AssessmentRound, *, version: int, **fields: Any
) -> AssessmentRound:
    """Change the round's settings from the version the form started from."""
    require_perm(actor, "followup.manage_round", round_)
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise RoundError(_("These cannot be changed: %(fields)s.") % {"fields": ", ".join(unknown)})
    with transaction.atomic():
        current = AssessmentRound.objects.select_for_update().get(pk=round_.pk)
        if current.version != version:
            raise StaleRound(
                _(
                    "Someone else changed this round (now version %(version)s) while you were "
                    "editing it. Your changes were not saved; their values are shown: "
                    "%(summary)s"
                )
                % {"version": current.version, "summary": summary(current)},
                current,
            )
        if current.closed:
            raise _closed_error()
        values = {name: getattr(current, name) for name in EDITABLE}
        values.update(fields)
        values["name"] = _clean_name(values["name"])
        values["description"] = (values["description"] or "").strip()
        for name in FIXED_WITH_WORK:
            changed = getattr(values[name], "pk", None) != getattr(current, f"{name}_id")
            if changed and round_selectors.has_work(current):
                raise RoundError(
                    _(
                        "The scale cannot change: assessments or positions were already made "
                        "in this round."
                    )
                    if name == "scale"
                    else _(
                        "The review cannot change: assessments or positions were already made "
                        "in this round."
                    )
                )
        if values["review"] is not None and values["review"].pk != current.review_id:
            _check_review(values["review"])
        if values["as_of"] is None:
            raise RoundError(_("Say as of which date the round assesses."))
        check_dates(values["assessments_due"], values["review_due"], values["publish_on"])
        AssessmentRound.objects.filter(pk=current.pk, version=version).update(
            **values, version=version + 1
        )
    round_.refresh_from_db()
    return round_


def summary(round_: AssessmentRound) -> str:
    """The round's settings in one line (what a version clash shows)."""
    dates = ", ".join(
        f"{label} {value.isoformat()}"
        for label, value in (
            (_("as of"), round_.as_of),
            (_("assessments due"), round_.assessments_due),
            (_("review due"), round_.review_due),
            (_("publication"), round_.publish_on),
        )
        if value
    )
    return f"“{round_.name}”, {round_.scale}; {dates}."


def _set_closed(actor: Actor, round_: AssessmentRound, closed: bool) -> AssessmentRound:
    require_perm(actor, "followup.manage_round", round_)
    with transaction.atomic():
        current = AssessmentRound.objects.select_for_update().get(pk=round_.pk)
        if current.closed != closed:
            AssessmentRound.objects.filter(pk=current.pk).update(
                closed=closed, version=current.version + 1
            )
    round_.refresh_from_db()
    return round_


def close_round(actor: Actor, round_: AssessmentRound) -> AssessmentRound:
    """No more assessments or positions, no reminders; published positions stay public."""
    return _set_closed(actor, round_, True)


def reopen_round(actor: Actor, round_: AssessmentRound) -> AssessmentRound:
    return _set_closed(actor, round_, False)


def add_role(
    actor: Actor,
    round_: AssessmentRound,
    user: Any,
    role: str,
    organisation: Organisation | None = None,
) -> RoundRole:
    """Give a member a role; an assessor assesses for one of their own organisations."""
    require_perm(actor, "followup.manage_round", round_)
    if round_.closed:
        raise _closed_error()
    if role not in RoundRoleKind.values:
        raise RoundError(_("Unknown role: %(role)s.") % {"role": role})
    if user is None or round_selectors.person_for_roles(user.pk) is None:
        raise RoundError(
            _("Only active accounts of members, coordinators and admins can be given a role.")
        )
    if role == RoundRoleKind.ASSESSOR and organisation is None:
        raise RoundError(_("An assessor assesses for an organisation: choose one."))
    if (
        organisation is not None
        and not round_selectors.organisations_of(user).filter(pk=organisation.pk).exists()
    ):
        raise RoundError(
            _("%(person)s is not a member of %(organisation)s.")
            % {"person": user.email, "organisation": organisation.name}
        )
    existing = RoundRole.objects.filter(round=round_, user=user, role=role).first()
    if existing is not None:
        raise RoundError(
            _("%(person)s is already %(role)s in this round.")
            % {"person": user.email, "role": existing.get_role_display().lower()}
        )
    try:
        with transaction.atomic():
            return RoundRole.objects.create(
                round=round_, user=user, role=role, organisation=organisation
            )
    except IntegrityError as error:
        raise RoundError(
            _("%(person)s was given this role at the same moment.") % {"person": user.email}
        ) from error


def remove_role(actor: Actor, role: RoundRole) -> None:
    """Take a role away; what the person already assessed stays (it is the organisation's)."""
    require_perm(actor, "followup.manage_round", role.round)
    RoundRole.objects.filter(pk=role.pk).delete()

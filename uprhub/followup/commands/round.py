"""`uprhub followup round create|list|add-role|remove-role|close|reopen`: assessment rounds
from the command line (the operator: the system actor)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uprhub.accounts.models import Organisation
from uprhub.followup import round_selectors, rounds
from uprhub.followup.models import AssessmentRound, RoundRoleKind, Scale

NAME = "round"


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("%(value)s is not a date: write it as YYYY-MM-DD.") % {"value": value}
        ) from None


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("round", help=_("Assessment rounds: create, list, give roles."))
    actions = parser.add_subparsers(dest="action", required=True)

    create = actions.add_parser(
        "create", help=_("Create a round assessing a State's recommendations of one cycle.")
    )
    create.add_argument("state", metavar="ISO3", help=_("ISO 3166-1 alpha-3 code, e.g. USA."))
    create.add_argument(
        "--cycle", type=int, required=True, help=_("UPR cycle of the recommendations assessed.")
    )
    create.add_argument("--name", required=True, help=_("e.g. Mid-term 2022"))
    create.add_argument("--slug", help=_("Short name in addresses (default: from the name)."))
    create.add_argument("--scale", required=True, metavar="SLUG", help=_("The scale's identifier."))
    create.add_argument(
        "--as-of", type=_date, required=True, metavar="DATE", help=_("Assessed as of (YYYY-MM-DD).")
    )
    create.add_argument("--description", default="", help=_("What the round is for."))
    for option, text in (
        ("--assessments-due", _("Assessments due (YYYY-MM-DD).")),
        ("--review-due", _("Review due (YYYY-MM-DD).")),
        ("--publish-on", _("Publication planned (YYYY-MM-DD).")),
    ):
        create.add_argument(option, type=_date, metavar="DATE", help=text)

    actions.add_parser("list", help=_("Every round, as JSON."))

    for action, text in (
        ("add-role", _("Give a member a role in a round.")),
        ("remove-role", _("Take a role away.")),
    ):
        role = actions.add_parser(action, help=text)
        role.add_argument("slug", help=_("The round's short name."))
        role.add_argument("email", help=_("The person's account e-mail address."))
        role.add_argument("--role", choices=RoundRoleKind.values, required=True, help=_("Role."))
        if action == "add-role":
            role.add_argument(
                "--organisation",
                type=int,
                metavar="ID",
                help=_("For an assessor: the id of the organisation they assess for."),
            )

    for action, text in (
        ("close", _("Close a round: no more changes, no more reminders.")),
        ("reopen", _("Reopen a closed round.")),
    ):
        one = actions.add_parser(action, help=text)
        one.add_argument("slug", help=_("The round's short name."))


def _round(slug: str) -> AssessmentRound:
    found = AssessmentRound.objects.filter(slug=slug).select_related("review").first()
    if found is None:
        raise CommandError(_("No round named %(slug)s.") % {"slug": slug})
    return found


def _user(email: str) -> Any:
    found = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if found is None:
        raise CommandError(_("No account with the address %(email)s.") % {"email": email})
    return found


def _as_dict(round_: AssessmentRound) -> dict[str, Any]:
    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "slug": round_.slug,
        "name": round_.name,
        "state": round_.review.state.iso3,
        "session": round_.review.session_id,
        "cycle": round_.review.session.cycle_id,
        "scale": round_.scale.slug,
        "as_of": day(round_.as_of),
        "assessments_due": day(round_.assessments_due),
        "review_due": day(round_.review_due),
        "publish_on": day(round_.publish_on),
        "closed": round_.closed,
        "version": round_.version,
    }


def _create(options: dict[str, Any]) -> AssessmentRound:
    review = round_selectors.review_for(options["state"], options["cycle"])
    if review is None:
        raise CommandError(
            _("No review of %(state)s in cycle %(cycle)s.")
            % {"state": options["state"].upper(), "cycle": options["cycle"]}
        )
    scale = Scale.objects.filter(slug=options["scale"]).first()
    if scale is None:
        known = ", ".join(round_selectors.scales().values_list("slug", flat=True))
        raise CommandError(
            _("Unknown scale %(slug)s (known: %(known)s).")
            % {"slug": options["scale"], "known": known}
        )
    return rounds.create_round(
        None,
        review=review,
        name=options["name"],
        slug=options.get("slug"),
        scale=scale,
        as_of=options["as_of"],
        description=options["description"],
        assessments_due=options.get("assessments_due"),
        review_due=options.get("review_due"),
        publish_on=options.get("publish_on"),
    )


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    action = options["action"]
    try:
        if action == "create":
            created = _create(options)
            command.stdout.write(json.dumps(_as_dict(created), ensure_ascii=False))
        elif action == "list":
            every = AssessmentRound.objects.select_related(
                "review__state", "review__session", "scale"
            )
            payload = {"rounds": [_as_dict(r) for r in every]}
            command.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        elif action == "add-role":
            round_ = _round(options["slug"])
            user = _user(options["email"])
            organisation = None
            if options.get("organisation") is not None:
                organisation = Organisation.objects.filter(pk=options["organisation"]).first()
                if organisation is None:
                    raise CommandError(
                        _("No organisation with id %(id)s.") % {"id": options["organisation"]}
                    )
            rounds.add_role(None, round_, user, options["role"], organisation)
            command.stdout.write(_("Role given."))
        elif action == "remove-role":
            round_ = _round(options["slug"])
            user = _user(options["email"])
            role = round_.roles.filter(user=user, role=options["role"]).first()
            if role is None:
                raise CommandError(_("This person has no such role in the round."))
            rounds.remove_role(None, role)
            command.stdout.write(_("Role removed."))
        elif action == "close":
            rounds.close_round(None, _round(options["slug"]))
            command.stdout.write(_("Round closed."))
        elif action == "reopen":
            rounds.reopen_round(None, _round(options["slug"]))
            command.stdout.write(_("Round reopened."))
    except rounds.RoundError as error:
        raise CommandError(str(error)) from error
    except PermissionDenied as error:  # never for the command line; said plainly if it were
        raise CommandError(_("Not allowed: %(perm)s") % {"perm": error}) from error

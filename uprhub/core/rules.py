"""Who may do what: UPR Hub's one permission vocabulary.

Every permission is an ``"app.action"`` name with a rule in this module, and nowhere else::

    has_perm(user, "reports.edit", report)      # a yes/no for templates and views
    require_perm(actor, "reports.edit", report) # the first line of a write service

A rule has two halves, checked in this order:

* **who** — a predicate on the person (and the object): their site role
  (`uprhub.accounts.permissions`), their role on a report, their organisations.
* **when** — the object's state that allows the action (a draft report, a pending
  application, a draft post). `require_perm` raises the service's own error for a refused
  state (``state_error=``: "This post was already sent.") but only after the person passed
  the *who* half, so nobody learns an object's state from a refusal they would get anyway.

The actor
    Services take ``actor: User | None``. A signed-in, active account is judged by the rule;
    an anonymous visitor or a switched-off account never passes. ``None`` means the command
    line, run by the operator (imports, ``uprhub calendar load``, role changes from a shell):
    it passes only rules marked ``system=True``. Views always pass ``request.user`` (never
    None), so the web cannot reach the system path, and no service takes its actor from input.

Why not django-rules (``rules==3.5``, which does work with Django 6.1): its predicates do not
separate the person from the object's state, which we need for clear state errors, and
``User.has_perm`` lets every active superuser through before any backend is asked, so
``user.has_perm("reports.edit", final_report)`` would say yes to an admin while the service
says no. Ask this module, never ``user.has_perm``, for these names (``user.has_perm`` stays
for Django's model permissions in the admin site).

Django's model permissions (the admin site's vocabulary) stay; where one means the same as a
rule here (``uprcalendar.change_deadline``, ``coalition.review_application``,
``accounts.set_role``, which coordinators and admins get through their role groups), the rule
accepts it too, so an account given it by hand in the admin site is treated alike everywhere.

Public self-service writes (subscribing, applying, signing up, links from e-mails) are not
permissions: anyone may do them, and their services never take an actor from the form.

The whole vocabulary is `RULES` (printed by `describe()`); the grid tests in
``tests/permissions/`` check every name against roles and states, through `has_perm` and by
calling the write services directly.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from uprhub.accounts.choices import Role
from uprhub.accounts.permissions import (
    can_edit_organisation,
    can_manage_organisation_members,
    can_review_organisation_claims,
    can_view_organisation,
    is_admin,
    is_coordinator,
    is_member,
    sees_unlisted_members,
)
from uprhub.accounts.permissions import role_of as site_role_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from uprhub.reports.permissions import Access

#: Who performs a write: an account, or None for the command line (see the docstring).
type Actor = User | None
#: Who asks whether they may: also an anonymous visitor.
type Person = User | AnonymousUser | None

Who = Callable[[Any, Any], bool]  # (active signed-in user, object or None) -> allowed
When = Callable[[Any], bool]  # (object) -> the object's state allows the action
ViewFunc = Callable[..., HttpResponse]


class UnknownPermission(LookupError):
    """A permission name with no rule: a typo in code, never a reason to allow or deny."""


@dataclass(frozen=True)
class Rule:
    name: str
    who: Who
    description: str
    when: When | None = None  # None: any state
    state: str = ""  # the state `when` requires, in words (for describe() and docs)
    system: bool = False  # the command line (actor None) may do it


RULES: dict[str, Rule] = {}


def rule(
    name: str,
    who: Who,
    description: str,
    *,
    when: When | None = None,
    state: str = "",
    system: bool = False,
) -> None:
    if name in RULES:
        raise ValueError(f"permission {name!r} is defined twice")
    RULES[name] = Rule(name, who, description, when, state, system)


def _rule(perm: str) -> Rule:
    try:
        return RULES[perm]
    except KeyError:
        raise UnknownPermission(perm) from None


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _who_allows(found: Rule, user: Any, obj: Any) -> bool:
    if user is None:
        return found.system
    return _signed_in(user) and bool(found.who(user, obj))


def _state_allows(found: Rule, obj: Any) -> bool:
    # Without an object (a view asking "may this person ever do it?") only `who` counts.
    return found.when is None or obj is None or bool(found.when(obj))


def has_perm(user: Person, perm: str, obj: object | None = None) -> bool:
    """May `user` (None: the command line) do `perm` on `obj` in its current state?"""
    found = _rule(perm)
    return _who_allows(found, user, obj) and _state_allows(found, obj)


def require_perm(
    actor: Person,
    perm: str,
    obj: object | None = None,
    *,
    state_error: Exception | None = None,
    denied: type[PermissionDenied] = PermissionDenied,
) -> None:
    """Raise PermissionDenied unless `actor` may do `perm` on `obj` (a service's first step).

    A person allowed the action but not in the object's current state gets `state_error`
    (the service's own, translated error) when given, else PermissionDenied. `denied` is the
    PermissionDenied subclass a service's callers already catch (e.g. an app's own).
    """
    found = _rule(perm)
    if not _who_allows(found, actor, obj):
        raise denied(perm)
    if not _state_allows(found, obj):
        raise state_error if state_error is not None else PermissionDenied(perm)


def perm_required(perm: str) -> Callable[[ViewFunc], ViewFunc]:
    """View decorator: anonymous visitors go to the login page; without `perm` → 403.

    Judges the person only (no object yet): the service called next checks the object and
    its state with the same rule.
    """
    _rule(perm)  # a typo fails at import, not at the first request

    def decorator(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_perm(request.user, perm):
                raise PermissionDenied(perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class May:
    """Templates' view of the rules: ``{% if may.coalition.view_queue %}`` is
    ``has_perm(user, "coalition.view_queue")``, without an object (see `perm_required`),
    asked once per page. An unknown name raises `UnknownPermission`, as in code."""

    def __init__(self, user: Person, app: str = "", cache: dict[str, bool] | None = None):
        self._user, self._app = user, app
        self._cache: dict[str, bool] = {} if cache is None else cache

    def __getitem__(self, name: str) -> May | bool:
        if not self._app:
            return May(self._user, name, self._cache)
        perm = f"{self._app}.{name}"
        if perm not in self._cache:
            self._cache[perm] = has_perm(self._user, perm)
        return self._cache[perm]


def describe() -> list[tuple[str, str, str, bool]]:
    """(name, who, required state, command line allowed) for every permission."""
    return [(r.name, r.description, r.state, r.system) for r in RULES.values()]


def _status_is(*statuses: str) -> When:
    return lambda obj: getattr(obj, "status", None) in statuses


def _anyone(user: Any, obj: Any) -> bool:
    return True


# --- accounts ----------------------------------------------------------------------------------


class RoleGrant(NamedTuple):
    """The object of "accounts.set_role": whose role becomes what."""

    user: Any
    role: str


def _may_set_role(user: Any, grant: RoleGrant | None) -> bool:
    if is_admin(user) or user.has_perm("accounts.set_role"):
        return True
    # Approving a taskforce application makes the person a member: coordinators may give the
    # member role to someone without one, and nothing else.
    return bool(
        is_coordinator(user)
        and grant is not None
        and grant.role == Role.MEMBER
        and site_role_of(grant.user) == Role.NONE
    )


rule(
    "accounts.set_role",
    _may_set_role,
    "admins; coordinators only to make someone without a role a member",
    system=True,
)
rule(
    "accounts.edit_profile",
    lambda user, person: person is None or person.pk == user.pk or is_admin(user),
    "the person themself; admins",
    system=True,
)
rule("accounts.create_organisation", _anyone, "any signed-in account")
rule(
    "accounts.edit_organisation",
    lambda user, organisation: organisation is None or can_edit_organisation(user, organisation),
    "people in the organisation; coordinators and admins",
    system=True,
)
rule(
    "accounts.manage_roles",
    lambda user, obj: is_admin(user),
    "admins (the people page and its role form; each change is then `accounts.set_role`)",
)


def sees_every_organisation(user: Any) -> bool:
    """Coordinators and admins open every organisation (they review claims); the others
    only their own. The organisation list (`accounts.selectors.organisations_for`) uses it."""
    return _signed_in(user) and is_coordinator(user)


rule(
    "accounts.view_organisation",
    # Without an organisation: the list of one's own organisations, open to every account.
    lambda user, organisation: organisation is None or can_view_organisation(user, organisation),
    "its members, coordinators and admins (anyone else gets a 404, not a 403)",
)
rule(
    "accounts.manage_members",
    # The confirmed claim is part of *who*, not a state: until a coordinator confirms it the
    # contact person is nobody special, while an admin may add people in any state.
    lambda user, organisation: (
        is_admin(user)
        if organisation is None
        else can_manage_organisation_members(user, organisation)
    ),
    "its contact person once its claim is confirmed; admins",
)
rule(
    "accounts.review_claim",
    lambda user, organisation: can_review_organisation_claims(user),
    "coordinators and admins",
    when=lambda organisation: organisation.verified_at is None,
    state="pending claim (not yet confirmed)",
)
rule(
    "accounts.see_unlisted_members",
    lambda user, organisation: (
        organisation is not None and sees_unlisted_members(user, organisation)
    ),
    "its contact person (once confirmed), coordinators and admins",
)

# --- calendar ----------------------------------------------------------------------------------

rule(
    "calendar.set_deadline",
    lambda user, target: is_coordinator(user) or user.has_perm("uprcalendar.change_deadline"),
    "coordinators and admins (or the uprcalendar.change_deadline model permission)",
    system=True,
)
rule(
    "calendar.load",
    lambda user, obj: is_admin(user),
    "admins; the command line (`uprhub calendar load`, first-run preparation)",
    system=True,
)

# --- coalition ---------------------------------------------------------------------------------


def _reviews_applications(user: Any, obj: Any) -> bool:
    return is_coordinator(user) or user.has_perm("coalition.review_application")


rule(
    "coalition.review_application",
    _reviews_applications,
    "coordinators and admins (or the coalition.review_application model permission)",
)
rule(
    "coalition.view_queue",
    lambda user, obj: is_coordinator(user),
    "coordinators and admins (the review queue and an application's page)",
)
rule(
    "coalition.view_directory",
    lambda user, obj: is_member(user),
    "members, coordinators and admins",
)
rule(
    "coalition.decide_application",
    _reviews_applications,
    "coordinators and admins (or the coalition.review_application model permission)",
    # An approved application is done: the person is in the taskforce. Declined and
    # waiting ones can still be decided (an applicant may be let in after all).
    when=_status_is("pending", "needs_info", "declined"),
    state="not yet approved",
)

# --- mailing lists -----------------------------------------------------------------------------

rule(
    "mailinglists.write_post",
    lambda user, post: is_coordinator(user),
    "coordinators and admins",
    when=_status_is("draft"),
    state="draft (a post that went out never changes)",
)
rule(
    "mailinglists.send_post",
    lambda user, post: is_coordinator(user),
    "coordinators and admins",
    when=_status_is("draft"),
    state="draft (a post is sent once)",
)
rule(
    "mailinglists.read_members_archive",
    lambda user, mailing_list: is_member(user),
    "members, coordinators and admins (public lists' archives are open to everyone)",
)
rule(
    "mailinglists.join_members_list",
    lambda user, mailing_list: is_member(user),
    "members, coordinators and admins, with their own account address",
)

# --- classifier --------------------------------------------------------------------------------

rule(
    "classifier.review_suggestion",
    lambda user, suggestion: is_member(user),
    "members, coordinators and admins",
    when=_status_is("pending"),
    state="pending (a decision is final)",
)

# --- reports -----------------------------------------------------------------------------------
# Judged on the person's facts about one report (`reports.permissions.Access`: their role on
# it, their organisations among its submitters, staff or not), so a page computes them once
# and asks many questions (`Access.can_edit` …) without a query each.

FactRule = Callable[["Access", Any], bool]


def sees_every_report(user: Any) -> bool:
    """Coordinators and admins ("staff" in `Access`) see every report; the report lists
    (`Report.objects.visible_to`) use this too."""
    return _signed_in(user) and is_coordinator(user)


WRITERS = ("lead", "drafter")


def _is_draft(report_or_part: Any) -> bool:
    report = getattr(report_or_part, "report", report_or_part)
    return bool(report.is_draft)


REPORT_FACTS: dict[str, FactRule] = {
    "reports.view": lambda a, obj: bool(a.role or a.organisation_ids or a.staff),
    "reports.edit": lambda a, obj: a.role in WRITERS,
    "reports.comment": lambda a, obj: bool(a.role or a.staff),
    "reports.manage_people": lambda a, obj: a.role == "lead" or a.staff,
    # Marking final and reopening: the lead's decision, in either state.
    "reports.finalise": lambda a, obj: a.role == "lead",
    # `obj` names the organisation: a ReportOrganisation row (or anything with an
    # `organisation_id`); only its members sign for it.
    "reports.sign_off": lambda a, obj: getattr(obj, "organisation_id", None) in a.organisation_ids,
}
REPORT_STATES: dict[str, When] = {"reports.edit": _is_draft, "reports.sign_off": _is_draft}


def report_allows(perm: str, access: Access, obj: Any = None, *, is_draft: bool = True) -> bool:
    """The rule for `perm` on facts already computed (`Access`); no query."""
    if not access.authenticated or not REPORT_FACTS[perm](access, obj):
        return False
    return perm not in REPORT_STATES or is_draft


def _report_who(perm: str) -> Who:
    def who(user: Any, obj: Any) -> bool:
        from uprhub.reports.permissions import access_for

        report = getattr(obj, "report", obj)
        return REPORT_FACTS[perm](access_for(report, user), obj)

    return who


rule("reports.create", lambda user, obj: is_member(user), "members, coordinators and admins")


def _may_submit_for(user: Any, organisation: Any) -> bool:
    # Whoever starts a report names its own organisations, even a claim still waiting for a
    # coordinator (they write while it is reviewed), and confirmed ones as partners of a
    # joint submission (whose members sign it off). Someone else's unconfirmed claim is
    # private to its contact person.
    if not is_member(user):
        return False
    return (
        organisation is None
        or organisation.verified_at is not None
        or can_edit_organisation(user, organisation)
    )


rule(
    "reports.submit_for",
    _may_submit_for,
    "members, coordinators and admins: their own organisations (claim pending or not) and "
    "confirmed ones; coordinators and admins any",
)
_REPORT_WHO_TEXT = {
    "reports.view": "its people, members of its organisations, coordinators and admins",
    "reports.edit": "its lead and drafters",
    "reports.comment": "its people (lead, drafters, reviewers), coordinators and admins",
    "reports.manage_people": "its lead, coordinators and admins",
    "reports.finalise": "its lead (mark final and reopen)",
    "reports.sign_off": "members of the signing organisation",
}
for _name in REPORT_FACTS:
    rule(
        _name,
        _report_who(_name),
        _REPORT_WHO_TEXT[_name],
        when=REPORT_STATES.get(_name),
        state="draft" if _name in REPORT_STATES else "",
    )

"""Who may do what: UPR Hub's one permission vocabulary.

Every permission is an ``"app.action"`` name with one rule, declared in its app's
``policy.py`` (``uprhub/reports/policy.py`` holds ``reports.*``) and asked for here::

    has_perm(user, "reports.edit", report)      # a yes/no for templates and views
    require_perm(actor, "reports.edit", report) # the first line of a write service

A rule has two halves, checked in this order:

* **who** — a predicate on the person (and the object): their site role
  (`uprhub.core.roles`), their role on a report, their organisations.
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

Why the rules live in their apps: this module is on the lowest floor, which every service may
import, while a rule is about one app's objects. The first lookup imports every installed
app's ``policy`` module (as the admin site finds ``admin.py``), so a name is known wherever it
is asked, and two apps never import each other to check a permission.

The whole vocabulary is `RULES` (printed by `describe()`); the grid tests in
``tests/permissions/`` check every name against roles and states, through `has_perm` and by
calling the write services directly.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

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


class _Registry(Mapping[str, Rule]):
    """Every app's rules, gathered from the apps' ``policy`` modules on first use."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}
        self._loaded = False
        self._lock = threading.RLock()

    def _load(self) -> None:
        if self._loaded:
            return
        with self._lock:
            if not self._loaded:
                from django.utils.module_loading import autodiscover_modules

                autodiscover_modules("policy")
                self._loaded = True

    def add(self, found: Rule) -> None:
        if found.name in self._rules:
            raise ValueError(f"permission {found.name!r} is defined twice")
        self._rules[found.name] = found

    def __getitem__(self, name: str) -> Rule:
        self._load()
        return self._rules[name]

    def __iter__(self) -> Iterator[str]:
        self._load()
        return iter(self._rules)

    def __len__(self) -> int:
        self._load()
        return len(self._rules)


RULES = _Registry()


def rule(
    name: str,
    who: Who,
    description: str,
    *,
    when: When | None = None,
    state: str = "",
    system: bool = False,
) -> None:
    """Declare a permission (called by the apps' ``policy`` modules at import)."""
    RULES.add(Rule(name, who, description, when, state, system))


def _rule(perm: str) -> Rule:
    try:
        return RULES[perm]
    except KeyError:
        raise UnknownPermission(perm) from None


def signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _who_allows(found: Rule, user: Any, obj: Any) -> bool:
    if user is None:
        return found.system
    return signed_in(user) and bool(found.who(user, obj))


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


def status_is(*statuses: str) -> When:
    return lambda obj: getattr(obj, "status", None) in statuses


def anyone(user: Any, obj: Any) -> bool:
    return True

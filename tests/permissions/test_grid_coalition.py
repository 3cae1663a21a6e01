"""Taskforce applications × roles × state (pending, needs_info, declined, approved).

Fails on the code before the one vocabulary: `coalition.services.decide` trusted the view, so
a member, a registered account or an anonymous visitor's request object could approve,
decline or question an application by calling it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.factories import ApplicationFactory
from uprhub.coalition import services
from uprhub.coalition.models import ApplicationDecision, ApplicationStatus, TaskforceApplication
from uprhub.core.rules import has_perm

from .grid import ROLES, actor, check_cell, row

pytestmark = pytest.mark.django_db

REVIEWERS = {"coordinator", "admin"}
OPEN = [ApplicationStatus.PENDING, ApplicationStatus.NEEDS_INFO, ApplicationStatus.DECLINED]


def _decisions(application: TaskforceApplication):
    return lambda: (
        ApplicationDecision.objects.filter(application=application).count(),
        TaskforceApplication.objects.get(pk=application.pk).status,
    )


@pytest.mark.parametrize("status", [*OPEN, ApplicationStatus.APPROVED])
@pytest.mark.parametrize("decision", ["decline", "ask_info"])
@pytest.mark.parametrize("role", ROLES)
def test_decide(role, decision, status):
    application = ApplicationFactory(status=status)
    who = actor(role)
    check_cell(
        who=who,
        perm="coalition.decide_application",
        obj=application,
        # Approved is final: the person is in the taskforce.
        expected=row(REVIEWERS, refused_for_state=status == ApplicationStatus.APPROVED)[role],
        call=lambda: services.decide(application, decision, "A message.", actor=who),
        snapshot=_decisions(application),
        state_error=services.DecisionNotAllowed,
    )


@pytest.mark.parametrize("role", ROLES)
def test_approve(role):
    application = ApplicationFactory(status=ApplicationStatus.PENDING, organisation_name="")
    who = actor(role)
    check_cell(
        who=who,
        perm="coalition.decide_application",
        obj=application,
        expected=row(REVIEWERS)[role],
        call=lambda: services.decide(application, "approve", "Welcome.", actor=who),
        snapshot=_decisions(application),
    )


@pytest.mark.parametrize("role", ROLES)
def test_review_queue(role):
    """The queue itself (a page, no object): coordinators and admins."""
    assert has_perm(actor(role), "coalition.review_application") is (role in REVIEWERS)


# The coordinators' pages and the members' directory: the same rules as the writes behind them.
PAGES = [
    ("coalition.view_queue", "coalition:queue", {"coordinator", "admin"}),
    ("coalition.view_directory", "coalition:directory", {"member", "coordinator", "admin"}),
]


@pytest.mark.parametrize(("perm", "url_name", "allowed"), PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_coalition_pages(client, role, perm, url_name, allowed):
    who = actor(role)
    assert has_perm(who, perm) is (role in allowed)
    if role == "system":
        return
    if who.is_authenticated:
        client.force_login(who)
    status = client.get(reverse(url_name)).status_code
    assert status == (200 if role in allowed else 302 if role == "anonymous" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_application_page(client, role):
    who = actor(role)
    application = ApplicationFactory()
    if role == "system":
        return
    if who.is_authenticated:
        client.force_login(who)
    page = client.get(reverse("coalition:application_detail", args=[application.pk]))
    allowed = role in {"coordinator", "admin"}
    assert page.status_code == (200 if allowed else 302 if role == "anonymous" else 403)
    assert (application.name.encode() in page.content) is allowed

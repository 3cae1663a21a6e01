"""Accounts in every role, organisations and taskforce applications for the tests."""

from __future__ import annotations

import itertools
from typing import Any

import factory
from django.utils import timezone

from uprhub.accounts import services
from uprhub.accounts.choices import OrganisationType, Role
from uprhub.accounts.models import Organisation
from uprhub.coalition.models import TaskforceApplication

PASSWORD = "a-long-test-passphrase-42"
_numbers = itertools.count(1)

# "registered" = signed up and verified, no role yet; "anonymous" = not logged in.
ROLES = ["anonymous", "registered", "member", "coordinator", "admin"]
ROLE_VALUES = {
    "registered": Role.NONE,
    "member": Role.MEMBER,
    "coordinator": Role.COORDINATOR,
    "admin": Role.ADMIN,
}


def make_user(
    role: str = "registered",
    *,
    email: str | None = None,
    password: str | None = None,
    name: str | None = None,
    verified: bool = True,
) -> Any:
    """An active account with a verified address in the given role."""
    number = next(_numbers)
    email = email or f"person{number}@example.org"
    user = services.create_account(
        email=email, full_name=name or f"Person {number}", password=password, active=verified
    )
    if verified:
        services.mark_email_verified(user)
    value = ROLE_VALUES[role]
    if value:
        services.set_role(user, value, actor=None)
    return user


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Human Rights Group {n}")
    acronym = factory.Sequence(lambda n: f"HRG{n}")
    kind = OrganisationType.NGO
    city = "Chicago"
    country = "United States"
    # An established organisation, its claim confirmed (new ones start as claims).
    verified_at = factory.LazyFunction(timezone.now)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskforceApplication

    name = factory.Sequence(lambda n: f"Applicant {n}")
    email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    email_key = factory.LazyAttribute(lambda o: o.email.lower())
    organisation_name = "Tenants United"
    role_title = "Organiser"
    city = "Detroit"
    us_state = "MI"
    languages = "English"
    motivation = "I work on housing rights and want to contribute to the shadow report."
    last_submitted_at = factory.LazyFunction(timezone.now)

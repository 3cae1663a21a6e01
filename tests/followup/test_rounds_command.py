"""`uprhub followup round …`: create, list, give and take roles, close; clear errors."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.accounts.factories import OrganisationFactory
from uprhub.followup.models import AssessmentRound, RoundRole

from .rounds_helpers import member_of, usa_review

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("followup", "round", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


CREATE = (
    "create", "USA", "--cycle", "3", "--name", "Mid-term 2022", "--scale", "hrc-follow-up",
    "--as-of", "2022-06-01", "--assessments-due", "2022-09-01", "--review-due", "2022-10-01",
)  # fmt: skip


def test_create_list_roles_close():
    usa_review()
    created = json.loads(run(*CREATE))
    assert created["slug"] == "mid-term-2022" and created["cycle"] == 3
    assert created["assessments_due"] == "2022-09-01"
    listed = json.loads(run("list"))["rounds"]
    assert [r["slug"] for r in listed] == ["mid-term-2022"]
    person, organisation = member_of(email="ana@example.org")
    run("add-role", "mid-term-2022", "ANA@example.org", "--role", "assessor",
        "--organisation", str(organisation.pk))  # fmt: skip
    assert RoundRole.objects.get().organisation == organisation
    run("remove-role", "mid-term-2022", "ana@example.org", "--role", "assessor")
    assert not RoundRole.objects.exists()
    run("close", "mid-term-2022")
    assert AssessmentRound.objects.get().closed
    run("reopen", "mid-term-2022")
    assert not AssessmentRound.objects.get().closed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "FRA", "--cycle", "3", "--name", "x", "--scale", "hrc-follow-up",
          "--as-of", "2022-06-01"), "No review of FRA in cycle 3"),
        (("create", "USA", "--cycle", "3", "--name", "x", "--scale", "nope",
          "--as-of", "2022-06-01"), "Unknown scale nope"),
        ((*CREATE[:-2], "--review-due", "2022-08-01"), "before the assessments"),
        (("add-role", "nope", "a@example.org", "--role", "reviewer"), "No round named nope"),
    ],
)  # fmt: skip
def test_errors(args, message):
    usa_review()
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not AssessmentRound.objects.exists()


def test_role_errors():
    usa_review()
    run(*CREATE)
    member_of(email="ana@example.org")
    with pytest.raises(CommandError, match="No account"):
        run("add-role", "mid-term-2022", "bob@example.org", "--role", "reviewer")
    with pytest.raises(CommandError, match="not a member"):
        run("add-role", "mid-term-2022", "ana@example.org", "--role", "assessor",
            "--organisation", str(OrganisationFactory().pk))  # fmt: skip
    with pytest.raises(CommandError, match="No organisation with id"):
        run("add-role", "mid-term-2022", "ana@example.org", "--role", "assessor",
            "--organisation", "999999")  # fmt: skip
    assert not RoundRole.objects.exists()


def test_bad_date_is_a_clear_error():
    with pytest.raises(CommandError, match="June is not a date: write it as YYYY-MM-DD"):
        call_command("followup", "round", "create", "USA", "--cycle", "3", "--name", "x",
                     "--scale", "s", "--as-of", "June")  # fmt: skip

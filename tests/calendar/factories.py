"""Factories and small builders for the calendar tests (shared ones live in tests/factories.py)."""

from __future__ import annotations

import csv
from datetime import date, datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from tests.factories import CycleFactory, ReviewFactory, SessionFactory, StateFactory
from uprhub.calendar.models import Deadline, DeadlineKind
from uprhub.reviews.models import Cycle, Review, Session, State, StateKind
from uprhub.reviews.names import DATA_DIR

GENEVA = "Europe/Zurich"


def session(number: int, start: date, end: date, cycle: int = 4) -> Session:
    obj = SessionFactory(
        number=number, cycle=CycleFactory(number=cycle), start_date=start, end_date=end
    )
    # get_or_create keeps an existing row as it is; tests want the dates they ask for.
    Session.objects.filter(pk=obj.pk).update(start_date=start, end_date=end)
    obj.refresh_from_db()
    return obj


def state(code: str, name: str | None = None) -> State:
    return StateFactory(code=code, iso3=code, short_name=name or code, un_name=name or code)


def review(code: str, session_obj: Session, review_date: date | None = None, **kw) -> Review:
    name = kw.pop("name", None)
    return ReviewFactory(
        state=state(code, name), session=session_obj, review_date=review_date, **kw
    )


class DeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deadline

    kind = DeadlineKind.STAKEHOLDER_SUBMISSION
    time_zone = GENEVA
    source_note = "OHCHR session page"


def coordinator(username: str = "coordinator"):
    user = get_user_model().objects.create_user(username=username, password="pw-for-tests-only")
    user.user_permissions.add(
        Permission.objects.get(codename="change_deadline", content_type__app_label="uprcalendar")
    )
    return user


def plain_user(username: str = "member"):
    return get_user_model().objects.create_user(username=username, password="pw-for-tests-only")


def load_reference_rows() -> None:
    """States and sessions from the reviews app's CSVs (a minimal stand-in for its importer)."""
    with (DATA_DIR / "states.csv").open(encoding="utf-8") as handle:
        State.objects.bulk_create(
            [
                State(
                    code=row["code"],
                    iso3=row["iso3"],
                    un_name=row["un_name"],
                    short_name=row["short_name"],
                    regional_group=row["regional_group"],
                    kind=row["kind"] or StateKind.MEMBER,
                )
                for row in csv.DictReader(handle)
            ]
        )
    with (DATA_DIR / "sessions.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    Cycle.objects.bulk_create([Cycle(number=n) for n in sorted({int(r["cycle"]) for r in rows})])
    Session.objects.bulk_create(
        [
            Session(
                number=int(r["number"]),
                cycle_id=int(r["cycle"]),
                start_date=date.fromisoformat(r["start_date"]),
                end_date=date.fromisoformat(r["end_date"]),
                dates_note=r["source_note"][:200],
            )
            for r in rows
        ]
    )


def utc(*args: int) -> datetime:
    from datetime import UTC

    return datetime(*args, tzinfo=UTC)

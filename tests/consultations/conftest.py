from __future__ import annotations

import pytest

from tests.accounts.factories import make_user
from tests.factories import ReviewFactory, StateFactory
from uprhub.consultations import services
from uprhub.consultations.models import ConsultationRoleKind


@pytest.fixture
def consultation(db):
    review = ReviewFactory(state=StateFactory(code="USA", short_name="United States"))
    return services.create_consultation(
        actor=None,
        slug="pittsburgh",
        review=review,
        title="Pittsburgh listens",
        place="Pittsburgh",
        description="Tell us what you face.",
    )


@pytest.fixture
def moderator(consultation):
    user = make_user("member")
    services.assign_role(consultation, user, ConsultationRoleKind.MODERATOR, actor=None)
    return user


def make_input(text: str = "The police stop us every day on the way to school.", **kw):
    return services.TestimonyInput(text=text, language=kw.pop("language", "en"), **kw)


from tests.accounts.fixtures import site_url  # noqa: E402,F401
from tests.smtp import smtp_controller, smtp_server  # noqa: E402,F401

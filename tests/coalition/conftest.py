import pytest

from tests.accounts.fixtures import *  # noqa: F403


@pytest.fixture
def form_data(themes):
    """A complete public application; the e-mail in mixed case (stored lower-cased)."""
    return {
        "name": "Rosa Parks",
        "email": "Rosa.Parks@Example.org",
        "organisation_name": "NAACP Montgomery",
        "role_title": "Secretary",
        "themes": [themes["Right to housing"].pk, themes["Death penalty"].pk],
        "experience": "some",
        "city": "Montgomery",
        "us_state": "AL",
        "country": "",
        "languages": "English",
        "motivation": "To bring the voices of Montgomery to Geneva.",
    }

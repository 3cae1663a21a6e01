from tests.accounts.fixtures import *  # noqa: F403
from tests.coalition.conftest import form_data  # noqa: F401 (fixture)

"""Settings, split by concern. All environment reading happens in `env.py`."""

from .auth import *  # noqa: F403
from .base import *  # noqa: F403
from .cache import *  # noqa: F403
from .database import *  # noqa: F403
from .email import *  # noqa: F403
from .security import *  # noqa: F403
from .tasks import *  # noqa: F403

"""Background work (Django 6 `django.tasks`) and the knobs of list sending.

Which backend runs tasks, from UPRHUB_TASKS_BACKEND:

* ``database`` (the default): django-tasks-db stores each task in the database and
  ``uprhub worker`` runs them. Nothing else to install; the web process only enqueues.
* ``immediate``: Django's backend that runs a task inside ``enqueue()`` — for tests and for
  a quick look without a worker (a post to a big list then sends during the request).
* any dotted path to a backend class, for a broker-backed one at scale.

Under pytest the default is ``immediate``. pytest sets PYTEST_VERSION in the environment
before any plugin or conftest loads, so this holds however the suite is started (pytest,
python -m pytest, ./dev.sh test) and for every test directory. A conftest fixture could not
do this reliably: `django.tasks` caches its backends on first use and ignores later changes
to settings.TASKS. Set UPRHUB_TASKS_BACKEND to override it, also under pytest.
"""

from .env import env_int, env_str

_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "dummy": "django.tasks.backends.dummy.DummyBackend",
}
_choice = env_str("UPRHUB_TASKS_BACKEND") or (
    "immediate" if env_str("PYTEST_VERSION") else "database"
)

TASKS = {"default": {"BACKEND": _BACKENDS.get(_choice, _choice)}}

# Mailing-list sending (uprhub.mailinglists.delivery).
# Messages sent over one SMTP connection before the worker claims the next batch.
UPRHUB_LIST_BATCH_SIZE = env_int("UPRHUB_LIST_BATCH_SIZE", 200)
# Attempts per recipient before a delivery is marked failed for good.
UPRHUB_LIST_MAX_ATTEMPTS = env_int("UPRHUB_LIST_MAX_ATTEMPTS", 8)
# Wait before the first retry, in seconds; it doubles with each attempt (capped at an hour).
UPRHUB_LIST_RETRY_SECONDS = env_int("UPRHUB_LIST_RETRY_SECONDS", 60)

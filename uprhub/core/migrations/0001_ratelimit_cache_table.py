"""Create the database cache table(s) in settings.CACHES (the rate-limit counters).

Django keeps cache tables outside migrations (`createcachetable`); running it here means
`migrate` — at first start, and for the test database — creates the table. It does nothing
for a Redis-backed cache or when the table exists. `prepare_database` runs it again at every
start, in case the cache settings change later.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]

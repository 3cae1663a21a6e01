"""Deadlines change the data version too (the home page shows the next one, and the public pages'
cache is keyed by the version): create the new trigger on databases migrated before."""

from django.db import migrations


def forwards(apps, schema_editor):
    from uprhub.search.index import ensure_structures

    ensure_structures(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_search_structures"),
        ("uprcalendar", "0001_initial"),
    ]

    # Backwards: 0002's reverse drops every version trigger, this one's included.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

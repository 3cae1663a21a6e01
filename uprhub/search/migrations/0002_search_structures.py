"""Full-text structures and data-version triggers (FTS5 on SQLite, tsvector + GIN on PostgreSQL).

The SQL lives in ``uprhub.search.index`` because the app's ``post_migrate`` handler re-runs it:
Django's SQLite schema editor drops triggers when it rebuilds a table for a later migration.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from uprhub.search.index import ensure_structures

    ensure_structures(schema_editor.connection)


def backwards(apps, schema_editor):
    from uprhub.search.index import drop_structures

    drop_structures(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("recommendations", "0001_initial"),
        ("reviews", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

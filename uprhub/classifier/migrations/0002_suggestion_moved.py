# The Suggestion model now belongs to the recommendations app (its 0004 took the table over);
# only the migration state changes here, the table is not touched.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("classifier", "0001_initial"),
        ("recommendations", "0004_suggestion"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Suggestion")],
            database_operations=[],
        ),
    ]

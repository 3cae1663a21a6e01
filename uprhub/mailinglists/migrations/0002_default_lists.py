from django.db import migrations


def create_default_lists(apps, schema_editor):
    from uprhub.mailinglists.defaults import ensure_default_lists

    ensure_default_lists(apps.get_model("mailinglists", "MailingList"))


class Migration(migrations.Migration):
    dependencies = [("mailinglists", "0001_initial")]

    # Reversing keeps the lists: they may have subscribers and posts by then.
    operations = [migrations.RunPython(create_default_lists, migrations.RunPython.noop)]

from django.db import migrations


def load(apps, schema_editor):
    from uprhub.followup.scales import load_scales

    load_scales(apps.get_model("followup", "Scale"), apps.get_model("followup", "Grade"))


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

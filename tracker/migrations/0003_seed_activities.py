from django.db import migrations

from tracker.domain.catalogue import seed_activities


def seed(apps, schema_editor):
    seed_activities(apps.get_model("tracker", "Activity"))


class Migration(migrations.Migration):
    dependencies = [("tracker", "0002_plans")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

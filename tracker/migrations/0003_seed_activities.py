from decimal import Decimal

from django.db import migrations

# MET values from the Compendium of Physical Activities: brisk walking, general swimming, jogging.
SEED = [
    ("Walking", "low", True, Decimal("3.5"), "Brisk walking on the flat, indoors or out."),
    ("Swimming", "low", False, Decimal("6.0"), "Any stroke; the water carries your weight."),
    ("Jogging", "high", True, Decimal("7.0"), "Easy running; high impact on the joints."),
]


def seed(apps, schema_editor):
    Activity = apps.get_model("tracker", "Activity")
    for name, impact, weight_bearing, met, description in SEED:
        Activity.objects.get_or_create(
            name=name,
            defaults={
                "impact": impact,
                "weight_bearing": weight_bearing,
                "met": met,
                "description": description,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("tracker", "0002_plans")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

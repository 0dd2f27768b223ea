"""The activities every clinic starts with. The data migration seeds them; tests whose
database was flushed by a browser test seed them again through the same function."""

from __future__ import annotations

from decimal import Decimal

# MET values from the Compendium of Physical Activities: brisk walking, general swimming, jogging.
SEED_ACTIVITIES = [
    ("Walking", "low", True, Decimal("3.5"), "Brisk walking on the flat, indoors or out."),
    ("Swimming", "low", False, Decimal("6.0"), "Any stroke; the water carries your weight."),
    ("Jogging", "high", True, Decimal("7.0"), "Easy running; high impact on the joints."),
]


def seed_activities(activity_model) -> None:
    """Create the starting activities that are missing. Takes the model so that the
    migration can pass its historical version."""
    for name, impact, weight_bearing, met, description in SEED_ACTIVITIES:
        activity_model.objects.get_or_create(
            name=name,
            defaults={
                "impact": impact,
                "weight_bearing": weight_bearing,
                "met": met,
                "description": description,
            },
        )

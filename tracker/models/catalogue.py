"""The activity catalogue: what a patient can be prescribed and log."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class Impact(models.TextChoices):
    LOW = "low", "Low impact"
    MODERATE = "moderate", "Moderate impact"
    HIGH = "high", "High impact"


class ActivityQuerySet(models.QuerySet):
    def available(self) -> ActivityQuerySet:
        return self.filter(is_active=True)


class Activity(models.Model):
    name = models.CharField(max_length=60, unique=True)
    impact = models.CharField(max_length=10, choices=Impact.choices, default=Impact.LOW)
    weight_bearing = models.BooleanField(
        default=True,
        help_text="Whether the legs carry the body's weight (walking: yes; swimming: no).",
    )
    met = models.DecimalField(
        "MET value",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1.0")), MaxValueValidator(Decimal("20.0"))],
        help_text="Energy use relative to rest, for energy estimates (brisk walking is about 3.5).",
    )
    description = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(
        "offered",
        default=True,
        help_text="Retire an activity instead of deleting it: past sessions keep it.",
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(met__gte=1) & Q(met__lte=20), name="activity_met_range"
            ),
            models.CheckConstraint(
                condition=Q(impact__in=Impact.values), name="activity_impact_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_high_impact(self) -> bool:
        return self.impact == Impact.HIGH

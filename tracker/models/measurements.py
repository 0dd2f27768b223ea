"""Measurements: limb circumference on both sides, and the standard functional tests."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from tracker.models.once import SavedOnce


class MeasurementKind(models.TextChoices):
    CIRCUMFERENCE = "circumference", "Limb circumference"
    SIX_MINUTE_WALK = "six_minute_walk", "6-minute walk"
    CHAIR_STAND = "chair_stand", "30-second chair stand"
    TIMED_UP_AND_GO = "timed_up_and_go", "Timed Up and Go"
    GRIP = "grip", "Grip strength"


UNITS = {
    MeasurementKind.CIRCUMFERENCE: "cm",
    MeasurementKind.SIX_MINUTE_WALK: "m",
    MeasurementKind.CHAIR_STAND: "repetitions",
    MeasurementKind.TIMED_UP_AND_GO: "s",
    MeasurementKind.GRIP: "kg",
}
# Whether a bigger number is better: Timed Up and Go is faster when smaller.
HIGHER_IS_BETTER = {kind: kind != MeasurementKind.TIMED_UP_AND_GO for kind in MeasurementKind}
# What a real person can score, for catching typing mistakes.
PLAUSIBLE = {
    MeasurementKind.CIRCUMFERENCE: (Decimal(10), Decimal(100)),
    MeasurementKind.SIX_MINUTE_WALK: (Decimal(0), Decimal(1000)),
    MeasurementKind.CHAIR_STAND: (Decimal(0), Decimal(40)),
    MeasurementKind.TIMED_UP_AND_GO: (Decimal(3), Decimal(120)),
    MeasurementKind.GRIP: (Decimal(0), Decimal(100)),
}


class Site(models.TextChoices):
    THIGH = "thigh", "Mid-thigh"
    CALF = "calf", "Calf"
    UPPER_ARM = "upper_arm", "Upper arm"
    FOREARM = "forearm", "Forearm"


class Measurement(SavedOnce):
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="measurements"
    )
    kind = models.CharField(max_length=20, choices=MeasurementKind.choices)
    measured_on = models.DateField()
    # Circumference: both sides at the same site.
    site = models.CharField(max_length=20, choices=Site.choices, blank=True)
    affected_cm = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    unaffected_cm = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    # Every other test: one number in the kind's unit.
    value = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    self_measured = models.BooleanField(default=False)
    notes = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measured_on", "pk"]
        indexes = [models.Index(fields=["patient", "kind", "measured_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MeasurementKind.values), name="measurement_kind_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="circumference")
                    & ~Q(site="")
                    & Q(affected_cm__gte=10, affected_cm__lte=100)
                    & Q(unaffected_cm__gte=10, unaffected_cm__lte=100)
                    & Q(value__isnull=True)
                )
                | (
                    ~Q(kind="circumference")
                    & Q(value__isnull=False, value__gte=0, value__lte=1000)
                    & Q(affected_cm__isnull=True, unaffected_cm__isnull=True)
                ),
                name="measurement_values_fit_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.measured_on}"

    @property
    def unit(self) -> str:
        return UNITS[MeasurementKind(self.kind)]

    @property
    def gap_cm(self) -> Decimal | None:
        """How much smaller the affected side is (cm)."""
        if self.affected_cm is None or self.unaffected_cm is None:
            return None
        return self.unaffected_cm - self.affected_cm

"""How each clinician hears of alerts other than danger signs (those always go at once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Delivery(models.TextChoices):
    INSTANT = "instant", "E-mail at once"
    DIGEST = "digest", "In the daily digest"
    APP = "app", "In the app only"


class AlertPreference(models.Model):
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_preferences"
    )
    kind = models.CharField(max_length=20)  # an AlertKind other than danger_sign
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinician", "kind"], name="one_preference_per_kind"),
            models.CheckConstraint(
                condition=~models.Q(kind="danger_sign"), name="danger_signs_always_at_once"
            ),
            models.CheckConstraint(
                condition=models.Q(delivery__in=Delivery.values), name="preference_delivery_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clinician}: {self.kind} {self.delivery}"


class DigestPreference(models.Model):
    """Whether a clinician gets the weekly caseload digest on Monday morning."""

    clinician = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    weekly = models.BooleanField("weekly caseload digest", default=True)

    def __str__(self) -> str:
        return f"{self.clinician}: weekly digest {'on' if self.weekly else 'off'}"

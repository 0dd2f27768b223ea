"""How an alert reached a person: the e-mails sent about it, and calls that found nobody."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tracker.models.sessions import Alert


class AlertEmail(models.Model):
    """One e-mail about one alert to one address. Unique per stage and address, so a task
    run twice sends nothing twice."""

    class Stage(models.TextChoices):
        CARE_TEAM = "care_team", "Care team"
        ESCALATION = "escalation", "Escalation"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        RETRYING = "retrying", "Not delivered yet, trying again"
        FAILED = "failed", "Not delivered"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="emails")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    address = models.EmailField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "stage", "address"], name="one_email_per_alert_stage_address"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} e-mail to {self.address}: {self.get_status_display()}"

    @property
    def delivered(self) -> bool:
        return self.status == self.Status.SENT

    @property
    def to_whom(self) -> str:
        return self.recipient.display_name if self.recipient else self.address


class AlertAttempt(models.Model):
    """A clinician tried to reach the patient about an open alert and could not: the alert
    stays open, and the attempt is kept beside it."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="attempts")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(max_length=2000)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Tried to reach the patient at {self.at:%Y-%m-%d %H:%M}"

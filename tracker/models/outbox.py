"""E-mail that is not about one alert (invitations, reminders, digests, instant notices):
each message is a row, written before it is sent, so a task run twice sends nothing twice
and a refused message is tried again and shown, never lost."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class OutgoingEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        RETRYING = "retrying", "Not delivered yet, trying again"
        FAILED = "failed", "Not delivered"

    # What the message is, made unique by its sender: "invitation:12:3", "reminder:45:2026-12-04".
    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=30, db_index=True)  # invitation, reminder, digest, ...
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    address = models.EmailField()
    subject = models.CharField(max_length=200)
    text = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)  # such as List-Unsubscribe
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "outgoing e-mail"

    def __str__(self) -> str:
        return f"{self.kind} to {self.address}: {self.get_status_display()}"

    @property
    def delivered(self) -> bool:
        return self.status == self.Status.SENT


class ScheduledRun(models.Model):
    """One run of a piece of scheduled work for one slot ("daily_checks" for 2026-12-04):
    unique, so a second tick, or a second machine's, starts nothing twice."""

    name = models.CharField(max_length=40)
    slot = models.CharField(max_length=40)  # the day, or the day and time, it was for
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="one_run_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.name} for {self.slot}"

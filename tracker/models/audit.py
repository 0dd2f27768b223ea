"""The audit trail: who read, changed, exported or downloaded which patient's record."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    READ = "read", "Read"
    CHANGE = "change", "Changed"
    EXPORT = "export", "Exported"
    DOWNLOAD = "download", "Downloaded"


class AuditEvent(models.Model):
    """Written once, never changed: the app offers no way to edit or delete one."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150)  # kept if the account is later removed
    actor_role = models.CharField(max_length=20)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="audit_events",
    )
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    what = models.CharField(max_length=120)
    path = models.CharField(max_length=300)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["patient", "at"])]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.get_action_display().lower()} {self.what}"

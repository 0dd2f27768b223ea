"""A patient's request to close their account, and the admin's completing it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AccountClosure(models.Model):
    # Kept when the record is removed (the patient is then SET_NULL), with the name for the trail.
    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="closure",
    )
    patient_name = models.CharField(max_length=150)
    reason = models.TextField(blank=True, max_length=1000)
    requested_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the clinic's retention setting did: "kept" (sign-in ended) or "removed".
    outcome = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["completed_at", "requested_at"]

    def __str__(self) -> str:
        return f"Closing the account of {self.patient_name}"

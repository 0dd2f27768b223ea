"""Files from a watch or phone (GPX, TCX, FIT): what was read from each, kept with the original.

An upload is kept as it arrives, with what the parser read (integrations/activity_files/);
the patient then answers effort, pain and the danger question, and the session is logged
through the ordinary path (domain/logbook.py) and linked here. Until then `session` is empty:
the file waits for its answers, and nothing about it counts as a session."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from tracker.models.catalogue import Activity
from tracker.models.sessions import SessionLog


class FileFormat(models.TextChoices):
    GPX = "gpx", "GPX"
    TCX = "tcx", "TCX"
    FIT = "fit", "FIT"


def imported_file_path(imported: ImportedFile, filename: str) -> str:
    # A random name with the format's suffix: nothing the uploader chose reaches the disk.
    return f"imports/{uuid.uuid4().hex}.{imported.format}"


class ImportedFile(models.Model):
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imported_files"
    )
    file = models.FileField(upload_to=imported_file_path)
    original_name = models.CharField(max_length=255)
    format = models.CharField(max_length=3, choices=FileFormat.choices)
    # The same file twice is refused by this; the same activity in another file by started_at.
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # What the file says: the device's own summary where it has one.
    started_at = models.DateTimeField(null=True, blank=True)
    sport = models.CharField(max_length=60, blank=True)
    moving_seconds = models.PositiveIntegerField(null=True, blank=True)
    distance_m = models.PositiveIntegerField(null=True, blank=True)
    average_heart_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    highest_heart_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    session = models.OneToOneField(
        SessionLog,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imported_file",
    )

    class Meta:
        ordering = ["started_at", "pk"]
        indexes = [models.Index(fields=["patient", "started_at"])]
        constraints = [
            models.UniqueConstraint(fields=["patient", "sha256"], name="import_file_once"),
            models.CheckConstraint(
                condition=Q(format__in=FileFormat.values), name="import_format_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

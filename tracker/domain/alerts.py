"""What clinicians do about an alert: closing it (with a note where the kind needs one) and
recording a call that found nobody."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tracker.models import (
    Alert,
    AlertAttempt,
    AlertKind,
    User,
)


class NoteRequired(ValueError):
    """A danger alert is closed only with a note of what was done or advised."""


def acknowledge_alert(*, alert: Alert, by: User, note: str = "") -> bool:
    """Close an alert with who, when and a note. False if someone had already closed it."""
    if alert.kind == AlertKind.DANGER_SIGN and not note.strip():
        raise NoteRequired("A danger-sign alert needs a note of what was done or advised.")
    return bool(
        Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=timezone.now(), acknowledged_by=by, acknowledgement_note=note
        )
    )


def record_attempt(*, alert: Alert, by: User, note: str) -> AlertAttempt | None:
    """Someone tried to reach the patient and could not: kept beside the alert, which stays
    open (and so still escalates). None if the alert was closed meanwhile."""
    with transaction.atomic():
        if not Alert.objects.open().select_for_update().filter(pk=alert.pk).exists():
            return None
        return AlertAttempt.objects.create(alert=alert, by=by, note=note)

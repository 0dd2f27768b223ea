"""What clinicians do about an alert: closing it (with a note where the kind needs one) and
recording a call that found nobody."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tracker.domain import audit
from tracker.domain.attention import mark_stale
from tracker.models import (
    Alert,
    AlertAttempt,
    AlertKind,
    AuditAction,
    User,
)


class NoteRequired(ValueError):
    """A danger alert is closed only with a note of what was done or advised."""


def acknowledge_alert(*, alert: Alert, by: User, note: str = "") -> bool:
    """Close an alert with who, when and a note, written to the patient's audit trail. False
    if someone had already closed it (and nothing is recorded)."""
    if alert.kind == AlertKind.DANGER_SIGN and not note.strip():
        raise NoteRequired("A danger-sign alert needs a note of what was done or advised.")
    with transaction.atomic():
        closed = bool(
            Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
                acknowledged_at=timezone.now(), acknowledged_by=by, acknowledgement_note=note
            )
        )
        if closed:
            mark_stale([alert.patient_id])  # an update sends no signal
            _audited(alert, by)
    return closed


def record_attempt(*, alert: Alert, by: User, note: str) -> AlertAttempt | None:
    """Someone tried to reach the patient and could not: kept beside the alert, which stays
    open (and so still escalates), and written to the audit trail. None if the alert was
    closed meanwhile."""
    with transaction.atomic():
        if not Alert.objects.open().select_for_update().filter(pk=alert.pk).exists():
            return None
        attempt = AlertAttempt.objects.create(alert=alert, by=by, note=note)
        _audited(alert, by)
        return attempt


def _audited(alert: Alert, by: User) -> None:
    audit.record(actor=by, patient=alert.patient_id, action=AuditAction.CHANGE, what="alert")

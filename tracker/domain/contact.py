"""Saving a patient's contact details (their own number and an emergency contact's), by the
patient under their details or by the care team, with the change in the audit trail."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from tracker.domain import audit
from tracker.models import AuditAction, PatientProfile, User

FIELDS = (
    "phone",
    "emergency_contact_name",
    "emergency_contact_relationship",
    "emergency_contact_phone",
)


def save_contact_details(*, by: User, profile: PatientProfile, details: Mapping[str, str]) -> bool:
    """Keep `details` (every one of FIELDS) on `profile` as `by`. Returns whether anything
    changed; details sent again unchanged write nothing and record nothing."""
    values = {name: details[name] for name in FIELDS}
    with transaction.atomic():
        # One UPDATE that finds the row only when a value differs from what is stored.
        changed = PatientProfile.objects.filter(pk=profile.pk).exclude(**values).update(**values)
        if changed:
            audit.record(
                actor=by, patient=profile.user_id, action=AuditAction.CHANGE, what="contact details"
            )
    return bool(changed)

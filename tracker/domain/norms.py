"""Saving what the functional tests' norms need from a patient's profile (sex, height,
weight; age comes from the date of birth), by the care team, with the change in the audit
trail. Saved with the contact details in one transaction when both are edited together."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from tracker.domain import audit
from tracker.domain.contact import save_contact_details
from tracker.models import AuditAction, PatientProfile, User

FIELDS = ("sex", "height_cm", "weight_kg")


def save_norm_details(*, by: User, profile: PatientProfile, details: Mapping[str, Any]) -> bool:
    """Keep `details` (every one of FIELDS) on `profile` as `by`. Returns whether anything
    changed; the same details sent again write and record nothing."""
    values = {name: details[name] for name in FIELDS}
    with transaction.atomic():
        stored = PatientProfile.objects.filter(pk=profile.pk).values(*FIELDS).get()
        if stored == values:
            return False
        PatientProfile.objects.filter(pk=profile.pk).update(**values)
        audit.record(
            actor=by, patient=profile.user_id, action=AuditAction.CHANGE, what="body measurements"
        )
    return True


def save_profile_details(*, by: User, profile: PatientProfile, details: Mapping[str, Any]) -> bool:
    """The care team's form: the contact details and what the norms need, together."""
    with transaction.atomic():
        contact = save_contact_details(by=by, profile=profile, details=details)
        norms = save_norm_details(by=by, profile=profile, details=details)
    return contact or norms

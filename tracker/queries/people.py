"""A patient's profile, with the care team named on their pages."""

from __future__ import annotations

from tracker.models import PatientProfile, User


def profile_of(patient: User) -> PatientProfile | None:
    return PatientProfile.objects.filter(user=patient).prefetch_related("care_team").first()

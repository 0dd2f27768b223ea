"""The admin leaves its trace: creating, changing, deleting or opening a patient's account,
profile, clearance or plan in Django's admin is recorded in the audit trail, as it is in the
app, and the patient reads it on "Your data"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import ClearanceFactory, PlanFactory
from tracker.domain.audit import phrase
from tracker.models import AuditAction, AuditEvent, Role, User

pytestmark = pytest.mark.django_db


def events_about(patient: User) -> list[tuple[str, str, str]]:
    return [
        (e.actor_name, e.action, e.what)
        for e in AuditEvent.objects.filter(patient=patient).order_by("pk")
    ]


def test_an_admin_creating_a_patient_account_is_recorded(admin_client):
    # The account is made by invitation (tests/admin/test_admin_invitations.py): no password.
    response = admin_client.post(
        reverse("admin:tracker_user_add"),
        {
            "role": Role.PATIENT,
            "first_name": "Nora",
            "last_name": "Quinn",
            "email": "newpatient@example.org",
        },
    )

    assert response.status_code == 302
    patient = User.objects.get(username="newpatient@example.org")
    assert events_about(patient) == [("Alex Morgan", AuditAction.CHANGE, "new account")]


def test_an_admin_changing_a_patients_care_team_is_recorded(admin_client, patient, other_physio):
    profile = patient.profile
    response = admin_client.post(
        reverse("admin:tracker_patientprofile_change", args=[profile.pk]),
        {
            "user": patient.pk,
            "atrophy_kind": profile.atrophy_kind,
            "care_team": [other_physio.pk],
        },
    )

    assert response.status_code == 302, response.context["adminform"].errors
    assert (
        "Alex Morgan",
        AuditAction.CHANGE,
        "profile",
    ) in events_about(patient)


def test_an_admin_opening_a_patients_clearance_is_recorded_as_a_read(admin_client, patient):
    clearance = ClearanceFactory(patient=patient)

    admin_client.get(reverse("admin:tracker_clearance_change", args=[clearance.pk]))

    assert events_about(patient) == [("Alex Morgan", AuditAction.READ, "clearance")]


def test_an_admin_deleting_a_patients_draft_plan_is_recorded(admin_client, patient):
    plan = PlanFactory(patient=patient, starts_on=dt.date(2026, 12, 1))

    admin_client.post(reverse("admin:tracker_plan_delete", args=[plan.pk]), {"post": "yes"})

    assert ("Alex Morgan", AuditAction.CHANGE, "deleted plan") in events_about(patient)
    event = AuditEvent.objects.get(patient=patient, what="deleted plan")
    assert phrase(event) == "deleted your plan"


def test_nothing_is_recorded_about_a_physiotherapists_account(admin_client, physio):
    admin_client.get(reverse("admin:tracker_user_change", args=[physio.pk]))

    assert not AuditEvent.objects.exists()

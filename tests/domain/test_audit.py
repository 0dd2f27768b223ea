"""The audit trail, and a patient's own data: who looked, and everything to download."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import ClearanceFactory, SessionLogFactory, make_active_plan
from tracker.models import AuditEvent

pytestmark = pytest.mark.django_db


def trail(patient) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(patient=patient)
        .order_by("pk")
        .values_list("actor_name", "action", "what", "address")
    )


def test_physio_reading_the_record_is_audited_and_the_patient_sees_it(
    physio_client, patient, patient_client
):
    physio_client.get(f"/patients/{patient.pk}/", REMOTE_ADDR="10.1.2.3")

    page = patient_client.get("/my-data/")

    assert trail(patient) == [("Maya Lindqvist", "read", "record", "10.1.2.3")]
    assert "Maya Lindqvist</strong> (physiotherapist) read your record" in page.text


def test_patient_reading_their_own_pages_is_not_listed(patient_client, patient):
    make_active_plan(patient)

    patient_client.get("/plan/")
    patient_client.get("/progress/")

    assert trail(patient) == []


def test_changes_exports_and_downloads_are_audited(
    physio_client, patient, patient_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    clearance = ClearanceFactory(patient=patient)
    clearance.letter = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n")
    clearance.save()
    plan = make_active_plan(patient)

    physio_client.post(f"/plans/{plan.pk}/progression/", {"action": "hold"})
    physio_client.get(f"/clearances/{clearance.pk}/letter/")
    patient_client.get("/my-data/all.json")

    assert [(a, w) for _, a, w, _ in trail(patient)] == [
        ("change", "plan"),
        ("download", "clearance letter"),
        ("export", "all data, JSON"),
    ]


def test_the_trail_cannot_be_changed_in_the_admin(admin_client, physio_client, patient):
    physio_client.get(f"/patients/{patient.pk}/")
    event = AuditEvent.objects.get()

    listing = admin_client.get("/admin/tracker/auditevent/")
    change = admin_client.post(f"/admin/tracker/auditevent/{event.pk}/change/", {"what": "x"})
    delete = admin_client.post(f"/admin/tracker/auditevent/{event.pk}/delete/", {"post": "yes"})

    assert listing.status_code == 200
    assert change.status_code == 403
    assert delete.status_code == 403
    event.refresh_from_db()
    assert event.what == "record"


def test_patient_downloads_own_sessions_as_csv_and_everything_as_json(
    patient_client, patient, other_patient
):
    plan = make_active_plan(patient)
    SessionLogFactory(plan=plan, minutes=25, notes='=HYPERLINK("evil")')
    SessionLogFactory(plan=make_active_plan(other_patient), minutes=99)

    sheet = patient_client.get("/my-data/sessions.csv")
    everything = json.loads(patient_client.get("/my-data/all.json").content)

    rows = list(csv.DictReader(io.StringIO(sheet.content.decode())))
    assert sheet["Content-Type"] == "text/csv; charset=utf-8"
    assert [(r["minutes"], r["notes"]) for r in rows] == [("25", '\'=HYPERLINK("evil")')]
    assert sorted(everything) == [
        "access",
        "alerts",
        "comments",
        "danger_reports",
        "measurements",
        "plans",
        "sessions",
    ]
    assert [s["minutes"] for s in everything["sessions"]] == [25]
    assert everything["plans"][0]["cleared_by"] == "Dr Ines Duarte"


def test_unknown_export_is_not_found(patient_client):
    assert patient_client.get("/my-data/secrets.csv").status_code == 404


def test_export_is_for_patients_only(physio_client):
    assert physio_client.get("/my-data/all.json").status_code == 403

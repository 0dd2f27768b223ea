"""The FHIR download: who may have it, what the response says, the audit row each download
writes, and a query count that stays the same for 3 sessions and 60."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import SessionLogFactory, UserFactory, make_active_plan
from tracker.models import AuditAction, AuditEvent, Measurement, MeasurementKind

pytestmark = pytest.mark.django_db

FHIR_JSON = "application/fhir+json; charset=utf-8"


def own_url() -> str:
    return reverse("export_fhir")


def record_url(patient) -> str:
    return reverse("patient_fhir", kwargs={"patient_id": patient.pk})


def names_in(response) -> list[str]:
    bundle = json.loads(response.content)
    return [
        entry["resource"]["name"][0]["text"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "Patient"
    ]


def exports() -> list[tuple]:
    return list(
        AuditEvent.objects.filter(action=AuditAction.EXPORT)
        .order_by("pk")
        .values_list("actor__username", "patient__username", "what", "path")
    )


@pytest.fixture
def anna_walks(patient):
    plan = make_active_plan(patient)
    SessionLogFactory(plan=plan, date=dt.date(2026, 11, 24))
    return plan


def test_the_patient_downloads_their_own_bundle(patient_client, patient, anna_walks):
    response = patient_client.get(own_url())

    assert response.status_code == 200
    assert response["Content-Type"] == FHIR_JSON
    assert response["Content-Disposition"] == (
        'attachment; filename="my-rehab-record-2026-12-02.fhir.json"'
    )
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert names_in(response) == ["Anna Novak"]
    assert exports() == [(patient.username, patient.username, "record, FHIR", own_url())]


def test_the_other_patient_gets_their_own_and_never_annas(other_patient, patient, anna_walks):
    response = client_for(other_patient).get(own_url())

    assert names_in(response) == ["Ben Carter"]
    assert b"Novak" not in response.content
    assert exports() == [
        (other_patient.username, other_patient.username, "record, FHIR", own_url())
    ]


def test_the_care_team_downloads_it_from_the_record(physio_client, physio, patient, anna_walks):
    response = physio_client.get(record_url(patient))

    assert response.status_code == 200
    assert response["Content-Type"] == FHIR_JSON
    assert response["Content-Disposition"] == (
        'attachment; filename="rehab-record-anna-novak-2026-12-02.fhir.json"'
    )
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert names_in(response) == ["Anna Novak"]
    assert exports() == [(physio.username, patient.username, "record, FHIR", record_url(patient))]


def test_the_admin_may_download_it(admin_client, admin_user, patient, anna_walks):
    response = admin_client.get(record_url(patient))

    assert response.status_code == 200
    assert names_in(response) == ["Anna Novak"]
    assert exports() == [
        (admin_user.username, patient.username, "record, FHIR", record_url(patient))
    ]


def test_another_physiotherapist_gets_404_and_nothing_is_recorded(
    other_physio, patient, anna_walks
):
    response = client_for(other_physio).get(record_url(patient))

    assert response.status_code == 404
    assert b"Novak" not in response.content
    assert exports() == []


def test_a_patient_may_not_use_the_care_teams_address(patient_client, other_patient, patient):
    assert patient_client.get(record_url(patient)).status_code == 403
    assert patient_client.get(record_url(other_patient)).status_code == 403
    assert exports() == []


def test_staff_have_no_own_bundle(physio_client):
    assert physio_client.get(own_url()).status_code == 403
    assert exports() == []


def test_signed_out_is_sent_to_sign_in(client, patient):
    response = client.get(record_url(patient))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert exports() == []


def test_a_post_is_refused(patient_client, physio_client, patient):
    assert patient_client.post(own_url()).status_code == 405
    assert physio_client.post(record_url(patient)).status_code == 405


def many(plan, sessions: int) -> None:
    start = dt.date(2026, 12, 1) - dt.timedelta(days=sessions)
    for day in range(sessions):
        SessionLogFactory(
            plan=plan,
            date=start + dt.timedelta(days=day),
            average_heart_rate=100,
            highest_heart_rate=120,
            distance_m=1000,
        )
    for week in range(sessions // 10 + 1):
        Measurement.objects.create(
            patient=plan.patient,
            kind=MeasurementKind.GRIP,
            measured_on=start + dt.timedelta(weeks=week),
            value=20 + week,
            recorded_by=plan.clearance.recorded_by,
        )


# The sign-in's session and user, the patient with their profile (access.patient_for), the
# audit row, the plans with their clearances' activities, prescriptions and holds (plans_of),
# the weeks, the sessions, the measurements. The care team's sign-in reads one more (the
# two-factor device).
OWN_QUERIES = 11
RECORD_QUERIES = 12


@pytest.mark.parametrize("sessions", [3, 60])
def test_the_patients_download_reads_the_same_for_3_sessions_and_60(
    patient_client, patient, sessions, django_assert_num_queries
):
    many(make_active_plan(patient), sessions)

    with django_assert_num_queries(OWN_QUERIES):
        response = patient_client.get(own_url())

    assert response.status_code == 200


@pytest.mark.parametrize("sessions", [3, 60])
def test_the_care_teams_download_reads_the_same_for_3_sessions_and_60(
    physio_client, patient, sessions, django_assert_num_queries
):
    many(make_active_plan(patient), sessions)

    with django_assert_num_queries(RECORD_QUERIES):
        response = physio_client.get(record_url(patient))

    assert response.status_code == 200


def test_your_data_offers_the_fhir_download_and_says_what_fhir_is(patient_client):
    page = patient_client.get(reverse("my_data")).content.decode()

    assert f'<a href="{own_url()}">Your record for another clinic or health app (FHIR)</a>' in page
    assert "FHIR is the standard format that hospital, GP and health app systems read" in page


def test_the_record_links_to_the_fhir_download(physio_client, patient):
    page = physio_client.get(reverse("patient_record", args=[patient.pk])).content.decode()

    assert (
        f'<a href="{record_url(patient)}" role="button" class="secondary outline">'
        "Download FHIR record</a>"
    ) in page


def test_a_patient_without_a_profile_still_gets_their_bundle():
    loner = UserFactory(first_name="", last_name="", username="loner")

    response = client_for(loner).get(own_url())

    assert response.status_code == 200
    assert json.loads(response.content)["entry"] == [
        {
            "fullUrl": response.json()["entry"][0]["fullUrl"],
            "resource": {"resourceType": "Patient", "active": True, "name": [{"text": "loner"}]},
        }
    ]

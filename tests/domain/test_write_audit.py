"""Each of the care team's writes records its own audit row in tracker/domain/: exactly one
on success, none when the write is refused or is a second submission of the same form."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from tests.factories import SessionLogFactory, activity, make_active_plan
from tracker.domain.alerts import NoteRequired, acknowledge_alert, record_attempt
from tracker.domain.clearances import record_clearance
from tracker.domain.feedback import add_comment
from tracker.domain.measurements import add_measurement
from tracker.models import Alert, AlertKind, AuditAction, AuditEvent, Clearance, Measurement

pytestmark = pytest.mark.django_db


def trail(patient) -> list[tuple[int, str, str]]:
    return list(
        AuditEvent.objects.filter(patient=patient)
        .order_by("pk")
        .values_list("actor_id", "action", "what")
    )


def changed(actor, what: str) -> tuple[int, str, str]:
    return (actor.pk, AuditAction.CHANGE, what)


# Comments ----------------------------------------------------------------------------------


def test_add_comment_records_one_new_comment_and_none_for_the_same_key_again(physio, patient):
    session = SessionLogFactory(plan=make_active_plan(patient))
    key = uuid.uuid4()

    for _ in range(2):
        add_comment(patient=patient, author=physio, text="Good.", session=session, request_key=key)

    assert trail(patient) == [changed(physio, "new comment")]


def test_add_comment_refused_records_nothing(physio, patient, other_patient):
    session = SessionLogFactory(plan=make_active_plan(other_patient))

    with pytest.raises(ValueError):
        add_comment(patient=patient, author=physio, text="Good.", session=session)

    assert AuditEvent.objects.count() == 0


def test_comment_form_refused_records_nothing(physio_client, patient):
    session = SessionLogFactory(plan=make_active_plan(patient))
    data = {"request_key": str(uuid.uuid4()), "session": session.pk, "about": "session"}

    physio_client.post(f"/patients/{patient.pk}/comments/", data | {"text": ""})

    assert AuditEvent.objects.count() == 0


# Alerts ------------------------------------------------------------------------------------


@pytest.fixture
def alert(patient):
    return Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain rose.")


def test_acknowledge_alert_records_one_and_none_once_closed(physio, other_physio, patient, alert):
    assert acknowledge_alert(alert=alert, by=physio, note="Called.")
    assert not acknowledge_alert(alert=alert, by=other_physio, note="Me too.")

    assert trail(patient) == [changed(physio, "alert")]


def test_acknowledge_alert_refused_without_a_note_records_nothing(physio, patient):
    danger = Alert.objects.create(patient=patient, kind=AlertKind.DANGER_SIGN, message="Chest.")

    with pytest.raises(NoteRequired):
        acknowledge_alert(alert=danger, by=physio, note=" ")

    assert AuditEvent.objects.count() == 0


def test_record_attempt_records_one_and_none_once_closed(physio, patient, alert):
    record_attempt(alert=alert, by=physio, note="No answer.")
    acknowledge_alert(alert=alert, by=physio, note="Reached her.")
    AuditEvent.objects.all().delete()

    assert record_attempt(alert=alert, by=physio, note="No answer.") is None
    assert AuditEvent.objects.count() == 0


def test_record_attempt_records_one_alert_change(physio, patient, alert):
    record_attempt(alert=alert, by=physio, note="No answer.")

    assert trail(patient) == [changed(physio, "alert")]


# Clearances --------------------------------------------------------------------------------


def clearance_details(**fields) -> dict:
    today = timezone.localdate()
    return {
        "physician_name": "Dr Amir Sayed",
        "physician_registration": "GMC 7654321",
        "cleared_on": today,
        "valid_until": today + dt.timedelta(days=180),
        "activities": [activity("Walking")],
        "max_session_minutes": 40,
    } | fields


def test_record_clearance_records_one_new_clearance_and_none_for_the_same_key_again(
    physio, patient
):
    key = uuid.uuid4()

    first = record_clearance(patient=patient, by=physio, request_key=key, **clearance_details())
    second = record_clearance(patient=patient, by=physio, request_key=key, **clearance_details())

    assert (first.created, second.created, second.clearance) == (True, False, first.clearance)
    assert Clearance.objects.count() == 1
    assert list(first.clearance.activities.all()) == [activity("Walking")]
    assert trail(patient) == [changed(physio, "new clearance")]


def test_clearance_form_refused_records_nothing(physio_client, patient):
    data = {
        "request_key": str(uuid.uuid4()),
        "physician_name": "Dr Amir Sayed",
        "physician_registration": "GMC 7654321",
        "cleared_on": timezone.localdate().isoformat(),
        "valid_until": "",
        "activities": [activity("Walking").pk],
        "max_session_minutes": "40",
    }

    response = physio_client.post(f"/patients/{patient.pk}/clearances/new/", data)

    assert response.status_code == 200
    assert AuditEvent.objects.count() == 0


# Measurements ------------------------------------------------------------------------------


def measurement_form(**fields) -> dict:
    return {
        "request_key": str(uuid.uuid4()),
        "kind": "circumference",
        "measured_on": timezone.localdate().isoformat(),
        "site": "thigh",
        "affected_cm": "48.5",
        "unaffected_cm": "52.0",
        "value": "",
        "notes": "",
    } | fields


def test_add_measurement_records_one_new_measurement_and_none_for_the_same_key_again(
    physio, patient
):
    key = uuid.uuid4()
    fields = {"kind": "six_minute_walk", "measured_on": timezone.localdate(), "value": 402}

    first = add_measurement(patient=patient, by=physio, request_key=key, **fields)
    second = add_measurement(patient=patient, by=physio, request_key=key, **fields)

    assert (first[1], second[1], second[0]) == (True, False, first[0])
    assert trail(patient) == [changed(physio, "new measurement")]


@pytest.mark.parametrize("who", ["physio", "patient"])
def test_measurement_sent_twice_records_one_new_measurement(
    physio_client, patient_client, physio, patient, who
):
    client, url, actor = {
        "physio": (physio_client, f"/patients/{patient.pk}/measurements/", physio),
        "patient": (patient_client, "/progress/measurements/", patient),
    }[who]
    data = measurement_form()

    client.post(url, data)
    client.post(url, data)

    assert Measurement.objects.get().self_measured == (who == "patient")
    assert trail(patient) == [changed(actor, "new measurement")]


@pytest.mark.parametrize("who", ["physio", "patient"])
def test_measurement_refused_records_nothing(physio_client, patient_client, patient, who):
    client, url = {
        "physio": (physio_client, f"/patients/{patient.pk}/measurements/"),
        "patient": (patient_client, "/progress/measurements/"),
    }[who]

    response = client.post(url, measurement_form(affected_cm="4"))

    assert response.status_code == 200
    assert Measurement.objects.count() == 0
    assert AuditEvent.objects.count() == 0

"""The same form sent twice (Back, then Save again) saves once, and the second answer says
plainly that it was already saved and shows where it is. One test per create form."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine

from tests.factories import (
    ClearanceFactory,
    SessionLogFactory,
    activity,
    log_form,
    make_active_plan,
)
from tracker.models import (
    Alert,
    AlertKind,
    Clearance,
    Comment,
    DangerReport,
    Measurement,
    Plan,
    SessionLog,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 2)
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def said(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def twice(client, url: str, data: dict, **kwargs):
    client.post(url, data, follow=True, **kwargs)  # its own message shown and gone
    return client.post(url, data, follow=True, **kwargs)


def test_session_sent_twice_saves_one_and_shows_it(patient_client, patient):
    make_active_plan(patient)
    data = log_form(date=TODAY.isoformat(), notes="Along the canal.")

    second = twice(patient_client, "/log/", data)

    session = SessionLog.objects.get()
    assert said(second) == ["This session was already saved. Here it is."]
    assert second.redirect_chain == [(f"/history/#session-{session.pk}", 302)]
    assert f'id="session-{session.pk}"' in second.text
    assert "Along the canal." in second.text


def test_danger_report_sent_twice_files_one_and_says_so(patient_client, patient):
    data = {"request_key": str(uuid.uuid4()), "danger_signs": ["paralysis"], "notes": ""}

    second = twice(patient_client, "/report-danger/", data)

    assert DangerReport.objects.count() == 1
    assert Alert.objects.filter(kind=AlertKind.DANGER_SIGN).count() == 1
    assert "This report was already sent to your care team." in second.text


def comment_data(session) -> dict:
    return {
        "request_key": str(uuid.uuid4()),
        "session": session.pk,
        "about": "session",
        "text": "Good pacing.",
    }


def test_comment_sent_twice_saves_one_and_says_so(physio_client, patient):
    session = SessionLogFactory(plan=make_active_plan(patient))
    url = f"/patients/{patient.pk}/comments/"

    second = twice(physio_client, url, comment_data(session))

    assert Comment.objects.count() == 1
    assert said(second) == ["This comment was already sent."]
    assert second.text.count("Good pacing.") == 1


def test_comment_sent_twice_with_htmx_saves_one_and_says_so(physio_client, patient):
    session = SessionLogFactory(plan=make_active_plan(patient))
    url = f"/patients/{patient.pk}/comments/"
    data = comment_data(session)

    physio_client.post(url, data, headers=HTMX)
    second = physio_client.post(url, data, headers=HTMX)

    assert Comment.objects.count() == 1
    assert "This comment was already sent." in second.text


def measurement(**fields) -> dict:
    return {
        "request_key": str(uuid.uuid4()),
        "kind": "circumference",
        "measured_on": TODAY.isoformat(),
        "site": "thigh",
        "affected_cm": "48.5",
        "unaffected_cm": "52.0",
        "value": "",
        "notes": "",
    } | fields


def test_measurement_by_the_physio_sent_twice_saves_one(physio_client, patient):
    second = twice(physio_client, f"/patients/{patient.pk}/measurements/", measurement())

    assert Measurement.objects.count() == 1
    assert said(second) == ["This measurement was already saved."]


def test_measurement_by_the_patient_sent_twice_saves_one(patient_client, patient):
    second = twice(patient_client, "/progress/measurements/", measurement())

    assert Measurement.objects.count() == 1
    assert said(second) == ["This measurement was already saved."]


def test_clearance_sent_twice_saves_one(physio_client, patient):
    data = {
        "request_key": str(uuid.uuid4()),
        "physician_name": "Dr Amir Sayed",
        "physician_registration": "GMC 7654321",
        "cleared_on": TODAY.isoformat(),
        "valid_until": "2027-06-30",
        "activities": [activity("Walking").pk],
        "max_session_minutes": "40",
        "max_heart_rate": "",
        "weight_bearing_allowed": "on",
        "restrictions": "",
    }

    second = twice(physio_client, f"/patients/{patient.pk}/clearances/new/", data)

    assert Clearance.objects.count() == 1
    assert said(second) == ["This clearance was already recorded."]


def test_new_plan_sent_twice_saves_one(physio_client, patient):
    clearance = ClearanceFactory(patient=patient)
    data = {
        "request_key": str(uuid.uuid4()),
        "title": "Walking",
        "clearance": clearance.pk,
        "starts_on": TODAY.isoformat(),
    }

    second = twice(physio_client, f"/patients/{patient.pk}/plans/new/", data)

    assert Plan.objects.filter(patient=patient).count() == 1
    assert said(second) == ["This plan was already created. Here it is."]


def test_acknowledgement_sent_twice_keeps_the_first_and_says_so(physio_client, physio, patient):
    alert = Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain rose.")
    data = {"outcome": "done", "note": "Called her; resting today."}

    second = twice(physio_client, f"/alerts/{alert.pk}/acknowledge/", data)

    alert.refresh_from_db()
    assert alert.acknowledgement_note == "Called her; resting today."
    assert said(second) == ["This alert was already acknowledged."]


def test_contact_details_sent_twice_keep_one_set(patient_client, patient):
    data = {
        "phone": "07700 900123",
        "emergency_contact_name": "Sam Novak",
        "emergency_contact_relationship": "partner",
        "emergency_contact_phone": "07700 900456",
    }

    twice(patient_client, "/my-details/", data)

    patient.profile.refresh_from_db()
    assert (patient.profile.phone, patient.profile.emergency_contact_name) == (
        "07700 900123",
        "Sam Novak",
    )

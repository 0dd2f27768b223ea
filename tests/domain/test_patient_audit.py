"""The patient's writes put themselves in the audit trail (tracker/domain/): logging, changing
and deleting a session, the next-morning answer and the contact details. One row for each
thing done, none for a form sent again or refused, whichever page or command did it."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine

from tests.conftest import client_for
from tests.factories import SessionLogFactory, activity, log_form, make_active_plan
from tracker.domain.contact import save_contact_details
from tracker.domain.logbook import SessionInput, delete_session, edit_session, log_session
from tracker.domain.morning_check import answer_next_morning
from tracker.models import AuditAction, AuditEvent, PatientProfile

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)  # a Wednesday
TODAY = NOW.date()
CONTACT = {
    "phone": "07700 900123",
    "emergency_contact_name": "Sam Novak",
    "emergency_contact_relationship": "partner",
    "emergency_contact_phone": "07700 900456",
}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(patient):
    return make_active_plan(patient)


def trail(patient) -> list[tuple[str, str, str]]:
    """(who, action, what) of every row about `patient`, oldest first."""
    return [
        (e.actor.username, e.action, e.what)
        for e in AuditEvent.objects.filter(patient=patient).select_related("actor").order_by("pk")
    ]


def walk(**fields) -> SessionInput:
    values = {
        "activity_id": activity("Walking").pk,
        "date": TODAY,
        "minutes": 20,
        "effort": 11,
        "pain_before": 1,
        "pain_after": 2,
    }
    return SessionInput(**(values | fields))


def edit_data(**fields) -> dict:
    data = log_form(date=TODAY.isoformat(), **fields)
    del data["request_key"], data["no_danger_signs"]
    return data


# The writes themselves --------------------------------------------------------------------


def test_log_session_records_the_new_session(patient, plan):
    log_session(patient=patient, plan=plan, entry=walk())

    assert trail(patient) == [(patient.username, AuditAction.CHANGE, "new session")]


def test_log_session_sent_again_with_its_key_records_nothing_more(patient, plan):
    key = uuid.uuid4()

    log_session(patient=patient, plan=plan, entry=walk(), request_key=key)
    again = log_session(patient=patient, plan=plan, entry=walk(), request_key=key)

    assert again.created is False
    assert trail(patient) == [(patient.username, AuditAction.CHANGE, "new session")]


def test_edit_session_records_the_change_as_the_one_who_made_it(patient, plan):
    session = SessionLogFactory(plan=plan)

    edit_session(session=session, by=patient, entry=walk(minutes=25))

    assert trail(patient) == [(patient.username, AuditAction.CHANGE, "session")]


def test_delete_session_twice_records_one_deletion(patient, plan):
    session = SessionLogFactory(plan=plan)

    delete_session(session=session, by=patient)
    delete_session(session=session, by=patient)

    assert trail(patient) == [(patient.username, AuditAction.CHANGE, "deleted a session")]


def test_answer_next_morning_records_the_answer_without_a_request(patient, plan):
    yesterday = SessionLogFactory(plan=plan, date=TODAY - dt.timedelta(days=1))

    answer_next_morning(by=patient, session=yesterday, pain=2, today=TODAY)

    assert trail(patient) == [(patient.username, AuditAction.CHANGE, "next-morning pain")]
    assert AuditEvent.objects.get().path == ""  # no request: no page to name


def test_save_contact_details_records_the_change_as_the_one_who_made_it(physio, patient):
    changed = save_contact_details(by=physio, profile=patient.profile, details=CONTACT)

    assert changed is True
    assert PatientProfile.objects.get(user=patient).emergency_contact_name == "Sam Novak"
    assert trail(patient) == [(physio.username, AuditAction.CHANGE, "contact details")]


def test_save_contact_details_unchanged_records_nothing(physio, patient):
    save_contact_details(by=physio, profile=patient.profile, details=CONTACT)

    again = save_contact_details(by=physio, profile=patient.profile, details=CONTACT)

    assert again is False
    assert len(trail(patient)) == 1


# Through the pages ------------------------------------------------------------------------


def test_log_form_sent_twice_writes_one_audit_row(patient_client, patient, plan):
    data = log_form(date=TODAY.isoformat())

    patient_client.post("/log/", data)
    patient_client.post("/log/", data)

    assert trail(patient) == [(patient.username, AuditAction.CHANGE, "new session")]


def test_session_edit_writes_one_audit_row(patient_client, patient, plan):
    session = SessionLogFactory(plan=plan)

    response = patient_client.post(f"/sessions/{session.pk}/edit/", edit_data(minutes="25"))

    assert response.status_code == 302
    assert trail(patient) == [(patient.username, AuditAction.CHANGE, "session")]
    assert AuditEvent.objects.get().path == f"/sessions/{session.pk}/edit/"


def test_refused_session_edit_writes_no_audit_row(patient_client, patient, plan):
    session = SessionLogFactory(plan=plan)

    response = patient_client.post(f"/sessions/{session.pk}/edit/", edit_data(minutes="0"))

    assert response.status_code == 200
    assert response.context["form"].errors["minutes"]
    assert trail(patient) == []


def test_session_delete_writes_one_audit_row(patient_client, patient, plan):
    session = SessionLogFactory(plan=plan)

    patient_client.post(f"/sessions/{session.pk}/delete/")
    patient_client.post(f"/sessions/{session.pk}/delete/")

    assert trail(patient) == [(patient.username, AuditAction.CHANGE, "deleted a session")]


def test_contact_details_saved_twice_write_one_audit_row(patient_client, patient):
    patient_client.post("/my-details/", CONTACT)
    patient_client.post("/my-details/", CONTACT)

    assert trail(patient) == [(patient.username, AuditAction.CHANGE, "contact details")]


def test_care_team_changing_contact_details_is_recorded_as_them(physio, patient):
    client_for(physio).post(f"/patients/{patient.pk}/contact/", CONTACT)

    assert trail(patient) == [(physio.username, AuditAction.CHANGE, "contact details")]


def test_refused_contact_details_write_no_audit_row(patient_client, patient):
    response = patient_client.post("/my-details/", {"phone": "call me"})

    assert response.status_code == 200
    assert trail(patient) == []

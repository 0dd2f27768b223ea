"""Free text: every field shows its limit, a text that is too long is refused at the field
with the text kept, and nothing is cut to fit, with or without JavaScript (these are plain
form posts, as a browser without JavaScript sends them)."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
import time_machine

from tests.factories import (
    ClearanceFactory,
    SessionLogFactory,
    log_form,
    make_active_plan,
)
from tracker.forms import (
    AcknowledgeForm,
    ClearanceForm,
    ContactDetailsForm,
    DangerReportForm,
    PlanCreateForm,
)
from tracker.forms.measurements import MeasurementForm
from tracker.models import Alert, AlertKind, DangerReport, PlanHold, SessionLog

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 2)
# 3,800 characters in lines, as pasted from another app; the browser sends line breaks as CRLF.
TYPED = "\n".join(["Walked by the river, knee fine, a little stiff afterwards."] * 70)[:3800]
LONG = TYPED.replace("\n", "\r\n")
LONG_SAID = "This note is 3,800 characters; the most is 2,000. Shorten it and save again."


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def textarea_text(html: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    assert match, f"no textarea {name}"
    return match[1].replace("&#x27;", "'").replace("\r\n", "\n")


# What each form shows ------------------------------------------------------------------------


def forms_with_text(patient):
    plan = make_active_plan(patient)
    session = SessionLogFactory(plan=plan)
    from tracker.forms import CommentForm, SessionLogForm
    from tracker.forms.plans import PlanStatusForm

    alert = Alert(patient=patient, kind=AlertKind.PAIN, message="Pain rose.")
    return [
        (SessionLogForm(plan=plan, today=TODAY), "notes", 2000),
        (DangerReportForm(), "notes", 2000),
        (CommentForm(session=session), "text", 2000),
        (AcknowledgeForm(alert=alert), "note", 2000),
        (MeasurementForm(), "notes", 300),
        (ClearanceForm(), "restrictions", 2000),
        (ClearanceForm(), "physician_name", 120),
        (PlanCreateForm(patient=patient), "notes", 2000),
        (PlanCreateForm(patient=patient), "title", 120),
        (PlanStatusForm(), "reason", 300),
        (ContactDetailsForm(), "emergency_contact_name", 120),
    ]


def test_every_free_text_field_shows_its_limit_and_does_not_let_the_browser_cut(patient):
    shown = []
    for form, name, limit in forms_with_text(patient):
        html = str(form[name]) + str(form[name].help_text)
        shown.append(
            (
                type(form).__name__,
                name,
                f"Up to {limit:,} characters." in html,
                "maxlength" in html,
                f'data-limit="{form.fields[name].max_length}"' in html,
            )
        )
    assert [s for s in shown if not (s[2] and not s[3] and s[4])] == []


# Refused with the text kept -----------------------------------------------------------------


def test_long_session_note_is_refused_at_the_field_and_kept(patient_client, patient):
    make_active_plan(patient)
    data = log_form(date=TODAY.isoformat(), notes=LONG)

    response = patient_client.post("/log/", data)

    assert SessionLog.objects.count() == 0
    assert response.context["form"].errors["notes"] == [LONG_SAID]
    assert textarea_text(response.text, "notes") == TYPED


def test_2000_characters_with_line_breaks_are_saved_whole(patient_client, patient):
    make_active_plan(patient)
    note = "\r\n".join(["A" * 99] * 20) + "!"  # 2,000 characters as the patient counts them
    data = log_form(date=TODAY.isoformat(), notes=note)

    patient_client.post("/log/", data)

    assert SessionLog.objects.get().notes.replace("\r\n", "\n") == note.replace("\r\n", "\n")


def test_long_danger_note_is_filed_whole_on_the_danger_path(patient_client):
    patient_client.post(
        "/report-danger/",
        {"request_key": str(uuid.uuid4()), "danger_signs": ["paralysis"], "notes": LONG},
    )

    assert DangerReport.objects.get().notes == LONG


def test_long_acknowledgement_note_without_javascript_comes_back_kept(physio_client, patient):
    alert = Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain rose.")

    for back_to in ({}, {"show_patient": "1"}):  # the record, and the queue
        response = physio_client.post(
            f"/alerts/{alert.pk}/acknowledge/", {"outcome": "done", "note": LONG, **back_to}
        )

        assert response.status_code == 200
        assert LONG_SAID in response.text
        assert textarea_text(response.text, "note") == TYPED
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_long_comment_is_refused_with_the_count(physio_client, patient):
    session = SessionLogFactory(plan=make_active_plan(patient))

    response = physio_client.post(
        f"/patients/{patient.pk}/comments/",
        {"request_key": str(uuid.uuid4()), "session": session.pk, "about": "session", "text": LONG},
    )

    assert "This comment is 3,800 characters; the most is 2,000." in response.text
    assert textarea_text(response.text, "text") == TYPED


@pytest.mark.parametrize(
    ("form", "name", "said"),
    [
        (
            lambda data: MeasurementForm(data),
            "notes",
            "This note is 301 characters; the most is 300. Shorten it and save again.",
        ),
        (
            lambda data: ClearanceForm(data),
            "restrictions",
            "This text is 2,001 characters; the most is 2,000. Shorten it and save again.",
        ),
        (
            lambda data: ContactDetailsForm(data),
            "emergency_contact_name",
            "This name is 121 characters; the most is 120. Shorten it and save again.",
        ),
    ],
)
def test_too_long_text_is_refused_in_words_and_kept(form, name, said):
    limit = {"notes": 300, "restrictions": 2000, "emergency_contact_name": 120}[name]
    text = "x" * (limit + 1)

    bound = form({name: text})
    bound.is_valid()

    assert bound.errors[name] == [said]
    assert bound[name].value() == text


def test_plan_notes_too_long_are_refused(patient):
    clearance = ClearanceFactory(patient=patient)
    form = PlanCreateForm(
        {
            "title": "Walking",
            "clearance": clearance.pk,
            "starts_on": TODAY.isoformat(),
            "notes": "x" * 2001,
        },
        patient=patient,
    )

    assert form.errors["notes"] == [
        "This note is 2,001 characters; the most is 2,000. Shorten it and save again."
    ]


def test_long_hold_reason_is_refused_with_the_text_kept(physio_client, patient):
    plan = make_active_plan(patient)
    reason = "Knee swollen after the weekend." * 7  # 217 characters

    response = physio_client.post(
        f"/plans/{plan.pk}/progression/", {"action": "hold", "reason": reason}
    )

    assert response.status_code == 200
    assert "This reason is 217 characters; the most is 200." in response.text
    assert f'value="{reason}"' in response.text
    assert not PlanHold.objects.exists()

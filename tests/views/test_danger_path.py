"""The danger path at its edges: whatever else is wrong, a danger sign sent by a patient is
filed and the urgent screen comes first; an expired sign-in or a stale form loses nothing."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client

from tests.conftest import sign_in_verified
from tests.factories import PASSWORD, make_active_plan
from tracker.domain.alerts import NoteRequired, acknowledge_alert
from tracker.domain.logbook import report_danger
from tracker.models import Alert, AlertKind, DangerReport, PatientProfile, PlanStatus, SessionLog
from tracker.views.danger import PENDING

pytestmark = pytest.mark.django_db

URGENT = "Stop exercising and get urgent medical help now"


def log_post(**overrides) -> dict:
    data = {
        "request_key": str(uuid.uuid4()),
        "minutes": "20",
        "effort": "12",
        "pain_before": "1",
        "pain_after": "2",
        "danger_signs": ["paralysis"],
        "notes": "My left arm will not move.",
    }
    data.update(overrides)
    return data


# The plan changed while the form was open ---------------------------------------------------


@pytest.mark.parametrize("status", [PlanStatus.PAUSED, PlanStatus.COMPLETED])
def test_danger_sign_sent_after_the_plan_was_stopped_mid_form_is_filed(
    patient_client, patient, status
):
    plan = make_active_plan(patient)
    form = patient_client.get("/log/")
    plan.status = status  # the physiotherapist, meanwhile
    plan.save()

    data = log_post(activity=plan.prescriptions.get().activity_id)
    response = patient_client.post("/log/", data)

    assert form.status_code == 200
    assert response.status_code == 200
    assert response.templates[0].name == "tracker/patient/urgent.html"
    assert URGENT in response.text
    report = DangerReport.objects.get()
    assert (report.patient, report.signs, report.notes) == (
        patient,
        ["paralysis"],
        "My left arm will not move.",
    )
    assert Alert.objects.open().get().kind == AlertKind.DANGER_SIGN
    assert SessionLog.objects.count() == 0


def test_danger_sign_sent_with_no_plan_at_all_is_filed(patient_client, patient):
    response = patient_client.post("/log/", log_post())

    assert URGENT in response.text
    assert DangerReport.objects.get().patient == patient
    assert Alert.objects.open().get().kind == AlertKind.DANGER_SIGN


def test_danger_sign_on_an_empty_form_is_filed_with_a_calm_way_back(patient_client, patient):
    make_active_plan(patient)

    response = patient_client.post("/log/", {"danger_signs": ["slurred_speech"]})

    assert URGENT in response.text
    assert "finish this session later" in response.text
    assert "correct" not in response.text.lower()
    assert DangerReport.objects.get().signs == ["slurred_speech"]


def test_danger_sign_sent_twice_from_one_form_is_filed_once(patient_client, patient):
    data = log_post()

    patient_client.post("/log/", data)
    patient_client.post("/log/", data)

    assert DangerReport.objects.count() == 1
    assert Alert.objects.count() == 1


# The sign-in expired ------------------------------------------------------------------------


def signed_out_client_with_pending(path: str, **data) -> tuple[Client, object]:
    client = Client()
    response = client.post(
        path,
        {"danger_signs": ["slurred_speech"], "notes": "Words come out wrong", **data},
    )
    return client, response


@pytest.mark.parametrize("path", ["/report-danger/", "/log/"])
def test_expired_sign_in_keeps_the_signs_and_shows_the_urgent_box_first(patient, path):
    client, response = signed_out_client_with_pending(path)

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/report-danger/"
    page = client.get(response["Location"])
    html = page.text
    assert html.index(URGENT) < html.index("Sign in to send it to your care team")
    assert 'href="tel:112"' in html
    assert "Your care team has not been told yet" in html
    assert "Slurred speech" in html
    assert "Words come out wrong" in html
    assert DangerReport.objects.count() == 0  # nothing filed without a signed-in patient


def test_expired_sign_in_files_the_report_when_the_patient_signs_in(patient):
    client, response = signed_out_client_with_pending("/report-danger/")

    signed_in = client.post(
        response["Location"],
        {"username": patient.username, "password": PASSWORD, "next": "/report-danger/"},
        follow=True,
    )

    assert signed_in.redirect_chain == [("/report-danger/", 302)]
    assert signed_in.templates[0].name == "tracker/patient/urgent.html"
    assert "Your care team has been alerted" in signed_in.text
    report = DangerReport.objects.get()
    assert (report.patient, report.signs, report.notes) == (
        patient,
        ["slurred_speech"],
        "Words come out wrong",
    )
    assert Alert.objects.open().get().danger_report == report
    assert PENDING not in client.session
    # Shown once: the report page is the report form again afterwards.
    assert "Which of these do you have right now?" in client.get("/report-danger/").text


@pytest.mark.parametrize("path", ["/report-danger/", "/log/"])
def test_expired_sign_in_from_a_page_goes_on_to_the_filed_report_not_back_to_the_form(
    patient, path
):
    # A browser sends the page the form was on; the sign-in usually goes back there, but
    # danger signs go on to the page that says they were filed.
    client = Client()
    sent = client.post(
        path,
        {"danger_signs": ["slurred_speech"], "notes": "Words come out wrong"},
        HTTP_REFERER=f"http://testserver{path}",
    )
    assert sent["Location"] == "/account/login/?next=/report-danger/"

    signed_in = client.post(
        sent["Location"],
        {"username": patient.username, "password": PASSWORD, "next": "/report-danger/"},
        follow=True,
    )

    assert "Your care team has been alerted" in signed_in.text
    assert DangerReport.objects.count() == 1


def test_expired_sign_in_files_nothing_when_someone_else_signs_in(patient, physio):
    client, response = signed_out_client_with_pending("/report-danger/")

    client.post(response["Location"], {"username": physio.username, "password": PASSWORD})

    assert DangerReport.objects.count() == 0
    assert PENDING not in client.session


def test_signed_out_post_without_signs_goes_to_sign_in_as_before(patient):
    response = Client().post("/report-danger/", {"notes": "hello"})

    assert response["Location"] == "/account/login/?next=/report-danger/"
    assert "Get urgent" not in Client().get("/account/login/").text


# The token went stale -----------------------------------------------------------------------


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    sign_in_verified(client, user)
    client.get("/today/")  # sets the CSRF cookie
    return client


def fresh_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


# The import's review page asks the danger question too (whatever file it names: the CSRF
# check comes before the view).
@pytest.mark.parametrize("path", ["/report-danger/", "/log/", "/import/1/"])
def test_stale_token_on_the_danger_path_offers_one_button_to_send_again(
    patient, patient_client, path
):
    client = csrf_client(patient)
    key = str(uuid.uuid4())

    refused = client.post(
        path,
        {
            "csrfmiddlewaretoken": "stale" * 8,
            "request_key": key,
            "danger_signs": ["vision", "severe_headache"],
            "notes": "Sudden blur",
        },
    )

    assert refused.status_code == 403
    html = refused.text
    assert DangerReport.objects.count() == 0  # nothing filed without a valid token
    assert html.index(URGENT) < html.index("Send this to my care team")
    assert 'href="tel:112"' in html
    assert "Content-Security-Policy" in refused.headers
    assert 'name="danger_signs" value="vision"' in html
    assert 'name="danger_signs" value="severe_headache"' in html
    assert 'name="notes" value="Sudden blur"' in html
    resend = {
        "csrfmiddlewaretoken": fresh_token(html),
        "request_key": key,
        "danger_signs": ["vision", "severe_headache"],
        "notes": "Sudden blur",
    }
    sent = client.post("/report-danger/", resend)
    again = client.post("/report-danger/", {**resend, "csrfmiddlewaretoken": fresh_token(html)})

    assert URGENT in sent.text and "Your care team has been alerted" in sent.text
    assert URGENT in again.text
    report = DangerReport.objects.get()
    assert (report.signs, report.notes) == (["vision", "severe_headache"], "Sudden blur")


def test_stale_token_elsewhere_is_a_page_in_the_apps_own_layout(physio):
    client = csrf_client(physio)

    refused = client.post("/caseload/", {"csrfmiddlewaretoken": "x" * 40})

    assert refused.status_code == 403
    assert refused.templates[0].name == "stale_form.html"
    assert "This page was out of date" in refused.text
    assert "CSRF verification failed" not in refused.text
    assert 'name="viewport"' in refused.text


# What the patient sees ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/today/", "/plan/", "/history/", "/progress/", "/log/"])
def test_every_patient_page_has_the_danger_entry_and_a_tap_to_call_number(patient_client, path):
    html = patient_client.get(path).text

    assert '<a href="/report-danger/" class="nav-danger">Report a danger sign</a>' in html
    assert '<a href="tel:112" class="emergency-link">' in html


def test_today_shows_the_report_until_someone_answers_and_then_their_note(
    patient_client, patient, physio
):
    patient_client.post("/report-danger/", {"danger_signs": ["alertness"], "notes": "Fainted"})

    before = patient_client.get("/today/").text
    alert = Alert.objects.get()
    alert.acknowledged_by, alert.acknowledgement_note = physio, "Called; she is at A&E now."
    alert.acknowledged_at = alert.opened_at
    alert.save()
    after = patient_client.get("/today/").text

    assert before.index("Your danger-sign report") < before.index("This week")
    assert "feeling confused, less alert, or having fainted" in before
    assert "Nobody has answered it yet" in before
    assert "Maya Lindqvist</strong> answered it" in after
    assert "“Called; she is at A&amp;E now.”" in after


# The care team answers ----------------------------------------------------------------------


@pytest.fixture
def danger_alert(patient):
    report_danger(patient=patient, signs=["paralysis"])
    return Alert.objects.get()


HTMX = {"HX-Request": "true"}


def test_danger_alert_with_an_empty_note_is_refused_and_stays_open(physio_client, danger_alert):
    response = physio_client.post(
        f"/alerts/{danger_alert.pk}/acknowledge/", {"note": "  ", "outcome": "done"}, headers=HTMX
    )

    assert response.status_code == 200
    assert "Write what you did or advised before you close a danger-sign alert" in response.text
    assert Alert.objects.get().is_open


def test_refused_note_without_javascript_comes_back_with_the_text_kept(
    physio_client, patient, danger_alert
):
    long_note = "x" * 2001

    response = physio_client.post(f"/alerts/{danger_alert.pk}/acknowledge/", {"note": long_note})

    assert response.status_code == 200
    assert response.templates[0].name == "tracker/clinician/record.html"
    assert "This note is 2,001 characters; the most is 2,000." in response.text
    assert f">{long_note}</textarea>" in response.text
    assert Alert.objects.get().is_open


def test_danger_alert_closes_with_a_note(physio_client, physio, danger_alert):
    response = physio_client.post(
        f"/alerts/{danger_alert.pk}/acknowledge/", {"note": "Called; ambulance on its way."}
    )

    alert = Alert.objects.get()
    assert response.status_code == 302
    assert (alert.is_open, alert.acknowledged_by, alert.acknowledgement_note) == (
        False,
        physio,
        "Called; ambulance on its way.",
    )


def test_danger_alert_refused_by_the_domain_without_a_note(physio, danger_alert):
    with pytest.raises(NoteRequired):
        acknowledge_alert(alert=danger_alert, by=physio, note="")

    assert Alert.objects.get().is_open


def test_other_alerts_still_close_without_a_note(physio_client, patient):
    pain = Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain 6 after")

    physio_client.post(f"/alerts/{pain.pk}/acknowledge/", {"note": ""})

    assert not Alert.objects.get().is_open


def test_tried_to_call_no_answer_is_kept_and_the_alert_stays_open(
    physio_client, physio, danger_alert
):
    response = physio_client.post(
        f"/alerts/{danger_alert.pk}/acknowledge/",
        {"note": "", "outcome": "no_answer"},
        headers=HTMX,
    )

    alert = Alert.objects.get()
    assert alert.is_open
    assert [(a.by, a.note) for a in alert.attempts.all()] == [(physio, "Tried to call, no answer.")]
    assert "Call attempt noted. The alert stays open." in response.text
    assert "Maya Lindqvist tried to call at" in response.text


def test_record_shows_the_numbers_to_call_next_to_a_danger_alert(physio_client, patient):
    PatientProfile.objects.filter(user=patient).update(
        phone="+44 7700 900123",
        emergency_contact_name="Piotr Novak",
        emergency_contact_relationship="husband",
        emergency_contact_phone="07700 900456",
    )
    report_danger(patient=patient, signs=["vision"])

    html = physio_client.get(f"/patients/{patient.pk}/").text
    item = html[html.index('id="alert-') :]

    assert '<a href="tel:+447700900123" class="call-link">Call Anna: +44 7700 900123</a>' in item
    assert "Emergency contact: Piotr Novak (husband)" in item
    assert '<a href="tel:07700900456" class="call-link">07700 900456</a>' in item


# Reachability -------------------------------------------------------------------------------


def test_patient_sets_their_phone_and_emergency_contact(patient_client, patient):
    response = patient_client.post(
        "/my-details/",
        {
            "phone": " 07700  900123 ",
            "emergency_contact_name": "Piotr Novak",
            "emergency_contact_relationship": "husband",
            "emergency_contact_phone": "+44 7700 900456",
        },
        follow=True,
    )

    profile = PatientProfile.objects.get(user=patient)
    assert response.redirect_chain == [("/my-details/", 302)]
    assert (profile.phone, profile.emergency_contact_phone) == ("07700 900123", "+44 7700 900456")
    assert "Contact details saved." in response.text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"phone": "call me"}, "phone", "Enter a phone number of digits"),
        ({"phone": "12"}, "phone", "Enter a phone number of digits"),
        ({"phone": "<b>0770</b>"}, "phone", "Enter a phone number of digits"),
        ({"emergency_contact_phone": "07700 900456"}, "emergency_contact_name", "Add the name"),
        ({"emergency_contact_name": "Piotr"}, "emergency_contact_phone", "Add a phone number"),
        ({"emergency_contact_name": "P" * 121, "emergency_contact_phone": "07700 900456"},
         "emergency_contact_name", "This name is 121 characters; the most is 120."),
    ],
)  # fmt: skip
def test_contact_details_refused_in_words_with_the_values_kept(
    patient_client, patient, data, field, message
):
    response = patient_client.post("/my-details/", data)

    form = response.context["form"]
    assert response.status_code == 200
    assert message in form.errors[field][0]
    assert all(form[name].value() == value for name, value in data.items())
    assert PatientProfile.objects.get(user=patient).phone == ""


def test_care_team_changes_the_contact_details_on_the_record(physio_client, patient):
    response = physio_client.post(
        f"/patients/{patient.pk}/contact/", {"phone": "020 7946 0000"}, follow=True
    )

    assert response.redirect_chain == [(f"/patients/{patient.pk}/", 302)]
    assert '<a href="tel:02079460000" class="call-link">Call 020 7946 0000</a>' in response.text

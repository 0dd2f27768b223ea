"""Heart rate with a session: optional average and highest, in beats per minute, on the log and
edit forms; shown in history, on the record and in the downloads; the clearance's limit beside
the fields, or, for a patient on a medicine that slows the heart, effort instead."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
import time_machine
from django.urls import reverse

from tests.factories import SessionLogFactory, log_form, make_active_plan
from tracker.models import Alert, PatientProfile, SessionLog

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 11)
NOW = dt.datetime(2026, 3, 11, 18, 0, tzinfo=dt.UTC)
LIMIT_HINT = "Your doctor&#x27;s clearance allows a heart rate of at most 120."
BLUNTED_HINT = "Your medicine keeps your heart rate down, so go by how hard it feels."


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(patient):
    return make_active_plan(patient, max_session_minutes=45, max_heart_rate=120)


def form_data(**overrides) -> dict:
    return log_form(**{"date": TODAY.isoformat(), "notes": "Hilly."} | overrides)


def blunt(patient) -> None:
    PatientProfile.objects.filter(user=patient).update(heart_rate_blunted=True)


# The form ---------------------------------------------------------------------------------


def test_log_form_asks_for_both_heart_rates_plainly_with_a_number_keyboard(patient_client, plan):
    response = patient_client.get("/log/")

    for name, label in (
        ("average_heart_rate", "Average heart rate (optional)"),
        ("highest_heart_rate", "Highest heart rate (optional)"),
    ):
        assert f'<label for="id_{name}">{label}:</label>' in response.text
        (tag,) = re.findall(rf'<input type="number" name="{name}"[^>]*>', response.text)
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        assert {k: attributes[k] for k in ("inputmode", "min", "max", "aria-describedby")} == {
            "inputmode": "numeric",
            "min": "30",
            "max": "250",
            "aria-describedby": f"id_{name}_helptext id_{name}_error heart-rate-hint",
        }
    assert response.text.count("Beats per minute.") == 2


def test_log_form_shows_the_clearances_heart_rate_limit(patient_client, plan):
    response = patient_client.get("/log/")

    assert f'<p class="scale-help" id="heart-rate-hint">{LIMIT_HINT}</p>' in response.text


def test_log_form_without_a_heart_rate_limit_shows_no_hint(patient_client, patient):
    make_active_plan(patient, max_heart_rate=None)

    response = patient_client.get("/log/")

    assert 'id="heart-rate-hint"' not in response.text
    assert 'aria-describedby="id_highest_heart_rate_helptext"' in response.text


def test_log_form_for_a_blunted_heart_rate_says_effort_guides_not_the_limit(
    patient_client, patient, plan
):
    blunt(patient)

    response = patient_client.get("/log/")

    assert BLUNTED_HINT in response.text
    assert LIMIT_HINT not in response.text


def test_log_form_saves_both_heart_rates(patient_client, plan):
    patient_client.post("/log/", form_data(average_heart_rate="104", highest_heart_rate="118"))

    session = SessionLog.objects.get()
    assert (session.average_heart_rate, session.highest_heart_rate) == (104, 118)


def test_log_form_heart_rates_may_be_left_empty(patient_client, plan):
    patient_client.post("/log/", form_data(average_heart_rate="", highest_heart_rate=""))

    session = SessionLog.objects.get()
    assert (session.average_heart_rate, session.highest_heart_rate) == (None, None)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"average_heart_rate": "29"},
            "average_heart_rate",
            "Enter your average heart rate in beats per minute, between 30 and 250, or leave "
            "it empty.",
        ),
        (
            {"highest_heart_rate": "251"},
            "highest_heart_rate",
            "Enter your highest heart rate in beats per minute, between 30 and 250, or leave "
            "it empty.",
        ),
        (
            {"average_heart_rate": "fast"},
            "average_heart_rate",
            "Enter your average heart rate as a whole number, such as 110, or leave it empty.",
        ),
        (
            {"highest_heart_rate": "120.5"},
            "highest_heart_rate",
            "Enter your highest heart rate as a whole number, such as 110, or leave it empty.",
        ),
        (
            {"average_heart_rate": "130", "highest_heart_rate": "115"},
            "highest_heart_rate",
            "The highest heart rate cannot be below the average (130). Check both.",
        ),
    ],
)
def test_bad_heart_rate_comes_back_with_a_message_at_the_field_and_values_kept(
    patient_client, plan, overrides, field, message
):
    data = form_data(**overrides)

    response = patient_client.post("/log/", data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {field: [message]}
    assert form[field].value() == data[field]
    assert form["notes"].value() == "Hilly."
    assert f'id="id_{field}_error" class="live-errors"' in response.text
    assert SessionLog.objects.count() == 0


def test_highest_equal_to_average_is_accepted(patient_client, plan):
    patient_client.post("/log/", form_data(average_heart_rate="110", highest_heart_rate="110"))

    assert SessionLog.objects.get().highest_heart_rate == 110


def test_live_check_of_a_heart_rate_returns_its_error(patient_client, plan):
    response = patient_client.post(
        "/log/check/",
        form_data(highest_heart_rate="400"),
        headers={"HX-Request": "true", "HX-Trigger-Name": "highest_heart_rate"},
    )

    assert response.text.strip() == (
        '<ul class="errorlist"><li>Enter your highest heart rate in beats per minute, between '
        "30 and 250, or leave it empty.</li></ul>"
    )


def test_edit_form_shows_and_changes_the_heart_rates(patient_client, plan):
    session = SessionLogFactory(
        plan=plan, date=TODAY, average_heart_rate=100, highest_heart_rate=112
    )
    url = reverse("session_edit", args=[session.pk])

    page = patient_client.get(url)
    data = form_data(average_heart_rate="101", highest_heart_rate="115")
    del data["request_key"], data["no_danger_signs"]
    patient_client.post(url, data)

    assert (page.context["form"]["highest_heart_rate"].value()) == 112
    assert LIMIT_HINT in page.text
    session.refresh_from_db()
    assert (session.average_heart_rate, session.highest_heart_rate) == (101, 115)
    assert session.revisions.get().before["highest_heart_rate"] == 112


# Where it is shown --------------------------------------------------------------------------


def test_history_shows_the_heart_rates(patient_client, plan):
    SessionLogFactory(plan=plan, date=TODAY, average_heart_rate=104, highest_heart_rate=118)
    SessionLogFactory(plan=plan, date=TODAY, highest_heart_rate=99)
    SessionLogFactory(plan=plan, date=TODAY)

    response = patient_client.get("/history/")

    assert (
        'average heart rate 104, highest 118 <abbr title="beats per minute">bpm</abbr>'
        in response.text
    )
    assert 'highest heart rate 99 <abbr title="beats per minute">bpm</abbr>' in response.text
    assert response.text.count("heart rate") == 2


def test_record_shows_the_heart_rates_and_the_blunted_flag(physio_client, patient, plan):
    SessionLogFactory(plan=plan, date=TODAY, average_heart_rate=104, highest_heart_rate=118)
    before = physio_client.get(f"/patients/{patient.pk}/")
    blunt(patient)

    after = physio_client.get(f"/patients/{patient.pk}/")

    assert "average heart rate 104, highest 118" in before.text
    assert "Takes a medicine that slows the heart rate" not in before.text
    assert (
        "<strong>Takes a medicine that slows the heart rate:</strong> heart-rate limits are not "
        "checked for Anna; effort guides instead."
    ) in after.text


def test_csv_and_json_downloads_have_the_heart_rate_columns(patient_client, plan):
    SessionLogFactory(plan=plan, date=TODAY, average_heart_rate=104, highest_heart_rate=118)
    SessionLogFactory(plan=plan, date=TODAY)

    sheet = list(csv.DictReader(io.StringIO(patient_client.get("/my-data/sessions.csv").text)))
    data = json.loads(patient_client.get("/my-data/all.json").content)

    assert [(r["average_heart_rate_bpm"], r["highest_heart_rate_bpm"]) for r in sheet] == [
        ("104", "118"),
        ("", ""),
    ]
    assert [
        (s["average_heart_rate_bpm"], s["highest_heart_rate_bpm"]) for s in data["sessions"]
    ] == [(104, 118), (None, None)]


# The blunted flag ---------------------------------------------------------------------------


def test_admin_edits_the_blunted_flag_on_the_profile(admin_client, patient):
    url = reverse("admin:tracker_patientprofile_change", args=[patient.profile.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {}
    for field in form:
        value = field.value()
        if isinstance(value, list):
            data[field.name] = [str(v) for v in value]
        elif value not in (None, False):
            data[field.name] = "on" if value is True else str(value)

    response = admin_client.post(url, data | {"heart_rate_blunted": "on"})

    assert response.status_code == 302
    patient.profile.refresh_from_db()
    assert patient.profile.heart_rate_blunted is True
    assert "takes a medicine that slows the heart rate" in str(form).lower()


def test_blunted_patients_heart_rate_opens_no_alert(patient_client, patient, plan):
    blunt(patient)

    patient_client.post("/log/", form_data(highest_heart_rate="150"))

    assert SessionLog.objects.get().highest_heart_rate == 150
    assert Alert.objects.count() == 0


# Query count ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sessions", [1, 12])
def test_log_page_query_count_is_unchanged(
    patient_client, plan, django_assert_num_queries, sessions
):
    for day in range(sessions):
        SessionLogFactory(plan=plan, date=TODAY - dt.timedelta(days=day % 7))

    # 13 before heart rate came to the form: its hint reads the profile and clearance the
    # page has already loaded.
    with django_assert_num_queries(13):
        patient_client.get("/log/")


def test_my_plan_shows_the_heart_rate_limit_or_for_a_blunted_heart_rate_effort(
    patient_client, patient, plan
):
    before = patient_client.get("/plan/")
    blunt(patient)

    after = patient_client.get("/plan/")

    assert "Heart rate no higher than <strong>120 beats a minute</strong>." in before.text
    assert "Heart rate no higher than" not in after.text
    assert (
        "Your medicine keeps your heart rate down, so go by how hard it feels rather than by "
        "heart rate."
    ) in after.text

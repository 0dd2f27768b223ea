"""History and the log form: the distance in the unit typed, a month filter in words, the
7-day change window said where its links go, and suggested minutes for each activity."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine

from tests.factories import (
    ClearanceFactory,
    PlanFactory,
    PrescriptionFactory,
    SessionLogFactory,
    activity,
    log_form,
)
from tracker.models import DistanceUnit, PlanStatus, SessionLog

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)  # a Wednesday
TODAY = NOW.date()
WINDOW_NOTE = "Sessions can be changed for 7 days; ask your physiotherapist to correct older ones."


@pytest.fixture
def plan(patient):
    """Walking 25 minutes and swimming 15, both cleared, started this Monday."""
    with time_machine.travel(NOW, tick=False):
        clearance = ClearanceFactory(patient=patient, max_session_minutes=45)
        plan = PlanFactory(
            clearance=clearance, status=PlanStatus.ACTIVE, starts_on=dt.date(2026, 11, 30)
        )
        PrescriptionFactory(
            plan=plan, activity=activity("Walking"), start_minutes=25, max_minutes=40
        )
        PrescriptionFactory(
            plan=plan, activity=activity("Swimming"), start_minutes=15, max_minutes=30
        )
    return plan


def form_data(**overrides) -> dict:
    fields = {"date": TODAY.isoformat(), "start_time": "", "distance": "2.5", "notes": ""}
    return log_form(**fields | overrides)


# The distance in the unit typed --------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("distance", "unit", "metres", "saved_unit", "shown"),
    [
        ("2.5", "km", 2500, DistanceUnit.KILOMETRES, "2.5 km"),
        ("3", "km", 3000, DistanceUnit.KILOMETRES, "3 km"),
        ("800", "m", 800, DistanceUnit.METRES, "800 m"),
        ("1.5", "mi", 2414, DistanceUnit.MILES, "1.5 miles"),
        ("1", "mi", 1609, DistanceUnit.MILES, "1 mile"),
    ],
)
def test_history_shows_the_distance_in_the_unit_typed(
    patient_client, plan, distance, unit, metres, saved_unit, shown
):
    patient_client.post("/log/", form_data(distance=distance, distance_unit=unit))

    session = SessionLog.objects.get()
    assert (session.distance_m, session.distance_unit) == (metres, saved_unit)
    history = patient_client.get("/history/").text
    assert f"Walking · 20 min · {shown}" in " ".join(history.split())


@time_machine.travel(NOW, tick=False)
def test_log_form_offers_metres_and_kilometres(patient_client, plan):
    form = patient_client.get("/log/").context["form"]

    assert [value for value, _ in form.fields["distance_unit"].choices][:2] == ["km", "m"]


@time_machine.travel(NOW, tick=False)
def test_edit_form_shows_and_keeps_the_unit_typed(patient_client, plan):
    session = SessionLogFactory(plan=plan, distance_m=800, distance_unit=DistanceUnit.METRES)

    form = patient_client.get(f"/sessions/{session.pk}/edit/").context["form"]
    assert (form["distance"].value(), form["distance_unit"].value()) == (800, "m")

    data = form_data(distance="1.2", distance_unit="km")
    del data["request_key"], data["no_danger_signs"]
    patient_client.post(f"/sessions/{session.pk}/edit/", data)

    session.refresh_from_db()
    assert (session.distance_m, session.distance_unit) == (1200, "km")


# The month filter ----------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_month_filter_reads_in_words_and_filters(patient_client, plan):
    SessionLogFactory(plan=plan, date=dt.date(2026, 12, 1), minutes=21)
    SessionLogFactory(plan=plan, date=dt.date(2026, 11, 30), minutes=22)

    page = patient_client.get("/history/")
    november = patient_client.get("/history/?month=2026-11")

    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', page.text)
    assert [o for o in options if not o[0].isdigit() or "-" in o[0]][-3:] == [
        ("", "All months"),
        ("2026-12", "December 2026"),
        ("2026-11", "November 2026"),
    ]
    assert 'type="month"' not in page.text
    assert [s.minutes for s in november.context["page"]] == [22]


# The 7-day change window ---------------------------------------------------------------------


def test_older_sessions_say_why_they_cannot_be_changed(patient_client, plan):
    with time_machine.travel(NOW - dt.timedelta(days=9), tick=False):
        old = SessionLogFactory(plan=plan, date=dt.date(2026, 11, 23))
    with time_machine.travel(NOW, tick=False):
        recent = SessionLogFactory(plan=plan, date=TODAY)
        page = patient_client.get("/history/").text

    assert page.count(WINDOW_NOTE) == 1
    assert f"/sessions/{recent.pk}/edit/" in page
    assert f"/sessions/{old.pk}/edit/" not in page
    assert page.index(WINDOW_NOTE) > page.index(f'id="session-{old.pk}"')


def test_recent_sessions_need_no_word_about_the_window(patient_client, plan):
    with time_machine.travel(NOW, tick=False):
        SessionLogFactory(plan=plan, date=TODAY)
        page = patient_client.get("/history/").text

    assert WINDOW_NOTE not in page


# Suggested minutes for each activity -----------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_log_form_points_to_the_import_from_a_watch(patient_client, plan):
    page = patient_client.get("/log/").content.decode()

    link = 'Recorded it on a watch or phone? <a href="/import/">Import the file instead</a>.'
    assert link in page


def test_log_form_carries_each_activitys_suggested_minutes(patient_client, plan):
    response = patient_client.get("/log/")

    minutes = re.search(r'<input[^>]*name="minutes"[^>]*>', response.text).group(0)
    suggested = json.loads(
        re.search(r"data-suggested-minutes=\"([^\"]*)\"", minutes).group(1).replace("&quot;", '"')
    )
    assert suggested == {
        str(activity("Walking").pk): 25,
        str(activity("Swimming").pk): 15,
    }
    assert "Planned this week: Walking 25 min, Swimming 15 min." in response.text
    assert "tracker/log_form.js" in response.text


@time_machine.travel(NOW, tick=False)
def test_without_javascript_the_activity_chosen_brings_its_minutes(patient_client, plan):
    swimming = activity("Swimming")

    form = patient_client.get(f"/log/?activity={swimming.pk}").context["form"]

    assert (form["activity"].value(), form["minutes"].value()) == (swimming.pk, 15)


@time_machine.travel(NOW, tick=False)
def test_an_activity_outside_the_plan_in_the_address_is_ignored(patient_client, plan):
    form = patient_client.get("/log/?activity=nonsense").context["form"]

    assert (form["activity"].value(), form["minutes"].value()) == (activity("Walking").pk, 25)


@time_machine.travel(NOW, tick=False)
def test_the_record_shows_the_distance_in_the_unit_typed(physio_client, patient, plan):
    SessionLogFactory(plan=plan, distance_m=2500, distance_unit=DistanceUnit.KILOMETRES)

    record = physio_client.get(f"/patients/{patient.pk}/").text

    assert "Walking · 20 min · 2.5 km" in " ".join(record.split())


@time_machine.travel(NOW, tick=False)
def test_a_distance_typed_in_miles_comes_back_in_miles_on_the_edit_form(patient_client, plan):
    session = SessionLogFactory(plan=plan, distance_m=2414, distance_unit=DistanceUnit.MILES)

    form = patient_client.get(f"/sessions/{session.pk}/edit/").context["form"]

    assert (form["distance"].value(), form["distance_unit"].value()) == (1.5, "mi")

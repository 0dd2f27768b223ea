"""The progress page reads the patient's sessions in one weekly pass and their measurements
once: the weeks shown, where "all" begins, the totals and the notes all come from those."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.clock import TODAY
from tests.factories import SessionLogFactory, make_active_plan, make_patient
from tracker.models import Measurement, MeasurementKind, Site
from tracker.queries.progress import load_progress, progress_context
from tracker.rules.progress import monday

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(physio):
    patient = make_patient(care_team=[physio])
    plan = make_active_plan(patient)
    plan.starts_on = monday(TODAY) - dt.timedelta(weeks=8)
    plan.save()
    return plan


def test_all_weeks_begin_at_the_week_of_the_first_session(plan):
    first = monday(TODAY) - dt.timedelta(weeks=5) + dt.timedelta(days=3)  # a Thursday
    SessionLogFactory(plan=plan, date=first, minutes=20)
    SessionLogFactory(plan=plan, date=TODAY, minutes=30)

    progress = load_progress(plan.patient, plan=plan, today=TODAY, range_key="all")

    assert [w.start for w in progress.weeks] == [
        monday(first) + dt.timedelta(weeks=i) for i in range(6)
    ]
    assert [w.minutes for w in progress.weeks] == [20, 0, 0, 0, 0, 30]


def test_all_weeks_without_sessions_are_this_week_alone(plan):
    progress = load_progress(plan.patient, plan=plan, today=TODAY, range_key="all")

    assert [w.start for w in progress.weeks] == [monday(TODAY)]
    assert (progress.totals.sessions, progress.totals.minutes) == (0, 0)


def test_totals_count_every_session_and_the_weeks_only_those_up_to_today(plan):
    SessionLogFactory(plan=plan, date=monday(TODAY) - dt.timedelta(weeks=6), minutes=15)
    SessionLogFactory(plan=plan, date=TODAY, minutes=20, distance_m=1500)
    SessionLogFactory(plan=plan, date=TODAY + dt.timedelta(days=1), minutes=40, distance_m=500)

    progress = load_progress(plan.patient, plan=plan, today=TODAY, range_key="4")

    assert len(progress.weeks) == 4  # the session six weeks back is outside the range
    assert (progress.weeks[-1].minutes, progress.weeks[-1].sessions) == (20, 1)
    assert (progress.this_week.minutes, progress.this_week.sessions) == (20, 1)
    totals = progress.totals
    assert (totals.sessions, totals.minutes, totals.distance_km) == (3, 75, 2.0)


def test_measurement_notes_are_the_latest_first_and_only_those_with_a_note(plan, physio):
    patient = plan.patient
    for days_ago, notes in [(20, "First, relaxed"), (10, ""), (3, "After the walk")]:
        Measurement.objects.create(
            patient=patient,
            kind=MeasurementKind.CIRCUMFERENCE,
            site=Site.THIGH,
            measured_on=TODAY - dt.timedelta(days=days_ago),
            affected_cm=40,
            unaffected_cm=43,
            notes=notes,
            recorded_by=physio,
        )

    context = progress_context(patient, viewer=physio)

    notes = context["measurement_notes"]
    assert [(m.notes, m.recorded_by.display_name) for m in notes] == [
        ("After the walk", physio.display_name),
        ("First, relaxed", physio.display_name),
    ]
    assert [p[0] for p in context["progress"].gap.points] == [
        TODAY - dt.timedelta(days=d) for d in (20, 10, 3)
    ]

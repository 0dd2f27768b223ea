"""Recovery progress: numbers checked against sums done by hand."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.clock import TODAY
from tests.conftest import sign_in_verified
from tests.factories import (
    SessionLogFactory,
    activity,
    make_active_plan,
    make_patient,
)
from tracker.models import AtrophyKind, Measurement, MeasurementKind, SessionLog, Site
from tracker.queries.progress import load_progress
from tracker.rules.progress import (
    BUILDING,
    FULL_ACTIVITY,
    REACTIVATION,
    LimbGap,
    Week,
    build_weeks,
    limb_gap,
    monday,
    recovery_phase,
    streaks,
)

THIS_MONDAY = monday(TODAY)


def week(minutes: int, sessions: int, *, target_sessions: int = 4, start=THIS_MONDAY) -> Week:
    return Week(
        start=start,
        minutes=minutes,
        sessions=sessions,
        target_minutes=100,
        target_sessions=target_sessions,
        effort=None,
        pain_after=None,
        pain_peak=None,
        met_minutes=0,
    )


# Pure rules --------------------------------------------------------------------------


def test_week_adherence_is_the_share_of_sessions_capped_at_100():
    assert [week(0, n).adherence for n in (0, 1, 3, 4, 6)] == [0, 25, 75, 100, 100]


def test_build_weeks_fills_empty_weeks_between_logged_ones():
    first = dt.date(2026, 1, 5)  # a Monday
    rows = [{"week": dt.date(2026, 1, 19), "total_minutes": 90, "session_count": 3}]

    weeks = build_weeks(rows, first=first, last=dt.date(2026, 1, 21), targets_for=lambda d: (60, 3))

    assert [(w.start, w.minutes, w.sessions) for w in weeks] == [
        (dt.date(2026, 1, 5), 0, 0),
        (dt.date(2026, 1, 12), 0, 0),
        (dt.date(2026, 1, 19), 90, 3),
    ]


def test_streaks_count_weeks_kept_up_in_a_row():
    kept = [week(60, n) for n in (4, 4, 1, 4, 4, 4, 2, 4)]  # 80% of 4 is 4 sessions (3.2 up)

    assert streaks(kept) == (1, 3)


def gap_points(*gaps: str) -> list[Measurement]:
    return [
        Measurement(
            kind=MeasurementKind.CIRCUMFERENCE,
            site=Site.THIGH,
            measured_on=dt.date(2026, 1, 1) + dt.timedelta(weeks=i),
            unaffected_cm=Decimal("52.0"),
            affected_cm=Decimal("52.0") - Decimal(g),
        )
        for i, g in enumerate(gaps)
    ]


def test_limb_gap_closes_from_the_first_measurement():
    gap = limb_gap(gap_points("4.0", "3.1", "1.4"))

    assert (gap.first_gap, gap.latest_gap, gap.closed_cm, gap.closed_percent) == (
        Decimal("4.0"),
        Decimal("1.4"),
        Decimal("2.6"),
        65,
    )


def test_limb_gap_with_no_first_gap_has_no_percentage():
    assert limb_gap(gap_points("0.0", "0.5")).closed_percent is None


def test_phase_full_activity_needs_150_minutes_twice_and_a_small_gap():
    small = LimbGap("Mid-thigh", TODAY, Decimal(4), TODAY, Decimal("0.8"), ())
    large = LimbGap("Mid-thigh", TODAY, Decimal(4), TODAY, Decimal("2.0"), ())
    recent = [week(160, 5), week(155, 5)]

    assert recovery_phase(recent, small).name == FULL_ACTIVITY
    assert recovery_phase(recent, None).name == FULL_ACTIVITY
    building = recovery_phase(recent, large)
    assert building.name == BUILDING
    assert building.next_step == "Next: close the limb difference to 1.0 cm or less."


def test_phase_building_and_what_it_takes_next():
    phase = recovery_phase([week(70, 4), week(90, 4)], None)

    assert phase.name == BUILDING
    assert phase.rule == (
        "In the last two weeks you kept up with your sessions and did at least 70 minutes "
        "each week."
    )
    assert phase.next_step == "Next: reach 150 minutes a week for two weeks in a row."


def test_phase_reactivation_says_why():
    phase = recovery_phase([week(75, 2), week(138, 4)], None)

    assert phase.name == REACTIVATION
    assert phase.rule == (
        "In the last two weeks you did 75 and 138 minutes, and fewer than 80% of your "
        "planned sessions."
    )


def test_phase_in_the_first_weeks_is_reactivation():
    assert recovery_phase([week(200, 5)], None).name == REACTIVATION


# From the database ---------------------------------------------------------------------


@pytest.fixture
def patient_with_weeks(physio):
    """Walking 4 times a week from 10 minutes; two complete weeks logged by hand."""
    patient = make_patient(care_team=[physio])
    plan = make_active_plan(patient)
    plan.starts_on = THIS_MONDAY - dt.timedelta(weeks=2)
    plan.save()
    plan.prescriptions.update(sessions_per_week=4)
    first, second = plan.starts_on, plan.starts_on + dt.timedelta(weeks=1)
    for day, minutes, effort, pain in [(0, 10, 11, 1), (2, 12, 12, 2), (4, 14, 13, 3)]:
        SessionLogFactory(
            plan=plan,
            date=first + dt.timedelta(days=day),
            minutes=minutes,
            effort=effort,
            pain_after=pain,
            distance_m=1000,
        )
    for day in range(4):
        SessionLogFactory(plan=plan, date=second + dt.timedelta(days=day), minutes=11, effort=12)
    return patient, plan


def test_load_progress_weekly_numbers_match_hand_sums(patient_with_weeks):
    patient, plan = patient_with_weeks

    progress = load_progress(patient, plan=plan, today=TODAY, range_key="4")

    by_start = {w.start: w for w in progress.weeks}
    one = by_start[plan.starts_on]
    two = by_start[plan.starts_on + dt.timedelta(weeks=1)]
    # Week one: 10 + 12 + 14 minutes, efforts 11, 12, 13; walking is 3.5 MET.
    assert (one.minutes, one.sessions, one.effort, one.pain_after, one.pain_peak) == (
        36,
        3,
        12.0,
        2.0,
        3,
    )
    assert one.met_minutes == 126  # 36 minutes at 3.5 MET
    assert (one.target_minutes, one.target_sessions, one.adherence, one.kept_up) == (
        40,
        4,
        75,
        False,
    )
    # Week two grows nothing: week one missed the adherence target (3 of 4 needed 4).
    assert (two.minutes, two.sessions, two.target_minutes, two.kept_up) == (44, 4, 40, True)
    assert (progress.totals.sessions, progress.totals.minutes, progress.totals.distance_km) == (
        7,
        80,
        3.0,
    )
    assert (progress.streak, progress.best_streak) == (1, 1)
    assert progress.phase.name == REACTIVATION


def test_deleted_sessions_do_not_count(patient_with_weeks):
    patient, plan = patient_with_weeks
    SessionLog.objects.filter(minutes=14).update(deleted_at=timezone.now())

    progress = load_progress(patient, plan=plan, today=TODAY, range_key="4")

    assert progress.totals.minutes == 66


def test_neurogenic_patient_sees_no_phase(physio):
    patient = make_patient(care_team=[physio], atrophy_kind=AtrophyKind.NEUROGENIC)
    plan = make_active_plan(patient)

    progress = load_progress(patient, plan=plan, today=TODAY)

    assert (progress.phase, progress.supervised) == (None, True)


@pytest.mark.parametrize("count", [10, 2000])
def test_progress_page_query_count_does_not_grow_with_sessions(
    client, physio, django_assert_num_queries, count
):
    patient = make_patient(care_team=[physio])
    plan = make_active_plan(patient)
    plan.starts_on = TODAY - dt.timedelta(days=count // 4)
    plan.save()
    SessionLog.objects.bulk_create(
        SessionLog(
            patient=patient,
            plan=plan,
            activity=activity("Walking"),
            date=TODAY - dt.timedelta(days=i // 4),
            minutes=20,
            effort=12,
            pain_before=1,
            pain_after=2,
        )
        for i in range(count)
    )
    for point in gap_points("4.0", "3.0"):
        point.patient, point.recorded_by = patient, physio
        point.save()
    sign_in_verified(client, patient)

    # A fixed set: sign-in, the plan and its parts, the profile, the progression holds,
    # the weekly sums (the first week and the totals among them), the measurements (their
    # notes among them), the functional scale's ratings.
    with django_assert_num_queries(12):
        response = client.get("/progress/?range=all")

    assert response.context["progress"].totals.sessions == count


# Pages ---------------------------------------------------------------------------------


def test_range_switch_with_htmx_returns_only_the_region(patient_client, patient):
    make_active_plan(patient)

    response = patient_client.get("/progress/?range=4", headers={"HX-Request": "true"})

    assert response.text.lstrip().startswith('<div id="progress-body">')
    assert len(response.context["progress"].weeks) == 4


def test_clinician_sees_progress_of_own_patients_only(physio_client, patient, other_patient):
    assert physio_client.get(f"/patients/{patient.pk}/progress/").status_code == 200
    assert physio_client.get(f"/patients/{other_patient.pk}/progress/").status_code == 404


def test_printable_report_names_patient_and_physician(physio_client, patient):
    make_active_plan(patient)

    response = physio_client.get(f"/patients/{patient.pk}/report/")

    assert "Rehabilitation progress report" in response.text
    assert "cleared by Dr Ines Duarte" in response.text


def measurement(**fields) -> dict:
    data = {
        "request_key": str(uuid.uuid4()),
        "kind": "circumference",
        "measured_on": TODAY.isoformat(),
        "site": "thigh",
        "affected_cm": "48.5",
        "unaffected_cm": "52.0",
        "value": "",
        "notes": "",
    }
    data.update(fields)
    return data


def test_physio_records_a_circumference_and_a_functional_test(physio_client, physio, patient):
    physio_client.post(f"/patients/{patient.pk}/measurements/", measurement())
    physio_client.post(
        f"/patients/{patient.pk}/measurements/",
        measurement(kind="six_minute_walk", value="412", site="", affected_cm="", unaffected_cm=""),
    )

    saved = list(Measurement.objects.order_by("pk").values_list("kind", "value", "affected_cm"))
    assert saved == [
        ("circumference", None, Decimal("48.5")),
        ("six_minute_walk", Decimal("412.0"), None),
    ]
    assert {m.recorded_by for m in Measurement.objects.all()} == {physio}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"affected_cm": "485"},
            "affected_cm",
            "A limb circumference is between 10 and 100 cm; check the number.",
        ),
        ({"site": ""}, "site", "Choose where the limb was measured."),
        ({"unaffected_cm": ""}, "unaffected_cm", "Enter the circumference of both sides, in cm."),
        (
            {"kind": "timed_up_and_go", "value": "1"},
            "value",
            "For this test a result is between 3 and 120 s; check the number.",
        ),
        ({"kind": "grip", "value": ""}, "value", "Enter the result in kg."),
        ({"measured_on": "2999-01-01"}, "measured_on", "The date cannot be in the future."),
    ],
)
def test_implausible_measurements_are_refused_at_the_field(
    physio_client, patient, fields, field, message
):
    response = physio_client.post(f"/patients/{patient.pk}/measurements/", measurement(**fields))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Measurement.objects.count() == 0


def test_measurement_submitted_twice_is_saved_once(physio_client, patient):
    data = measurement()

    physio_client.post(f"/patients/{patient.pk}/measurements/", data)
    physio_client.post(f"/patients/{patient.pk}/measurements/", data)

    assert Measurement.objects.count() == 1


def test_patient_records_own_circumference_marked_self_measured(patient_client, patient):
    response = patient_client.post("/progress/measurements/", measurement())

    assert response.status_code == 302
    saved = Measurement.objects.get()
    assert (saved.patient, saved.recorded_by, saved.self_measured) == (patient, patient, True)


def test_patient_cannot_record_functional_tests(patient_client):
    response = patient_client.post("/progress/measurements/", measurement(kind="grip", value="30"))

    assert response.context["form"].errors["kind"] == [
        "Select a valid choice. grip is not one of the available choices."
    ]
    assert Measurement.objects.count() == 0


def test_after_a_refused_measurement_the_range_links_still_lead_to_the_progress_page(
    physio_client, patient
):
    # The refused form is shown from the measurement address, which takes only POST.
    response = physio_client.post(
        f"/patients/{patient.pk}/measurements/", measurement(affected_cm="")
    )

    assert response.status_code == 200
    ranges = re.findall(r'<a href="([^"]*)" id="range-', response.text)
    assert ranges == [f"/patients/{patient.pk}/progress/?range={key}" for key in ("4", "12", "all")]
    assert physio_client.get(ranges[0]).status_code == 200

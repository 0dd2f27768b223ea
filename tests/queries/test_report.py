"""The clinician's progress page and the printable report: about the patient, in the third
person; the period's danger reports and alerts; names and numbers written properly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from tests.factories import log_week, make_active_plan
from tracker.domain.logbook import report_danger
from tracker.models import Alert, AlertKind, AtrophyCause, Measurement, MeasurementKind, Site
from tracker.rules.progress import (
    BUILDING,
    FULL_ACTIVITY,
    REACTIVATION,
    LimbGap,
    Week,
    recovery_phase,
)
from tracker.templatetags.tracker_tags import measure

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)  # a Wednesday
TODAY = NOW.date()


def week(minutes: int, sessions: int) -> Week:
    return Week(
        start=TODAY,
        minutes=minutes,
        sessions=sessions,
        target_minutes=100,
        target_sessions=4,
        effort=None,
        pain_after=None,
        pain_peak=None,
        met_minutes=0,
    )


def main_of(page: str) -> str:
    """The page's own content, without the site's header and footer."""
    return page[page.index("<main") : page.index("</main>")]


# The phase in the third person ---------------------------------------------------------------


def test_phase_about_the_patient_names_them_and_never_says_you():
    gap = LimbGap("Mid-thigh", TODAY, Decimal(4), TODAY, Decimal("0.8"), ())
    phases = [
        recovery_phase([week(200, 5)], None, about="Sam"),
        recovery_phase([week(160, 5), week(155, 5)], gap, about="Sam"),
        recovery_phase([week(70, 4), week(90, 4)], None, about="Sam"),
        recovery_phase([week(75, 2), week(138, 4)], None, about="Sam"),
    ]

    assert [p.name for p in phases] == [REACTIVATION, FULL_ACTIVITY, BUILDING, REACTIVATION]
    assert phases[2].rule == (
        "In the last two weeks Sam kept up with the planned sessions and did at least 70 "
        "minutes each week."
    )
    assert phases[3].rule == (
        "In the last two weeks Sam did 75 and 138 minutes, and fewer than 80% of the "
        "planned sessions."
    )
    assert "The difference between Sam's sides is 0.8 cm." in phases[1].rule
    for phase in phases:
        words = f"{phase.rule} {phase.next_step}".lower().replace(".", " ").split()
        assert not {"you", "your"} & set(words), phase


def test_phase_spoken_to_the_patient_keeps_you():
    phase = recovery_phase([week(70, 4), week(90, 4)], None)

    assert phase.rule == (
        "In the last two weeks you kept up with your sessions and did at least 70 minutes "
        "each week."
    )


@pytest.fixture
def building_patient(patient):
    """Anna, three weeks into her plan, two complete weeks kept up at 75 minutes each."""
    with time_machine.travel(NOW, tick=False):
        plan = make_active_plan(patient)
        plan.starts_on = dt.date(2026, 11, 9)
        plan.save()
        log_week(plan, 1, 3, minutes=25)
        log_week(plan, 2, 3, minutes=25)
    return patient


@time_machine.travel(NOW, tick=False)
def test_clinician_progress_and_report_speak_about_the_patient(
    physio_client, patient_client, building_patient
):
    pk = building_patient.pk
    progress = physio_client.get(f"/patients/{pk}/progress/").text
    report = physio_client.get(f"/patients/{pk}/report/").text
    own = patient_client.get("/progress/").text

    about = "In the last two weeks Anna kept up with the planned sessions"
    assert about in progress
    assert about in report
    assert "In the last two weeks you kept up with your sessions" in own
    for page in (main_of(progress), main_of(report)):
        assert "you kept up" not in page
        assert "Your care team" not in page
        assert "Your physiotherapist" not in page


@time_machine.travel(NOW, tick=False)
def test_clinician_page_for_a_neurogenic_patient_speaks_about_them(physio_client, patient):
    patient.profile.atrophy_kind = "neurogenic"
    patient.profile.save()
    make_active_plan(patient)

    page = physio_client.get(f"/patients/{patient.pk}/progress/").text

    assert "Anna's progress, week by week" in page
    assert "reads these numbers with Anna" in page
    assert "with you" not in page


# The period's danger reports and alerts ------------------------------------------------------


@pytest.fixture
def alerts_in_period(patient, physio):
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        Alert.objects.create(patient=patient, kind=AlertKind.SILENCE, message="Long ago, silent.")
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC), tick=False):
        make_active_plan(patient)
        report = report_danger(patient=patient, signs=["severe_headache"], notes="Sudden")
        danger = Alert.objects.get(danger_report=report)
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 42, tzinfo=dt.UTC), tick=False):
        danger.acknowledged_at = timezone.now()
        danger.acknowledged_by = physio
        danger.acknowledgement_note = "Called; sent to A&E."
        danger.save()
    with time_machine.travel(dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC), tick=False):
        Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain rose by 3 points.")


@time_machine.travel(NOW, tick=False)
def test_report_lists_the_periods_danger_reports_and_alerts_with_how_each_was_handled(
    physio_client, patient, alerts_in_period
):
    report = physio_client.get(f"/patients/{patient.pk}/report/")

    items = report.context["period_alerts"]
    assert [(a.get_kind_display(), a.is_open) for a in items] == [
        ("Danger sign", False),
        ("Pain", True),
    ]
    text = report.text
    assert "Danger signs and alerts" in text
    assert "A severe headache" in text
    assert "Anna added: “Sudden”" in text
    assert (
        "Acknowledged by Maya Lindqvist on 20 Nov 2026, 09:42: “Called; sent to A&amp;E.”" in text
    )
    assert "Pain rose by 3 points." in text
    assert "Still open" in text
    assert "Long ago, silent." not in text


@time_machine.travel(NOW, tick=False)
def test_report_says_when_there_were_no_alerts(physio_client, patient):
    make_active_plan(patient)

    report = physio_client.get(f"/patients/{patient.pk}/report/").text

    assert "No danger signs reported and no alerts in this period." in report


@pytest.mark.parametrize("count", [1, 8])
@time_machine.travel(NOW, tick=False)
def test_report_query_count_does_not_grow_with_alerts(
    physio_client, patient, physio, django_assert_num_queries, count
):
    make_active_plan(patient)
    for _ in range(count):
        report = report_danger(patient=patient, signs=["vision"])
        alert = Alert.objects.get(danger_report=report)
        alert.acknowledged_at, alert.acknowledged_by = timezone.now(), physio
        alert.save()
    physio_client.get(f"/patients/{patient.pk}/report/")

    # Sign-in, the audit row, the progress page's reads (the plans among them), and one for
    # the alerts.
    with django_assert_num_queries(15):
        physio_client.get(f"/patients/{patient.pk}/report/")


# Names and numbers -----------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_report_keeps_the_capitals_of_a_condition(physio_client, patient):
    patient.profile.cause = AtrophyCause.GUILLAIN_BARRE
    patient.profile.save()
    make_active_plan(patient)

    report = physio_client.get(f"/patients/{patient.pk}/report/").text

    assert "Guillain-Barré syndrome" in report
    assert "guillain-barré" not in report


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("330.0"), "330"),
        (Decimal("31.5"), "31.5"),
        (Decimal("4.0"), "4"),
        (Decimal("0.5"), "0.5"),
        (Decimal("-1.5"), "-1.5"),
        (Decimal("1200.0"), "1,200"),
        (12, "12"),
        (None, ""),
    ],
)
def test_measure_shows_decimals_only_where_the_measure_has_them(value, shown):
    assert measure(value) == shown


@time_machine.travel(NOW, tick=False)
def test_report_writes_results_without_a_stray_decimal(physio_client, patient, physio):
    make_active_plan(patient)
    for day, walk, grip, affected in [
        (dt.date(2026, 11, 2), "330.0", "31.5", "48.5"),
        (dt.date(2026, 11, 30), "383.0", "33.0", "49.0"),
    ]:
        Measurement.objects.create(
            patient=patient,
            kind=MeasurementKind.SIX_MINUTE_WALK,
            measured_on=day,
            value=Decimal(walk),
            recorded_by=physio,
        )
        Measurement.objects.create(
            patient=patient,
            kind=MeasurementKind.GRIP,
            measured_on=day,
            value=Decimal(grip),
            recorded_by=physio,
        )
        Measurement.objects.create(
            patient=patient,
            kind=MeasurementKind.CIRCUMFERENCE,
            measured_on=day,
            site=Site.THIGH,
            affected_cm=Decimal(affected),
            unaffected_cm=Decimal("52.0"),
            recorded_by=physio,
        )

    report = physio_client.get(f"/patients/{patient.pk}/report/").text
    progress = physio_client.get(f"/patients/{patient.pk}/progress/").text

    assert "330 → 383 m" in report
    assert "31.5 → 33 kg" in report
    assert "difference 3.5 cm on 2 Nov, 3 cm on 30 Nov" in report
    assert "<strong>3.5 cm</strong> (2 Nov) to <strong>3 cm</strong> (30 Nov)" in progress
    assert ("330.0" in report, "33.0" in report, "52.0" in progress) == (False, False, False)


@time_machine.travel(NOW, tick=False)
def test_effort_and_pain_averages_read_without_a_stray_decimal(physio_client, building_patient):
    report = physio_client.get(f"/patients/{building_patient.pk}/report/")

    assert report.context["summaries"]["effort_pain"] == (
        "Latest week: effort 11 on the 6-20 scale, pain after 2 of 10 on average (highest 2)."
    )

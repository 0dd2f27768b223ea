"""The PDF for the referring physician shows what Progress shows about function: each
functional test's latest value against its published norm, with the source; the
Patient-Specific Functional Scale (each activity over time, the average, the meaningful change
in words and the rule it is judged by); and a period line that says which of its weeks the
keeping-up figures count, so that "12 weeks" and "Over these 10 weeks" agree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from tests.integrations import test_pdf_report as report
from tests.integrations.test_pdf_report import NOW, QUERIES, lines_of, log, pages_of, url
from tracker.domain.psfs import rate_activities
from tracker.models import Measurement, MeasurementKind, PsfsActivity

pytestmark = pytest.mark.django_db

# The report tests' fixtures: Anna's walking plan since 9 November, and its first four weeks.
cleared = report.cleared
four_weeks = report.four_weeks


def text_of(response) -> str:
    return " ".join(lines_of(pages_of(response)))


def measure(patient, kind, value, on) -> None:
    Measurement.objects.create(
        patient=patient, kind=kind, measured_on=on, value=Decimal(value), recorded_by=patient
    )


def rate_three_times(patient) -> None:
    """Stairs 2, 4, 6 and shopping 4, 5, 5 on 7 Oct, 4 Nov and 2 Dec: averages 3, 4.5, 5.5."""
    rate_activities(
        patient=patient,
        by=patient,
        rated_on=dt.date(2026, 10, 7),
        scores={},
        named=[("Climbing the stairs", 2), ("Carrying the shopping", 4)],
    )
    stairs, shopping = PsfsActivity.objects.filter(patient=patient).order_by("position")
    for day, score in [(dt.date(2026, 11, 4), 4), (dt.date(2026, 12, 2), 6)]:
        rate_activities(
            patient=patient, by=patient, rated_on=day, scores={stairs.pk: score, shopping.pk: 5}
        )


# Norms ----------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_each_functional_test_has_its_norm_and_source(physio_client, patient, four_weeks):
    profile = patient.profile
    profile.sex, profile.height_cm, profile.weight_kg = "female", 162, Decimal("68.0")
    profile.date_of_birth = dt.date(1963, 5, 1)  # 63 on 2 December 2026
    profile.save()
    measure(patient, MeasurementKind.CHAIR_STAND, "9", dt.date(2026, 11, 9))
    measure(patient, MeasurementKind.CHAIR_STAND, "11", dt.date(2026, 12, 2))
    measure(patient, MeasurementKind.SIX_MINUTE_WALK, "410", dt.date(2026, 12, 2))

    lines = lines_of(pages_of(physio_client.get(url(patient, "?range=4"))))
    text = " ".join(lines)

    assert (
        "30-second chair stand 9 repetitions 9 Nov 2026 11 repetitions 2 Dec 2026 (better) "
        "Below the usual range for women aged 60-64 (12-17; Rikli and Jones 1999)."
    ) in text
    assert (
        "6-minute walk 410 m 2 Dec 2026 410 m 2 Dec 2026 "
        "Below the predicted 489 m (84%; Enright and Sherrill 1998)."
    ) in text
    assert (
        "Norms compare the latest result with people of the same age and sex in published "
        "studies. They are not a diagnosis."
    ) in text


@time_machine.travel(NOW, tick=False)
def test_a_norm_the_profile_cannot_give_says_what_is_missing(physio_client, patient, four_weeks):
    measure(patient, MeasurementKind.SIX_MINUTE_WALK, "410", dt.date(2026, 12, 2))

    text = text_of(physio_client.get(url(patient, "?range=4")))

    assert (
        "6-minute walk 410 m 2 Dec 2026 410 m 2 Dec 2026 No norm: the profile lacks the sex, "
        "date of birth, height or weight it needs."
    ) in text
    assert "Add sex, height and weight" not in text


# The functional scale -------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_functional_scale_over_time_with_the_average_and_the_rule(
    physio_client, patient, four_weeks
):
    rate_three_times(patient)

    text = text_of(physio_client.get(url(patient, "?range=4")))

    assert "Activities Anna finds hard" in text
    assert (
        "Rated from 0 (unable) to 10 (as before), on the Patient-Specific Functional Scale. "
        "A change of 2 points in the average, or 3 points in one activity, since the first "
        "rating is more than the scale's margin (its minimal detectable change)."
    ) in text
    assert (
        "Average: 3 (7 Oct) to 5.5 (2 Dec). ▲ Up 2.5 points since the first rating: "
        "a meaningful change"
    ) in text
    assert (
        "Climbing the stairs 2 (7 Oct) → 4 (4 Nov) → 6 (2 Dec) "
        "▲ Up 4 points since the first rating: a meaningful change"
    ) in text
    assert (
        "Carrying the shopping 4 (7 Oct) → 5 (4 Nov) → 5 (2 Dec) "
        "Up 1 point since the first rating: within the scale's margin"
    ) in text


@time_machine.travel(NOW, tick=False)
def test_no_ratings_yet_says_so(physio_client, patient, four_weeks):
    assert "Activities Anna finds hard No ratings yet." in text_of(
        physio_client.get(url(patient, "?range=4"))
    )


# The period and the weeks the figures count ---------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_period_says_which_weeks_the_average_counts(physio_client, patient, four_weeks):
    # 14 Sep to 2 Dec: 8 weeks before the plan of 9 November, its 3 finished weeks, and this one.
    lines = lines_of(pages_of(physio_client.get(url(patient))))
    text = " ".join(lines)

    assert (
        "Period: 14 Sep 2026 to 2 Dec 2026 (12 weeks: 3 finished weeks with sessions planned, "
        "8 with none planned, and this week, under way)."
    ) in text
    assert (
        "Over these 3 weeks, 89% of planned sessions on average; 2 weeks kept up with the plan."
        in (lines)
    )


@time_machine.travel(NOW, tick=False)
def test_a_period_every_finished_week_of_which_was_planned(physio_client, patient, four_weeks):
    text = text_of(physio_client.get(url(patient, "?range=4")))

    assert (
        "Period: 9 Nov 2026 to 2 Dec 2026 (4 weeks: 3 finished weeks with sessions planned, "
        "and this week, under way)."
    ) in text


@time_machine.travel(NOW, tick=False)
def test_a_period_without_a_plan(physio_client, patient):
    text = text_of(physio_client.get(url(patient, "?range=4")))

    assert (
        "Period: 9 Nov 2026 to 2 Dec 2026 (4 weeks, none with sessions planned, "
        "the last one under way)."
    ) in text


# Queries flat in the number of ratings --------------------------------------------------------


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("ratings", [1, 12])
def test_the_query_count_does_not_grow_with_ratings(
    physio_client, patient, cleared, ratings, django_assert_num_queries
):
    rate_activities(
        patient=patient,
        by=patient,
        rated_on=dt.date(2026, 1, 7),
        scores={},
        named=[("Climbing the stairs", 2), ("Carrying the shopping", 4)],
    )
    activities = list(PsfsActivity.objects.filter(patient=patient))
    for n in range(1, ratings):
        rate_activities(
            patient=patient,
            by=patient,
            rated_on=dt.date(2026, 1, 7) + dt.timedelta(weeks=4 * n),
            scores={a.pk: min(2 + n, 10) for a in activities},
        )
    log(cleared, dt.date(2026, 11, 9), 10, 11, 1)
    physio_client.get(url(patient))  # the session's first request settles its sign-in

    with django_assert_num_queries(QUERIES):
        response = physio_client.get(url(patient, "?range=all"))

    assert response.status_code == 200

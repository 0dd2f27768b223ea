"""A plan's weeks keep their plan after it is completed or paused: Progress and the report
measure each past week against the plan it was done under, and the report names that plan."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from tests.factories import log_week, make_active_plan
from tracker.domain.plans import change_status
from tracker.models import PlanStatus

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)  # a Wednesday
TODAY = NOW.date()
PLAN_START = dt.date(2026, 11, 9)  # a Monday: three complete weeks before this one


def text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def kept_up_for_three_weeks(patient):
    """Walking 3 a week, all kept up, in the three weeks before this one."""
    plan = make_active_plan(patient)
    plan.starts_on = PLAN_START
    plan.save()
    for week in range(3):
        log_week(plan, week, 3)
    return plan


@pytest.mark.parametrize("to", [PlanStatus.COMPLETED, PlanStatus.PAUSED])
@time_machine.travel(NOW, tick=False)
def test_a_completed_or_paused_plan_keeps_its_weeks_on_progress(
    physio_client, patient_client, patient, physio, to
):
    plan = kept_up_for_three_weeks(patient)
    change_status(plan=plan, to=to, today=TODAY, by=physio)

    for page in (
        physio_client.get(f"/patients/{patient.pk}/progress/").text,
        patient_client.get("/progress/").text,
    ):
        assert "No plan in this period" not in text(page)
        assert "3 weeks in a row on plan (best 3)" in text(page)
        assert "3 weeks kept up with the plan" in text(page)


@time_machine.travel(NOW, tick=False)
def test_the_report_names_the_completed_plan_of_the_period(physio_client, patient, physio):
    plan = kept_up_for_three_weeks(patient)
    change_status(plan=plan, to=PlanStatus.COMPLETED, today=TODAY, by=physio)

    report = text(physio_client.get(f"/patients/{patient.pk}/report/").text)

    assert f"Plan: {plan.title} since 9 Nov 2026, completed 2 Dec 2026" in report
    assert f"cleared by {plan.clearance.physician_name}" in report
    assert "fewer than 80%" not in report
    assert "3 weeks kept up with the plan" in report


@time_machine.travel(NOW, tick=False)
def test_the_report_says_the_plan_is_paused(physio_client, patient, physio):
    plan = kept_up_for_three_weeks(patient)
    change_status(plan=plan, to=PlanStatus.PAUSED, today=TODAY, by=physio)

    report = text(physio_client.get(f"/patients/{patient.pk}/report/").text)

    assert f"Plan: {plan.title} since 9 Nov 2026, paused 2 Dec 2026" in report


@time_machine.travel(NOW, tick=False)
def test_weeks_keep_the_plan_they_were_done_under_after_a_new_plan(physio_client, patient, physio):
    old = kept_up_for_three_weeks(patient)
    change_status(plan=old, to=PlanStatus.COMPLETED, today=TODAY, by=physio)
    new = make_active_plan(patient)  # starts today, 3 a week from 10 minutes

    page = physio_client.get(f"/patients/{patient.pk}/progress/")

    weeks = page.context["progress"].weeks
    assert [(w.start, w.target_sessions) for w in weeks[-4:]] == [
        (dt.date(2026, 11, 9), 3),
        (dt.date(2026, 11, 16), 3),
        (dt.date(2026, 11, 23), 3),
        (dt.date(2026, 11, 30), 3),
    ]
    assert page.context["progress"].this_week.plan == new
    assert page.context["progress"].best_streak == 3


@pytest.mark.parametrize("finished", [1, 6])
@time_machine.travel(NOW, tick=False)
def test_progress_and_report_query_counts_do_not_grow_with_past_plans(
    physio_client, patient, physio, django_assert_num_queries, finished
):
    for i in range(finished):
        plan = make_active_plan(patient)
        plan.starts_on = PLAN_START - dt.timedelta(weeks=finished - i)
        plan.save()
        log_week(plan, 0, 3)
        change_status(plan=plan, to=PlanStatus.COMPLETED, today=TODAY, by=physio)
    kept_up_for_three_weeks(patient)
    physio_client.get(f"/patients/{patient.pk}/progress/")

    # Sign-in, the audit row, the plans with their parts and holds, the profile, the alerts
    # and sessions for the holds, the weekly sums (the first week and the totals among them),
    # the measurements (their notes among them), the functional scale's ratings; the report
    # reads its alerts besides.
    with django_assert_num_queries(15):
        physio_client.get(f"/patients/{patient.pk}/progress/?range=all")
    with django_assert_num_queries(15):
        physio_client.get(f"/patients/{patient.pk}/report/")

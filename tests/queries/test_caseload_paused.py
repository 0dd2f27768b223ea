"""A patient whose plan is paused is not "On track" on the caseload: "Plan paused", after the
alerts and before everyone else, and a clearance that paused it is named in the row."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine

from tests.conftest import sign_in_verified
from tests.factories import (
    ClearanceFactory,
    PhysiotherapistFactory,
    SessionLogFactory,
    activity,
    make_active_plan,
    make_patient,
)
from tracker.domain.clearances import apply_new_clearance
from tracker.domain.plans import change_status
from tracker.models import Alert, AlertKind, PlanStatus

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)  # a Wednesday
TODAY = NOW.date()
MONDAY = dt.date(2026, 11, 30)


def on_plan(physio, name: str):
    """Walking 3 a week for six weeks, kept up, with a session today."""
    first, last = name.split()
    patient = make_patient(care_team=[physio], user__first_name=first, user__last_name=last)
    plan = make_active_plan(patient)
    plan.starts_on = TODAY - dt.timedelta(weeks=6)
    plan.save()
    for i in range(6):
        SessionLogFactory(plan=plan, date=MONDAY - dt.timedelta(days=14 - i))
    SessionLogFactory(plan=plan, date=TODAY)
    return patient, plan


def text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@time_machine.travel(NOW, tick=False)
def test_a_paused_plan_is_not_on_track_and_sorts_after_alerts(physio_client, physio):
    on_track, _ = on_plan(physio, "Aaron Steady")
    by_physio, plan = on_plan(physio, "Zoe Paused")
    change_status(plan=plan, to=PlanStatus.PAUSED, today=TODAY, by=physio, reason="Knee.")
    by_clearance, plan = on_plan(physio, "Yan Cleared")
    apply_new_clearance(
        clearance=ClearanceFactory(
            patient=by_clearance,
            cleared_on=TODAY,
            recorded_by=physio,
            activities=[activity("Swimming")],
        ),
        by=physio,
    )
    sore, _ = on_plan(physio, "Xena Sore")
    Alert.objects.create(patient=sore, kind=AlertKind.PAIN, message="Pain 7/10.")

    response = physio_client.get("/caseload/")

    rows = response.context["rows"]
    assert [(row.patient, row.reason) for row in rows] == [
        (sore, "Pain or effort"),
        (by_clearance, "Plan paused"),
        (by_physio, "Plan paused"),
        (on_track, "On track"),
    ]
    page = text(response.text)
    assert "The clearance from Dr Ines Duarte of 2 December 2026 paused the plan" in page
    assert f"{physio.display_name} paused the plan on 2 December" in page


@pytest.mark.parametrize("count", [3, 30])
@time_machine.travel(NOW, tick=False)
def test_caseload_query_count_is_the_same_with_paused_plans(
    client, django_assert_num_queries, count
):
    physio = PhysiotherapistFactory()
    for i in range(count):
        _, plan = on_plan(physio, f"Pat Number{i}")
        if i % 3 == 0:
            change_status(plan=plan, to=PlanStatus.PAUSED, today=TODAY, by=physio)
    sign_in_verified(client, physio)

    with django_assert_num_queries(16):  # with the stale triage looked for and worked out
        response = client.get("/caseload/")

    assert sum(row.reason == "Plan paused" for row in response.context["rows"]) == (count + 2) // 3

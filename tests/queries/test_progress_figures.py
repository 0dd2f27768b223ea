"""How the progress pages write their numbers: grouped in thousands, the same way for
metres, minutes and MET-minutes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import SessionLogFactory, make_active_plan

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 2)


@time_machine.travel(NOW, tick=False)
def test_met_minutes_are_grouped_in_thousands_like_the_distance(
    patient_client, physio_client, patient
):
    plan = make_active_plan(patient)
    plan.starts_on = TODAY - dt.timedelta(days=30)
    plan.save()
    # Walking is 3.5 METs: 12 sessions of 90 minutes are 1,080 minutes, 3,780 MET-minutes.
    for day in range(12):
        SessionLogFactory(plan=plan, date=TODAY - dt.timedelta(days=day * 2), minutes=90)

    mine = patient_client.get("/progress/?range=all").text
    theirs = physio_client.get(f"/patients/{patient.pk}/progress/?range=all").text

    for page in (mine, theirs):
        assert "about 3,780 MET-minutes" in page
        assert '<p class="stat-value">1,080</p><p class="stat-label">minutes in all</p>' in page


@time_machine.travel(NOW, tick=False)
def test_the_report_groups_its_minutes_in_thousands(physio_client, patient):
    plan = make_active_plan(patient)
    plan.starts_on = TODAY - dt.timedelta(days=30)
    plan.save()
    for day in range(12):
        SessionLogFactory(plan=plan, date=TODAY - dt.timedelta(days=day * 2), minutes=90)

    report = physio_client.get(f"/patients/{patient.pk}/report/?range=all").text

    assert "12 sessions, 1,080 minutes in all." in " ".join(report.split())

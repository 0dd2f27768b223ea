"""A long plan's history is read a week at a time before the days a page shows: the holds it
feeds must be those the days themselves give."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.clock import TODAY
from tests.factories import SessionLogFactory, make_active_plan
from tracker.queries.week import current_plan, this_week
from tracker.rules.progression import week_target

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("short_week", [3, 10])
def test_a_short_week_long_ago_still_holds_the_week_after(patient, short_week):
    plan = make_active_plan(patient)  # walking 3 a week from 10 minutes, at most 30
    plan.starts_on = TODAY - dt.timedelta(weeks=12)  # today begins plan week 12
    plan.save()
    plan.prescriptions.update(weekly_progression_percent=5)
    for week in range(12):
        for day in range(1 if week == short_week else 3):
            SessionLogFactory(plan=plan, date=plan.starts_on + dt.timedelta(weeks=week, days=day))

    (target,) = this_week(patient, plan=current_plan(patient), today=TODAY).targets

    held = [False] + [w - 1 == short_week for w in range(1, 13)]
    expected = week_target(
        start=10, maximum=30, weekly_rate_percent=5, session_cap=30, week=12, held=held
    )
    assert target.target.minutes == expected.minutes == 17  # 18 had no week been held

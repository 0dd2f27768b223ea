"""A long plan's history is read a week at a time before the days a page shows: the holds it
feeds must be those the days themselves give."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.clock import TODAY
from tests.factories import SessionLogFactory, make_active_plan
from tracker.models import Alert, AlertKind
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


def test_an_alert_closed_after_midnight_in_summer_holds_by_the_local_day(patient, physio):
    """Acknowledged at 00:30 on 24 June, British Summer Time (23:30 on the 23rd in UTC): the
    week that begins on 1 July is held, as the day in the clinic's time says."""
    plan = make_active_plan(patient)
    plan.starts_on = TODAY - dt.timedelta(weeks=24)  # Wednesday 17 June 2026
    plan.save()
    plan.prescriptions.update(weekly_progression_percent=5)
    for week in range(24):
        for day in range(3):
            SessionLogFactory(plan=plan, date=plan.starts_on + dt.timedelta(weeks=week, days=day))
    alert = Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain 6/10.")
    Alert.objects.filter(pk=alert.pk).update(  # opened_at is set on creation
        opened_at=dt.datetime(2026, 6, 20, 9, 0, tzinfo=dt.UTC),
        acknowledged_at=dt.datetime(2026, 6, 23, 23, 30, tzinfo=dt.UTC),
        acknowledged_by=physio,
    )

    (target,) = this_week(patient, plan=current_plan(patient), today=TODAY).targets

    held = [False, True, True] + [False] * 22  # weeks 1 and 2: the alert's local days
    expected = week_target(
        start=10, maximum=30, weekly_rate_percent=5, session_cap=30, week=24, held=held
    )
    assert target.target.minutes == expected.minutes == 29  # 30 by the UTC day

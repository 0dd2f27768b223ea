"""The weekly figures hold for any sessions: the weeks run Monday to Sunday without a gap up to
last week, their minutes add up to every session before this Monday that was not deleted,
and every reference resolves (the clock pinned to Wednesday 2 December 2026)."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.clock import TODAY, pinned_now
from tests.factories import SessionLogFactory, make_active_plan
from tracker.integrations.fhir.bundle import build_bundle, bundle_json
from tracker.integrations.fhir.records import patient_record
from tracker.models import Plan, SessionLog

pytestmark = pytest.mark.django_db

THIS_MONDAY = dt.date(2026, 11, 30)
sessions = st.lists(
    st.tuples(
        st.integers(0, 60), st.integers(1, 240), st.booleans()
    ),  # days back, minutes, deleted
    max_size=12,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(logged=sessions)
def test_the_weeks_add_up_for_any_sessions(patient, logged):
    # One database for every example: start each from no sessions, on the one plan (from
    # today, so the weeks come from the sessions alone).
    SessionLog.objects.all().delete()
    plan = Plan.objects.filter(patient=patient).first() or make_active_plan(patient)
    for back, minutes, deleted in logged:
        SessionLogFactory(
            plan=plan,
            date=TODAY - dt.timedelta(days=back),
            minutes=minutes,
            deleted_at=timezone.now() if deleted else None,
        )

    record = patient_record(patient, today=TODAY)
    bundle = json.loads(bundle_json(build_bundle(record, now=pinned_now())))

    mondays = [week.start for week in record.weeks]
    assert all(day.weekday() == 0 for day in mondays)
    assert all(b - a == dt.timedelta(weeks=1) for a, b in itertools.pairwise(mondays))
    assert not mondays or mondays[-1] == THIS_MONDAY - dt.timedelta(weeks=1)
    counted = [(back, m) for back, m, deleted in logged if not deleted]
    before = sum(m for back, m in counted if TODAY - dt.timedelta(days=back) < THIS_MONDAY)
    assert sum(week.minutes for week in record.weeks) == before
    assert all(0 <= week.days <= 7 for week in record.weeks)
    panels = [
        e
        for e in bundle["entry"]
        if e["resource"].get("code", {}).get("coding", [{}])[0].get("code") == "PAPanel"
    ]
    assert len(panels) == len(counted)
    urls = {e["fullUrl"] for e in bundle["entry"]}
    assert len(urls) == len(bundle["entry"])
    text = json.dumps(bundle)
    assert text.count('"reference": "') == sum(text.count(f'"reference": "{u}"') for u in urls)

"""A newer clearance supersedes the older ones and re-checks the plan: the rule as plain
functions, and the write that applies it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import ClearanceFactory, PlanFactory, PrescriptionFactory, activity
from tracker.domain.clearances import apply_new_clearance
from tracker.models import Clearance, PlanChange, PlanStatus, Prescription
from tracker.rules.clearances import recheck
from tracker.rules.plans import Limits

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)


def limits(**overrides) -> Limits:
    fields = {
        "physician_name": "Dr Ines Duarte",
        "cleared_on": TODAY,
        "valid_until": dt.date(2027, 6, 30),
        "allowed_activity_ids": frozenset({activity("Walking").pk, activity("Swimming").pk}),
        "max_session_minutes": 40,
        "high_impact_allowed": False,
        "weight_bearing_allowed": True,
    }
    return Limits(**(fields | overrides))


def prescription(name: str, start: int, most: int, pk: int, **fields) -> Prescription:
    return Prescription(
        pk=pk, activity=activity(name), start_minutes=start, max_minutes=most, **fields
    )


# The rule ----------------------------------------------------------------------------


def test_recheck_lowers_the_most_minutes_to_the_new_longest_session():
    result = recheck(
        prescriptions=[prescription("Walking", 20, 45, pk=1)],
        limits=limits(),
        plan_status=PlanStatus.ACTIVE,
    )

    ((change,),) = [result.changes]
    assert (change.prescription_id, change.start_minutes, change.max_minutes) == (1, 20, 40)
    assert change.suspended_reason == ""
    assert result.pause_reason == ""
    assert result.details == [
        "The new clearance from Dr Ines Duarte sets the longest session at 40 minutes, "
        "so walking now goes up to 40 minutes."
    ]


def test_recheck_lowers_start_and_most_when_both_are_above_it():
    result = recheck(
        prescriptions=[prescription("Walking", 45, 50, pk=1)],
        limits=limits(),
        plan_status=PlanStatus.ACTIVE,
    )

    (change,) = result.changes
    assert (change.start_minutes, change.max_minutes) == (40, 40)
    assert result.details == [
        "The new clearance from Dr Ines Duarte sets the longest session at 40 minutes, "
        "so walking now starts at 40 minutes and stays there."
    ]


def test_recheck_suspends_an_activity_the_new_clearance_leaves_out():
    result = recheck(
        prescriptions=[
            prescription("Walking", 20, 30, pk=1),
            prescription("Swimming", 20, 30, pk=2),
        ],
        limits=limits(allowed_activity_ids=frozenset({activity("Walking").pk})),
        plan_status=PlanStatus.ACTIVE,
    )

    (change,) = result.changes
    assert change.prescription_id == 2
    assert change.suspended_reason == "The new clearance does not include swimming."
    assert result.pause_reason == ""
    assert result.details == [
        "The new clearance does not include swimming, so swimming is set aside for now."
    ]


def test_recheck_suspends_high_impact_and_weight_bearing_activities_it_forbids():
    allowed = frozenset(activity(n).pk for n in ("Walking", "Swimming", "Jogging"))

    result = recheck(
        prescriptions=[
            prescription("Jogging", 10, 20, pk=1),
            prescription("Walking", 10, 20, pk=2),
            prescription("Swimming", 10, 20, pk=3),
        ],
        limits=limits(allowed_activity_ids=allowed, weight_bearing_allowed=False),
        plan_status=PlanStatus.ACTIVE,
    )

    assert [(c.prescription_id, c.suspended_reason) for c in result.changes] == [
        (1, "The new clearance does not allow high-impact exercise such as jogging."),
        (2, "The new clearance does not allow weight-bearing exercise such as walking."),
    ]


def test_recheck_pauses_an_active_plan_with_nothing_left_to_log():
    result = recheck(
        prescriptions=[prescription("Walking", 20, 30, pk=1)],
        limits=limits(allowed_activity_ids=frozenset({activity("Swimming").pk})),
        plan_status=PlanStatus.ACTIVE,
    )

    assert result.pause_reason == (
        "The new clearance from Dr Ines Duarte allows none of this plan's activities."
    )
    assert result.details[-1] == (
        "The new clearance from Dr Ines Duarte allows none of this plan's activities, "
        "so the plan is paused until the physiotherapist changes it."
    )


@pytest.mark.parametrize("status", [PlanStatus.DRAFT, PlanStatus.PAUSED])
def test_recheck_does_not_pause_a_plan_that_is_not_active(status):
    result = recheck(
        prescriptions=[prescription("Walking", 20, 30, pk=1)],
        limits=limits(allowed_activity_ids=frozenset({activity("Swimming").pk})),
        plan_status=status,
    )

    assert result.pause_reason == ""
    assert len(result.changes) == 1


def test_recheck_within_the_new_limits_changes_nothing():
    result = recheck(
        prescriptions=[prescription("Walking", 20, 40, pk=1)],
        limits=limits(),
        plan_status=PlanStatus.ACTIVE,
    )

    assert (result.changes, result.pause_reason, result.details) == ((), "", [])


def test_recheck_brings_back_an_activity_the_new_clearance_allows_again():
    result = recheck(
        prescriptions=[
            prescription("Swimming", 20, 45, pk=1, suspended_on=dt.date(2026, 11, 1)),
        ],
        limits=limits(),
        plan_status=PlanStatus.ACTIVE,
    )

    (change,) = result.changes
    assert (change.suspended_reason, change.start_minutes, change.max_minutes) == ("", 20, 40)
    assert change.resumed
    assert result.details == [
        "The new clearance from Dr Ines Duarte allows swimming again, up to 40 minutes."
    ]


def test_recheck_tells_a_new_heart_rate_limit():
    result = recheck(
        prescriptions=[prescription("Walking", 20, 40, pk=1)],
        limits=limits(),
        plan_status=PlanStatus.ACTIVE,
        heart_rate=(None, 120),
    )

    assert result.details == [
        "The new clearance from Dr Ines Duarte sets the highest heart rate at 120 beats a minute."
    ]


# The write -----------------------------------------------------------------------------


def _older_clearance(patient=None, **fields) -> Clearance:
    defaults = {
        "cleared_on": dt.date(2026, 10, 1),
        "valid_until": dt.date(2027, 3, 31),
        "max_session_minutes": 45,
    }
    if patient is not None:
        defaults["patient"] = patient
    return ClearanceFactory(**(defaults | fields))


@time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC), tick=False)
def test_apply_new_clearance_supersedes_moves_lowers_and_records_one_change():
    old = _older_clearance()
    plan = PlanFactory(clearance=old, status=PlanStatus.ACTIVE)
    walking = PrescriptionFactory(plan=plan, start_minutes=20, max_minutes=45)
    new = ClearanceFactory(
        patient=old.patient, cleared_on=TODAY, max_session_minutes=40, max_heart_rate=120
    )

    apply_new_clearance(clearance=new, by=new.recorded_by)

    old.refresh_from_db()
    plan.refresh_from_db()
    walking.refresh_from_db()
    assert (old.superseded_on, old.superseded_by) == (TODAY, new)
    assert list(Clearance.objects.filter(patient=old.patient).current_on(TODAY)) == [new]
    assert plan.clearance == new
    assert (walking.start_minutes, walking.max_minutes) == (20, 40)
    (change,) = PlanChange.objects.filter(plan=plan)
    assert change.clearance == new
    assert change.made_by is None
    assert change.details == [
        "The new clearance from Dr Ines Duarte sets the longest session at 40 minutes, "
        "so walking now goes up to 40 minutes.",
        "The new clearance from Dr Ines Duarte sets the highest heart rate at 120 beats a minute.",
    ]


@time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC), tick=False)
def test_apply_new_clearance_suspends_and_pauses_a_plan_with_nothing_left():
    old = _older_clearance()
    plan = PlanFactory(clearance=old, status=PlanStatus.ACTIVE)
    walking = PrescriptionFactory(plan=plan)
    new = ClearanceFactory(patient=old.patient, cleared_on=TODAY, activities=[activity("Swimming")])

    apply_new_clearance(clearance=new, by=new.recorded_by)

    plan.refresh_from_db()
    walking.refresh_from_db()
    assert (walking.suspended_on, walking.suspended_reason) == (
        TODAY,
        "The new clearance does not include walking.",
    )
    assert plan.status == PlanStatus.PAUSED
    assert plan.status_reason == (
        "The new clearance from Dr Ines Duarte allows none of this plan's activities."
    )
    assert plan.status_changed_by is None
    assert plan.status_changed_at is not None


@time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC), tick=False)
def test_apply_new_clearance_leaves_completed_plans_and_other_patients_alone():
    old = _older_clearance()
    done = PlanFactory(clearance=old, status=PlanStatus.COMPLETED)
    PrescriptionFactory(plan=done, max_minutes=45)
    someone_else = _older_clearance()
    theirs = PlanFactory(clearance=someone_else, status=PlanStatus.ACTIVE)
    new = ClearanceFactory(patient=old.patient, cleared_on=TODAY, max_session_minutes=40)

    apply_new_clearance(clearance=new, by=new.recorded_by)

    done.refresh_from_db()
    theirs.refresh_from_db()
    someone_else.refresh_from_db()
    assert done.clearance == old
    assert done.prescriptions.get().max_minutes == 45
    assert theirs.clearance == someone_else
    assert someone_else.superseded_on is None
    assert not PlanChange.objects.exists()


@time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC), tick=False)
def test_apply_new_clearance_dated_before_a_newer_one_is_superseded_by_it():
    newer = _older_clearance(cleared_on=dt.date(2026, 11, 20))
    plan = PlanFactory(clearance=newer, status=PlanStatus.ACTIVE)
    PrescriptionFactory(plan=plan)
    late_letter = ClearanceFactory(patient=newer.patient, cleared_on=dt.date(2026, 11, 1))

    apply_new_clearance(clearance=late_letter, by=late_letter.recorded_by)

    late_letter.refresh_from_db()
    newer.refresh_from_db()
    plan.refresh_from_db()
    assert (late_letter.superseded_on, late_letter.superseded_by) == (
        dt.date(2026, 11, 20),
        newer,
    )
    assert newer.superseded_on is None
    assert plan.clearance == newer

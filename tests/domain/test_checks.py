"""The daily checks: silence, adherence and clearance alerts, opened once however often they run."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import (
    ClearanceFactory,
    PlanFactory,
    PrescriptionFactory,
    SessionLogFactory,
    activity,
    log_week,
    make_active_plan,
    make_patient,
)
from tracker.domain import checks
from tracker.domain.checks import load_facts, run_checks
from tracker.models import Alert, AlertKind, Plan, PlanStatus
from tracker.rules.checks import (
    KeyedAlert,
    PlanFacts,
    adherence_alert,
    clearance_alert,
    due_alerts,
    last_completed_week,
    silence_alert,
    to_open,
)
from tracker.rules.plans import week_of_plan

MONDAY = dt.date(2026, 11, 23)


def facts(**overrides) -> PlanFacts:
    """A plan in its third week (started two Mondays ago), on track, with a current clearance."""
    values = {
        "patient_id": 1,
        "plan_id": 7,
        "starts_on": MONDAY - dt.timedelta(weeks=2),
        "week": 2,
        "sessions_per_week": 3,
        "last_week_sessions": 3,
        "last_logged": MONDAY - dt.timedelta(days=1),
        "clearance_id": 4,
        "physician_name": "Dr Ines Duarte",
        "cleared_on": MONDAY - dt.timedelta(weeks=3),
        "valid_until": MONDAY + dt.timedelta(days=90),
    }
    values.update(overrides)
    return PlanFacts(**values)


# Rules ------------------------------------------------------------------------------------


def test_silence_alert_after_five_days_without_a_session():
    alert = silence_alert(facts(last_logged=MONDAY - dt.timedelta(days=5)), today=MONDAY, days=5)

    assert alert == KeyedAlert(
        AlertKind.SILENCE,
        "No session logged for 5 days; the last was on Wed 18 Nov.",
        dedupe_key="silence",
    )


def test_silence_alert_not_due_after_four_days():
    alert = silence_alert(facts(last_logged=MONDAY - dt.timedelta(days=4)), today=MONDAY, days=5)

    assert alert is None


def test_silence_alert_counts_from_the_plan_start_when_nothing_was_logged_on_it():
    started = MONDAY - dt.timedelta(days=6)
    earlier_plan_session = started - dt.timedelta(days=30)

    alert = silence_alert(
        facts(starts_on=started, week=0, last_logged=earlier_plan_session), today=MONDAY, days=5
    )

    assert alert == KeyedAlert(
        AlertKind.SILENCE,
        "No session logged since the plan started on Tue 17 Nov (6 days).",
        dedupe_key="silence",
    )


def test_silence_alert_not_due_for_a_plan_starting_in_the_future():
    alert = silence_alert(
        facts(starts_on=MONDAY + dt.timedelta(days=3), week=0, last_logged=None),
        today=MONDAY,
        days=5,
    )

    assert alert is None


def test_silence_alert_not_due_while_the_clearance_has_lapsed():
    alert = silence_alert(
        facts(
            last_logged=MONDAY - dt.timedelta(days=20), valid_until=MONDAY - dt.timedelta(days=1)
        ),
        today=MONDAY,
        days=5,
    )

    assert alert is None


def test_adherence_alert_when_last_week_was_under_target():
    alert = adherence_alert(facts(last_week_sessions=2))

    assert alert == KeyedAlert(
        AlertKind.ADHERENCE,
        "Week 2 of the plan (Mon 16 Nov to Sun 22 Nov): 2 of 3 planned sessions logged, "
        "under the 80% target (3 needed).",
        dedupe_key="adherence:7:1",
    )


def test_adherence_alert_not_due_when_last_week_met_the_target():
    alert = adherence_alert(facts(sessions_per_week=5, last_week_sessions=4))

    assert alert is None


def test_adherence_alert_not_due_in_the_plans_first_week():
    alert = adherence_alert(facts(starts_on=MONDAY, week=0, last_week_sessions=0))

    assert alert is None


def test_adherence_alert_not_due_for_a_week_the_clearance_did_not_cover():
    alert = adherence_alert(facts(last_week_sessions=0, valid_until=MONDAY - dt.timedelta(days=3)))

    assert alert is None


@pytest.mark.parametrize(
    ("days_left", "message", "key"),
    [
        (14, "The clearance by Dr Ines Duarte runs out on 7 Dec 2026 (in 14 days). "
         "Ask the physician to renew it.", "clearance:4:expiring"),
        (1, "The clearance by Dr Ines Duarte runs out on 24 Nov 2026 (in 1 day). "
         "Ask the physician to renew it.", "clearance:4:expiring"),
        (0, "The clearance by Dr Ines Duarte runs out on 23 Nov 2026 (today). "
         "Ask the physician to renew it.", "clearance:4:expiring"),
        (-2, "The clearance by Dr Ines Duarte ran out on 21 Nov 2026: the plan is suspended and "
         "the patient cannot log sessions until a new clearance is recorded.",
         "clearance:4:expired"),
    ],
)  # fmt: skip
def test_clearance_alert_when_expiring_within_14_days_or_expired(days_left, message, key):
    alert = clearance_alert(facts(valid_until=MONDAY + dt.timedelta(days=days_left)), today=MONDAY)

    assert alert == KeyedAlert(AlertKind.CLEARANCE, message, dedupe_key=key)


def test_clearance_alert_not_due_15_days_ahead():
    alert = clearance_alert(facts(valid_until=MONDAY + dt.timedelta(days=15)), today=MONDAY)

    assert alert is None


def test_due_alerts_of_a_plan_on_track_are_none():
    assert due_alerts(facts(), today=MONDAY) == []


def test_due_alerts_lists_every_kind_due():
    slipping = facts(
        last_week_sessions=0,
        last_logged=MONDAY - dt.timedelta(days=9),
        valid_until=MONDAY + dt.timedelta(days=3),
    )

    alerts = due_alerts(slipping, today=MONDAY)

    assert [a.kind for a in alerts] == [AlertKind.ADHERENCE, AlertKind.SILENCE, AlertKind.CLEARANCE]


def test_to_open_skips_an_alert_already_open():
    due = [(1, KeyedAlert(AlertKind.SILENCE, "No session.", dedupe_key="silence"))]

    assert to_open(due, [(1, AlertKind.SILENCE, "silence", True)]) == []


def test_to_open_reopens_acknowledged_silence_but_not_an_acknowledged_week():
    silence = KeyedAlert(AlertKind.SILENCE, "No session.", dedupe_key="silence")
    week = KeyedAlert(AlertKind.ADHERENCE, "Week 2.", dedupe_key="adherence:7:1")
    known = [
        (1, AlertKind.SILENCE, "silence", False),
        (1, AlertKind.ADHERENCE, "adherence:7:1", False),
    ]

    assert to_open([(1, silence), (1, week)], known) == [(1, silence)]


@given(
    starts_on=st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
    days_later=st.integers(7, 400),
)
def test_last_completed_week_is_the_seven_days_before_the_current_week(starts_on, days_later):
    today = starts_on + dt.timedelta(days=days_later)
    week = week_of_plan(Plan(starts_on=starts_on), today)

    index, first, last = last_completed_week(starts_on, week)

    assert (index, (last - first).days) == (week - 1, 6)
    assert first <= today - dt.timedelta(weeks=1) <= last < today
    assert (first - starts_on).days % 7 == 0


# Loading the facts --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("days_into_week", range(7))
def test_load_facts_counts_the_last_completed_week_whatever_day_the_plan_started(
    patient, days_into_week
):
    today = timezone.localdate()
    plan = make_active_plan(patient)
    plan.starts_on = today - dt.timedelta(weeks=2, days=days_into_week)
    plan.save()
    last_week_starts = plan.starts_on + dt.timedelta(weeks=1)
    for day in (-1, 0, 6, 7):  # the day before, its first and last days, the day after
        SessionLogFactory(plan=plan, date=last_week_starts + dt.timedelta(days=day))
    SessionLogFactory(plan=plan, date=last_week_starts, deleted_at=timezone.now())

    [loaded] = load_facts(today)

    assert (loaded.week, loaded.last_week_sessions) == (2, 2)


@pytest.mark.django_db
def test_load_facts_of_a_plan(patient):
    today = timezone.localdate()
    plan = make_active_plan(patient)
    PrescriptionFactory(plan=plan, activity=activity("Swimming"), sessions_per_week=2)
    plan.starts_on = today - dt.timedelta(days=10)
    plan.save()
    SessionLogFactory(plan=plan, date=today - dt.timedelta(days=4))

    [loaded] = load_facts(today)

    assert loaded == PlanFacts(
        patient_id=patient.pk,
        plan_id=plan.pk,
        starts_on=plan.starts_on,
        week=1,
        sessions_per_week=5,
        last_week_sessions=1,
        last_logged=today - dt.timedelta(days=4),
        clearance_id=plan.clearance_id,
        physician_name="Dr Ines Duarte",
        cleared_on=plan.clearance.cleared_on,
        valid_until=plan.clearance.valid_until,
    )


# Running the checks -------------------------------------------------------------------------


def slipping_patient(physio=None, **clearance_fields):
    """A patient two weeks into an active plan who logged one session, a week ago, and whose
    clearance runs out in 10 days: all three checks are due."""
    today = timezone.localdate()
    patient = make_patient(care_team=[physio] if physio else [])
    clearance_fields.setdefault("valid_until", today + dt.timedelta(days=10))
    plan = make_active_plan(patient, **clearance_fields)
    plan.starts_on = today - dt.timedelta(weeks=2)
    plan.save()
    log_week(plan, 1, 1)
    return patient


def run(*args: str) -> str:
    out = StringIO()
    call_command("run_checks", *args, stdout=out)
    return out.getvalue()


def open_alerts() -> list[tuple[str, str]]:
    return sorted(Alert.objects.open().values_list("kind", "dedupe_key"))


@pytest.mark.django_db
def test_command_opens_each_alert_kind_due(physio):
    patient = slipping_patient(physio)
    plan = patient.plans.get()

    output = run()

    assert output == (
        "Checked 1 patient with an active plan: opened 3 alerts "
        "(1 adherence under target, 1 no recent log, 1 clearance expiring).\n"
    )
    assert open_alerts() == [
        ("adherence", f"adherence:{plan.pk}:1"),
        ("clearance", f"clearance:{plan.clearance_id}:expiring"),
        ("silence", "silence"),
    ]
    assert set(Alert.objects.values_list("patient_id", flat=True)) == {patient.pk}


@pytest.mark.django_db
def test_command_opens_nothing_for_a_patient_on_track(patient):
    plan = make_active_plan(patient)
    plan.starts_on = timezone.localdate() - dt.timedelta(weeks=2)
    plan.save()
    log_week(plan, 1, 3)
    SessionLogFactory(plan=plan, date=timezone.localdate())

    output = run()

    assert output == "Checked 1 patient with an active plan: no new alerts.\n"
    assert open_alerts() == []


@pytest.mark.django_db
@pytest.mark.parametrize("status", [PlanStatus.DRAFT, PlanStatus.PAUSED, PlanStatus.COMPLETED])
def test_command_skips_patients_without_an_active_plan(patient, status):
    clearance = ClearanceFactory(patient=patient, valid_until=timezone.localdate())
    PlanFactory(
        clearance=clearance, status=status, starts_on=timezone.localdate() - dt.timedelta(weeks=4)
    )

    output = run()

    assert output == "Checked 0 patients with an active plan: no new alerts.\n"
    assert open_alerts() == []


@pytest.mark.django_db
def test_command_run_twice_opens_nothing_new(physio):
    slipping_patient(physio)
    run()
    first = list(Alert.objects.values_list("pk", flat=True))

    output = run()

    assert output == "Checked 1 patient with an active plan: no new alerts.\n"
    assert list(Alert.objects.values_list("pk", flat=True)) == first


@pytest.mark.django_db
def test_acknowledged_silence_alert_is_reopened_while_the_patient_stays_silent(physio):
    patient = slipping_patient(physio)
    run()
    first = Alert.objects.get(kind=AlertKind.SILENCE)
    Alert.objects.filter(pk=first.pk).update(acknowledged_at=timezone.now(), acknowledged_by=physio)

    output = run()

    assert output == ("Checked 1 patient with an active plan: opened 1 alert (1 no recent log).\n")
    reopened = Alert.objects.open().get(kind=AlertKind.SILENCE)
    assert (reopened.patient, reopened.dedupe_key) == (patient, "silence")
    assert reopened.pk != first.pk


@pytest.mark.django_db
def test_acknowledged_adherence_and_clearance_alerts_are_not_reopened_for_the_same_fact(physio):
    slipping_patient(physio)
    run()
    Alert.objects.exclude(kind=AlertKind.SILENCE).update(
        acknowledged_at=timezone.now(), acknowledged_by=physio
    )

    output = run()

    assert output == "Checked 1 patient with an active plan: no new alerts.\n"
    assert Alert.objects.count() == 3


@pytest.mark.django_db
def test_expired_clearance_opens_a_new_alert_after_the_expiring_one(physio):
    patient = slipping_patient(physio)
    run()
    clearance = patient.plans.get().clearance
    clearance.cleared_on = timezone.localdate() - dt.timedelta(weeks=5)
    clearance.valid_until = timezone.localdate() - dt.timedelta(days=1)
    clearance.save()

    run()

    assert sorted(
        Alert.objects.filter(kind=AlertKind.CLEARANCE).values_list("dedupe_key", flat=True)
    ) == [f"clearance:{clearance.pk}:expired", f"clearance:{clearance.pk}:expiring"]


@pytest.mark.django_db
def test_silence_days_option(patient):
    plan = make_active_plan(patient)
    plan.starts_on = timezone.localdate() - dt.timedelta(days=5)
    plan.save()
    SessionLogFactory(plan=plan, date=timezone.localdate() - dt.timedelta(days=3))

    default = run()
    shorter = run("--silence-days", "3")

    assert default == "Checked 1 patient with an active plan: no new alerts.\n"
    assert shorter == "Checked 1 patient with an active plan: opened 1 alert (1 no recent log).\n"


@pytest.mark.django_db
def test_silence_days_option_refuses_zero():
    with pytest.raises(CommandError, match=r"^--silence-days must be 1 or more\.$"):
        run("--silence-days", "0")


@pytest.mark.django_db
def test_database_refuses_a_second_open_alert_with_the_same_key(patient):
    Alert.objects.create(patient=patient, kind=AlertKind.SILENCE, message="a", dedupe_key="silence")

    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(
            patient=patient, kind=AlertKind.SILENCE, message="b", dedupe_key="silence"
        )


@pytest.mark.django_db
def test_database_allows_same_key_once_acknowledged_and_alerts_without_a_key(patient, physio):
    Alert.objects.create(
        patient=patient,
        kind=AlertKind.SILENCE,
        message="a",
        dedupe_key="silence",
        acknowledged_at=timezone.now(),
        acknowledged_by=physio,
    )
    Alert.objects.create(patient=patient, kind=AlertKind.SILENCE, message="b", dedupe_key="silence")
    Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="c")
    Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="d")

    assert Alert.objects.count() == 4


@pytest.mark.django_db
def test_run_skips_alerts_a_twin_run_opened_meanwhile(physio, monkeypatch):
    slipping_patient(physio)
    slipping_patient(physio)
    run()
    Alert.objects.filter(kind=AlertKind.ADHERENCE).delete()
    # As if the other run had opened them after this run looked.
    monkeypatch.setattr(checks, "to_open", lambda due, known: list(due))

    result = run_checks(today=timezone.localdate())

    assert result.summary() == (
        "Checked 2 patients with an active plan: opened 2 alerts (2 adherence under target)."
    )
    assert Alert.objects.count() == 6


@pytest.mark.django_db
@pytest.mark.parametrize("patients", [2, 20])
def test_run_query_count_does_not_grow_with_patients(physio, django_assert_num_queries, patients):
    for _ in range(patients):
        slipping_patient(physio)

    # savepoint; plans with their counts; last sessions; known alerts; savepoint, insert,
    # release; the new alerts' patients' triage cleared; patients without a triage row; a look
    # for stale triage rows and every one worked out; release
    with django_assert_num_queries(12):
        result = run_checks(today=timezone.localdate())

    assert result.opened.total() == 3 * patients


@pytest.mark.django_db
def test_run_with_nothing_due_reads_and_writes_nothing_more(patient, django_assert_num_queries):
    make_active_plan(patient)

    # savepoint; plans; last sessions; patients without a triage row; a look for stale triage
    # rows and the new accounts' worked out; release
    with django_assert_num_queries(7):
        result = run_checks(today=timezone.localdate())

    assert result.summary() == "Checked 1 patient with an active plan: no new alerts."


@pytest.mark.django_db
def test_run_opens_silence_for_a_patient_whose_last_session_is_older_than_the_lookback(
    physio, django_assert_num_queries
):
    """The sessions query reads the last 14 days only; a patient silent for 30 days still has
    their last session read, and the alert names its day."""
    today = timezone.localdate()
    patient = make_patient(care_team=[physio])
    plan = make_active_plan(patient)
    plan.starts_on = today - dt.timedelta(weeks=6)
    plan.save()
    last = today - dt.timedelta(days=30)
    SessionLogFactory(plan=plan, date=last)
    SessionLogFactory(plan=plan, date=today - dt.timedelta(days=40))

    # savepoint; plans with each patient's last session; last weeks' sessions; known alerts;
    # savepoint, insert, release; triage cleared, rows made, looked for, worked out; release
    with django_assert_num_queries(12):
        run_checks(today=today)

    silence = Alert.objects.get(patient=patient, kind=AlertKind.SILENCE)
    assert silence.message == (f"No session logged for 30 days; the last was on {last:%a %-d %b}.")


@pytest.mark.django_db
def test_load_facts_counts_no_session_older_than_the_last_completed_week(patient):
    today = timezone.localdate()
    plan = make_active_plan(patient)
    plan.starts_on = today - dt.timedelta(weeks=3)
    plan.save()
    for days_ago in (3, 15, 20):
        SessionLogFactory(plan=plan, date=today - dt.timedelta(days=days_ago))

    [loaded] = load_facts(today)

    assert (loaded.last_week_sessions, loaded.last_logged) == (1, today - dt.timedelta(days=3))
